/**
 * Batch operations through a real `zen start` over REST v2: cancel and resolve incidents over a
 * process instance filter, the batch polled until COMPLETED, its items and the instances read
 * from the history.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chain, end, model, serviceTask, start } from '../fixtures/bpmn-builder.js';
import { muteSdkStreamCancellations, waitFor, zeebeClient, type ZeebeClient } from '../support/server-client.js';
import { showServerOutputOnFailure, ZenServer } from '../support/server-process.js';

let server: ZenServer;
let zeebe: ZeebeClient;

const CANCELABLE = model('batch-cancel', start(), serviceTask('work', 'batch-cancel-work'), end(), ...chain('start', 'work', 'end'));
const FAILING = model('batch-incident', start(), serviceTask('work', 'batch-incident-work'), end(), ...chain('start', 'work', 'end'));

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

  it('answers 400 without a filter', async () => {
    const { status } = await call('POST', '/process-instances/cancellation', {});
    expect(status).toBe(400);
  });
});
