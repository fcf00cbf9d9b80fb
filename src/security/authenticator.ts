/**
 * The authentication of both public ports: one `Authenticator` per node, chosen by `--auth`,
 * given the Authorization header (HTTP) or `authorization` metadata (gRPC) as it came.
 */
import { ZenError } from '../errors.js';
import type { Principal } from '../node/principal.js';

export { AUTH_MODES, type AuthMode } from '../config/types.js';

export interface Authenticator {
  /** The caller, or a ZenError: UNAUTHENTICATED (no or wrong credentials), UNAVAILABLE (cannot check now). */
  authenticate(headerValue: string | undefined): Promise<Principal>;
}

/**
 * `Basic abc` → { scheme: 'basic', credentials: 'abc' }. An absent or empty header (the Camunda
 * SDK sends `authorization: ''` when it has no credentials) is null.
 */
export function splitAuthorization(headerValue: string | undefined): { scheme: string; credentials: string } | null {
  const text = headerValue?.trim() ?? '';
  if (text === '') return null;
  const space = text.indexOf(' ');
  if (space === -1) return { scheme: text.toLowerCase(), credentials: '' };
  return { scheme: text.slice(0, space).toLowerCase(), credentials: text.slice(space + 1).trim() };
}

export function missingCredentials(scheme: 'Basic' | 'Bearer'): ZenError {
  const how = scheme === 'Basic' ? 'a username and password (HTTP Basic)' : 'an access token (Bearer)';
  return new ZenError('UNAUTHENTICATED', `This node requires authentication: send ${how} in the Authorization header (gRPC: authorization metadata)`);
}

/** The scheme is not echoed: a header without one is all credentials. */
export function wrongScheme(expected: 'Basic' | 'Bearer'): ZenError {
  return new ZenError('UNAUTHENTICATED', `Expected ${expected} credentials in the Authorization header, but another scheme was sent`);
}
