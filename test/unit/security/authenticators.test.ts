import { describe, expect, it } from 'vitest';
import { ZenError } from '../../../src/errors.js';
import { AuthGate } from '../../../src/security/auth-gate.js';
import type { Authenticator } from '../../../src/security/authenticator.js';
import { createBasicAuthenticator, decodeBasic } from '../../../src/security/basic-authenticator.js';
import { createBearerAuthenticator } from '../../../src/security/bearer-authenticator.js';
import { FailureThrottle } from '../../../src/security/failure-throttle.js';
import { PasswordChecker } from '../../../src/security/password-checker.js';
import { hashPassword } from '../../../src/security/password-hash.js';
import { ANONYMOUS, userPrincipal } from '../../../src/node/principal.js';
import { VerificationCache } from '../../../src/security/verification-cache.js';

const FAST = { ln: 4, r: 8, p: 1 };
const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

async function refusal(promise: Promise<unknown>): Promise<ZenError> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(ZenError);
    return err as ZenError;
  }
  return expect.fail('expected a refusal');
}

async function basicSetup(loaded = true) {
  const hashes = new Map([['ann', await hashPassword('ann:pa ss', FAST)]]);
  const cache = new VerificationCache();
  const checker = new PasswordChecker({ cache, scrypt: FAST });
  const users = { loaded, passwordHashOf: (name: string) => hashes.get(name) };
  return { authenticator: createBasicAuthenticator(users, checker), cache, hashes };
}

describe('basic authentication', () => {
  it('accepts a user with the right password (colons and spaces in it too), as a user principal', async () => {
    const { authenticator, cache } = await basicSetup();
    expect(await authenticator.authenticate(basic('ann', 'ann:pa ss'))).toEqual(userPrincipal('ann'));
    // Remembered: the next call does not run scrypt.
    expect(cache.size).toBe(1);
    expect(await authenticator.authenticate(basic('ann', 'ann:pa ss'))).toEqual(userPrincipal('ann'));
  });

  it('refuses a wrong password and an unknown user alike, without repeating either', async () => {
    const { authenticator } = await basicSetup();
    for (const header of [basic('ann', 'guess-123'), basic('nobody', 'guess-123')]) {
      const err = await refusal(authenticator.authenticate(header));
      expect(err.code).toBe('UNAUTHENTICATED');
      expect(err.message).toBe('Invalid username or password');
    }
  });

  it('refuses no credentials (absent or the SDK\'s empty header), another scheme and garbage with UNAUTHENTICATED', async () => {
    const { authenticator } = await basicSetup();
    for (const header of [undefined, '', '   ']) {
      expect((await refusal(authenticator.authenticate(header))).message).toContain('requires authentication');
    }
    const bearer = await refusal(authenticator.authenticate('Bearer some.token.value'));
    expect(bearer.message).toBe('Expected Basic credentials in the Authorization header, but another scheme was sent');
    expect(bearer.message).not.toContain('some.token');
    expect((await refusal(authenticator.authenticate('Basic !!!not-base64'))).message).toContain('Malformed Basic credentials');
    expect((await refusal(authenticator.authenticate(`Basic ${Buffer.from('no-colon').toString('base64')}`))).code).toBe('UNAUTHENTICATED');
  });

  it('answers UNAVAILABLE while the users are not loaded', async () => {
    const { authenticator } = await basicSetup(false);
    expect((await refusal(authenticator.authenticate(basic('ann', 'ann:pa ss')))).code).toBe('UNAVAILABLE');
  });

  it('sees a new hash at once: a cached password no longer passes', async () => {
    const { authenticator, hashes } = await basicSetup();
    await authenticator.authenticate(basic('ann', 'ann:pa ss'));
    hashes.set('ann', await hashPassword('new-one', FAST));
    expect((await refusal(authenticator.authenticate(basic('ann', 'ann:pa ss')))).code).toBe('UNAUTHENTICATED');
    expect(await authenticator.authenticate(basic('ann', 'new-one'))).toEqual(userPrincipal('ann'));
  });

  it('splits username and password at the first colon', () => {
    expect(decodeBasic(Buffer.from('a:b:c').toString('base64'))).toEqual({ username: 'a', password: 'b:c' });
    expect(decodeBasic(Buffer.from(':pw').toString('base64'))).toBeNull();
  });
});

