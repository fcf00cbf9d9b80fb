/**
 * MESSAGE_CORRELATION CORRELATE (POST /v2/messages/correlation): a message that reaches an
 * instance now or fails NOT_FOUND, answered with the first process instance it reached.
 */
import { describe, expect, it } from 'vitest';
import { subscriptionPartition } from '../../src/engine/behaviors/subscription-partition.js';
import type { MessageCorrelationValue } from '../../src/engine/records.js';
import { chain, end, message, messageCatch, messageStart, model, serviceTask, start } from '../fixtures/bpmn-builder.js';
import { EngineHarness, expectRejected, expectReplayable } from '../support/engine-harness.js';

const CATCH = model('p', start(), messageCatch('wait', 'msg'), end(), message('msg', 'paid', '=orderId'), ...chain('start', 'wait', 'end'));
const STARTED_BY = model('s', messageStart('received', 'm'), serviceTask('handle', 'handle'), end(), message('m', 'paid', '=orderId'), ...chain('received', 'handle', 'end'));

const MESSAGE_TYPES = ['MESSAGE', 'MESSAGE_CORRELATION', 'MESSAGE_SUBSCRIPTION', 'PROCESS_MESSAGE_SUBSCRIPTION', 'MESSAGE_START_EVENT_SUBSCRIPTION'] as const;

function keyOnPartition(partition: number, count: number): string {
  for (let i = 0; i < 10_000; i++) if (subscriptionPartition(`order-${i}`, count) === partition) return `order-${i}`;
  throw new Error(`no key for partition ${partition}`);
}

function processInstances(h: EngineHarness, bpmnProcessId: string): bigint[] {
  return h
    .events<{ bpmnElementType: string; bpmnProcessId: string }>('PROCESS_INSTANCE', 'ELEMENT_ACTIVATING')
    .filter((r) => r.value.bpmnElementType === 'PROCESS' && r.value.bpmnProcessId === bpmnProcessId)
    .map((r) => r.key);
}

