/**
 * The OIDC token verifier against a real OpenID provider on loopback (test/support/oauth-server.ts):
 * real discovery, real key set over HTTP, real RS256 signatures.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ZenError } from '../../../src/errors.js';
import { createOidcVerifier, type OidcVerifierOptions } from '../../../src/security/oidc/verifier.js';
import { startTestOAuthServer, type TestOAuthServer } from '../../support/oauth-server.js';
import { RecordingLogger } from '../../support/recording-logger.js';

// jose's jwtVerify, counted: a cached token must not be verified again.
const jose = vi.hoisted(() => ({ verifyCalls: 0 }));
vi.mock('jose', async (importOriginal) => {
  const actual = await importOriginal<typeof import('jose')>();
  return {
    ...actual,
    jwtVerify: (...args: Parameters<typeof actual.jwtVerify>) => {
      jose.verifyCalls++;
      return actual.jwtVerify(...args);
    },
  };
});

const AUDIENCE = 'zeebe-api';
let idp: TestOAuthServer;
const verifiers: { close(): void }[] = [];

function verifierFor(server: TestOAuthServer, extra: Partial<OidcVerifierOptions> = {}) {
  const v = createOidcVerifier({ issuer: server.issuer, audience: AUDIENCE, ...extra });
  verifiers.push(v);
  return v;
}

async function refusalOf(promise: Promise<unknown>): Promise<ZenError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err, 'expected a refusal').toBeInstanceOf(ZenError);
  return err as ZenError;
}

/** A refusal must say why and must not carry the token or any part of it. */
async function expectRefused(promise: Promise<unknown>, token: string, why: RegExp): Promise<void> {
  const err = await refusalOf(promise);
  expect(err.code).toBe('UNAUTHENTICATED');
  expect(err.message).toMatch(why);
  for (const part of token.split('.').filter((p) => p.length > 8)) expect(err.message).not.toContain(part);
}

beforeAll(async () => {
  idp = await startTestOAuthServer({ clients: [{ clientId: 'worker', clientSecret: 'worker-secret' }] });
});
afterAll(async () => {
  await idp.stop();
});
afterEach(() => {
  vi.useRealTimers();
  for (const v of verifiers.splice(0)) v.close();
});

describe('accepted tokens', () => {
  it('a token from the client-credentials grant is a client principal', async () => {
    const res = await fetch(idp.tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: 'worker', client_secret: 'worker-secret', audience: AUDIENCE }),
    });
    expect(res.status).toBe(200);
    const { access_token: token } = (await res.json()) as { access_token: string };

    const principal = await verifierFor(idp).verify(token);
    expect(principal).toMatchObject({ kind: 'client', id: 'worker', groups: [] });
    expect(principal.claims).toMatchObject({ iss: idp.issuer, aud: AUDIENCE, azp: 'worker' });
  });

  it('a person’s token is a user principal with the groups of the groups claim', async () => {
    const v = verifierFor(idp, { groupsClaim: 'groups' });
    const token = await idp.userToken('alice', { groups: ['ops', 'admins'] });
    expect(await v.verify(token)).toMatchObject({ kind: 'user', id: 'alice', groups: ['ops', 'admins'] });
    const single = await idp.userToken('bob', { groups: 'ops' as unknown as string[] });
    expect(await v.verify(single)).toMatchObject({ kind: 'user', id: 'bob', groups: ['ops'] });
  });

  it('the username claim can be another claim, e.g. preferred_username', async () => {
    const v = verifierFor(idp, { usernameClaim: 'preferred_username' });
    const token = await idp.userToken('carol', { claims: { sub: 'f3a1c0de-0000-4000-8000-000000000001' } });
    expect(await v.verify(token)).toMatchObject({ kind: 'user', id: 'carol' });
  });

  it('allows a small clock skew: a token that expired 30 s ago or starts in 30 s passes with the default 60 s', async () => {
    const v = verifierFor(idp);
    expect((await v.verify(await idp.clientToken('worker', { expiresIn: -30 }))).id).toBe('worker');
    expect((await v.verify(await idp.clientToken('worker', { notBefore: 30 }))).id).toBe('worker');
  });

  it('the issuer may be configured with a trailing slash', async () => {
    const v = verifierFor(idp, { issuer: `${idp.issuer}/` });
    expect((await v.verify(await idp.clientToken('worker'))).kind).toBe('client');
  });

  it('with a JWKS URL, no discovery document is read', async () => {
    const other = await startTestOAuthServer();
    try {
      const v = verifierFor(other, { jwksUrl: other.jwksUrl });
      expect((await v.verify(await other.clientToken('svc'))).id).toBe('svc');
      expect(other.hits.discovery).toBe(0);
      expect(other.hits.jwks).toBe(1);
    } finally {
      await other.stop();
    }
  });

  it('a token without a key id is checked against each published key of its kind', async () => {
    const other = await startTestOAuthServer();
    try {
      const oldKid = other.currentKid();
      await other.rotateKey();
      const v = verifierFor(other);
      const token = await other.clientToken('svc', { key: { kid: oldKid }, omitKid: true });
      expect((await v.verify(token)).id).toBe('svc');
    } finally {
      await other.stop();
    }
  });
});

