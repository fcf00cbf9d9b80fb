/** The shell: sign-in first, then the header and the page the path names. */
import { useEffect, useRef, useState } from 'preact/hooks';
import { detectAuth, type AuthState } from './auth/detect';
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

  const check = () => void detectAuth().then(setAuth);
  useEffect(check, []);
  useEffect(() => onSessionEnded(() => setAuth((prev) => ({ status: 'sign-in', mode: prev.status === 'signed-in' && prev.mode === 'oidc' ? 'oidc' : 'basic', message: 'Your session ended; sign in again.' }))), []);
  useEffect(() => {
    if (path === '/') navigate(HOME, { replace: true });
    // After a navigation (not the first load), move focus to the new page, as a page load would.
    if (path !== firstPath.current) main.current?.focus();
  }, [path]);

  const signOut = () => {
    storeAuthorization(null);
    check();
  };

  return (
    <>
      <Header path={path} auth={auth} onSignOut={signOut} />
      <main id="main" ref={main} tabIndex={-1}>
        {auth.status === 'checking' ? <Loading what="the console" /> : null}
        {auth.status === 'failed' ? (
          <p class="notice error" role="alert">
            {auth.message}
          </p>
        ) : null}
        {auth.status === 'sign-in' ? <SignIn mode={auth.mode} message={auth.message} onSignedIn={check} /> : null}
        {auth.status === 'signed-in' ? <Page path={path} /> : null}
      </main>
    </>
  );
}

function Page({ path }: { readonly path: string }) {
  for (const route of ROUTES) {
    const params = match(route.pattern, path);
    if (params) return route.render(params);
  }
  return path === '/' ? null : <NotFoundPage />;
}
