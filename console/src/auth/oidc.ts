/**
 * The hook for `--auth oidc` (not built yet): an authorization code flow with PKCE against the
 * node's issuer, ending with `storeAuthorization('Bearer ' + accessToken)` and a reload. The
 * console would need the issuer and a public client id, which no /v2 endpoint gives yet; and
 * the index.html content security policy (src/api/rest/console.ts) must then allow the
 * provider's token endpoint in connect-src.
 */
export const OIDC_SIGN_IN_AVAILABLE = false;

export function startOidcSignIn(): never {
  throw new Error('Signing in with OpenID Connect is not built into the console yet');
}
