/** /ui/callback: where the identity provider sends the browser back; trades the code, then goes where the user was. */
import { useEffect, useState } from 'preact/hooks';
import { navigate } from '../lib/router';
import { Loading, PageHeader } from '../shell/page';
import { completeOidcSignIn } from './oidc';

export function OidcCallback({ onSignedIn }: { readonly onSignedIn: () => void }) {
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    completeOidcSignIn().then(
      (returnTo) => {
        navigate(returnTo, { replace: true });
        onSignedIn();
      },
      (err: Error) => setError(err.message),
    );
  }, []);
  return (
    <section class="sign-in">
      <PageHeader title="Signing in" />
      {error ? (
        <>
          <p class="notice error" role="alert">
            {error}
          </p>
          <p>
            <a href="/ui/">Back to the console</a>
          </p>
        </>
      ) : (
        <Loading what="your session" />
      )}
    </section>
  );
}
