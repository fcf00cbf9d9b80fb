/**
 * Batch operations through a real `zen start` over REST v2: cancel, resolve incidents, migrate
 * and modify over a process instance filter, the batch polled until it ended, its items and the
 * instances read from the history.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chain, end, model, serviceTask, start } from '../fixtures/bpmn-builder.js';
import { muteSdkStreamCancellations, waitFor, zeebeClient, type ZeebeClient } from '../support/server-client.js';
import { showServerOutputOnFailure, ZenServer } from '../support/server-process.js';

let server: ZenServer;
let zeebe: ZeebeClient;

const CANCELABLE = model('batch-cancel', start(), serviceTask('work', 'batch-cancel-work'), end(), ...chain('start', 'work', 'end'));
const FAILING = model('batch-incident', start(), serviceTask('work', 'batch-incident-work'), end(), ...chain('start', 'work', 'end'));
const MIGRATE_V1 = model('batch-migrate', start(), serviceTask('work', 'batch-migrate-work'), serviceTask('review', 'batch-migrate-review'), end(), ...chain('start', 'work', 'review', 'end'));
const MIGRATE_V2 = model('batch-migrate', start(), serviceTask('work2', 'batch-migrate-work2'), end('v2End'), ...chain('start', 'work2', 'v2End'));
const MOVABLE = model('batch-modify', start(), serviceTask('first', 'batch-modify-first'), serviceTask('second', 'batch-modify-second'), end(), ...chain('start', 'first', 'second', 'end'));

beforeAll(async () => {
  server = await ZenServer.start();
  zeebe = zeebeClient(server);
  await zeebe.deployResource({ name: 'batch-cancel.bpmn', process: Buffer.from(CANCELABLE) });
  await zeebe.deployResource({ name: 'batch-incident.bpmn', process: Buffer.from(FAILING) });
});

afterAll(async () => {
  await zeebe?.close();
  const exit = await server?.dispose();
  expect(exit?.code).toBe(0);
});

showServerOutputOnFailure(() => [server]);
muteSdkStreamCancellations();

type Json = Record<string, any>;

async function call(method: 'GET' | 'POST', path: string, body?: unknown): Promise<{ status: number; json: Json }> {
  const res = await fetch(`http://127.0.0.1:${server.restPort}/v2${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json', 'zen-consistency': 'strong' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, json: text ? (JSON.parse(text) as Json) : {} };
}

async function ended(batchOperationKey: string): Promise<Json> {
  return waitFor(`batch operation ${batchOperationKey} ended`, async () => {
    const { status, json } = await call('GET', `/batch-operations/${batchOperationKey}`);
    return status === 200 && json.state !== 'ACTIVE' ? json : undefined;
  });
}

describe('batch operations', () => {
  it('cancels every running instance a filter matches, with one completed item each', async () => {
    const keys: string[] = [];
    for (let i = 0; i < 5; i++) keys.push((await zeebe.createProcessInstance({ bpmnProcessId: 'batch-cancel', variables: {} })).processInstanceKey);

    const created = await call('POST', '/process-instances/cancellation', { filter: { processDefinitionId: 'batch-cancel' } });
    expect(created.status).toBe(200);
    expect(created.json).toEqual({ batchOperationKey: expect.any(String), batchOperationType: 'CANCEL_PROCESS_INSTANCE' });
    const key = created.json.batchOperationKey as string;

    const batch = await ended(key);
    expect(batch).toMatchObject({
      batchOperationKey: key,
      state: 'COMPLETED',
      batchOperationType: 'CANCEL_PROCESS_INSTANCE',
      operationsTotalCount: 5,
      operationsCompletedCount: 5,
      operationsFailedCount: 0,
      startDate: expect.any(String),
      endDate: expect.any(String),
    });

    const items = await call('POST', '/batch-operation-items/search', { filter: { batchOperationKey: key } });
    expect(items.json.items.map((item: Json) => [item.processInstanceKey, item.state]).sort()).toEqual(keys.map((k) => [k, 'COMPLETED']).sort());

    const instances = await call('POST', '/process-instances/search', { filter: { processDefinitionId: 'batch-cancel' } });
    expect(instances.json.items.map((i: Json) => i.state)).toEqual(['TERMINATED', 'TERMINATED', 'TERMINATED', 'TERMINATED', 'TERMINATED']);

    const search = await call('POST', '/batch-operations/search', { filter: { operationType: 'CANCEL_PROCESS_INSTANCE' } });
    expect(search.json.items.map((b: Json) => b.batchOperationKey)).toContain(key);
    // An ended batch can no longer be canceled.
    expect((await call('POST', `/batch-operations/${key}/cancellation`)).status).toBe(404);
  });

  it('resolves the incidents of the instances that have one', async () => {
    const keys: string[] = [];
    for (let i = 0; i < 3; i++) keys.push((await zeebe.createProcessInstance({ bpmnProcessId: 'batch-incident', variables: {} })).processInstanceKey);
    const jobs = await waitFor('3 jobs', async () => {
      const got = await zeebe.activateJobs({ type: 'batch-incident-work', worker: 'test', maxJobsToActivate: 3, timeout: 30_000, requestTimeout: 1_000 });
      return got.length === 3 ? got : undefined;
    });
    for (const job of jobs) await zeebe.failJob({ jobKey: job.key, retries: 0, errorMessage: 'boom', retryBackOff: 0 });
    await waitFor('3 incidents', async () => {
      const { json } = await call('POST', '/incidents/search', { filter: { processDefinitionId: 'batch-incident', state: 'ACTIVE' } });
      return json.items.length === 3 ? json : undefined;
    });

    const created = await call('POST', '/process-instances/incident-resolution', { filter: { processDefinitionId: 'batch-incident' } });
    expect(created.json.batchOperationType).toBe('RESOLVE_INCIDENT');
    const batch = await ended(created.json.batchOperationKey);
    expect(batch).toMatchObject({ state: 'COMPLETED', operationsTotalCount: 3, operationsCompletedCount: 3, operationsFailedCount: 0 });

    const incidents = await call('POST', '/incidents/search', { filter: { processDefinitionId: 'batch-incident' } });
    expect(incidents.json.items.map((i: Json) => i.state)).toEqual(['RESOLVED', 'RESOLVED', 'RESOLVED']);
    // The jobs got a retry: the instances go on.
    const again = await waitFor('the jobs again', async () => {
      const got = await zeebe.activateJobs({ type: 'batch-incident-work', worker: 'test', maxJobsToActivate: 3, timeout: 30_000, requestTimeout: 1_000 });
      return got.length === 3 ? got : undefined;
    });
    expect(again.map((j) => j.processInstanceKey).sort()).toEqual([...keys].sort());
  });

  it('migrates the running instances of a version to the next with a mapping; one it cannot map fails alone', async () => {
    const v1 = (await zeebe.deployResource({ name: 'batch-migrate.bpmn', process: Buffer.from(MIGRATE_V1) })).deployments[0]!.process.processDefinitionKey;
    // One instance goes on to 'review', which the plan does not map: its item fails.
    const atReview = (await zeebe.createProcessInstance({ bpmnProcessId: 'batch-migrate', variables: {} })).processInstanceKey;
    const [first] = await waitFor('the first job', async () => {
      const got = await zeebe.activateJobs({ type: 'batch-migrate-work', worker: 'test', maxJobsToActivate: 1, timeout: 30_000, requestTimeout: 1_000 });
      return got.length === 1 ? got : undefined;
    });
    await zeebe.completeJob({ jobKey: first!.key, variables: {} });
    const atWork: string[] = [];
    for (let i = 0; i < 3; i++) atWork.push((await zeebe.createProcessInstance({ bpmnProcessId: 'batch-migrate', variables: { i } })).processInstanceKey);
    await waitFor('the first instance at review', async () => {
      const { json } = await call('POST', '/element-instances/search', { filter: { processInstanceKey: atReview, elementId: 'review', state: 'ACTIVE' } });
      return json.items.length === 1 ? json : undefined;
    });
    const v2 = (await zeebe.deployResource({ name: 'batch-migrate.bpmn', process: Buffer.from(MIGRATE_V2) })).deployments[0]!.process.processDefinitionKey;

    const created = await call('POST', '/process-instances/migration', {
      filter: { processDefinitionKey: v1 },
      migrationPlan: { targetProcessDefinitionKey: v2, mappingInstructions: [{ sourceElementId: 'work', targetElementId: 'work2' }] },
    });
    expect(created.status).toBe(200);
    expect(created.json.batchOperationType).toBe('MIGRATE_PROCESS_INSTANCE');
    const key = created.json.batchOperationKey as string;
    const batch = await ended(key);
    expect(batch).toMatchObject({ state: 'PARTIALLY_COMPLETED', batchOperationType: 'MIGRATE_PROCESS_INSTANCE', operationsTotalCount: 4, operationsCompletedCount: 3, operationsFailedCount: 1 });

    const items = (await call('POST', '/batch-operation-items/search', { filter: { batchOperationKey: key }, sort: [{ field: 'processInstanceKey' }] })).json.items as Json[];
    expect(items.map((item) => [item.processInstanceKey, item.state, item.operationType])).toEqual(
      [...atWork.map((k) => [k, 'COMPLETED', 'MIGRATE_PROCESS_INSTANCE']), [atReview, 'FAILED', 'MIGRATE_PROCESS_INSTANCE']].sort((a, b) => (BigInt(a[0]!) < BigInt(b[0]!) ? -1 : 1)),
    );
    const failed = items.find((item) => item.state === 'FAILED')!;
    expect(failed.errorMessage).toContain("no mapping instruction defined for active element with id 'review'");
    expect(failed.processedDate).toEqual(expect.any(String));
    const failedItems = await call('POST', '/batch-operation-items/search', { filter: { batchOperationKey: key, state: 'FAILED' } });
    expect(failedItems.json.items.map((item: Json) => item.processInstanceKey)).toEqual([atReview]);

    const onV2 = await call('POST', '/process-instances/search', { filter: { processDefinitionKey: v2 } });
    expect(onV2.json.items.map((i: Json) => [i.processInstanceKey, i.processDefinitionVersion, i.state]).sort()).toEqual(atWork.map((k) => [k, 2, 'ACTIVE']).sort());
    const stayed = await call('POST', '/process-instances/search', { filter: { processDefinitionKey: v1, state: 'ACTIVE' } });
    expect(stayed.json.items.map((i: Json) => i.processInstanceKey)).toEqual([atReview]);

    // The jobs keep their type (as in Zeebe); completed, the instances end on version 2's end event.
    const jobs = await waitFor('the migrated jobs', async () => {
      const got = await zeebe.activateJobs({ type: 'batch-migrate-work', worker: 'test', maxJobsToActivate: 10, timeout: 30_000, requestTimeout: 1_000 });
      return got.length === 3 ? got : undefined;
    });
    expect(jobs.map((j) => j.elementId)).toEqual(['work2', 'work2', 'work2']);
    for (const job of jobs) await zeebe.completeJob({ jobKey: job.key, variables: {} });
    await waitFor('the migrated instances completed', async () => {
      const { json } = await call('POST', '/process-instances/search', { filter: { processDefinitionKey: v2, state: 'COMPLETED' } });
      return json.items.length === 3 ? json : undefined;
    });
    for (const pi of atWork) {
      const { json } = await call('POST', '/element-instances/search', { filter: { processInstanceKey: pi }, sort: [{ field: 'startDate' }] });
      expect(json.items.map((e: Json) => `${e.elementId}:${e.state}`)).toEqual(['batch-migrate:COMPLETED', 'start:COMPLETED', 'work2:COMPLETED', 'v2End:COMPLETED']);
    }
  });

  it('moves the token from one element to another in every instance the filter matches', async () => {
    await zeebe.deployResource({ name: 'batch-modify.bpmn', process: Buffer.from(MOVABLE) });
    const keys: string[] = [];
    for (let i = 0; i < 3; i++) keys.push((await zeebe.createProcessInstance({ bpmnProcessId: 'batch-modify', variables: { i } })).processInstanceKey);

    const created = await call('POST', '/process-instances/modification', {
      filter: { processDefinitionId: 'batch-modify' },
      moveInstructions: [{ sourceElementId: 'first', targetElementId: 'second' }],
    });
    expect(created.status).toBe(200);
    expect(created.json.batchOperationType).toBe('MODIFY_PROCESS_INSTANCE');
    const key = created.json.batchOperationKey as string;
    expect(await ended(key)).toMatchObject({ state: 'COMPLETED', batchOperationType: 'MODIFY_PROCESS_INSTANCE', operationsTotalCount: 3, operationsCompletedCount: 3, operationsFailedCount: 0 });
    const items = await call('POST', '/batch-operation-items/search', { filter: { batchOperationKey: key } });
    expect(items.json.items.map((item: Json) => [item.processInstanceKey, item.state]).sort()).toEqual(keys.map((k) => [k, 'COMPLETED']).sort());

    for (const pi of keys) {
      const { json } = await call('POST', '/element-instances/search', { filter: { processInstanceKey: pi, type: 'SERVICE_TASK' }, sort: [{ field: 'startDate' }] });
      expect(json.items.map((e: Json) => `${e.elementId}:${e.state}`)).toEqual(['first:TERMINATED', 'second:ACTIVE']);
    }
    const jobs = await waitFor('the jobs of the target element', async () => {
      const got = await zeebe.activateJobs({ type: 'batch-modify-second', worker: 'test', maxJobsToActivate: 10, timeout: 30_000, requestTimeout: 1_000 });
      return got.length === 3 ? got : undefined;
    });
    expect(jobs.map((j) => j.processInstanceKey).sort()).toEqual([...keys].sort());
    for (const job of jobs) await zeebe.completeJob({ jobKey: job.key, variables: {} });
    await waitFor('the moved instances completed', async () => {
      const { json } = await call('POST', '/process-instances/search', { filter: { processDefinitionId: 'batch-modify', state: 'COMPLETED' } });
      return json.items.length === 3 ? json : undefined;
    });
    // The source's jobs went with its instances.
    const { json: sourceJobs } = await call('POST', '/jobs/search', { filter: { type: 'batch-modify-first' } });
    expect(sourceJobs.items.map((j: Json) => j.state)).toEqual(['CANCELED', 'CANCELED', 'CANCELED']);

    // The instances are done: a second move finds nothing to run.
    const again = await call('POST', '/process-instances/modification', { filter: { processDefinitionId: 'batch-modify' }, moveInstructions: [{ sourceElementId: 'first', targetElementId: 'second' }] });
    expect(await ended(again.json.batchOperationKey)).toMatchObject({ state: 'COMPLETED', operationsTotalCount: 0 });
  });

  it('answers 400 without a filter', async () => {
    const { status } = await call('POST', '/process-instances/cancellation', {});
    expect(status).toBe(400);
  });
});
