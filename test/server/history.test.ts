/**
 * History searches against a real `zen start` process (two partitions, SQLite): instances that
 * finished are still found, with their elements, variables, jobs and incidents, over plain HTTP
 * and through the Camunda 8 SDK's REST client; cursors page across both partitions.
 */
import { Camunda8 } from '@camunda8/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deployFixtures, waitFor, zeebeClient, type ZeebeClient } from '../support/server-client.js';
import { showServerOutputOnFailure, ZenServer } from '../support/server-process.js';

let server: ZenServer;
let zeebe: ZeebeClient;
const url = (path: string) => `http://127.0.0.1:${server.restPort}/v2${path}`;

async function post(path: string, body: unknown): Promise<{ status: number; json: Record<string, any>; servedBy: string | null }> {
  const response = await fetch(url(path), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: response.status, json: (await response.json()) as Record<string, any>, servedBy: response.headers.get('zen-served-by') };
}

const done: string[] = [];
let running = '';

beforeAll(async () => {
  server = await ZenServer.start({ args: ['--partitions', '2'] });
  zeebe = zeebeClient(server);
  await deployFixtures(zeebe, 'server-one-task.bpmn');
  for (let i = 0; i < 6; i++) {
    const created = await zeebe.createProcessInstance({ bpmnProcessId: 'server-one-task', variables: { n: i, customer: `customer-${i}` } });
    done.push(created.processInstanceKey);
  }
  // Complete the six through a worker, then start one that stays running.
  let completed = 0;
  while (completed < 6) {
    const jobs = await zeebe.activateJobs({ type: 'server-work', maxJobsToActivate: 10, timeout: 30_000, worker: 'history-test', requestTimeout: 2_000 });
    for (const job of jobs) {
      await zeebe.completeJob({ jobKey: job.key, variables: { result: `done-${job.variables.n}` } });
      completed++;
    }
  }
  running = (await zeebe.createProcessInstance({ bpmnProcessId: 'server-one-task', variables: { n: 99 } })).processInstanceKey;
});

afterAll(async () => {
  await zeebe?.close();
  const exit = await server?.dispose();
  expect(exit?.code).toBe(0);
});

showServerOutputOnFailure(() => [server]);

