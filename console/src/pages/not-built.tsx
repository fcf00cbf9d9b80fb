/** The pages that are yet to come (issue 13): named, so navigation and deep links already work. */
import { PageHeader } from '../shell/page';

export function NotBuiltPage({ title }: { readonly title: string }) {
  return (
    <section>
      <PageHeader title={title} />
      <p class="notice">This page is not built yet. Everything it will show is in the /v2 API already.</p>
    </section>
  );
}

export function NotFoundPage() {
  return (
    <section>
      <PageHeader title="Not found" />
      <p class="notice">The console has no page at this address.</p>
    </section>
  );
}
