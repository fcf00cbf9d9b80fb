/**
 * `--auth oidc`: `Authorization: Bearer <token>` handed to a verifier (src/security/oidc/, its
 * own module) that answers with the principal or refuses. This adapter only deals with the
 * header, so any verifier with that one function plugs in.
 */
import { isZenError, ZenError } from '../errors.js';
import { type Authenticator, missingCredentials, splitAuthorization, wrongScheme } from './authenticator.js';
import type { Principal } from '../node/principal.js';

export type TokenVerify = (token: string) => Promise<Principal>;

export function createBearerAuthenticator(verify: TokenVerify): Authenticator {
  return {
    async authenticate(headerValue: string | undefined): Promise<Principal> {
      const parts = splitAuthorization(headerValue);
      if (!parts) throw missingCredentials('Bearer');
      if (parts.scheme !== 'bearer') throw wrongScheme('Bearer');
      if (parts.credentials === '') throw missingCredentials('Bearer');
      try {
        return await verify(parts.credentials);
      } catch (err) {
        if (isZenError(err)) throw err;
        // A verifier's own error text may quote the token; the client learns only that it was refused.
        throw new ZenError('UNAUTHENTICATED', 'The access token was refused');
      }
    },
  };
}
