/** The shell: sign-in first, then the header and the page the path names. */
import { useEffect, useRef, useState } from 'preact/hooks';
import { detectAuth, type AuthState } from './auth/detect';
import { useFreshPermissions } from './auth/fresh-permissions';
import { CALLBACK_PATH, mayResignInSilently, signOutOidc, startOidcSignIn } from './auth/oidc';
import { OidcCallback } from './auth/oidc-callback';
import { PermissionsContext } from './auth/permissions';
import { onSessionEnded, storeAuthorization } from './auth/session';
import { SignIn } from './auth/sign-in';
import { match, navigate, usePath } from './lib/router';
import { NotFoundPage } from './pages/not-built';
import { HOME, ROUTES } from './routes';
import { Header } from './shell/header';
import { Loading } from './shell/page';

export function App() {
  const path = usePath();
  const [auth, setAuth] = useState<AuthState>({ status: 'checking' });
  const main = useRef<HTMLElement>(null);
  const firstPath = useRef(path);
  const authRef = useRef(auth);
  authRef.current = auth;
  const permissions = useFreshPermissions(auth, path);

  const check = () => void detectAuth().then(setAuth);
  useEffect(() => {
    if (path !== CALLBACK_PATH) check();
  }, []);
  useEffect(
    () =>
      onSessionEnded(() => {
        const prev = authRef.current;
        const oidc = prev.status === 'signed-in' && prev.mode === 'oidc';
        // An expired token under OIDC: back to the provider, which may sign in without asking.
        if (oidc && prev.config?.oidc && mayResignInSilently()) {
          const config = prev.config;
          void startOidcSignIn(config.oidc!).catch((err: Error) => setAuth({ status: 'sign-in', mode: 'oidc', message: err.message, config }));
          return;
        }
        setAuth({ status: 'sign-in', mode: oidc ? 'oidc' : 'basic', message: 'Your session ended; sign in again.', config: prev.status === 'signed-in' ? prev.config : null });
      }),
    [],
  );
  useEffect(() => {
    if (path === '/') navigate(HOME, { replace: true });
    // After a navigation (not the first load), move focus to the new page, as a page load would.
    if (path !== firstPath.current) main.current?.focus();
  }, [path]);

  const signOut = () => {
    if (auth.status === 'signed-in' && auth.mode === 'oidc') {
      signOutOidc();
      // Not straight back to the provider, which may still know the user and sign them in again.
      setAuth({ status: 'sign-in', mode: 'oidc', message: 'You signed out.', config: auth.config });
      return;
    }
    storeAuthorization(null);
    check();
  };

  return (
    <>
      <Header path={path} auth={auth} onSignOut={signOut} />
      <main id="main" ref={main} tabIndex={-1}>
        {path === CALLBACK_PATH ? <OidcCallback onSignedIn={check} /> : null}
        {path !== CALLBACK_PATH && auth.status === 'checking' ? <Loading what="the console" /> : null}
        {auth.status === 'failed' ? (
          <p class="notice error" role="alert">
            {auth.message}
          </p>
        ) : null}
        {path !== CALLBACK_PATH && auth.status === 'sign-in' ? <SignIn mode={auth.mode} message={auth.message} config={auth.config} auto={auth.auto} onSignedIn={check} /> : null}
        {auth.status === 'signed-in' ? (
          <PermissionsContext.Provider value={permissions}>
            <Page path={path} />
          </PermissionsContext.Provider>
        ) : null}
      </main>
    </>
  );
}

function Page({ path }: { readonly path: string }) {
  for (const route of ROUTES) {
    const params = match(route.pattern, path);
    if (params) return route.render(params);
  }
  return path === '/' || path === CALLBACK_PATH ? null : <NotFoundPage />;
}
