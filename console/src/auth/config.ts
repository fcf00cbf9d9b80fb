/**
 * What the node tells its console at start (`/ui/config.json`, built from its options by
 * src/api/rest/console.ts): the auth mode, whether authorizations are enforced, and for OIDC the
 * issuer and public client to sign in with. Read once per page load.
 */
export interface ConsoleConfig {
  readonly auth: 'none' | 'basic' | 'oidc';
  readonly authorizations: boolean;
  readonly oidc?: OidcConfig;
}

export interface OidcConfig {
  readonly issuer: string;
  readonly clientId: string;
  readonly audience: string;
  readonly scope: string;
}

let loaded: Promise<ConsoleConfig | null> | undefined;

/** The node's console config, or null when it serves none (an older node, the dev server without a node). */
export function consoleConfig(): Promise<ConsoleConfig | null> {
  loaded ??= fetch('/ui/config.json', { credentials: 'omit', cache: 'no-store' })
    .then((response) => (response.ok ? (response.json() as Promise<ConsoleConfig>) : null))
    .catch(() => null);
  return loaded;
}
