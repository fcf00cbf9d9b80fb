/**
 * `--auth basic`: `Authorization: Basic base64(username:password)` checked against the users of
 * partition 1, as this node mirrors them. The answer to wrong credentials never says which part
 * was wrong, and never repeats what was sent.
 */
import { ZenError } from '../errors.js';
import { type Authenticator, missingCredentials, splitAuthorization, wrongScheme } from './authenticator.js';
import type { PasswordChecker } from './password-checker.js';
import { type Principal, userPrincipal } from '../node/principal.js';

/** What basic authentication needs to know of the users: a stored hash per username. */
export interface UserLookup {
  /** False until the table was read from partition 1 once. */
  readonly loaded: boolean;
  passwordHashOf(username: string): string | undefined;
}

export const INVALID_CREDENTIALS = 'Invalid username or password';

export function decodeBasic(credentials: string): { username: string; password: string } | null {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(credentials)) return null;
  const text = Buffer.from(credentials, 'base64').toString('utf8');
  const colon = text.indexOf(':');
  if (colon <= 0) return null;
  return { username: text.slice(0, colon), password: text.slice(colon + 1) };
}

export function createBasicAuthenticator(users: UserLookup, checker: PasswordChecker): Authenticator {
  return {
    async authenticate(headerValue: string | undefined): Promise<Principal> {
      const parts = splitAuthorization(headerValue);
      if (!parts) throw missingCredentials('Basic');
      if (parts.scheme !== 'basic') throw wrongScheme('Basic');
      const decoded = decodeBasic(parts.credentials);
      if (!decoded) throw new ZenError('UNAUTHENTICATED', 'Malformed Basic credentials: expected base64 of username:password');
      if (!users.loaded) {
        throw new ZenError('UNAVAILABLE', 'This node has not loaded the users yet (partition 1 could not be read); retry shortly');
      }
      const stored = users.passwordHashOf(decoded.username);
      const ok = stored === undefined ? await checker.checkUnknown(decoded.password) : await checker.check(decoded.username, decoded.password, stored);
      if (!ok) throw new ZenError('UNAUTHENTICATED', INVALID_CREDENTIALS);
      return userPrincipal(decoded.username);
    },
  };
}
