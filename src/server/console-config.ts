/** What Zen Console learns of this node at /ui/config.json (ADR 019): from the options, nothing secret. */
import type { ConsoleConfig } from '../api/rest/types.js';
import type { ZenConfig } from '../config/types.js';

/** The scopes the console asks for: a person's sign-in (openid) and their name (profile). */
export const CONSOLE_SCOPE = 'openid profile';

export function consoleConfigOf(config: Pick<ZenConfig, 'auth' | 'authorizations' | 'oidcIssuer' | 'oidcAudience' | 'consoleClientId'>): ConsoleConfig {
  const base = { auth: config.auth, authorizations: config.authorizations };
  if (config.auth !== 'oidc') return base;
  return { ...base, oidc: { issuer: config.oidcIssuer, clientId: config.consoleClientId, audience: config.oidcAudience, scope: CONSOLE_SCOPE } };
}
