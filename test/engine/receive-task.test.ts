import { describe, expect, it } from 'vitest';
import { chain, end, flow, message, messageBoundary, model, receiveTask, start, timerBoundary } from '../fixtures/bpmn-builder.js';
import { EngineHarness, expectReplayable } from '../support/engine-harness.js';

describe('receive task', () => {
  it('waits for its message like a catch event; the message variables reach its output mappings', async () => {
    const h = new EngineHarness();
    await h.deployProcess(
      model('p', start(), receiveTask('wait', 'msg', { outputs: [['=amount', 'paidAmount']] }), end(), message('msg', 'paid', '=orderId'), ...chain('start', 'wait', 'end')),
    );
    const pi = h.createInstance('p', { orderId: 'o-1' });
    const [creating] = h.events<{ elementId: string; messageName: string; correlationKey: string; interrupting: boolean }>('PROCESS_MESSAGE_SUBSCRIPTION', 'CREATING');
    expect(creating!.value).toMatchObject({ elementId: 'wait', messageName: 'paid', correlationKey: 'o-1', interrupting: true });
    expect(h.elementStreamOf(pi).slice(-2)).toEqual(['wait:ELEMENT_ACTIVATING', 'wait:ELEMENT_ACTIVATED']);

    h.publishMessage('paid', 'o-1', { amount: 12 });
    const stream = h.elementStreamOf(pi);
    expect(stream.slice(stream.indexOf('wait:ELEMENT_COMPLETING'), stream.indexOf('wait:ELEMENT_COMPLETING') + 4)).toEqual(['wait:ELEMENT_COMPLETING', 'wait:ELEMENT_COMPLETED', 'wait_end:SEQUENCE_FLOW_TAKEN', 'end:ELEMENT_ACTIVATING']);
    expect(h.isActive(pi)).toBe(false);
    const names = h.events<{ name: string }>('VARIABLE', 'CREATED').map((r) => r.value.name);
    // With output mappings the message variables are the task's locals (as in Zeebe); only the mapping reaches the process.
    expect(names).toEqual(['orderId', 'amount', 'paidAmount']);
    await expectReplayable(h);
  });

  it('carries boundary events: a timer that fires first ends the wait and closes the subscription', async () => {
    const h = new EngineHarness();
    await h.deployProcess(
      model(
        'p',
        start(),
        receiveTask('wait', 'msg'),
        timerBoundary('late', 'wait', 'duration', 'PT1H'),
        messageBoundary('cancelled', 'wait', 'cancel'),
        end(),
        end('timed_out'),
        end('was_cancelled'),
        message('msg', 'paid', '=orderId'),
        message('cancel', 'order-cancelled', '=orderId'),
        ...chain('start', 'wait', 'end'),
        flow('late', 'timed_out'),
        flow('cancelled', 'was_cancelled'),
      ),
    );
    const pi = h.createInstance('p', { orderId: 'o-2' });
    expect(h.events('PROCESS_MESSAGE_SUBSCRIPTION', 'CREATING')).toHaveLength(2);
    h.advanceTime(3_600_000);
    expect(h.elementStreamOf(pi)).toContain('timed_out:ELEMENT_COMPLETED');
    expect(h.events('PROCESS_MESSAGE_SUBSCRIPTION', 'DELETING')).toHaveLength(2);
    expect(h.isActive(pi)).toBe(false);
    await expectReplayable(h);
  });
});
