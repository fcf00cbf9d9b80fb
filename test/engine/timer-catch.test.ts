import { describe, expect, it } from 'vitest';
import { nextDueTime } from '../../src/engine/queries.js';
import type { IncidentValue, TimerValue } from '../../src/engine/records.js';
import { chain, end, model, start, timerCatch, type Mappings, type TimerKind } from '../fixtures/bpmn-builder.js';
import { EngineHarness, expectReplayable } from '../support/engine-harness.js';

function timerModel(kind: TimerKind, expression: string, io?: Mappings): string {
  return model('p', start(), timerCatch('wait', kind, expression, io), end(), ...chain('start', 'wait', 'end'));
}

const MINUTE = 60_000;

describe('intermediate timer catch event', () => {
  it('creates the timer before the event is activated, with Zeebe record values', async () => {
    const h = new EngineHarness();
    const definitionKey = await h.deployProcess(timerModel('duration', 'PT10M'));
    const createdAt = h.now;
    const pi = h.createInstance('p');
    const waitKey = h.elementKeyOf('wait');
    expect(h.eventStream().slice(-3)).toEqual(['PROCESS_INSTANCE:ELEMENT_ACTIVATING', 'TIMER:CREATED', 'PROCESS_INSTANCE:ELEMENT_ACTIVATED']);
    const [timer] = h.events<TimerValue>('TIMER', 'CREATED');
    expect(timer!.value).toMatchObject({
      elementInstanceKey: waitKey,
      processInstanceKey: pi,
      processDefinitionKey: definitionKey,
      dueDate: createdAt + 10 * MINUTE,
      targetElementId: 'wait',
      repetitions: 1,
    });
    expect(nextDueTime(h.partition().state)).toBe(createdAt + 10 * MINUTE);
    await expectReplayable(h);
  });

  it('fires only once the clock passed the due date', async () => {
    const h = new EngineHarness();
    await h.deployProcess(timerModel('duration', 'PT10M'));
    const pi = h.createInstance('p');
    const [timer] = h.events<TimerValue>('TIMER', 'CREATED');

    h.advanceTime(10 * MINUTE - 1);
    expect(h.events('TIMER', 'TRIGGERED')).toHaveLength(0);
    expect(h.isActive(pi)).toBe(true);

    h.advanceTime(1);
    const triggered = h.events<TimerValue>('TIMER', 'TRIGGERED');
    expect(triggered.map((r) => r.key)).toEqual([timer!.key]);
    expect(h.elementStream().slice(-9)).toEqual([
      'wait:ELEMENT_COMPLETING',
      'wait:ELEMENT_COMPLETED',
      'wait_end:SEQUENCE_FLOW_TAKEN',
      'end:ELEMENT_ACTIVATING',
      'end:ELEMENT_ACTIVATED',
      'end:ELEMENT_COMPLETING',
      'end:ELEMENT_COMPLETED',
      'p:ELEMENT_COMPLETING',
      'p:ELEMENT_COMPLETED',
    ]);
    // The trigger command carries the clock; records are stamped with it.
    expect(triggered[0]!.timestamp).toBe(h.now);
    expect(h.isActive(pi)).toBe(false);
    expect(h.partition().state.timers.table.size).toBe(0);

    // Nothing fires twice.
    h.advanceTime(60 * MINUTE);
    expect(h.events('TIMER', 'TRIGGERED')).toHaveLength(1);
    await expectReplayable(h);
  });

  it('ignores a trigger command that arrives before the due date (nothing is logged)', async () => {
    const h = new EngineHarness();
    await h.deployProcess(timerModel('duration', 'PT1H'));
    h.createInstance('p');
    const [timer] = h.events<TimerValue>('TIMER', 'CREATED');
    const before = h.records().length;
    h.process(1, { valueType: 'TIMER', intent: 'TRIGGER', key: timer!.key, value: {} });
    expect(h.records().length).toBe(before);
    h.advanceTime(60 * MINUTE);
    expect(h.events('TIMER', 'TRIGGERED')).toHaveLength(1);
    // A late duplicate of the trigger finds no timer and is dropped too.
    const after = h.records().length;
    h.process(1, { valueType: 'TIMER', intent: 'TRIGGER', key: timer!.key, value: {} });
    expect(h.records().length).toBe(after);
    await expectReplayable(h);
  });

  it('waits until a fixed date (timeDate)', async () => {
    const h = new EngineHarness();
    await h.deployProcess(timerModel('date', '2026-01-01T12:30:00Z'));
    const pi = h.createInstance('p');
    expect(h.events<TimerValue>('TIMER', 'CREATED')[0]!.value.dueDate).toBe(Date.UTC(2026, 0, 1, 12, 30));
    h.advanceTime(29 * MINUTE);
    expect(h.isActive(pi)).toBe(true);
    h.advanceTime(MINUTE);
    expect(h.isActive(pi)).toBe(false);
    await expectReplayable(h);
  });

  it('fires a date in the past at the next tick of the clock', async () => {
    const h = new EngineHarness();
    await h.deployProcess(timerModel('date', '2020-01-01T00:00:00Z'));
    const pi = h.createInstance('p');
    expect(h.events('TIMER', 'TRIGGERED')).toHaveLength(0);
    h.advanceTime(0);
    expect(h.events('TIMER', 'TRIGGERED')).toHaveLength(1);
    expect(h.isActive(pi)).toBe(false);
    await expectReplayable(h);
  });

  it('evaluates a FEEL duration from variables', async () => {
    const h = new EngineHarness();
    await h.deployProcess(timerModel('duration', '=duration("PT" + string(minutes) + "M")'));
    const start = h.now;
    const pi = h.createInstance('p', { minutes: 5 });
    expect(h.events<TimerValue>('TIMER', 'CREATED')[0]!.value.dueDate).toBe(start + 5 * MINUTE);
    h.advanceTime(5 * MINUTE);
    expect(h.isActive(pi)).toBe(false);
    await expectReplayable(h);
  });

  it('evaluates a FEEL date-time and a duration string variable', async () => {
    const h = new EngineHarness();
    await h.deployProcess(timerModel('date', '=date and time(deadline)'));
    h.createInstance('p', { deadline: '2026-01-01T13:00:00Z' });
    expect(h.events<TimerValue>('TIMER', 'CREATED')[0]!.value.dueDate).toBe(Date.UTC(2026, 0, 1, 13));

    const h2 = new EngineHarness();
    await h2.deployProcess(timerModel('duration', '=wait'));
    const start = h2.now;
    h2.createInstance('p', { wait: 'PT2H' });
    expect(h2.events<TimerValue>('TIMER', 'CREATED')[0]!.value.dueDate).toBe(start + 120 * MINUTE);
    await expectReplayable(h);
    await expectReplayable(h2);
  });

  it('sees the input-mapped variables of the event when it evaluates the timer', async () => {
    const h = new EngineHarness();
    await h.deployProcess(timerModel('duration', '=local', { inputs: [['=config.wait', 'local']] }));
    const start = h.now;
    h.createInstance('p', { config: { wait: 'PT3M' } });
    expect(h.events<TimerValue>('TIMER', 'CREATED')[0]!.value.dueDate).toBe(start + 3 * MINUTE);
    await expectReplayable(h);
  });

  it('raises an incident for an invalid FEEL timer value and creates the timer after it is fixed', async () => {
    const h = new EngineHarness();
    await h.deployProcess(timerModel('duration', '=wait'));
    const pi = h.createInstance('p', { wait: 'soon' });
    const [incident] = h.events<IncidentValue>('INCIDENT', 'CREATED');
    expect(incident!.value).toMatchObject({ errorType: 'EXTRACT_VALUE_ERROR', elementId: 'wait', elementInstanceKey: h.elementKeyOf('wait') });
    expect(incident!.value.errorMessage).toContain("'wait'");
    expect(h.events('TIMER', 'CREATED')).toHaveLength(0);

    h.setVariables(pi, { wait: 'PT1M' });
    h.advanceTime(MINUTE);
    expect(h.isActive(pi)).toBe(true); // still waiting for the incident to be resolved
    h.resolveIncident(incident!.key);
    const [timer] = h.events<TimerValue>('TIMER', 'CREATED');
    expect(timer!.value.dueDate).toBe(h.now + MINUTE);
    expect(h.elementStream().at(-1)).toBe('wait:ELEMENT_ACTIVATED');
    h.advanceTime(MINUTE);
    expect(h.isActive(pi)).toBe(false);
    await expectReplayable(h);
  });

  it('keeps several instances timers apart and fires them in due order', async () => {
    const h = new EngineHarness();
    await h.deployProcess(timerModel('duration', '=wait'));
    const slow = h.createInstance('p', { wait: 'PT30M' });
    const fast = h.createInstance('p', { wait: 'PT10M' });
    h.advanceTime(10 * MINUTE);
    expect(h.isActive(fast)).toBe(false);
    expect(h.isActive(slow)).toBe(true);
    h.advanceTime(20 * MINUTE);
    expect(h.isActive(slow)).toBe(false);
    const order = h.events<TimerValue>('TIMER', 'TRIGGERED').map((r) => r.value.processInstanceKey);
    expect(order).toEqual([fast, slow]);
    await expectReplayable(h);
  });
});
