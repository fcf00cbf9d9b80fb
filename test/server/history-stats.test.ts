/**
 * What a diagram reads, against a real `zen start` process (two partitions, SQLite), over plain
 * HTTP: element statistics of a definition summed over both partitions and of one instance,
 * the flows an instance took, the call hierarchy of an instance a call activity started, and
 * the definition's XML as text/xml.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callActivity, chain, end, flowId, model, serviceTask, start } from '../fixtures/bpmn-builder.js';
import { waitFor } from '../support/server-client.js';
import { showServerOutputOnFailure, ZenServer } from '../support/server-process.js';

let server: ZenServer;
const url = (path: string) => `http://127.0.0.1:${server.restPort}/v2${path}`;

async function call(method: 'GET' | 'POST', path: string, body?: unknown): Promise<{ status: number; json: any; servedBy: string | null }> {
  const response = await fetch(url(path), {
    method,
    ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : null, servedBy: response.headers.get('zen-served-by') };
}

const CHILD = model('stats-child', start('c_start'), serviceTask('c_task', 'stats-child'), end('c_end'), ...chain('c_start', 'c_task', 'c_end'));
const PARENT = model('stats-parent', start(), callActivity('call', 'stats-child'), end(), ...chain('start', 'call', 'end'));
const definitions: Record<string, string> = {};
const children: string[] = [];
let failedChild = '';

beforeAll(async () => {
  server = await ZenServer.start({ args: ['--partitions', '2'] });
  for (const [name, xml] of [['child.bpmn', CHILD], ['parent.bpmn', PARENT]] as const) {
    const form = new FormData();
    form.append('resources', new Blob([xml], { type: 'application/xml' }), name);
    const deployed = (await (await fetch(url('/deployments'), { method: 'POST', body: form })).json()) as { deployments: Array<{ processDefinition: { processDefinitionId: string; processDefinitionKey: string } }> };
    const { processDefinitionId, processDefinitionKey } = deployed.deployments[0]!.processDefinition;
    definitions[processDefinitionId] = processDefinitionKey;
  }
  for (let i = 0; i < 4; i++) expect((await call('POST', '/process-instances', { processDefinitionId: 'stats-parent' })).status).toBe(200);
  // One child's job fails for good (an incident); the other three complete.
  let handled = 0;
  while (handled < 4) {
    const { json } = await call('POST', '/jobs/activation', { type: 'stats-child', maxJobsToActivate: 4, timeout: 30_000, worker: 'stats', requestTimeout: 2_000 });
    for (const job of json.jobs as Array<{ jobKey: string; processInstanceKey: string }>) {
      children.push(job.processInstanceKey);
      if (handled++ === 0) {
        failedChild = job.processInstanceKey;
        expect((await call('POST', `/jobs/${job.jobKey}/failure`, { retries: 0, errorMessage: 'no stock' })).status).toBe(204);
      } else {
        expect((await call('POST', `/jobs/${job.jobKey}/completion`, {})).status).toBe(204);
      }
    }
  }
});

afterAll(async () => {
  const exit = await server?.dispose();
  expect(exit?.code).toBe(0);
});

showServerOutputOnFailure(() => [server]);

describe('what a diagram reads, over REST', () => {
  it("sums a definition's element statistics over both partitions", async () => {
    const keys = new Set(children.map((k) => Number(BigInt(k) >> 51n)));
    expect(keys.size, 'the children are spread over both partitions').toBe(2);
    const path = `/process-definitions/${definitions['stats-child']}/statistics/element-instances`;
    const stats = await waitFor('the statistics of every child', async () => {
      const r = await call('POST', path, {});
      const task = r.json.items?.find((s: { elementId: string }) => s.elementId === 'c_task');
      return task?.completed === 3 && task?.incidents === 1 ? r : undefined;
    });
    expect(stats.status).toBe(200);
    expect(stats.servedBy).toMatch(/^1:\d+\/\w+, 2:\d+\/\w+$/);
    expect(stats.json.items).toEqual([
      { elementId: 'c_end', active: 0, canceled: 0, incidents: 0, completed: 3 },
      { elementId: 'c_start', active: 0, canceled: 0, incidents: 0, completed: 4 },
      { elementId: 'c_task', active: 0, canceled: 0, incidents: 1, completed: 3 },
    ]);
    const withIncident = await call('POST', path, { filter: { hasIncident: true } });
    expect(withIncident.json.items.map((s: { elementId: string }) => s.elementId)).toEqual(['c_start', 'c_task']);
    const refused = await call('POST', path, { filter: { processDefinitionId: 'stats-child' } });
    expect(refused.status).toBe(400);
    expect(refused.json.detail).toContain("Unknown filter field 'processDefinitionId'");
  });

  it("counts one instance's elements and lists the flows it took", async () => {
    const stats = await call('GET', `/process-instances/${failedChild}/statistics/element-instances`);
    expect(stats.status).toBe(200);
    expect(stats.json.items).toContainEqual({ elementId: 'c_task', active: 0, canceled: 0, incidents: 1, completed: 0 });
    const done = children.find((k) => k !== failedChild)!;
    const flows = await waitFor('the flows of a finished child', async () => {
      const r = await call('GET', `/process-instances/${done}/sequence-flows`);
      return r.json.items?.length === 2 ? r : undefined;
    });
    expect(flows.json.items.map((f: { elementId: string }) => f.elementId)).toEqual([flowId('c_start', 'c_task'), flowId('c_task', 'c_end')].sort());
    expect(flows.json.items[0]).toMatchObject({ processInstanceKey: done, processDefinitionId: 'stats-child', sequenceFlowId: `${done}_${flows.json.items[0].elementId}` });
  });

  it('walks the call hierarchy up to the parent, wherever it runs', async () => {
    const hierarchy = await call('GET', `/process-instances/${failedChild}/call-hierarchy`);
    expect(hierarchy.status).toBe(200);
    expect(hierarchy.json).toHaveLength(2);
    expect(hierarchy.json[0]).toMatchObject({ processDefinitionKey: definitions['stats-parent'], processDefinitionName: 'stats-parent' });
    expect(hierarchy.json[1]).toEqual({ processInstanceKey: failedChild, processDefinitionKey: definitions['stats-child'], processDefinitionName: 'stats-child' });
    const root = await call('GET', `/process-instances/${hierarchy.json[0].processInstanceKey}/call-hierarchy`);
    expect(root.json).toEqual([]);
    expect((await call('GET', '/process-instances/2251799813999999/call-hierarchy')).status).toBe(404);
  });

  it('returns the deployed XML as text/xml', async () => {
    const response = await fetch(url(`/process-definitions/${definitions['stats-parent']}/xml`));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/xml/);
    expect(await response.text()).toBe(PARENT);
    expect((await fetch(url('/process-definitions/2251799813999999/xml'))).status).toBe(404);
  });
});