describe('history searches over REST', () => {
  it('finds completed instances with their dates, and the running one, across both partitions', async () => {
    const completed = await waitFor('the completions in the history', async () => {
      const r = await post('/process-instances/search', { filter: { state: 'COMPLETED', processDefinitionId: 'server-one-task' } });
      return r.json.page?.totalItems === 6 ? r : undefined;
    });
    expect(completed.status).toBe(200);
    expect(completed.json.items.map((i: { processInstanceKey: string }) => i.processInstanceKey).sort()).toEqual([...done].sort());
    for (const item of completed.json.items) expect(Date.parse(item.endDate)).toBeGreaterThanOrEqual(Date.parse(item.startDate));
    expect(completed.servedBy).toMatch(/^1:\d+\/\w+, 2:\d+\/\w+$/);
    const active = await post('/process-instances/search', { filter: { state: 'ACTIVE' } });
    expect(active.json.items.map((i: { processInstanceKey: string }) => i.processInstanceKey)).toEqual([running]);
    const keys = new Set(done.map((k) => Number(BigInt(k) >> 51n)));
    expect(keys.size, 'the instances are spread over both partitions').toBe(2);
  });

  it('pages with cursors in the requested order', async () => {
    const sort = [{ field: 'processInstanceKey', order: 'DESC' }];
    const filter = { processDefinitionId: 'server-one-task' };
    const seen: string[] = [];
    let after: string | undefined;
    for (let page = 0; page < 4; page++) {
      const r = await post('/process-instances/search', { filter, sort, page: { limit: 3, ...(after ? { after } : {}) } });
      expect(r.status).toBe(200);
      seen.push(...r.json.items.map((i: { processInstanceKey: string }) => i.processInstanceKey));
      after = r.json.page.endCursor;
      if (r.json.items.length < 3) break;
    }
    expect(seen).toEqual([...done, running].sort((a, b) => (BigInt(b) > BigInt(a) ? 1 : -1)));
  });

  it("keeps a finished instance's variables, elements and jobs, and reads one by key", async () => {
    const key = done[0]!;
    const variables = await post('/variables/search', { filter: { processInstanceKey: key }, sort: [{ field: 'name', order: 'ASC' }] });
    expect(variables.json.items.map((v: { name: string; value: string }) => `${v.name}=${v.value}`)).toEqual(['customer="customer-0"', 'n=0', 'result="done-0"']);
    const elements = await post('/element-instances/search', { filter: { processInstanceKey: key, type: 'SERVICE_TASK' } });
    expect(elements.json.items).toEqual([expect.objectContaining({ elementId: expect.any(String), state: 'COMPLETED', type: 'SERVICE_TASK' })]);
    const jobs = await post('/jobs/search', { filter: { processInstanceKey: key } });
    expect(jobs.json.items).toEqual([expect.objectContaining({ state: 'COMPLETED', type: 'server-work', worker: 'history-test' })]);
    const get = await fetch(url(`/process-instances/${key}`));
    expect(get.status).toBe(200);
    expect(await get.json()).toMatchObject({ processInstanceKey: key, state: 'COMPLETED', activeElements: [] });
    // A running instance is read from the engine, with what the history adds (as Camunda answers it).
    const runningView = (await (await fetch(url(`/process-instances/${running}`))).json()) as { activeElements: unknown[] };
    expect(runningView).toMatchObject({ processInstanceKey: running, state: 'ACTIVE', processDefinitionId: 'server-one-task', startDate: expect.any(String) });
    expect(runningView.activeElements.length).toBeGreaterThan(0);
    const element = await fetch(url(`/element-instances/${elements.json.items[0].elementInstanceKey}`));
    expect(await element.json()).toMatchObject({ processInstanceKey: key, state: 'COMPLETED' });
    expect((await fetch(url('/variables/123456'))).status).toBe(404);
  });

  it('takes Zen-Consistency: strong, and refuses another value', async () => {
    const strong = await fetch(url('/process-instances/search'), { method: 'POST', headers: { 'content-type': 'application/json', 'zen-consistency': 'strong' }, body: '{}' });
    expect(strong.status).toBe(200);
    expect(((await strong.json()) as { page: { totalItems: number } }).page.totalItems).toBe(7);
    const bogus = await fetch(url('/process-instances/search'), { method: 'POST', headers: { 'content-type': 'application/json', 'zen-consistency': 'linearish' }, body: '{}' });
    expect(bogus.status).toBe(400);
  });

  it('refuses an unknown field or a broken cursor with 400 naming it', async () => {
    const unknown = await post('/process-instances/search', { filter: { colour: 'red' } });
    expect(unknown.status).toBe(400);
    expect(unknown.json.detail).toContain("Unknown filter field 'colour'");
    const cursor = await post('/process-instances/search', { page: { limit: 1, after: 'garbage' } });
    expect(cursor.status).toBe(400);
  });

  it('answers the Camunda 8 SDK REST client', async () => {
    const c8 = new Camunda8({ ZEEBE_REST_ADDRESS: `http://127.0.0.1:${server.restPort}`, CAMUNDA_AUTH_STRATEGY: 'NONE', CAMUNDA_LOG_LEVEL: 'none' });
    const rest = c8.getCamundaRestClient();
    const found = await rest.searchProcessInstances({ filter: { processInstanceKey: done[1]! }, page: { limit: 10 } } as never);
    expect(found.items).toEqual([expect.objectContaining({ processInstanceKey: done[1], state: 'COMPLETED' })]);
    const definitions = await rest.searchProcessDefinitions({ filter: { processDefinitionId: 'server-one-task' } } as never);
    expect(definitions.items).toEqual([expect.objectContaining({ processDefinitionId: 'server-one-task', version: 1 })]);
  });
});
