/**
 * Conditional events through a real `zen start`, over REST only: POST /v2/conditionals/evaluation
 * starts instances at conditional start events (Camunda 8.9's shape), and PUT
 * /v2/element-instances/{key}/variables releases an intermediate conditional catch event.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chain, conditionalCatch, conditionalStart, definitions, end, serviceTask, start } from '../fixtures/bpmn-builder.js';
import { waitFor } from '../support/server-client.js';
import { showServerOutputOnFailure, ZenServer } from '../support/server-process.js';

let server: ZenServer;
const url = (path: string) => `http://127.0.0.1:${server.restPort}/v2${path}`;

async function post(path: string, body: unknown, method = 'POST'): Promise<{ status: number; json: any }> {
  const response = await fetch(url(path), { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const text = await response.text();
  return { status: response.status, json: text === '' ? null : JSON.parse(text) };
}

let startDefinitionKey = '';

beforeAll(async () => {
  server = await ZenServer.start();
  const xml = definitions([
    ['server-conditional-start', [conditionalStart('big-order', '=amount > 100'), serviceTask('review', 'cond-review'), end('done'), ...chain('big-order', 'review', 'done')]],
    ['server-conditional-wait', [start('begin'), conditionalCatch('approved', '=approved = true'), end('finish'), ...chain('begin', 'approved', 'finish')]],
  ]);
  const form = new FormData();
  form.append('resources', new Blob([xml], { type: 'application/xml' }), 'conditionals.bpmn');
  const deployed = await fetch(url('/deployments'), { method: 'POST', body: form });
  expect(deployed.status, await deployed.clone().text()).toBe(200);
  const body = (await deployed.json()) as { deployments: Array<{ processDefinition: { processDefinitionId: string; processDefinitionKey: string } }> };
  startDefinitionKey = body.deployments.find((d) => d.processDefinition.processDefinitionId === 'server-conditional-start')!.processDefinition.processDefinitionKey;
});

afterAll(async () => {
  const exit = await server?.dispose();
  expect(exit?.code).toBe(0);
});

showServerOutputOnFailure(() => [server]);

describe('POST /v2/conditionals/evaluation', () => {
  it('starts an instance where a conditional start event is true, none where none is', async () => {
    const none = await post('/conditionals/evaluation', { variables: { amount: 50 } });
    expect(none.status).toBe(200);
    expect(none.json).toMatchObject({ tenantId: '<default>', processInstances: [] });
    expect(BigInt(none.json.conditionalEvaluationKey)).toBeGreaterThan(0n);

    const started = await post('/conditionals/evaluation', { variables: { amount: 150 }, processDefinitionKey: startDefinitionKey });
    expect(started.status).toBe(200);
    expect(started.json.processInstances).toEqual([{ processDefinitionKey: startDefinitionKey, processInstanceKey: expect.stringMatching(/^\d+$/) }]);
    const instance = await fetch(url(`/process-instances/${started.json.processInstances[0].processInstanceKey}`));
    expect(instance.status).toBe(200);
    expect(((await instance.json()) as { processDefinitionId: string }).processDefinitionId).toBe('server-conditional-start');
  });

  it('answers 404 for an unknown process definition and 400 for a request without variables', async () => {
    const unknown = await post('/conditionals/evaluation', { variables: {}, processDefinitionKey: '2251799813699999' });
    expect(unknown.status).toBe(404);
    expect(unknown.json.detail).toContain("process definition with key '2251799813699999'");
    expect((await post('/conditionals/evaluation', {})).status).toBe(400);
  });
});

describe('a conditional catch event over REST', () => {
  it('waits until the variables set through the element-instance API make its condition true', async () => {
    const created = await post('/process-instances', { processDefinitionId: 'server-conditional-wait', variables: { approved: false } });
    expect(created.status).toBe(200);
    const key: string = created.json.processInstanceKey;
    expect((await fetch(url(`/process-instances/${key}`))).status).toBe(200);
    const set = await post(`/element-instances/${key}/variables`, { variables: { approved: true } }, 'PUT');
    expect(set.status).toBe(204);
    await waitFor('the instance completed', async () => (((await (await fetch(url(`/process-instances/${key}`))).json()) as { state?: string }).state === 'COMPLETED' ? true : undefined), 10_000);
  });
});
