/**
 * Authentication on the REST port (an onRequest hook, before the body is read), the principal
 * the handlers see (`/v2/authentication/me`), and the user resources over a miniature partition 1.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ZenError } from '../../../src/errors.js';
import { AuthGate } from '../../../src/security/auth-gate.js';
import type { Authenticator } from '../../../src/security/authenticator.js';
import { FailureThrottle } from '../../../src/security/failure-throttle.js';
import { userPrincipal } from '../../../src/node/principal.js';
import { UserDirectory } from '../../../src/security/users/user-directory.js';
import { UserService } from '../../../src/security/users/user-service.js';
import { FakePartitionOne } from '../../support/fake-users.js';
import { closeAll, harness, RecordingLogger } from './harness.js';

afterEach(closeAll);

const GOOD = 'Basic YW5uOnB3';

/** Lets `GOOD` in as ann; `Basic down` finds the users not loaded. */
const authenticator: Authenticator = {
  async authenticate(header) {
    if (header === GOOD) return userPrincipal('ann');
    if (header === 'Bearer alice') return Object.freeze({ kind: 'user', id: 'alice', groups: [], claims: { sub: 'alice', name: 'Alice Example', email: 'alice@example.com' } });
    if (header === 'Basic down') throw new ZenError('UNAVAILABLE', 'This node has not loaded the users yet');
    throw new ZenError('UNAUTHENTICATED', header ? 'Invalid username or password' : 'This node requires authentication');
  },
};

function gate(): AuthGate {
  return new AuthGate('basic', authenticator, new FailureThrottle(), async () => {});
}

async function usersOn() {
  const partition = new FakePartitionOne();
  const directory = new UserDirectory(partition, { logger: new RecordingLogger() });
  await directory.refresh();
  return { partition, users: new UserService(partition, directory, { ln: 4, r: 8, p: 1 }) };
}

describe('REST authentication', () => {
  it('refuses a request without credentials with 401, a Basic challenge and a problem, before the API is called', async () => {
    const { server, api } = harness({ authentication: gate() });
    const res = await server.app.inject({ method: 'GET', url: '/v2/topology' });
    expect(res.statusCode).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Basic realm="zen", charset="UTF-8"');
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json()).toMatchObject({ title: 'UNAUTHENTICATED', status: 401, detail: 'This node requires authentication', instance: '/v2/topology' });
    expect(api.calls).toEqual([]);
  });

  it('refuses before the body is read: a broken body without credentials is a 401, not a 400', async () => {
    const { server } = harness({ authentication: gate() });
    const res = await server.app.inject({ method: 'POST', url: '/v2/process-instances', headers: { 'content-type': 'application/json' }, payload: '{broken' });
    expect(res.statusCode).toBe(401);
  });

  it('lets good credentials through and hands the principal to the handler', async () => {
    const { server } = harness({ authentication: gate() });
    expect((await server.app.inject({ method: 'GET', url: '/v2/topology', headers: { authorization: GOOD } })).statusCode).toBe(200);
    const me = await server.app.inject({ method: 'GET', url: '/v2/authentication/me', headers: { authorization: GOOD } });
    expect(me.json()).toMatchObject({ username: 'ann', displayName: 'ann', email: null, groups: [], authorizedComponents: ['*'] });
  });

  it("names an OIDC user, who is in no user table, by the token's name and email claims", async () => {
    const { server } = harness({ authentication: gate() });
    const me = await server.app.inject({ method: 'GET', url: '/v2/authentication/me', headers: { authorization: 'Bearer alice' } });
    expect(me.json()).toMatchObject({ username: 'alice', displayName: 'Alice Example', email: 'alice@example.com' });
  });

  it('answers 503 when the node cannot check credentials yet', async () => {
    const { server } = harness({ authentication: gate() });
    const res = await server.app.inject({ method: 'GET', url: '/v2/topology', headers: { authorization: 'Basic down' } });
    expect(res.statusCode).toBe(503);
    expect(res.headers['www-authenticate']).toBeUndefined();
  });

  it('leaves the API description open', async () => {
    const { server } = harness({ authentication: gate() });
    expect((await server.app.inject({ method: 'GET', url: '/v2/openapi.json' })).statusCode).toBe(200);
    expect((await server.app.inject({ method: 'GET', url: '/v2/docs' })).statusCode).toBe(200);
    expect((await server.app.inject({ method: 'GET', url: '/v2/openapi.json?x=1' })).statusCode).toBe(200);
    expect((await server.app.inject({ method: 'GET', url: '/v2/openapi.jsonx' })).statusCode).toBe(401);
  });

  it('without a gate (--auth none) everyone is anonymous', async () => {
    const { server } = harness();
    expect((await server.app.inject({ method: 'GET', url: '/v2/topology', headers: { authorization: '' } })).statusCode).toBe(200);
    const me = await server.app.inject({ method: 'GET', url: '/v2/authentication/me' });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ username: null, displayName: null, email: null });
  });
});

