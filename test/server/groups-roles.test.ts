/**
 * Groups, roles and mapping rules on real `zen start` processes (docs/adr/014):
 * - `--auth basic --authorizations`: a user refused CREATE_PROCESS_INSTANCE (SDK over gRPC) is
 *   allowed once added to a group that holds it; made a member of role `admin` it can manage
 *   users; `/v2/authentication/me` lists its groups and roles; the REST shapes of Camunda 8.8.
 * - `--auth oidc --authorizations`: a mapping rule on a token claim gives its bearer a role.
 */
import { Camunda8 } from '@camunda8/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestOAuthServer, type TestOAuthServer } from '../support/oauth-server.js';
import { fixturePath, grpcFailure, muteSdkStreamCancellations } from '../support/server-client.js';
import { showServerOutputOnFailure, ZenServer } from '../support/server-process.js';

const PERMISSION_DENIED = 7;
const ADMIN = { username: 'admin', password: 'admin-Secret-7f3a' };
const DAVE = { username: 'dave', password: 'dave-Pass-5e1b' };

let server: ZenServer;
let oidcServer: ZenServer;
let idp: TestOAuthServer;

function zeebeOf(who: { username: string; password: string }) {
  return new Camunda8({
    ZEEBE_GRPC_ADDRESS: `grpc://${server.grpcAddress}`,
    ZEEBE_REST_ADDRESS: `http://127.0.0.1:${server.restPort}`,
    CAMUNDA_AUTH_STRATEGY: 'BASIC',
    CAMUNDA_BASIC_AUTH_USERNAME: who.username,
    CAMUNDA_BASIC_AUTH_PASSWORD: who.password,
    CAMUNDA_LOG_LEVEL: 'none',
    zeebeGrpcSettings: { ZEEBE_CLIENT_LOG_LEVEL: 'NONE', ZEEBE_GRPC_CLIENT_RETRY: false, ZEEBE_GRPC_CLIENT_MAX_RETRIES: 0, ZEEBE_GRPC_CLIENT_INITIAL_CONNECTION_TOLERANCE_MS: 0 },
  }).getZeebeGrpcApiClient();
}

async function withZeebe<T>(who: { username: string; password: string }, body: (zeebe: ReturnType<typeof zeebeOf>) => Promise<T>): Promise<T> {
  const zeebe = zeebeOf(who);
  try {
    return await body(zeebe);
  } finally {
    await zeebe.close();
  }
}

