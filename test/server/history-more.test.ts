/**
 * The history of user tasks, message subscriptions and correlations, and decisions against a
 * real `zen start` (two partitions) over plain HTTP: a completed task is still searched and read,
 * with its variables; a correlated subscription and its correlation are found; decision
 * definitions, requirements (with their XML) and the instances a business rule task evaluated.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { camundaUserTask, chain, decisionTask, end, message, messageCatch, model, start } from '../fixtures/bpmn-builder.js';
import { discountDmn } from '../fixtures/dmn-builder.js';
import { waitFor, zeebeClient, type ZeebeClient } from '../support/server-client.js';
import { showServerOutputOnFailure, ZenServer } from '../support/server-process.js';

let server: ZenServer;
let zeebe: ZeebeClient;
const url = (path: string) => `http://127.0.0.1:${server.restPort}/v2${path}`;

async function call(method: string, path: string, body?: unknown): Promise<{ status: number; json: any; text: string; type: string | null }> {
  const response = await fetch(url(path), {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  const type = response.headers.get('content-type');
  return { status: response.status, text, type, json: type?.includes('json') && text !== '' ? JSON.parse(text) : null };
}

const FLOW = model(
  'history-more',
  message('paid', 'paid', '=orderId'),
  start(),
  decisionTask('price', 'message', 'pricing'),
  messageCatch('wait', 'paid'),
  camundaUserTask('approve', { candidateGroups: 'sales' }),
  end(),
  ...chain('start', 'price', 'wait', 'approve', 'end'),
);

let instance = '';

beforeAll(async () => {
  server = await ZenServer.start({ args: ['--partitions', '2'] });
  zeebe = zeebeClient(server);
  await zeebe.deployResources([
    { name: 'pricing.dmn', decision: Buffer.from(discountDmn()) },
    { name: 'history-more.bpmn', process: Buffer.from(FLOW) },
  ]);
  instance = (await zeebe.createProcessInstance({ bpmnProcessId: 'history-more', variables: { orderId: 'o-1', customer: 'gold', orderSize: 3 } })).processInstanceKey;
});

afterAll(async () => {
  await zeebe?.close();
  const exit = await server?.dispose();
  expect(exit?.code).toBe(0);
});

showServerOutputOnFailure(() => [server]);

describe('history of user tasks, messages and decisions over REST', () => {
  it('finds the subscription, then its correlation once the message came', async () => {
    const created = await waitFor('the subscription', async () => {
      const r = await call('POST', '/message-subscriptions/search', { filter: { processInstanceKey: instance } });
      return r.json?.items?.[0]?.messageSubscriptionState === 'CREATED' ? r : undefined;
    });
    expect(created.json.items[0]).toMatchObject({ messageName: 'paid', correlationKey: 'o-1', elementId: 'wait', processDefinitionId: 'history-more' });
    await zeebe.publishMessage({ name: 'paid', correlationKey: 'o-1', timeToLive: 60_000, variables: { amount: 7 } });
    const correlated = await waitFor('the correlation', async () => {
      const r = await call('POST', '/correlated-messages/search', { filter: { processInstanceKey: instance } });
      return r.json?.page?.totalItems === 1 ? r : undefined;
    });
    expect(correlated.json.items[0]).toMatchObject({ messageName: 'paid', correlationKey: 'o-1', elementId: 'wait', processInstanceKey: instance, messageKey: expect.any(String) });
    const state = await call('POST', '/message-subscriptions/search', { filter: { processInstanceKey: instance, messageSubscriptionState: 'CORRELATED' } });
    expect(state.json.page.totalItems).toBe(1);
  });

  it('keeps a completed user task: searched by state and candidate group, read by key, with its variables', async () => {
    const task = await waitFor('the user task', async () => (await call('POST', '/user-tasks/search', { filter: { processInstanceKey: instance, state: 'CREATED' } })).json?.items?.[0]);
    expect(task).toMatchObject({ elementId: 'approve', candidateGroups: ['sales'], processDefinitionId: 'history-more' });
    expect((await call('POST', `/user-tasks/${task.userTaskKey}/completion`, { variables: { approved: true } })).status).toBe(204);
    const done = await waitFor('the completed task', async () => {
      const r = await call('POST', '/user-tasks/search', { filter: { state: 'COMPLETED', candidateGroup: 'sales' }, sort: [{ field: 'creationDate', order: 'DESC' }] });
      return r.json?.items?.[0];
    });
    expect(done).toMatchObject({ userTaskKey: task.userTaskKey, completionDate: expect.any(String) });
    const got = await call('GET', `/user-tasks/${task.userTaskKey}`);
    expect(got.status).toBe(200);
    expect(got.json).toMatchObject({ userTaskKey: task.userTaskKey, state: 'COMPLETED' });
    const variables = await call('POST', `/user-tasks/${task.userTaskKey}/variables/search`, { sort: [{ field: 'name', order: 'ASC' }] });
    expect(variables.json.items.map((v: { name: string }) => v.name)).toEqual(['amount', 'approved', 'customer', 'orderId', 'orderSize', 'pricing']);
    const bad = await call('POST', '/user-tasks/search', { filter: { colour: 'red' } });
    expect(bad.status).toBe(400);
  });

  it('lists decision definitions and requirements with their XML, and the evaluated decision instances', async () => {
    const definitions = await call('POST', '/decision-definitions/search', { sort: [{ field: 'decisionDefinitionId', order: 'ASC' }] });
    expect(definitions.json.items.map((d: { decisionDefinitionId: string }) => d.decisionDefinitionId)).toEqual(['discount', 'message']);
    const discount = definitions.json.items[0];
    expect((await call('GET', `/decision-definitions/${discount.decisionDefinitionKey}`)).json).toMatchObject({ decisionDefinitionId: 'discount', name: 'Discount', version: 1 });
    const xml = await call('GET', `/decision-definitions/${discount.decisionDefinitionKey}/xml`);
    expect(xml.type).toContain('text/xml');
    expect(xml.text).toContain('<decision id="discount"');
    const requirements = await call('POST', '/decision-requirements/search', { filter: { decisionRequirementsId: 'pricing' } });
    expect(requirements.json.items).toEqual([expect.objectContaining({ decisionRequirementsName: 'Pricing', resourceName: 'pricing.dmn', version: 1 })]);
    expect((await call('GET', `/decision-requirements/${discount.decisionRequirementsKey}/xml`)).text).toContain('<decision id="message"');

    const instances = await call('POST', '/decision-instances/search', { filter: { processInstanceKey: instance }, sort: [{ field: 'decisionEvaluationInstanceKey', order: 'ASC' }] });
    expect(instances.json.items.map((i: { decisionDefinitionId: string; state: string }) => `${i.decisionDefinitionId}:${i.state}`)).toEqual(['discount:EVALUATED', 'message:EVALUATED']);
    const one = await call('GET', `/decision-instances/${instances.json.items[0].decisionEvaluationInstanceKey}`);
    expect(one.json).toMatchObject({ decisionDefinitionId: 'discount', result: '0.1', matchedRules: [expect.objectContaining({ ruleId: 'goldSmall' })] });
    expect((await call('GET', '/decision-instances/not-a-key')).status).toBe(400);
    expect((await call('GET', '/decision-instances/123-1')).status).toBe(404);
  });
});
