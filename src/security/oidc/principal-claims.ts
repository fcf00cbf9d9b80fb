import { ZenError } from '../../errors.js';
import type { Principal } from '../../node/principal.js';

export interface ClaimNames {
  readonly usernameClaim?: string;
  readonly clientIdClaim?: string;
  readonly groupsClaim?: string;
}

const DEFAULT_USERNAME_CLAIM = 'sub';
const DEFAULT_CLIENT_ID_CLAIMS = ['azp', 'client_id'] as const;

/**
 * A claim name is taken literally (`https://example.com/groups` is one claim), unless it starts
 * with `$.`: then it is a path into nested objects, e.g. Keycloak's `$.realm_access.roles`.
 * Camunda accepts full JSONPath there; the dotted subset covers the claims IdPs actually nest.
 */
export function readClaim(claims: Readonly<Record<string, unknown>>, name: string): unknown {
  if (!name.startsWith('$.')) return claims[name];
  let value: unknown = claims;
  for (const segment of name.slice(2).split('.')) {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
    value = (value as Record<string, unknown>)[segment];
  }
  return value;
}

function readString(claims: Readonly<Record<string, unknown>>, name: string): string | undefined {
  const value = readClaim(claims, name);
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') {
    throw new ZenError('UNAUTHENTICATED', `Token claim "${name}" is not a string; check the OIDC claim settings`);
  }
  return value;
}

function readGroups(claims: Readonly<Record<string, unknown>>, name: string): readonly string[] {
  const value = readClaim(claims, name);
  if (value === undefined || value === null) return [];
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.every((g) => typeof g === 'string')) return [...new Set(value as string[])];
  throw new ZenError('UNAUTHENTICATED', `Token claim "${name}" (groups) is not a string or an array of strings`);
}

/**
 * Signs that a token was issued to a machine through the client-credentials grant although its
 * username claim holds something other than the client id: Auth0 (`gty`), Entra ID (`idtyp`),
 * Keycloak (its service-account user `service-account-<client id>`), and a plain `grant_type`.
 */
function issuedByClientCredentials(claims: Readonly<Record<string, unknown>>, clientId: string): boolean {
  if (claims.gty === 'client-credentials' || claims.grant_type === 'client_credentials' || claims.idtyp === 'app') return true;
  const preferred = claims.preferred_username;
  return typeof preferred === 'string' && preferred.toLowerCase() === `service-account-${clientId}`.toLowerCase();
}

/**
 * The principal a verified token stands for. Camunda 8.8 treats every token that carries the
 * configured client-id claim as a machine client. Zen's default client-id claim is `azp`, which
 * IdPs also put on people's tokens (the app they signed in through), so a token is a client's
 * only when it carries a client id and no distinct user: no username claim, a username equal to
 * the client id (RFC 9068, Okta), or a client-credentials marker (see above). Otherwise it is a
 * user's, named by the username claim.
 */
export function principalFromClaims(claims: Readonly<Record<string, unknown>>, names: ClaimNames): Principal {
  const usernameClaim = names.usernameClaim ?? DEFAULT_USERNAME_CLAIM;
  const username = readString(claims, usernameClaim);
  let clientId: string | undefined;
  if (names.clientIdClaim !== undefined) clientId = readString(claims, names.clientIdClaim);
  else for (const name of DEFAULT_CLIENT_ID_CLAIMS) clientId ??= readString(claims, name);
  const groups = names.groupsClaim === undefined ? [] : readGroups(claims, names.groupsClaim);

  if (clientId !== undefined && (username === undefined || username === clientId || issuedByClientCredentials(claims, clientId))) {
    return freeze('client', clientId, groups, claims);
  }
  if (username !== undefined) return freeze('user', username, groups, claims);
  const clientClaims = names.clientIdClaim ?? DEFAULT_CLIENT_ID_CLAIMS.join(' or ');
  throw new ZenError(
    'UNAUTHENTICATED',
    `Token has neither a username claim (${usernameClaim}) nor a client id claim (${clientClaims}); check the OIDC claim settings`,
  );
}

function freeze(kind: 'user' | 'client', id: string, groups: readonly string[], claims: Readonly<Record<string, unknown>>): Principal {
  return Object.freeze({ kind, id, groups: Object.freeze([...groups]), claims: Object.freeze({ ...claims }) });
}
