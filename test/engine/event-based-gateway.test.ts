import { describe, expect, it } from 'vitest';
import { end, eventBasedGateway, flow, message, messageCatch, model, start, timerCatch } from '../fixtures/bpmn-builder.js';
import { compileErrors } from '../unit/model/bpmn-fixtures.js';
import { EngineHarness, expectReplayable } from '../support/engine-harness.js';

/** start → gateway → (paid message | 1 h timer) → end of each path */
const RACE = model(
  'p',
  start(),
  eventBasedGateway('gw'),
  messageCatch('paid', 'msg', { outputs: [['=amount', 'paidAmount']] }),
  timerCatch('late', 'duration', 'PT1H'),
  end('done'),
  end('gave_up'),
  message('msg', 'payment', '=orderId'),
  flow('start', 'gw'),
  flow('gw', 'paid'),
  flow('gw', 'late'),
  flow('paid', 'done'),
  flow('late', 'gave_up'),
);

describe('event-based gateway', () => {
  it('waits on every event it leads to; the message that arrives first decides the path, the timer is canceled', async () => {
    const h = new EngineHarness();
    await h.deployProcess(RACE);
    const pi = h.createInstance('p', { orderId: 'o-1' });
    const gw = h.elementKeyOf('gw');
    expect(h.elementStreamOf(pi).slice(-2)).toEqual(['gw:ELEMENT_ACTIVATING', 'gw:ELEMENT_ACTIVATED']);
    const [timer] = h.events<{ elementInstanceKey: bigint; targetElementId: string }>('TIMER', 'CREATED');
    expect(timer!.value).toMatchObject({ elementInstanceKey: gw, targetElementId: 'late' });
    const [subscription] = h.events<{ elementInstanceKey: bigint; elementId: string }>('PROCESS_MESSAGE_SUBSCRIPTION', 'CREATING');
    expect(subscription!.value).toMatchObject({ elementInstanceKey: gw, elementId: 'paid' });
    await expectReplayable(h);

    h.publishMessage('payment', 'o-1', { amount: 5 });
    const stream = h.elementStreamOf(pi);
    expect(stream.slice(stream.indexOf('gw:ELEMENT_COMPLETING'))).toEqual([
      'gw:ELEMENT_COMPLETING',
      'gw:ELEMENT_COMPLETED',
      'gw_paid:SEQUENCE_FLOW_TAKEN',
      'paid:ELEMENT_ACTIVATING',
      'paid:ELEMENT_ACTIVATED',
      'paid:ELEMENT_COMPLETING',
      'paid:ELEMENT_COMPLETED',
      'paid_done:SEQUENCE_FLOW_TAKEN',
      'done:ELEMENT_ACTIVATING',
      'done:ELEMENT_ACTIVATED',
      'done:ELEMENT_COMPLETING',
      'done:ELEMENT_COMPLETED',
      'p:ELEMENT_COMPLETING',
      'p:ELEMENT_COMPLETED',
    ]);
    expect(h.events('TIMER', 'CANCELED')).toHaveLength(1);
    expect(h.events<{ name: string; value: string }>('VARIABLE', 'CREATED').map((r) => [r.value.name, r.value.value])).toContainEqual(['paidAmount', '5']);
    await expectReplayable(h);
  });

  it('the timer firing first takes its path and closes the message subscription', async () => {
    const h = new EngineHarness();
    await h.deployProcess(RACE);
    const pi = h.createInstance('p', { orderId: 'o-2' });
    h.advanceTime(3_600_000);
    expect(h.elementStreamOf(pi)).toContain('gave_up:ELEMENT_COMPLETED');
    expect(h.elementStreamOf(pi)).not.toContain('paid:ELEMENT_ACTIVATING');
    expect(h.events('PROCESS_MESSAGE_SUBSCRIPTION', 'DELETING')).toHaveLength(1);
    expect(h.isActive(pi)).toBe(false);
    // A message arriving after that finds nobody waiting.
    h.publishMessage('payment', 'o-2', {}, 60_000);
    expect(h.elementStreamOf(pi)).not.toContain('paid:ELEMENT_ACTIVATING');
    await expectReplayable(h);
  });

  it('refuses a gateway that leads to anything but timer or message catch events, or to fewer than two', async () => {
    const errors = await compileErrors(model('p', start(), eventBasedGateway('gw'), end('e'), flow('start', 'gw'), flow('gw', 'e')));
    expect(errors.map((e) => e.message)).toEqual(
      expect.arrayContaining([
        "Element 'gw': an event-based gateway must have at least two outgoing sequence flows, but has 1",
        "Element 'gw': an event-based gateway may only lead to timer, message or signal intermediate catch events, but 'e' is not one",
      ]),
    );
  });
});
