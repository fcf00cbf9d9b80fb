/**
 * Tenants as resources and who may use them, on a real `zen start --auth basic --multi-tenancy`
 * with the real SDK and REST: alice, assigned to tenant A, deploys and starts in A and is refused
 * B (PERMISSION_DENIED / 403, naming it); her worker naming [A, B] is refused as a whole, as Zeebe
 * refuses the job batch, and with [A] gets only A's jobs (B's job stays); her searches show only A; once the
 * administrator assigns her to B over REST she can use B.
 */
import { Camunda8 } from '@camunda8/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixturePath, grpcFailure, muteSdkStreamCancellations, waitFor } from '../support/server-client.js';
import { showServerOutputOnFailure, ZenServer } from '../support/server-process.js';

const PERMISSION_DENIED = 7;
const NOT_FOUND = 5;
const A = 'tenant-a';
const B = 'tenant-b';
const ADMIN = { username: 'admin', password: 'admin-Secret-7f3a' };
const ALICE = { username: 'alice', password: 'alice-Pass-52d1' };
type Who = typeof ADMIN;

let server: ZenServer;
/** Tenant B's definition and instance, made by the administrator. */
let definitionOfB: string;
let instanceOfB: string;

async function withZeebe<T>(who: Who, body: (zeebe: ReturnType<Camunda8['getZeebeGrpcApiClient']>) => Promise<T>): Promise<T> {
  const zeebe = new Camunda8({
    ZEEBE_GRPC_ADDRESS: `grpc://${server.grpcAddress}`,
    ZEEBE_REST_ADDRESS: `http://127.0.0.1:${server.restPort}`,
    CAMUNDA_AUTH_STRATEGY: 'BASIC',
    CAMUNDA_BASIC_AUTH_USERNAME: who.username,
    CAMUNDA_BASIC_AUTH_PASSWORD: who.password,
    CAMUNDA_LOG_LEVEL: 'none',
    zeebeGrpcSettings: { ZEEBE_CLIENT_LOG_LEVEL: 'NONE', ZEEBE_GRPC_CLIENT_RETRY: false, ZEEBE_GRPC_CLIENT_MAX_RETRIES: 0, ZEEBE_GRPC_CLIENT_INITIAL_CONNECTION_TOLERANCE_MS: 0 },
  }).getZeebeGrpcApiClient();
  try {
    return await body(zeebe);
  } finally {
    await zeebe.close();
  }
}

