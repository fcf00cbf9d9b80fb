/**
 * The node's authentication mode and who the user is. The node states its mode in
 * /ui/config.json; `GET /v2/authentication/me` then answers 200 under `--auth none` (username
 * null) or with good credentials, and 401 otherwise, whose WWW-Authenticate names the scheme
 * (Basic or Bearer), which is what decides when there is no config.
 */
import { consoleConfig, type ConsoleConfig } from './config';
import type { CurrentUser } from './current-user';
import { confirmOidcToken, mayResignInSilently } from './oidc';
import { canRefresh, refreshSession, scheduleRefresh } from './oidc-refresh';
import { loadPermissions, type Permissions } from './permissions';
import { authorization, type AuthMode } from './session';
import { fetchApi } from '../lib/api';

export type AuthState =
  | { readonly status: 'checking' }
  | { readonly status: 'signed-in'; readonly mode: AuthMode; readonly user: CurrentUser; readonly permissions: Permissions; readonly config: ConsoleConfig | null }
  | {
      readonly status: 'sign-in';
      readonly mode: Exclude<AuthMode, 'none'>;
      readonly message?: string;
      readonly config: ConsoleConfig | null;
      /** OIDC: go to the provider at once, as there is nothing to show first (see oidc.ts on loops). */
      readonly auto?: boolean;
    }
  | { readonly status: 'failed'; readonly message: string };

export async function detectAuth(renewed = false): Promise<AuthState> {
  const config = await consoleConfig();
  const header = authorization();
  let response: Response;
  try {
    response = await fetchApi('GET', '/authentication/me', { authorization: header });
  } catch (err) {
    return { status: 'failed', message: `The node did not answer: ${(err as Error).message}` };
  }
  if (response.ok) {
    const user = (await response.json()) as CurrentUser;
    const mode: AuthMode = user.username === null ? 'none' : header?.startsWith('Bearer ') ? 'oidc' : 'basic';
    if (mode === 'oidc') {
      confirmOidcToken();
      // After a reload too: the renewal planned before it went with the old page.
      scheduleRefresh();
    }
    return { status: 'signed-in', mode, user, config, permissions: await loadPermissions(user, config) };
  }
  // A kept token the node once accepted has expired (a reload after a while): renew it, once.
  if (response.status === 401 && header?.startsWith('Bearer ') && !renewed && mayResignInSilently() && canRefresh() && (await refreshSession())) return detectAuth(true);
  if (response.status === 401) {
    const scheme = (response.headers.get('www-authenticate') ?? '').split(' ')[0]?.toLowerCase();
    const mode = config?.auth === 'oidc' || (config === null && scheme === 'bearer') ? 'oidc' : 'basic';
    // Under OIDC a first visit, or a kept token that has expired since, goes to the provider.
    const auto = mode === 'oidc' && config?.oidc !== undefined && (!header || mayResignInSilently());
    const message = mode === 'oidc' ? 'The node refused the token the identity provider issued; sign in again, or ask an administrator to check the node\'s --oidc-issuer and --oidc-audience.' : 'Your credentials were refused; sign in again.';
    return { status: 'sign-in', mode, config, ...(auto ? { auto } : header ? { message } : {}) };
  }
  return { status: 'failed', message: `The node answered ${response.status} to GET /v2/authentication/me` };
}