describe('refused tokens', () => {
  it('expired beyond the clock tolerance', async () => {
    const token = await idp.clientToken('worker', { expiresIn: -120 });
    await expectRefused(verifierFor(idp).verify(token), token, /expired/);
  });

  it('not valid yet beyond the clock tolerance', async () => {
    const token = await idp.clientToken('worker', { notBefore: 600 });
    await expectRefused(verifierFor(idp).verify(token), token, /not valid yet/);
  });

  it('for another audience, or with none', async () => {
    const v = verifierFor(idp);
    const token = await idp.clientToken('worker', { audience: 'operate-api' });
    await expectRefused(v.verify(token), token, /another audience; expected zeebe-api/);
    const listed = await idp.clientToken('worker', { audience: ['operate-api', 'tasklist-api'] });
    await expectRefused(v.verify(listed), listed, /another audience/);
    const none = await idp.mint({ claims: { sub: 'worker', aud: undefined } });
    await expectRefused(v.verify(none), none, /no audience/);
    // One of several audiences is enough.
    expect((await v.verify(await idp.clientToken('worker', { audience: ['operate-api', AUDIENCE] }))).id).toBe('worker');
  });

  it('from another issuer', async () => {
    const token = await idp.clientToken('worker', { issuer: 'http://127.0.0.1:1/realms/evil' });
    await expectRefused(verifierFor(idp).verify(token), token, new RegExp(`another issuer; expected ${idp.issuer}`));
  });

  it('without an expiry', async () => {
    const token = await idp.mint({ claims: { sub: 'worker', exp: undefined } });
    await expectRefused(verifierFor(idp).verify(token), token, /no expiry/);
  });

  it('signed by a key the issuer never published', async () => {
    const token = await idp.clientToken('worker', { key: 'unpublished' });
    await expectRefused(verifierFor(idp).verify(token), token, /not among the issuer's signing keys/);
  });

  it('with a signature that does not match (payload altered)', async () => {
    const v = verifierFor(idp);
    const token = await idp.clientToken('worker');
    const [header, , signature] = token.split('.');
    const forgedPayload = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()), sub: 'admin' })).toString('base64url');
    const forged = `${header}.${forgedPayload}.${signature}`;
    await expectRefused(v.verify(forged), forged, /signature is not valid/);
  });

  it('malformed', async () => {
    const v = verifierFor(idp);
    for (const junk of ['', 'not-a-jwt', 'a.b', 'a.b.c.d', 'e30.e30.', 'e30.e30.e30', 'ey J.ey.sig']) {
      await expectRefused(v.verify(junk), junk, /malformed/);
    }
    await expectRefused(v.verify('x'.repeat(20_000)), '', /longer than/);
  });

  it('alg none, and HS256 signed with the public key as secret', async () => {
    const v = verifierFor(idp);
    const unsigned = idp.unsignedToken({ claims: { sub: 'worker' } });
    await expectRefused(v.verify(unsigned), unsigned, /allowed algorithm/);
    const { SignJWT } = await import('jose');
    const hs = await new SignJWT({ sub: 'worker', iss: idp.issuer, aud: AUDIENCE })
      .setProtectedHeader({ alg: 'HS256', kid: idp.currentKid() })
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode('a-secret-that-is-long-enough-for-hs256'));
    await expectRefused(v.verify(hs), hs, /allowed algorithm/);
  });

  it('with neither a username nor a client id', async () => {
    const token = await idp.mint({ claims: { scope: 'x' } });
    await expectRefused(verifierFor(idp).verify(token), token, /neither a username claim \(sub\) nor a client id claim \(azp or client_id\)/);
  });

  it('logs nothing that carries the token', async () => {
    const logger = new RecordingLogger();
    const v = verifierFor(idp, { logger });
    const token = await idp.clientToken('worker', { key: 'unpublished' });
    await refusalOf(v.verify(token));
    expect(JSON.stringify(logger.lines)).not.toContain(token.split('.')[1]);
  });
});

