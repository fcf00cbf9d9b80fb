import type { AuthState } from '../auth/detect';
import { NAV } from '../routes';
import { Link } from './link';
import { ThemeToggle } from './theme-toggle';

export function Header({ path, auth, onSignOut }: { readonly path: string; readonly auth: AuthState; readonly onSignOut: () => void }) {
  const signedIn = auth.status === 'signed-in';
  return (
    <header class="app-header">
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <Link to="/" class="brand">
        Zen
      </Link>
      {signedIn ? (
        <nav aria-label="Main">
          <ul>
            {NAV.filter((item) => !item.needsAuth || auth.mode !== 'none').map((item) => (
              <li key={item.to}>
                <Link to={item.to} aria-current={path === item.to || path.startsWith(`${item.to}/`) ? 'page' : undefined}>
                  {item.label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
      ) : null}
      <div class="header-end">
        {signedIn && auth.mode !== 'none' ? (
          <>
            <span class="user">{auth.user.displayName ?? auth.user.username}</span>
            <button type="button" class="link-button" onClick={onSignOut}>
              Sign out
            </button>
          </>
        ) : null}
        <ThemeToggle />
      </div>
    </header>
  );
}