async function call(port: number, path: string, authorization: string, init: { method?: string; body?: unknown } = {}) {
  const response = await fetch(`http://127.0.0.1:${port}/v2${path}`, {
    method: init.method ?? 'GET',
    headers: { authorization, ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });
  const text = await response.text();
  return { status: response.status, json: text ? (JSON.parse(text) as Record<string, any>) : null };
}

function rest(path: string, who: { username: string; password: string }, init: { method?: string; body?: unknown } = {}) {
  return call(server.restPort, path, `Basic ${Buffer.from(`${who.username}:${who.password}`).toString('base64')}`, init);
}

beforeAll(async () => {
  idp = await startTestOAuthServer();
  [server, oidcServer] = await Promise.all([
    ZenServer.start({ args: ['--auth', 'basic', '--authorizations', '--admin-user', ADMIN.username], env: { ZEN_ADMIN_PASSWORD: ADMIN.password } }),
    ZenServer.start({
      args: ['--auth', 'oidc', '--authorizations', '--oidc-issuer', idp.issuer, '--oidc-audience', 'zeebe-api', '--admin-user', 'boss'],
      env: { ZEN_ADMIN_PASSWORD: 'unused-Under-oidc-1' },
    }),
  ]);
  await withZeebe(ADMIN, (zeebe) => zeebe.deployResource({ processFilename: fixturePath('server-one-task.bpmn') }));
  expect((await rest('/users', ADMIN, { method: 'POST', body: DAVE })).status).toBe(201);
});

afterAll(async () => {
  const exits = await Promise.all([server?.dispose(), oidcServer?.dispose()]);
  await idp?.stop();
  for (const exit of exits) expect(exit?.code).toBe(0);
});

showServerOutputOnFailure(() => [server, oidcServer]);
muteSdkStreamCancellations();

describe('groups and roles under --auth basic --authorizations', () => {
  it('the administrator is a member of the real admin role', async () => {
    const role = await rest('/roles/admin', ADMIN);
    expect(role).toMatchObject({ status: 200, json: { roleId: 'admin', name: 'Admin' } });
    const members = await rest('/roles/admin/users/search', ADMIN, { method: 'POST', body: {} });
    expect(members.json!.items).toEqual([{ username: 'admin' }]);
    const me = await rest('/authentication/me', ADMIN);
    expect(me.json!.roles).toEqual(['admin']);
  });

  it('a user refused CREATE_PROCESS_INSTANCE is allowed once a member of a group that holds it', async () => {
    const start = () => withZeebe(DAVE, (zeebe) => zeebe.createProcessInstance({ bpmnProcessId: 'server-one-task', variables: {} }));
    const refused = await withZeebe(DAVE, (zeebe) => grpcFailure(zeebe.createProcessInstance({ bpmnProcessId: 'server-one-task', variables: {} })));
    expect(refused.code).toBe(PERMISSION_DENIED);

    const created = await rest('/groups', ADMIN, { method: 'POST', body: { groupId: 'starters', name: 'Starters', description: 'may start' } });
    expect(created).toEqual({ status: 201, json: { groupId: 'starters', name: 'Starters', description: 'may start' } });
    const grant = await rest('/authorizations', ADMIN, {
      method: 'POST',
      body: { ownerId: 'starters', ownerType: 'GROUP', resourceType: 'PROCESS_DEFINITION', resourceId: 'server-one-task', permissionTypes: ['CREATE_PROCESS_INSTANCE'] },
    });
    expect(grant.status).toBe(201);
    expect((await withZeebe(DAVE, (zeebe) => grpcFailure(zeebe.createProcessInstance({ bpmnProcessId: 'server-one-task', variables: {} })))).code).toBe(PERMISSION_DENIED);

    expect((await rest('/groups/starters/users/dave', ADMIN, { method: 'PUT' })).status).toBe(204);
    expect((await rest('/groups/starters/users/dave', ADMIN, { method: 'PUT' })).status).toBe(409);
    const instance = await start();
    expect(instance.bpmnProcessId).toBe('server-one-task');

    const members = await rest('/groups/starters/users/search', ADMIN, { method: 'POST', body: {} });
    expect(members.json).toMatchObject({ items: [{ username: 'dave' }], page: { totalItems: 1 } });
    expect((await rest('/authentication/me', DAVE)).json!.groups).toEqual(['starters']);

    expect((await rest('/groups/starters/users/dave', ADMIN, { method: 'DELETE' })).status).toBe(204);
    expect((await withZeebe(DAVE, (zeebe) => grpcFailure(zeebe.createProcessInstance({ bpmnProcessId: 'server-one-task', variables: {} })))).code).toBe(PERMISSION_DENIED);
  });

  it('a member of role admin can manage users; managing groups needs GROUP permissions', async () => {
    const refused = await rest('/users', DAVE, { method: 'POST', body: { username: 'erin', password: 'erin-Pass-77aa' } });
    expect(refused.status).toBe(403);
    expect(refused.json!.detail).toContain("'CREATE' on resource 'USER'");
    expect((await rest('/groups', DAVE, { method: 'POST', body: { groupId: 'mine', name: 'Mine' } })).status).toBe(403);

    expect((await rest('/roles/admin/users/dave', ADMIN, { method: 'PUT' })).status).toBe(204);
    expect((await rest('/users', DAVE, { method: 'POST', body: { username: 'erin', password: 'erin-Pass-77aa' } })).status).toBe(201);
    expect((await rest('/groups', DAVE, { method: 'POST', body: { groupId: 'mine', name: 'Mine' } })).status).toBe(201);
    expect((await rest('/authentication/me', DAVE)).json!.roles).toEqual(['admin']);
    expect((await rest('/roles/admin/users/dave', ADMIN, { method: 'DELETE' })).status).toBe(204);
    expect((await rest('/users/erin', DAVE, { method: 'DELETE' })).status).toBe(403);
  });

  it("answers in Camunda's shapes: update, search, a group's roles, 404, 400", async () => {
    expect((await rest('/groups/mine', ADMIN, { method: 'PUT', body: { name: 'Ours', description: 'shared' } })).json).toEqual({ groupId: 'mine', name: 'Ours', description: 'shared' });
    expect((await rest('/roles', ADMIN, { method: 'POST', body: { roleId: 'viewer', name: 'Viewer' } })).status).toBe(201);
    expect((await rest('/roles/viewer/groups/mine', ADMIN, { method: 'PUT' })).status).toBe(204);
    const roles = await rest('/groups/mine/roles/search', ADMIN, { method: 'POST', body: {} });
    expect(roles.json!.items).toEqual([{ roleId: 'viewer', name: 'Viewer', description: '' }]);
    const search = await rest('/groups/search', ADMIN, { method: 'POST', body: { filter: { name: 'Ours' } } });
    expect(search.json).toMatchObject({ items: [{ groupId: 'mine' }], page: { totalItems: 1 } });
    expect((await rest('/groups/nope', ADMIN)).status).toBe(404);
    expect((await rest('/roles/viewer/users/no%20pe', ADMIN, { method: 'PUT' })).status).toBe(400);
    expect((await rest('/groups', ADMIN, { method: 'POST', body: { groupId: 'bad id', name: 'x' } })).status).toBe(400);
    expect((await rest('/groups/mine', ADMIN, { method: 'DELETE' })).status).toBe(204);
    expect((await rest('/roles/viewer/groups/search', ADMIN, { method: 'POST', body: {} })).json!.items).toEqual([]);
  });
});

describe('mapping rules under --auth oidc --authorizations', () => {
  it('a mapping rule on a token claim gives its bearer a role, and with it the role’s authorizations', async () => {
    const port = oidcServer.restPort;
    const boss = `Bearer ${await idp.userToken('boss')}`;
    const finance = `Bearer ${await idp.userToken('fiona', { claims: { department: ['finance', 'audit'] } })}`;
    const sales = `Bearer ${await idp.userToken('sam', { claims: { department: 'sales' } })}`;

    expect((await call(port, '/users/search', finance, { method: 'POST', body: {} })).status).toBe(403);
    const rule = await call(port, '/mapping-rules', boss, { method: 'POST', body: { mappingRuleId: 'finance', claimName: 'department', claimValue: 'finance', name: 'Finance' } });
    expect(rule).toEqual({ status: 201, json: { mappingRuleId: 'finance', claimName: 'department', claimValue: 'finance', name: 'Finance' } });
    expect((await call(port, '/roles', boss, { method: 'POST', body: { roleId: 'user-readers', name: 'User readers' } })).status).toBe(201);
    const grant = await call(port, '/authorizations', boss, {
      method: 'POST',
      body: { ownerId: 'user-readers', ownerType: 'ROLE', resourceType: 'USER', resourceId: '*', permissionTypes: ['READ'] },
    });
    expect(grant.status).toBe(201);
    expect((await call(port, '/roles/user-readers/mapping-rules/finance', boss, { method: 'PUT' })).status).toBe(204);

    expect((await call(port, '/users/search', finance, { method: 'POST', body: {} })).status).toBe(200);
    expect((await call(port, '/users/search', sales, { method: 'POST', body: {} })).status).toBe(403);
    expect((await call(port, '/authentication/me', finance)).json!.roles).toEqual(['user-readers']);
    const rules = await call(port, '/roles/user-readers/mapping-rules/search', boss, { method: 'POST', body: {} });
    expect(rules.json!.items).toEqual([{ mappingRuleId: 'finance', claimName: 'department', claimValue: 'finance', name: 'Finance' }]);

    expect((await call(port, '/mapping-rules/finance', boss, { method: 'DELETE' })).status).toBe(204);
    expect((await call(port, '/users/search', finance, { method: 'POST', body: {} })).status).toBe(403);
  });
});