describe('keys', () => {
  it('a token signed with a newly published key makes the key set be fetched again (at most every 30 s)', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const other = await startTestOAuthServer();
    try {
      const v = verifierFor(other);
      expect((await v.verify(await other.clientToken('svc'))).id).toBe('svc');
      expect(other.hits.jwks).toBe(1);

      await other.rotateKey();
      const rotated = await other.clientToken('svc');
      // Within the cooldown after a fetch, an unknown key id is refused without asking the issuer.
      await expectRefused(v.verify(rotated), rotated, /not among/);
      expect(other.hits.jwks).toBe(1);

      vi.setSystemTime(Date.now() + 31_000);
      const fresh = await other.clientToken('svc');
      expect((await v.verify(fresh)).id).toBe('svc');
      expect(other.hits.jwks).toBe(2);
      // Tokens signed with the old key still verify while it stays published.
      expect((await v.verify(await other.clientToken('svc', { key: { kid: (await keysOf(other))[0]! } }))).id).toBe('svc');
    } finally {
      await other.stop();
    }
  });

  it('keys already known keep working while the issuer is down; a failed refresh is logged', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const other = await startTestOAuthServer();
    try {
      const logger = new RecordingLogger();
      const v = verifierFor(other, { logger });
      await v.verify(await other.clientToken('svc'));
      const later = await other.clientToken('svc', { expiresIn: 3600 });
      other.failing.jwks = true;
      vi.setSystemTime(Date.now() + 11 * 60_000);
      expect((await v.verify(later)).id).toBe('svc');
      await vi.waitFor(() => expect(logger.at('warn').map((l) => l.msg)).toContain('OIDC signing keys could not be refreshed; the keys already known stay in use'));
      expect(other.hits.jwks).toBe(2);
    } finally {
      await other.stop();
    }
  });
});

async function keysOf(server: TestOAuthServer): Promise<string[]> {
  const res = await fetch(server.jwksUrl);
  return ((await res.json()) as { keys: { kid: string }[] }).keys.map((k) => k.kid);
}

describe('cache', () => {
  it('a token seen before is not verified again; concurrent first calls verify it once', async () => {
    const v = verifierFor(idp);
    const token = await idp.clientToken('worker');
    const before = jose.verifyCalls;
    const all = await Promise.all(Array.from({ length: 20 }, () => v.verify(token)));
    expect(new Set(all.map((p) => p.id))).toEqual(new Set(['worker']));
    for (let i = 0; i < 100; i++) await v.verify(token);
    expect(jose.verifyCalls - before).toBe(1);
  });

  it('a cached token is refused once it expires', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const v = verifierFor(idp);
    const token = await idp.clientToken('worker', { expiresIn: 10 });
    await v.verify(token);
    const before = jose.verifyCalls;
    vi.setSystemTime(Date.now() + 69_000);
    expect((await v.verify(token)).id).toBe('worker'); // within exp + 60 s
    expect(jose.verifyCalls).toBe(before);
    vi.setSystemTime(Date.now() + 2_000);
    await expectRefused(v.verify(token), token, /expired/);
    expect(jose.verifyCalls).toBe(before + 1);
  });

  it('cacheSize 0 verifies every time', async () => {
    const v = verifierFor(idp, { cacheSize: 0 });
    const token = await idp.clientToken('worker');
    const before = jose.verifyCalls;
    await v.verify(token);
    await v.verify(token);
    expect(jose.verifyCalls - before).toBe(2);
  });

  it('refusals are not cached: a bad token stays bad, a good one is still accepted', async () => {
    const v = verifierFor(idp);
    const bad = await idp.clientToken('worker', { audience: 'other' });
    await expectRefused(v.verify(bad), bad, /another audience/);
    await expectRefused(v.verify(bad), bad, /another audience/);
    expect((await v.verify(await idp.clientToken('worker'))).id).toBe('worker');
  });
});

