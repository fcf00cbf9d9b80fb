/**
 * `--auth basic --authorizations` on a real `zen start` process: the administrator may do
 * everything; a user created over REST is refused CREATE_PROCESS_INSTANCE (SDK over gRPC, and
 * REST) until `POST /v2/authorizations` grants it; searches show only permitted processes'
 * instances; a worker without UPDATE_PROCESS_INSTANCE activates nothing; managing
 * authorizations needs AUTHORIZATION permissions.
 */
import { Camunda8 } from '@camunda8/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { discountDmn } from '../fixtures/dmn-builder.js';
import { fixturePath, grpcFailure, muteSdkStreamCancellations, waitFor } from '../support/server-client.js';
import { showServerOutputOnFailure, ZenServer } from '../support/server-process.js';

const PERMISSION_DENIED = 7;
const ADMIN = { username: 'admin', password: 'admin-Secret-7f3a' };
const CAROL = { username: 'carol', password: 'carol-Pass-91c2' };

let server: ZenServer;

function camunda(username: string, password: string): Camunda8 {
  return new Camunda8({
    ZEEBE_GRPC_ADDRESS: `grpc://${server.grpcAddress}`,
    ZEEBE_REST_ADDRESS: `http://127.0.0.1:${server.restPort}`,
    CAMUNDA_AUTH_STRATEGY: 'BASIC',
    CAMUNDA_BASIC_AUTH_USERNAME: username,
    CAMUNDA_BASIC_AUTH_PASSWORD: password,
    CAMUNDA_LOG_LEVEL: 'none',
    zeebeGrpcSettings: { ZEEBE_CLIENT_LOG_LEVEL: 'NONE', ZEEBE_GRPC_CLIENT_RETRY: false, ZEEBE_GRPC_CLIENT_MAX_RETRIES: 0, ZEEBE_GRPC_CLIENT_INITIAL_CONNECTION_TOLERANCE_MS: 0 },
  });
}

async function withZeebe<T>(who: { username: string; password: string }, body: (zeebe: ReturnType<Camunda8['getZeebeGrpcApiClient']>) => Promise<T>): Promise<T> {
  const zeebe = camunda(who.username, who.password).getZeebeGrpcApiClient();
  try {
    return await body(zeebe);
  } finally {
    await zeebe.close();
  }
}

function basic(who: { username: string; password: string }): string {
  return `Basic ${Buffer.from(`${who.username}:${who.password}`).toString('base64')}`;
}

