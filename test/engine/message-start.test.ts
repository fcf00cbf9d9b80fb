import { describe, expect, it } from 'vitest';
import { chain, end, message, messageStart, model, serviceTask, start } from '../fixtures/bpmn-builder.js';
import { EngineHarness, expectReplayable } from '../support/engine-harness.js';

const ORDER = model('p', messageStart('received', 'm'), serviceTask('handle', 'handle'), end(), message('m', 'order-received', '=orderId'), ...chain('received', 'handle', 'end'));

function instances(h: EngineHarness): bigint[] {
  return h.events<{ bpmnElementType: string }>('PROCESS_INSTANCE', 'ELEMENT_ACTIVATING').filter((r) => r.value.bpmnElementType === 'PROCESS').map((r) => r.key);
}

describe('message start event', () => {
  it('a published message starts an instance at the message start event, with the message variables', async () => {
    const h = new EngineHarness();
    await h.deployProcess(ORDER);
    h.publishMessage('order-received', 'o-1', { orderId: 'o-1', total: 3 });
    const [pi] = instances(h);
    expect(h.elementStreamOf(pi!).slice(2, 4)).toEqual(['received:ELEMENT_ACTIVATING', 'received:ELEMENT_ACTIVATED']);
    expect(h.variablesOf(pi!)).toEqual({ orderId: 'o-1', total: 3 });
    const [correlated] = h.events<{ startEventId: string; correlationKey: string; processInstanceKey: bigint }>('MESSAGE_START_EVENT_SUBSCRIPTION', 'CORRELATED');
    expect(correlated!.value).toMatchObject({ startEventId: 'received', correlationKey: 'o-1', processInstanceKey: pi });
    await expectReplayable(h);
  });

  it('one active instance per correlation key: a second message with the key starts none until the first instance ends', async () => {
    const h = new EngineHarness();
    await h.deployProcess(ORDER);
    h.publishMessage('order-received', 'o-1');
    h.publishMessage('order-received', 'o-1');
    h.publishMessage('order-received', 'o-2');
    expect(instances(h)).toHaveLength(2);
    h.completeJob(h.jobKeyOf('handle', instances(h)[0]));
    h.publishMessage('order-received', 'o-1');
    expect(instances(h)).toHaveLength(3);
    await expectReplayable(h);
  });

  it('a message without correlation key always starts an instance; a process with a none start event as well can be started both ways', async () => {
    const h = new EngineHarness();
    await h.deployProcess(model('p', start(), messageStart('received', 'm'), end(), end('e2'), message('m', 'ping', '=key'), ...chain('start', 'end'), ...chain('received', 'e2')));
    h.publishMessage('ping', '');
    h.publishMessage('ping', '');
    h.createInstance('p');
    expect(instances(h)).toHaveLength(3);
    await expectReplayable(h);
  });
});
