/** The sign-in page: a form for `--auth basic`; for `--auth oidc`, the way to the identity provider. */
import { useEffect, useState } from 'preact/hooks';
import { PageHeader } from '../shell/page';
import { fetchApi } from '../lib/api';
import type { ConsoleConfig } from './config';
import { startOidcSignIn } from './oidc';
import { basicAuthorization, storeAuthorization, type AuthMode } from './session';

interface SignInProps {
  readonly mode: Exclude<AuthMode, 'none'>;
  readonly message?: string;
  readonly config: ConsoleConfig | null;
  /** OIDC: leave for the provider without waiting for a click. */
  readonly auto?: boolean;
  readonly onSignedIn: () => void;
}

export function SignIn({ mode, message, config, auto = false, onSignedIn }: SignInProps) {
  if (mode === 'oidc') return <OidcSignIn message={message} config={config} auto={auto} />;
  return <BasicSignIn message={message} onSignedIn={onSignedIn} />;
}

function BasicSignIn({ message, onSignedIn }: { readonly message?: string; readonly onSignedIn: () => void }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(message ?? null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    const header = basicAuthorization(username, password);
    try {
      const response = await fetchApi('GET', '/authentication/me', { authorization: header });
      if (response.ok) {
        storeAuthorization(header);
        onSignedIn();
        return;
      }
      setError(response.status === 401 ? 'Wrong username or password.' : `The node answered ${response.status}.`);
    } catch (err) {
      setError(`The node did not answer: ${(err as Error).message}`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="sign-in">
      <PageHeader title="Sign in" />
      <form onSubmit={submit}>
        <label for="sign-in-username">Username</label>
        <input id="sign-in-username" name="username" autocomplete="username" required value={username} onInput={(e) => setUsername(e.currentTarget.value)} />
        <label for="sign-in-password">Password</label>
        <input id="sign-in-password" name="password" type="password" autocomplete="current-password" required value={password} onInput={(e) => setPassword(e.currentTarget.value)} />
        {error ? (
          <p class="notice error" role="alert">
            {error}
          </p>
        ) : null}
        <button type="submit" class="primary" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </section>
  );
}

function OidcSignIn({ message, config, auto }: { readonly message?: string; readonly config: ConsoleConfig | null; readonly auto: boolean }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const oidc = config?.oidc;
  const start = () => {
    if (!oidc) return;
    setBusy(true);
    setError(null);
    // When the provider cannot be reached the page stays, with the reason and the button.
    startOidcSignIn(oidc).catch((err: Error) => {
      setError(err.message);
      setBusy(false);
    });
  };
  useEffect(() => {
    if (auto) start();
  }, [auto]);
  return (
    <section class="sign-in">
      <PageHeader title="Sign in" />
      {message ? <p class="notice">{message}</p> : null}
      {oidc ? (
        <button type="button" class="primary" disabled={busy} onClick={start}>
          {busy ? 'Going to the identity provider…' : 'Sign in with your identity provider'}
        </button>
      ) : (
        <p class="notice">This node uses OpenID Connect (--auth oidc), but it did not tell the console which identity provider and client to sign in with (/ui/config.json). The /v2 API takes bearer tokens.</p>
      )}
      {error ? (
        <p class="notice error" role="alert">
          {error}
        </p>
      ) : null}
    </section>
  );
}