describe('/v2/users', () => {
  const json = (payload: unknown) => ({ headers: { 'content-type': 'application/json' }, payload: JSON.stringify(payload) });

  it('creates (201), reads, searches, updates and deletes (204) a user, never answering with a password or hash', async () => {
    const { users, partition } = await usersOn();
    const { server } = harness({ users });
    const created = await server.app.inject({ method: 'POST', url: '/v2/users', ...json({ username: 'bob', password: 'pw-bob-1', name: 'Bob', email: 'bob@example.com' }) });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toEqual({ username: 'bob', name: 'Bob', email: 'bob@example.com' });
    expect(partition.users.get('bob')!.password).toMatch(/^\$scrypt\$/);

    expect((await server.app.inject({ method: 'GET', url: '/v2/users/bob' })).json()).toEqual({ username: 'bob', name: 'Bob', email: 'bob@example.com' });
    const found = await server.app.inject({ method: 'POST', url: '/v2/users/search', ...json({ filter: { email: { $like: '*@example.com' } } }) });
    expect(found.json()).toMatchObject({ items: [{ username: 'bob' }], page: { totalItems: 1 } });
    const updated = await server.app.inject({ method: 'PUT', url: '/v2/users/bob', ...json({ name: 'Robert' }) });
    expect(updated).toMatchObject({ statusCode: 200 });
    expect(updated.json()).toEqual({ username: 'bob', name: 'Robert', email: 'bob@example.com' });
    expect((await server.app.inject({ method: 'DELETE', url: '/v2/users/bob' })).statusCode).toBe(204);
    expect((await server.app.inject({ method: 'GET', url: '/v2/users/bob' })).statusCode).toBe(404);
    for (const body of [created.body, updated.body, found.body]) expect(body).not.toMatch(/pw-bob-1|scrypt/);
  });

  it("answers Camunda's 409 for a taken username and 404 for an unknown one", async () => {
    const { users } = await usersOn();
    const { server } = harness({ users });
    await server.app.inject({ method: 'POST', url: '/v2/users', ...json({ username: 'bob', password: 'pw' }) });
    const again = await server.app.inject({ method: 'POST', url: '/v2/users', ...json({ username: 'bob', password: 'pw' }) });
    expect(again.statusCode).toBe(409);
    expect(again.json().detail).toContain("username 'bob'");
    expect((await server.app.inject({ method: 'PUT', url: '/v2/users/nobody', ...json({ name: 'X' }) })).statusCode).toBe(404);
    expect((await server.app.inject({ method: 'DELETE', url: '/v2/users/nobody' })).statusCode).toBe(404);
  });

  it('refuses bad bodies with 400, never quoting a password', async () => {
    const { users } = await usersOn();
    const { server } = harness({ users });
    const numeric = await server.app.inject({ method: 'POST', url: '/v2/users', ...json({ username: 'bob', password: 987654321 }) });
    expect(numeric.statusCode).toBe(400);
    expect(numeric.json().detail).toBe("Property 'password' is invalid: expected a string");
    const missing = await server.app.inject({ method: 'POST', url: '/v2/users', ...json({ username: 'bob' }) });
    expect(missing.json().detail).toBe("Property 'password' is required, but it was not given");
    const colon = await server.app.inject({ method: 'POST', url: '/v2/users', ...json({ username: 'b:ob', password: 'pw' }) });
    expect(colon.statusCode).toBe(400);
    expect(colon.json().detail).toContain('illegal characters');
  });

  it('answers 503 on a node without user management', async () => {
    const { server } = harness();
    expect((await server.app.inject({ method: 'GET', url: '/v2/users/bob' })).statusCode).toBe(503);
  });
});
