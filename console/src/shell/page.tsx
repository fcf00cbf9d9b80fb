/** What every page is made of: its title (also the document's), an error notice, a loading line. */
import type { ComponentChildren } from 'preact';
import { useEffect } from 'preact/hooks';
import { ApiError } from '../lib/api';

export function useTitle(title: string): void {
  useEffect(() => {
    document.title = `${title} · Zen`;
  }, [title]);
}

export function PageHeader({ title, children }: { readonly title: string; readonly children?: ComponentChildren }) {
  useTitle(title);
  return (
    <div class="page-header">
      <h1>{title}</h1>
      {children}
    </div>
  );
}

/** An API failure as Camunda's problem detail shows it: the title, then the detail (which names the element, the field…). */
export function ErrorNotice({ error, what }: { readonly error: Error; readonly what?: string }) {
  // A refusal is no failure: the user lacks a permission, which the node's answer names.
  if (error instanceof ApiError && error.status === 403) {
    return (
      <div class="notice forbidden" role="status">
        {what ? <p class="notice-what">{what}</p> : null}
        <p>Your authorizations do not allow this. {error.detail ? <>The node says: {error.detail}</> : null}</p>
      </div>
    );
  }
  const title = error instanceof ApiError ? error.title : 'Error';
  const detail = error instanceof ApiError ? error.detail : error.message;
  return (
    <div class="notice error" role="alert">
      {what ? <p class="notice-what">{what}</p> : null}
      <p>
        <strong>{title}</strong>
        {detail ? <>: {detail}</> : null}
      </p>
    </div>
  );
}

export function Loading({ what }: { readonly what: string }) {
  return (
    <p class="loading" role="status">
      Loading {what}…
    </p>
  );
}