async function rest(path: string, who: { username: string; password: string }, init: { method?: string; body?: unknown } = {}) {
  const response = await fetch(`http://127.0.0.1:${server.restPort}/v2${path}`, {
    method: init.method ?? 'GET',
    headers: { authorization: basic(who), ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });
  const text = await response.text();
  return { status: response.status, json: text ? (JSON.parse(text) as Record<string, any>) : null, text };
}

function grant(ownerId: string, resourceId: string, permissionTypes: string[], resourceType = 'PROCESS_DEFINITION') {
  return rest('/authorizations', ADMIN, { method: 'POST', body: { ownerId, ownerType: 'USER', resourceType, resourceId, permissionTypes } });
}

beforeAll(async () => {
  server = await ZenServer.start({ args: ['--auth', 'basic', '--authorizations', '--admin-user', ADMIN.username], env: { ZEN_ADMIN_PASSWORD: ADMIN.password } });
  await withZeebe(ADMIN, async (zeebe) => {
    await zeebe.deployResource({ processFilename: fixturePath('server-one-task.bpmn') });
    await zeebe.deployResource({ processFilename: fixturePath('server-message-catch.bpmn') });
  });
  expect((await rest('/users', ADMIN, { method: 'POST', body: CAROL })).status).toBe(201);
});

afterAll(async () => {
  const exit = await server?.dispose();
  expect(exit?.code).toBe(0);
});

showServerOutputOnFailure(() => [server]);
muteSdkStreamCancellations();

describe('--authorizations', () => {
  it('refuses a user without CREATE_PROCESS_INSTANCE over gRPC and REST, naming what is missing; allows it after POST /v2/authorizations', async () => {
    const refused = await withZeebe(CAROL, (zeebe) => grpcFailure(zeebe.createProcessInstance({ bpmnProcessId: 'server-one-task', variables: {} })));
    expect(refused.code).toBe(PERMISSION_DENIED);
    expect(refused.details).toContain("Insufficient permissions to perform operation 'CREATE_PROCESS_INSTANCE' on resource 'PROCESS_DEFINITION'");
    expect(refused.details).toContain('server-one-task');
    expect(refused.details).not.toContain(CAROL.password);
    const restRefused = await rest('/process-instances', CAROL, { method: 'POST', body: { processDefinitionId: 'server-one-task' } });
    expect(restRefused.status).toBe(403);
    expect(restRefused.json!.detail).toContain('CREATE_PROCESS_INSTANCE');

    const created = await grant(CAROL.username, 'server-one-task', ['CREATE_PROCESS_INSTANCE', 'READ_PROCESS_INSTANCE']);
    expect(created.status).toBe(201);
    expect(created.json!.authorizationKey).toMatch(/^\d+$/);
    const fetched = await rest(`/authorizations/${created.json!.authorizationKey}`, ADMIN);
    expect(fetched.json).toMatchObject({ ownerId: 'carol', ownerType: 'USER', resourceType: 'PROCESS_DEFINITION', resourceId: 'server-one-task' });

    const instance = await withZeebe(CAROL, (zeebe) => zeebe.createProcessInstance({ bpmnProcessId: 'server-one-task', variables: {} }));
    expect(instance.processInstanceKey).toMatch(/^\d+$/);
    expect((await rest('/process-instances', CAROL, { method: 'POST', body: { processDefinitionId: 'server-one-task' } })).status).toBe(200);
    // Only that process.
    const other = await withZeebe(CAROL, (zeebe) => grpcFailure(zeebe.createProcessInstance({ bpmnProcessId: 'server-message-catch', variables: {} })));
    expect(other.code).toBe(PERMISSION_DENIED);
  });

  it('the administrator may do everything; a search shows the user only the instances of processes it may read', async () => {
    await withZeebe(ADMIN, (zeebe) => zeebe.createProcessInstance({ bpmnProcessId: 'server-message-catch', variables: { orderId: 'o-1' } }));
    const adminSees = await waitFor('both processes in the admin search', async () => {
      const page = await rest('/process-instances/search', ADMIN, { method: 'POST', body: {} });
      const ids = new Set<string>(page.json!.items.map((i: { processDefinitionId: string }) => i.processDefinitionId));
      return ids.has('server-one-task') && ids.has('server-message-catch') ? ids : undefined;
    });
    expect(adminSees.size).toBe(2);
    const carolSees = await rest('/process-instances/search', CAROL, { method: 'POST', body: {} });
    expect(carolSees.status).toBe(200);
    expect(carolSees.json!.items.length).toBeGreaterThan(0);
    expect(new Set(carolSees.json!.items.map((i: { processDefinitionId: string }) => i.processDefinitionId))).toEqual(new Set(['server-one-task']));
    // Her own filter is narrowed, not widened.
    const asked = await rest('/process-instances/search', CAROL, { method: 'POST', body: { filter: { processDefinitionId: 'server-message-catch' } } });
    expect(asked.json!.items).toEqual([]);
    // Nothing to narrow variables by: they need READ_PROCESS_INSTANCE on '*'.
    expect((await rest('/variables/search', CAROL, { method: 'POST', body: {} })).status).toBe(403);
    // Pinned to one instance, that instance's process decides.
    const mine = carolSees.json!.items[0].processInstanceKey as string;
    const theirs = (await rest('/process-instances/search', ADMIN, { method: 'POST', body: { filter: { processDefinitionId: 'server-message-catch' } } })).json!.items[0].processInstanceKey;
    expect((await rest('/variables/search', CAROL, { method: 'POST', body: { filter: { processInstanceKey: mine } } })).status).toBe(200);
    expect((await rest('/variables/search', CAROL, { method: 'POST', body: { filter: { processInstanceKey: { $eq: mine } } } })).status).toBe(200);
    expect((await rest('/variables/search', CAROL, { method: 'POST', body: { filter: { processInstanceKey: theirs } } })).status).toBe(403);
  });

  it('a worker without UPDATE_PROCESS_INSTANCE activates nothing; with it, the jobs of that process', async () => {
    await waitFor('a job of server-one-task', async () => {
      const jobs = await rest('/jobs/search', ADMIN, { method: 'POST', body: { filter: { type: 'server-work', state: 'CREATED' } } });
      return jobs.json!.items.length > 0 ? true : undefined;
    });
    const none = await withZeebe(CAROL, (zeebe) => zeebe.activateJobs({ type: 'server-work', worker: 'carol', maxJobsToActivate: 5, timeout: 30_000, requestTimeout: 300 }));
    expect(none).toEqual([]);
    expect((await grant(CAROL.username, 'server-one-task', ['UPDATE_PROCESS_INSTANCE'])).status).toBe(201);
    const jobs = await withZeebe(CAROL, (zeebe) => zeebe.activateJobs({ type: 'server-work', worker: 'carol', maxJobsToActivate: 5, timeout: 30_000, requestTimeout: 2_000 }));
    expect(jobs.length).toBeGreaterThan(0);
    expect(jobs.every((j) => j.bpmnProcessId === 'server-one-task')).toBe(true);
    expect((await rest(`/jobs/${jobs[0]!.key}/completion`, CAROL, { method: 'POST', body: {} })).status).toBe(204);
  });

  it('managing authorizations and users needs their permissions; bad permission types are 400', async () => {
    const body = { ownerId: 'carol', ownerType: 'USER', resourceType: 'PROCESS_DEFINITION', resourceId: '*', permissionTypes: ['CREATE_PROCESS_INSTANCE'] };
    const selfGrant = await rest('/authorizations', CAROL, { method: 'POST', body });
    expect(selfGrant.status).toBe(403);
    expect(selfGrant.json!.detail).toContain("'CREATE' on resource 'AUTHORIZATION'");
    expect((await rest('/users', CAROL, { method: 'POST', body: { username: 'eve', password: 'eve-Pass-1234' } })).status).toBe(403);
    const wrong = await rest('/authorizations', ADMIN, { method: 'POST', body: { ...body, permissionTypes: ['DELETE_FORM'] } });
    expect(wrong.status).toBe(400);
    expect(wrong.json!.detail).toContain('not supported');
    const search = await rest('/authorizations/search', ADMIN, { method: 'POST', body: { filter: { ownerId: 'carol' } } });
    expect(search.json!.items.length).toBe(2);
    for (const item of search.json!.items) expect((await rest(`/authorizations/${item.authorizationKey}`, ADMIN, { method: 'DELETE' })).status).toBe(204);
    const after = await withZeebe(CAROL, (zeebe) => grpcFailure(zeebe.createProcessInstance({ bpmnProcessId: 'server-one-task', variables: {} })));
    expect(after.code).toBe(PERMISSION_DENIED);
  });

  it("a decision's XML needs READ_DECISION_DEFINITION on that decision (or *)", async () => {
    const form = new FormData();
    form.append('resources', new Blob([discountDmn()], { type: 'application/xml' }), 'pricing.dmn');
    const deployed = await fetch(`http://127.0.0.1:${server.restPort}/v2/deployments`, { method: 'POST', headers: { authorization: basic(ADMIN) }, body: form });
    expect(deployed.status).toBe(200);
    const key = await waitFor('the discount decision', async () => {
      const found = await rest('/decision-definitions/search', ADMIN, { method: 'POST', body: { filter: { decisionDefinitionId: 'discount' } } });
      return found.json!.items[0]?.decisionDefinitionKey as string | undefined;
    });
    expect((await grant(CAROL.username, 'another-decision', ['READ_DECISION_DEFINITION'], 'DECISION_DEFINITION')).status).toBe(201);
    const refused = await fetch(`http://127.0.0.1:${server.restPort}/v2/decision-definitions/${key}/xml`, { headers: { authorization: basic(CAROL) } });
    expect(refused.status).toBe(403);
    expect((await grant(CAROL.username, 'discount', ['READ_DECISION_DEFINITION'], 'DECISION_DEFINITION')).status).toBe(201);
    // The XML is no JSON: read as text.
    const xml = await fetch(`http://127.0.0.1:${server.restPort}/v2/decision-definitions/${key}/xml`, { headers: { authorization: basic(CAROL) } });
    expect(xml.status).toBe(200);
    expect(await xml.text()).toContain('id="discount"');
  });
});