describe('issuer availability', () => {
  it('an issuer down at the first call: UNAVAILABLE with the reason, then tokens pass once it is up', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const other = await startTestOAuthServer();
    const logger = new RecordingLogger();
    const v = verifierFor(other, { logger });
    const token = await other.clientToken('svc', { expiresIn: 3600 });
    await other.stop();
    try {
      const first = await refusalOf(v.verify(token));
      expect(first.code).toBe('UNAVAILABLE');
      expect(first.message).toMatch(new RegExp(`OIDC issuer ${other.issuer} cannot be used yet: its discovery document .* could not be fetched: .*ECONNREFUSED`));
      expect(logger.at('warn').map((l) => l.msg)).toEqual(['OIDC discovery failed']);
      // Still down a second later: another attempt, the same reason, and no second warning within the minute.
      vi.setSystemTime(Date.now() + 1_100);
      expect((await refusalOf(v.verify(token))).message).toMatch(/ECONNREFUSED/);
      expect(logger.at('warn')).toHaveLength(1);

      await other.start();
      // Within a second of a failed attempt, calls fail at once without another attempt.
      expect((await refusalOf(v.verify(token))).code).toBe('UNAVAILABLE');
      expect(other.hits.discovery).toBe(0);

      vi.setSystemTime(Date.now() + 1_100);
      expect((await v.verify(token)).id).toBe('svc');
      expect(other.hits.discovery).toBe(1);
    } finally {
      await other.stop();
    }
  });

  it('a discovery document that answers an error, and a key set that does, are UNAVAILABLE', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const other = await startTestOAuthServer();
    try {
      const v = verifierFor(other);
      const token = await other.clientToken('svc', { expiresIn: 3600 });
      other.failing.discovery = true;
      const err = await refusalOf(v.verify(token));
      expect([err.code, err.message]).toEqual(['UNAVAILABLE', expect.stringMatching(/discovery document .* answered HTTP 503/)]);

      other.failing.discovery = false;
      other.failing.jwks = true;
      vi.setSystemTime(Date.now() + 1_100);
      const keysErr = await refusalOf(v.verify(token));
      expect([keysErr.code, keysErr.message]).toEqual(['UNAVAILABLE', expect.stringMatching(/signing keys at .*\/certs could not be fetched: answered HTTP 503/)]);

      other.failing.jwks = false;
      vi.setSystemTime(Date.now() + 1_100);
      expect((await v.verify(token)).id).toBe('svc');
    } finally {
      await other.stop();
    }
  });

  it('a discovery document must name the configured issuer', async () => {
    const other = await startTestOAuthServer();
    try {
      other.tamper.discoveryIssuer = 'https://evil.example/realms/zen';
      const v = verifierFor(other);
      const err = await refusalOf(v.verify(await other.clientToken('svc')));
      expect([err.code, err.message]).toEqual(['UNAVAILABLE', expect.stringMatching(/names issuer https:\/\/evil.example\/realms\/zen, not the configured one/)]);
      expect(other.hits.jwks).toBe(0);
    } finally {
      await other.stop();
    }
  });

  it('an issuer path with nothing there: HTTP 404', async () => {
    const v = verifierFor(idp, { issuer: `${idp.issuer}/nowhere` });
    const err = await refusalOf(v.verify(await idp.clientToken('worker')));
    expect(err.message).toMatch(/answered HTTP 404/);
  });

  it('a closed verifier answers UNAVAILABLE', async () => {
    const v = verifierFor(idp);
    v.close();
    expect((await refusalOf(v.verify(await idp.clientToken('worker')))).code).toBe('UNAVAILABLE');
  });
});

describe('options', () => {
  it('bad options are refused with a clear message', () => {
    const make = (o: Partial<OidcVerifierOptions>) => () => createOidcVerifier({ issuer: 'https://idp.example/realms/x', audience: 'a', ...o });
    expect(make({ issuer: 'idp.example' })).toThrow(/issuer must be an absolute http\(s\) URL/);
    expect(make({ jwksUrl: 'ftp://x/keys' })).toThrow(/JWKS URL must be an absolute http\(s\) URL/);
    expect(make({ audience: '' })).toThrow(/audience must not be empty/);
    expect(make({ clockToleranceSeconds: -1 })).toThrow(/clock tolerance/);
    expect(make({ cacheSize: 1.5 })).toThrow(/cache size/);
    expect(make({ groupsClaim: '' })).toThrow(/groups claim must not be empty/);
  });
});
