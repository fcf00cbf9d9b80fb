/** Which principal a verified token stands for, with the claims real IdPs put on their tokens. */
import { describe, expect, it } from 'vitest';
import { ZenError } from '../../../src/errors.js';
import { principalFromClaims, readClaim } from '../../../src/security/oidc/principal-claims.js';

const base = { iss: 'https://idp.example', aud: 'zeebe-api', exp: 2_000_000_000, iat: 1_900_000_000 };

function refusal(fn: () => unknown): ZenError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ZenError);
    return err as ZenError;
  }
  throw new Error('expected a refusal');
}

describe('machine clients', () => {
  it('RFC 9068 / Okta / the test server: sub is the client id', () => {
    const p = principalFromClaims({ ...base, sub: 'worker', azp: 'worker', client_id: 'worker' }, {});
    expect(p).toMatchObject({ kind: 'client', id: 'worker', groups: [] });
  });

  it('Keycloak service account: sub is a user id, preferred_username service-account-<client>', () => {
    const claims = { ...base, sub: '9c1f1c4e-5a55-4f1b-9b4d-0d7c0f2d0a11', azp: 'Worker-App', client_id: 'Worker-App', preferred_username: 'service-account-worker-app' };
    expect(principalFromClaims(claims, {})).toMatchObject({ kind: 'client', id: 'Worker-App' });
    expect(principalFromClaims(claims, { clientIdClaim: 'client_id' })).toMatchObject({ kind: 'client', id: 'Worker-App' });
  });

  it('Auth0 (gty), Entra ID (idtyp), a plain grant_type', () => {
    expect(principalFromClaims({ ...base, sub: 'abc@clients', azp: 'abc', gty: 'client-credentials' }, {})).toMatchObject({ kind: 'client', id: 'abc' });
    expect(principalFromClaims({ ...base, sub: 'sp-object-id', azp: 'app-id', idtyp: 'app' }, {})).toMatchObject({ kind: 'client', id: 'app-id' });
    expect(principalFromClaims({ ...base, sub: 'x', client_id: 'svc', grant_type: 'client_credentials' }, {})).toMatchObject({ kind: 'client', id: 'svc' });
  });

  it('no username claim at all: the client id decides', () => {
    expect(principalFromClaims({ ...base, client_id: 'svc' }, {})).toMatchObject({ kind: 'client', id: 'svc' });
    expect(principalFromClaims({ ...base, sub: 'x', cid: 'okta-client' }, { usernameClaim: 'email', clientIdClaim: 'cid' })).toMatchObject({ kind: 'client', id: 'okta-client' });
  });

  it('azp wins over client_id by default', () => {
    expect(principalFromClaims({ ...base, azp: 'a', client_id: 'b' }, {})).toMatchObject({ kind: 'client', id: 'a' });
  });
});

describe('users', () => {
  it('a person who signed in through an app: azp is the app, sub the person', () => {
    const p = principalFromClaims({ ...base, sub: 'alice', azp: 'web-modeler' }, {});
    expect(p).toMatchObject({ kind: 'user', id: 'alice' });
    expect(p.claims).toMatchObject({ azp: 'web-modeler' });
  });

  it('with a configured username claim', () => {
    const claims = { ...base, sub: '0b7e', azp: 'web', preferred_username: 'alice', email: 'alice@example.com' };
    expect(principalFromClaims(claims, { usernameClaim: 'preferred_username' })).toMatchObject({ kind: 'user', id: 'alice' });
    expect(principalFromClaims(claims, { usernameClaim: 'email' })).toMatchObject({ kind: 'user', id: 'alice@example.com' });
  });

  it('no client id claim: a user', () => {
    expect(principalFromClaims({ ...base, sub: 'bob' }, {})).toMatchObject({ kind: 'user', id: 'bob' });
  });
});

describe('groups', () => {
  it('an array, a single string, missing, or a nested path', () => {
    expect(principalFromClaims({ ...base, sub: 'a', groups: ['x', 'y', 'x'] }, { groupsClaim: 'groups' }).groups).toEqual(['x', 'y']);
    expect(principalFromClaims({ ...base, sub: 'a', groups: 'x' }, { groupsClaim: 'groups' }).groups).toEqual(['x']);
    expect(principalFromClaims({ ...base, sub: 'a' }, { groupsClaim: 'groups' }).groups).toEqual([]);
    expect(principalFromClaims({ ...base, sub: 'a', realm_access: { roles: ['ops'] } }, { groupsClaim: '$.realm_access.roles' }).groups).toEqual(['ops']);
    expect(principalFromClaims({ ...base, sub: 'a', groups: ['x'] }, {}).groups).toEqual([]);
  });

  it('anything else is refused, naming the claim but not its value', () => {
    const err = refusal(() => principalFromClaims({ ...base, sub: 'a', groups: [1, 'secret-group'] }, { groupsClaim: 'groups' }));
    expect(err.code).toBe('UNAUTHENTICATED');
    expect(err.message).toMatch(/claim "groups" \(groups\) is not a string or an array of strings/);
    expect(err.message).not.toContain('secret-group');
    expect(refusal(() => principalFromClaims({ ...base, sub: 'a', groups: { a: 1 } }, { groupsClaim: 'groups' })).code).toBe('UNAUTHENTICATED');
  });
});

describe('claim names', () => {
  it('a literal name may contain dots and slashes; $. starts a path', () => {
    const claims = { 'https://example.com/roles': ['r'], 'a.b': 'literal', a: { b: 'nested' } };
    expect(readClaim(claims, 'https://example.com/roles')).toEqual(['r']);
    expect(readClaim(claims, 'a.b')).toBe('literal');
    expect(readClaim(claims, '$.a.b')).toBe('nested');
    expect(readClaim(claims, '$.a.b.c')).toBeUndefined();
    expect(readClaim(claims, '$.missing.x')).toBeUndefined();
  });

  it('a username or client id that is not a string is refused', () => {
    expect(refusal(() => principalFromClaims({ ...base, sub: 42 }, {})).message).toMatch(/claim "sub" is not a string/);
    expect(refusal(() => principalFromClaims({ ...base, sub: 'a', azp: ['x'] }, {})).message).toMatch(/claim "azp" is not a string/);
  });

  it('neither: refused, naming the configured claims', () => {
    const err = refusal(() => principalFromClaims({ ...base }, { usernameClaim: 'email', clientIdClaim: 'cid' }));
    expect(err.message).toBe('Token has neither a username claim (email) nor a client id claim (cid); check the OIDC claim settings');
  });

  it('the principal is frozen', () => {
    const p = principalFromClaims({ ...base, sub: 'a', groups: ['g'] }, { groupsClaim: 'groups' });
    expect(Object.isFrozen(p) && Object.isFrozen(p.groups) && Object.isFrozen(p.claims)).toBe(true);
  });
});