describe('correlate message', () => {
  it('correlates to a waiting instance and answers once the instance took the message', async () => {
    const h = new EngineHarness();
    await h.deployProcess(CATCH);
    const pi = h.createInstance('p', { orderId: 'o-1' });
    const before = h.eventStream(1, [...MESSAGE_TYPES]).length;

    const { requestId, response } = h.correlateMessage('paid', 'o-1', { amount: 5 });
    // Not answered by the command: the instance's partition has to confirm first.
    expect(response).toBeNull();
    expect(h.eventStream(1, [...MESSAGE_TYPES]).slice(before)).toEqual([
      'MESSAGE:PUBLISHED',
      'MESSAGE_CORRELATION:CORRELATING',
      'MESSAGE_SUBSCRIPTION:CORRELATING',
      'MESSAGE:EXPIRED',
      'PROCESS_MESSAGE_SUBSCRIPTION:CORRELATED',
      'MESSAGE_SUBSCRIPTION:CORRELATED',
      'MESSAGE_CORRELATION:CORRELATED',
    ]);
    const [published] = h.events<{ timeToLive: number }>('MESSAGE', 'PUBLISHED');
    const messageKey = published!.key;
    expect(published!.value.timeToLive).toBe(0);
    const [correlated] = h.events<MessageCorrelationValue>('MESSAGE_CORRELATION', 'CORRELATED');
    expect(correlated!.key).toBe(messageKey);
    expect(correlated!.value).toMatchObject({ name: 'paid', correlationKey: 'o-1', messageKey, processInstanceKey: pi, variables: { amount: 5 } });
    expect(h.deferred.get(requestId)).toEqual({ ok: true, key: messageKey, value: { messageKey, tenantId: '<default>', processInstanceKey: pi } });
    expect(h.isActive(pi)).toBe(false);
    const amount = h.events<{ name: string; scopeKey: bigint }>('VARIABLE', 'CREATED').find((r) => r.value.name === 'amount');
    expect(amount!.value.scopeKey).toBe(pi);
    expect(h.partition().state.messageCorrelations.table.size).toBe(0);
    expect(h.partition().state.messages.table.size).toBe(0);
    await expectReplayable(h);
  });

  it('starts an instance at a message start event and answers at once with it', async () => {
    const h = new EngineHarness();
    await h.deployProcess(STARTED_BY);
    const { response } = h.correlateMessage('paid', 'o-1', { orderId: 'o-1' });
    const [pi] = processInstances(h, 's');
    expect(response).toMatchObject({ ok: true, value: { processInstanceKey: pi, tenantId: '<default>' } });
    expect(h.eventStream(1, ['MESSAGE', 'MESSAGE_CORRELATION', 'MESSAGE_START_EVENT_SUBSCRIPTION'])).toEqual([
      'MESSAGE:PUBLISHED',
      'MESSAGE_CORRELATION:CORRELATING',
      'MESSAGE_START_EVENT_SUBSCRIPTION:CORRELATED',
      'MESSAGE_CORRELATION:CORRELATED',
      'MESSAGE:EXPIRED',
    ]);
    expect(h.variablesOf(pi!)).toEqual({ orderId: 'o-1' });
    expect(h.partition().state.messageCorrelations.table.size).toBe(0);
    await expectReplayable(h);
  });

  it('fails NOT_FOUND when nothing waits, and the message is not buffered for a later subscription', async () => {
    const h = new EngineHarness();
    await h.deployProcess(CATCH);
    const { response } = h.correlateMessage('paid', 'o-1');
    expectRejected(response, 'NOT_FOUND', "Expected to find subscription for message with name 'paid' and correlation key 'o-1', but none was found.");
    expect(h.eventStream(1, ['MESSAGE', 'MESSAGE_CORRELATION'])).toEqual([
      'MESSAGE:PUBLISHED',
      'MESSAGE_CORRELATION:CORRELATING',
      'MESSAGE_CORRELATION:NOT_CORRELATED',
      'MESSAGE:EXPIRED',
    ]);
    expect(h.rejectionsOf('MESSAGE_CORRELATION', 'CORRELATE').map((r) => r.rejectionType)).toEqual(['NOT_FOUND']);

    const pi = h.createInstance('p', { orderId: 'o-1' });
    expect(h.isActive(pi)).toBe(true);
    expect(h.partition().state.messageCorrelations.table.size).toBe(0);
    await expectReplayable(h);
  });

  it('a message start event already running for the key does not count: NOT_FOUND', async () => {
    const h = new EngineHarness();
    await h.deployProcess(STARTED_BY);
    expect(h.correlateMessage('paid', 'o-1').response?.ok).toBe(true);
    expectRejected(h.correlateMessage('paid', 'o-1').response, 'NOT_FOUND', "name 'paid'");
    expect(processInstances(h, 's')).toHaveLength(1);
    await expectReplayable(h);
  });

  it('answers with the instance it started when a waiting instance takes the message too', async () => {
    const h = new EngineHarness();
    await h.deployProcess(CATCH, 'p.bpmn');
    await h.deployProcess(STARTED_BY, 's.bpmn');
    const waiting = h.createInstance('p', { orderId: 'o-1' });
    const { requestId, response } = h.correlateMessage('paid', 'o-1');
    const [started] = processInstances(h, 's');
    expect(response).toMatchObject({ ok: true, value: { processInstanceKey: started } });
    expect(h.deferred.get(requestId)).toEqual(response);
    expect(h.isActive(waiting)).toBe(false);
    // One answer: the waiting instance's confirmation finds the request answered.
    expect(h.events('MESSAGE_CORRELATION', 'CORRELATED')).toHaveLength(1);
    await expectReplayable(h);
  });

  it('across partitions: answered on the message partition once the instance partition confirms', async () => {
    const h = new EngineHarness(3);
    await h.deployProcess(CATCH);
    const key = keyOnPartition(3, 3);
    const pi = h.createInstance('p', { orderId: key }, 1);
    h.autoDeliver = false;
    const { requestId, response } = h.correlateMessage('paid', key, { n: 1 }, 3);
    expect(response).toBeNull();
    expect(h.deferred.has(requestId)).toBe(false);
    expect(h.partition(3).state.messageCorrelations.table.size).toBe(1);

    h.autoDeliver = true;
    h.deliver();
    expect(h.deferred.get(requestId)).toMatchObject({ ok: true, value: { processInstanceKey: pi } });
    expect(h.eventStream(3, ['MESSAGE_CORRELATION'])).toEqual(['MESSAGE_CORRELATION:CORRELATING', 'MESSAGE_CORRELATION:CORRELATED']);
    expect(h.eventStream(1, ['MESSAGE_CORRELATION'])).toEqual([]);
    expect(h.isActive(pi)).toBe(false);
    await expectReplayable(h);
  });

  it('the instance moved on before the message arrived: NOT_CORRELATED, and NOT_FOUND for the client', async () => {
    const h = new EngineHarness(3);
    await h.deployProcess(CATCH);
    const key = keyOnPartition(2, 3);
    const pi = h.createInstance('p', { orderId: key }, 1);
    h.autoDeliver = false;
    const { requestId } = h.correlateMessage('paid', key, {}, 2);
    h.cancelInstance(pi);
    h.autoDeliver = true;
    h.deliver();
    // The subscription's DELETE overtook the refused message: the refusal still answers.
    expect(h.eventStream(2, ['MESSAGE_SUBSCRIPTION', 'MESSAGE_CORRELATION'])).toEqual([
      'MESSAGE_SUBSCRIPTION:CREATED',
      'MESSAGE_CORRELATION:CORRELATING',
      'MESSAGE_SUBSCRIPTION:CORRELATING',
      'MESSAGE_SUBSCRIPTION:DELETED',
      'MESSAGE_CORRELATION:NOT_CORRELATED',
    ]);
    const answer = h.deferred.get(requestId) ?? null;
    expectRejected(answer, 'NOT_FOUND', `correlation key '${key}'`);
    expect(h.partition(2).state.messageCorrelations.table.size).toBe(0);
    await expectReplayable(h);
  });

  it('the instance refuses the message while its subscription is still there: REJECTED, then NOT_CORRELATED', async () => {
    const h = new EngineHarness(3);
    await h.deployProcess(CATCH);
    const key = keyOnPartition(2, 3);
    const pi = h.createInstance('p', { orderId: key }, 1);
    h.autoDeliver = false;
    const { requestId } = h.correlateMessage('paid', key, {}, 2);
    h.cancelInstance(pi);
    // Hold the subscription's DELETE back, so the refusal arrives first.
    const held = h.outbox.filter((c) => c.valueType === 'MESSAGE_SUBSCRIPTION' && c.intent === 'DELETE');
    h.outbox.splice(0, h.outbox.length, ...h.outbox.filter((c) => !held.includes(c)));
    h.autoDeliver = true;
    h.deliver();
    expect(h.eventStream(2, ['MESSAGE_SUBSCRIPTION', 'MESSAGE_CORRELATION']).slice(-2)).toEqual(['MESSAGE_SUBSCRIPTION:REJECTED', 'MESSAGE_CORRELATION:NOT_CORRELATED']);
    expectRejected(h.deferred.get(requestId) ?? null, 'NOT_FOUND', "name 'paid'");
    h.outbox.push(...held);
    h.deliver();
    expect(h.partition(2).state.messageSubscriptions.table.size).toBe(0);
    await expectReplayable(h);
  });
});