async function rest(path: string, who: Who, init: { method?: string; body?: unknown } = {}) {
  const response = await fetch(`http://127.0.0.1:${server.restPort}/v2${path}`, {
    method: init.method ?? 'GET',
    headers: {
      authorization: `Basic ${Buffer.from(`${who.username}:${who.password}`).toString('base64')}`,
      'zen-consistency': 'strong',
      ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });
  const text = await response.text();
  const isJson = (response.headers.get('content-type') ?? '').includes('json');
  return { status: response.status, json: text && isJson ? (JSON.parse(text) as Record<string, any>) : null };
}

beforeAll(async () => {
  server = await ZenServer.start({ args: ['--partitions', '2', '--auth', 'basic', '--multi-tenancy', '--admin-user', ADMIN.username], env: { ZEN_ADMIN_PASSWORD: ADMIN.password } });
  expect((await rest('/users', ADMIN, { method: 'POST', body: ALICE })).status).toBe(201);
  for (const tenantId of [A, B]) {
    const created = await rest('/tenants', ADMIN, { method: 'POST', body: { tenantId, name: `Tenant ${tenantId}` } });
    expect(created).toMatchObject({ status: 201, json: { tenantId, name: `Tenant ${tenantId}`, description: '' } });
  }
  expect((await rest(`/tenants/${A}/users/${ALICE.username}`, ADMIN, { method: 'PUT' })).status).toBe(204);
  // The administrator may use every tenant: B gets the same process id, and an instance of it.
  await withZeebe(ADMIN, async (zeebe) => {
    const deployed = await zeebe.deployResource({ processFilename: fixturePath('server-one-task.bpmn'), tenantId: B });
    definitionOfB = deployed.deployments[0]!.process.processDefinitionKey;
    const created = await zeebe.createProcessInstance({ bpmnProcessId: 'server-one-task', variables: { of: B }, tenantId: B });
    instanceOfB = created.processInstanceKey;
  });
});

afterAll(async () => {
  const exit = await server?.dispose();
  expect(exit?.code).toBe(0);
});

showServerOutputOnFailure(() => [server]);
muteSdkStreamCancellations();

describe('tenants as resources', () => {
  it('are created, read, searched and updated over REST; the default tenant is always there and cannot be deleted', async () => {
    const all = await rest('/tenants/search', ADMIN, { method: 'POST', body: { sort: [{ field: 'tenantId' }] } });
    expect(all.json!.items.map((t: { tenantId: string }) => t.tenantId)).toEqual(['<default>', A, B]);
    expect((await rest('/tenants/search', ADMIN, { method: 'POST', body: { filter: { name: `Tenant ${B}` } } })).json!.items).toEqual([{ tenantId: B, name: `Tenant ${B}`, description: '' }]);
    expect((await rest(`/tenants/${A}`, ADMIN)).json).toEqual({ tenantId: A, name: `Tenant ${A}`, description: '' });
    expect((await rest(`/tenants/${A}`, ADMIN, { method: 'PUT', body: { name: 'Alpha', description: 'the first' } })).json).toEqual({ tenantId: A, name: 'Alpha', description: 'the first' });
    expect((await rest(`/tenants/${A}/users/search`, ADMIN, { method: 'POST', body: {} })).json!.items).toEqual([{ username: 'alice' }]);
    expect((await rest('/tenants/nope', ADMIN)).status).toBe(404);
    expect((await rest('/tenants', ADMIN, { method: 'POST', body: { tenantId: A, name: 'again' } })).status).toBe(409);
    expect((await rest('/tenants', ADMIN, { method: 'POST', body: { tenantId: 'bad id!', name: 'x' } })).status).toBe(400);
    expect((await rest('/tenants/%3Cdefault%3E', ADMIN, { method: 'DELETE' })).status).toBe(400);
    // Group and mapping rule ids are stored as given (they need not exist).
    expect((await rest(`/tenants/${B}/groups/auditors`, ADMIN, { method: 'PUT' })).status).toBe(204);
    expect((await rest(`/tenants/${B}/groups/search`, ADMIN, { method: 'POST', body: {} })).json!.items).toEqual([{ groupId: 'auditors' }]);
    expect((await rest(`/tenants/${B}/groups/auditors`, ADMIN, { method: 'DELETE' })).status).toBe(204);
    expect((await rest(`/tenants/${B}/groups/auditors`, ADMIN, { method: 'DELETE' })).status).toBe(404);
  });
});

describe('a user assigned to tenant A', () => {
  it('deploys and starts in A, and is refused B and the default tenant, naming them', async () => {
    await withZeebe(ALICE, async (zeebe) => {
      const deployed = await zeebe.deployResource({ processFilename: fixturePath('server-one-task.bpmn'), tenantId: A });
      expect(deployed.tenantId).toBe(A);
      const created = await zeebe.createProcessInstance({ bpmnProcessId: 'server-one-task', variables: { of: A }, tenantId: A });
      expect(created.tenantId).toBe(A);
      const deployB = await grpcFailure(zeebe.deployResource({ processFilename: fixturePath('server-one-task.bpmn'), tenantId: B }));
      expect(deployB.code).toBe(PERMISSION_DENIED);
      expect(deployB.details).toContain(`'${B}'`);
      const createB = await grpcFailure(zeebe.createProcessInstance({ bpmnProcessId: 'server-one-task', variables: {}, tenantId: B }));
      expect(createB.code).toBe(PERMISSION_DENIED);
      const createDefault = await grpcFailure(zeebe.createProcessInstance({ bpmnProcessId: 'server-one-task', variables: {} }));
      expect(createDefault.code).toBe(PERMISSION_DENIED);
      expect(createDefault.details).toContain('<default>');
      expect(createDefault.details).not.toContain(ALICE.password);
    });
    const restB = await rest('/process-instances', ALICE, { method: 'POST', body: { processDefinitionId: 'server-one-task', tenantId: B } });
    expect(restB.status).toBe(403);
    expect(restB.json!.detail).toContain(`'${B}'`);
  });

  it('her worker naming [A, B] is refused as a whole (REST 403); her gRPC worker of [A] gets only A’s job', async () => {
    // The SDK's gRPC activateJobs drops tenantIds (it sends its own default), so the refusal is shown over REST.
    const both = await rest('/jobs/activation', ALICE, { method: 'POST', body: { type: 'server-work', timeout: 30_000, maxJobsToActivate: 5, requestTimeout: 500, tenantIds: [A, B] } });
    expect(both.status).toBe(403);
    expect(both.json!.detail).toContain(`Expected to activate job batch for tenants '[${A}, ${B}]'`);
    expect(both.json!.detail).toContain(`Authorized tenants are '[${A}]'`);
    const seen: Array<[string, unknown]> = [];
    await withZeebe(ALICE, async (zeebe) => {
      const worker = zeebe.createWorker({
        taskType: 'server-work',
        tenantIds: [A],
        timeout: 30_000,
        taskHandler: (job) => {
          seen.push([job.tenantId, job.variables.of]);
          return job.complete();
        },
      });
      try {
        await waitFor('the job of tenant A', () => (seen.length > 0 ? true : undefined));
      } finally {
        await worker.close();
      }
    });
    expect(seen).toEqual([[A, A]]);
  });

  it('she cannot cancel B’s instance, complete B’s job or read B’s diagrams by key: NOT_FOUND, as if they did not exist', async () => {
    // The administrator holds B's job, so its key is known; alice's worker of [A] never saw it.
    const activated = await rest('/jobs/activation', ADMIN, { method: 'POST', body: { type: 'server-work', timeout: 600_000, maxJobsToActivate: 1, requestTimeout: 5_000, tenantIds: [B] } });
    const jobOfB: string = activated.json!.jobs[0].jobKey;
    await withZeebe(ALICE, async (zeebe) => {
      const cancel = await grpcFailure(zeebe.cancelProcessInstance(instanceOfB));
      expect(cancel.code).toBe(NOT_FOUND);
      expect(cancel.details).toContain(`Expected to cancel a process instance with key '${instanceOfB}', but no such process was found`);
      const complete = await grpcFailure(zeebe.completeJob({ jobKey: jobOfB, variables: {} }));
      expect(complete.code).toBe(NOT_FOUND);
      expect(complete.details).toContain(`Expected to complete job with key '${jobOfB}', but no such job was found`);
    });
    const restComplete = await rest(`/jobs/${jobOfB}/completion`, ALICE, { method: 'POST', body: {} });
    expect(restComplete.status).toBe(404);
    for (const [path, method] of [
      [`/process-definitions/${definitionOfB}/xml`, 'GET'],
      [`/process-definitions/${definitionOfB}/statistics/element-instances`, 'POST'],
      [`/process-instances/${instanceOfB}/statistics/element-instances`, 'GET'],
      [`/process-instances/${instanceOfB}/sequence-flows`, 'GET'],
      [`/process-instances/${instanceOfB}/call-hierarchy`, 'GET'],
    ] as const) {
      expect((await rest(path, ALICE, { method, ...(method === 'POST' ? { body: {} } : {}) })).status, `${method} ${path}`).toBe(404);
      expect((await rest(path, ADMIN, { method, ...(method === 'POST' ? { body: {} } : {}) })).status, `admin: ${method} ${path}`).toBe(200);
    }
    // Untouched: the instance still runs, the job is still the administrator's to complete.
    expect((await rest(`/jobs/${jobOfB}/completion`, ADMIN, { method: 'POST', body: {} })).status).toBe(204);
  });

  it('her searches show only A; asking for B finds nothing; the administrator sees both', async () => {
    const mine = await rest('/process-instances/search', ALICE, { method: 'POST', body: {} });
    expect(mine.status).toBe(200);
    expect(mine.json!.items.length).toBeGreaterThan(0);
    expect(new Set(mine.json!.items.map((i: { tenantId: string }) => i.tenantId))).toEqual(new Set([A]));
    expect((await rest('/process-instances/search', ALICE, { method: 'POST', body: { filter: { tenantId: B } } })).json!.items).toEqual([]);
    const definitions = await rest('/process-definitions/search', ALICE, { method: 'POST', body: {} });
    expect(definitions.json!.items.map((d: { tenantId: string }) => d.tenantId)).toEqual([A]);
    const me = await rest('/authentication/me', ALICE);
    expect(me.json!.tenants).toEqual([{ tenantId: A, name: 'Alpha', description: 'the first' }]);
    const everything = await rest('/process-instances/search', ADMIN, { method: 'POST', body: {} });
    expect(new Set(everything.json!.items.map((i: { tenantId: string }) => i.tenantId))).toEqual(new Set([A, B]));
  });

  it('once assigned to B over REST she uses B; unassigned, she is refused again', async () => {
    expect((await rest(`/tenants/${B}/users/${ALICE.username}`, ADMIN, { method: 'PUT' })).status).toBe(204);
    expect((await rest(`/tenants/${B}/users/${ALICE.username}`, ADMIN, { method: 'PUT' })).status).toBe(409);
    const created = await withZeebe(ALICE, (zeebe) => zeebe.createProcessInstance({ bpmnProcessId: 'server-one-task', variables: { of: B }, tenantId: B }));
    expect(created.tenantId).toBe(B);
    const seen = await rest('/process-instances/search', ALICE, { method: 'POST', body: { filter: { tenantId: B } } });
    expect(seen.json!.items.length).toBeGreaterThan(0);

    expect((await rest(`/tenants/${B}/users/${ALICE.username}`, ADMIN, { method: 'DELETE' })).status).toBe(204);
    const refused = await withZeebe(ALICE, (zeebe) => grpcFailure(zeebe.createProcessInstance({ bpmnProcessId: 'server-one-task', variables: {}, tenantId: B })));
    expect(refused.code).toBe(PERMISSION_DENIED);
  });
});