describe('bearer authentication (the adapter a token verifier plugs into)', () => {
  const principal = { kind: 'client' as const, id: 'worker-1', groups: ['ops'], claims: { azp: 'worker-1' } };

  it('hands the token to the verifier and returns its principal', async () => {
    const seen: string[] = [];
    const authenticator = createBearerAuthenticator(async (token) => {
      seen.push(token);
      return principal;
    });
    expect(await authenticator.authenticate('Bearer abc.def.ghi')).toBe(principal);
    expect(seen).toEqual(['abc.def.ghi']);
  });

  it('passes a verifier\'s ZenError on; turns any other failure into a refusal that does not quote it', async () => {
    const zen = createBearerAuthenticator(async () => {
      throw new ZenError('UNAUTHENTICATED', 'The access token has expired');
    });
    expect((await refusal(zen.authenticate('Bearer t'))).message).toBe('The access token has expired');
    const other = createBearerAuthenticator(async (token) => {
      throw new Error(`bad signature on ${token}`);
    });
    const err = await refusal(other.authenticate('Bearer secret-token'));
    expect(err).toMatchObject({ code: 'UNAUTHENTICATED', message: 'The access token was refused' });
  });

  it('refuses a missing token and Basic credentials without calling the verifier', async () => {
    let calls = 0;
    const authenticator = createBearerAuthenticator(async () => {
      calls++;
      return principal;
    });
    for (const header of [undefined, '', 'Bearer', 'Bearer  ', basic('ann', 'x')]) {
      expect((await refusal(authenticator.authenticate(header))).code).toBe('UNAUTHENTICATED');
    }
    expect(calls).toBe(0);
  });
});

describe('AuthGate', () => {
  function gate(authenticator: Authenticator) {
    const waits: number[] = [];
    const g = new AuthGate('basic', authenticator, new FailureThrottle(), async (ms) => void waits.push(ms));
    return { gate: g, waits };
  }
  const refusing: Authenticator = {
    authenticate: async () => {
      throw new ZenError('UNAUTHENTICATED', 'Invalid username or password');
    },
  };

  it('holds refusals of tried credentials longer each time, per address', async () => {
    const { gate: g, waits } = gate(refusing);
    for (let i = 0; i < 4; i++) await refusal(g.check('Basic eDp5', '10.0.0.1'));
    await refusal(g.check('Basic eDp5', '10.0.0.2'));
    expect(waits).toEqual([250, 500, 1000]);
  });

  it('does not hold a request that sent no credentials, nor one the node could not check', async () => {
    const { gate: g, waits } = gate(refusing);
    for (let i = 0; i < 5; i++) await refusal(g.check(undefined, 'a'));
    const unavailable = gate({
      authenticate: async () => {
        throw new ZenError('UNAVAILABLE', 'not loaded');
      },
    });
    for (let i = 0; i < 5; i++) await refusal(unavailable.gate.check('Basic eDp5', 'a'));
    expect([...waits, ...unavailable.waits]).toEqual([]);
  });

  it('starts an address afresh after a success', async () => {
    let ok = false;
    const { gate: g, waits } = gate({
      authenticate: async () => {
        if (ok) return ANONYMOUS;
        throw new ZenError('UNAUTHENTICATED', 'no');
      },
    });
    await refusal(g.check('Basic x', 'a'));
    await refusal(g.check('Basic x', 'a'));
    ok = true;
    await g.check('Basic x', 'a');
    ok = false;
    await refusal(g.check('Basic x', 'a'));
    expect(waits).toEqual([250]);
  });

  it('challenges with the scheme of its mode', () => {
    expect(gate(refusing).gate.challenge).toBe('Basic realm="zen", charset="UTF-8"');
    expect(new AuthGate('oidc', refusing, new FailureThrottle()).challenge).toBe('Bearer realm="zen"');
  });
});
