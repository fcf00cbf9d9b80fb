import { describe, expect, it } from 'vitest';
import type { ClockValue, CommandDistributionValue, TimerValue } from '../../src/engine/records.js';
import { chain, end, model, serviceTask, start, timerCatch } from '../fixtures/bpmn-builder.js';
import { EngineHarness, expectRejected, expectReplayable } from '../support/engine-harness.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

function waitAnHour(): string {
  return model('p', start(), timerCatch('wait', 'duration', 'PT1H'), end(), ...chain('start', 'wait', 'end'));
}

describe('engine clock (CLOCK PIN / RESET)', () => {
  it('a pin writes CLOCK PINNED with the time and answers with it; the clock is kept in state', async () => {
    const h = new EngineHarness();
    const at = h.now + 5 * MINUTE;
    const response = h.pinClock(at);
    expect(response?.ok).toBe(true);
    const [pinned] = h.events<ClockValue>('CLOCK', 'PINNED');
    expect(pinned!.value).toEqual({ time: at });
    expect(response).toMatchObject({ ok: true, key: pinned!.key, value: { time: at } });
    expect(h.partition().state.pinnedClock).toBe(at);
    await expectReplayable(h);
  });

  it('pinned after a timer is due, the timer fires, at the pinned time', async () => {
    const h = new EngineHarness();
    await h.deployProcess(waitAnHour());
    const pi = h.createInstance('p');
    const [timer] = h.events<TimerValue>('TIMER', 'CREATED');
    expect(timer!.value.dueDate).toBe(h.now + HOUR);

    const pinnedAt = h.now + HOUR + 1;
    h.pinClock(pinnedAt);
    h.advanceTime(0);
    const [triggered] = h.events<TimerValue>('TIMER', 'TRIGGERED');
    expect(triggered!.key).toBe(timer!.key);
    expect(triggered!.timestamp).toBe(pinnedAt);
    expect(h.elementStreamOf(pi).slice(-2)).toEqual(['p:ELEMENT_COMPLETING', 'p:ELEMENT_COMPLETED']);
    await expectReplayable(h);
  });

  it('a timer due exactly at the pinned instant fires; one due a millisecond later does not', async () => {
    const h = new EngineHarness();
    await h.deployProcess(waitAnHour());
    h.createInstance('p');
    const [timer] = h.events<TimerValue>('TIMER', 'CREATED');
    h.pinClock(timer!.value.dueDate - 1);
    h.advanceTime(0);
    expect(h.events('TIMER', 'TRIGGERED')).toHaveLength(0);
    h.pinClock(timer!.value.dueDate);
    h.advanceTime(0);
    expect(h.events('TIMER', 'TRIGGERED')).toHaveLength(1);
    await expectReplayable(h);
  });

  it('a pinned clock stands still: commands are processed at the pinned instant, however much time passes', async () => {
    const h = new EngineHarness();
    await h.deployProcess(waitAnHour());
    const pinnedAt = Date.UTC(2030, 5, 1);
    h.pinClock(pinnedAt);
    h.advanceTime(5 * HOUR);
    h.createInstance('p');
    const [timer] = h.events<TimerValue>('TIMER', 'CREATED');
    expect(timer!.timestamp).toBe(pinnedAt);
    expect(timer!.value.dueDate).toBe(pinnedAt + HOUR);
    h.advanceTime(2 * HOUR);
    expect(h.events('TIMER', 'TRIGGERED')).toHaveLength(0);
    h.pinClock(pinnedAt + HOUR);
    h.advanceTime(0);
    expect(h.events('TIMER', 'TRIGGERED')).toHaveLength(1);
    await expectReplayable(h);
  });

  it('job deadlines follow the pinned clock too', async () => {
    const h = new EngineHarness();
    await h.deployProcess(model('p', start(), serviceTask('work', 'work'), end(), ...chain('start', 'work', 'end')));
    const pinnedAt = h.now + HOUR;
    h.pinClock(pinnedAt);
    h.createInstance('p');
    h.activateJobs('work', 1, 1, 30_000);
    h.advanceTime(HOUR);
    expect(h.events('JOB', 'TIMED_OUT')).toHaveLength(0);
    h.pinClock(pinnedAt + 30_000);
    h.advanceTime(0);
    const [timedOut] = h.events('JOB', 'TIMED_OUT');
    expect(timedOut!.timestamp).toBe(pinnedAt + 30_000);
    await expectReplayable(h);
  });

  it('a reset writes CLOCK RESETTED and the engine is back on the system clock', async () => {
    const h = new EngineHarness();
    await h.deployProcess(waitAnHour());
    h.pinClock(h.now + 10 * HOUR);
    const response = h.resetClock();
    expect(response?.ok).toBe(true);
    const [resetted] = h.events<ClockValue>('CLOCK', 'RESETTED');
    expect(response).toMatchObject({ ok: true, key: resetted!.key });
    expect(h.partition().state.pinnedClock).toBeNull();
    h.createInstance('p');
    const [timer] = h.events<TimerValue>('TIMER', 'CREATED');
    expect(timer!.timestamp).toBe(h.now);
    expect(timer!.value.dueDate).toBe(h.now + HOUR);
    await expectReplayable(h);
  });

  it('refuses a negative pin time, as Zeebe does', async () => {
    const h = new EngineHarness();
    expectRejected(h.pinClock(-1), 'INVALID_ARGUMENT', 'Expected pin time to be not negative but it was -1');
    expect(h.events('CLOCK', 'PINNED')).toHaveLength(0);
    expect(h.partition().state.pinnedClock).toBeNull();
    await expectReplayable(h);
  });

  it('several partitions: partition 1 distributes the pin and the reset; every partition runs on the same clock', async () => {
    const h = new EngineHarness(3);
    const at = h.now + 3 * HOUR;
    h.pinClock(at);
    const distributing = h.events<CommandDistributionValue>('COMMAND_DISTRIBUTION', 'DISTRIBUTING', 1);
    expect(distributing.map((r) => [r.value.partitionId, r.value.valueType, r.value.intent])).toEqual([
      [2, 'CLOCK', 'PIN'],
      [3, 'CLOCK', 'PIN'],
    ]);
    expect(h.events('COMMAND_DISTRIBUTION', 'ACKNOWLEDGED', 1)).toHaveLength(2);
    const key = h.events('CLOCK', 'PINNED', 1)[0]!.key;
    for (const id of [2, 3]) {
      const [pinned] = h.events<ClockValue>('CLOCK', 'PINNED', id);
      expect(pinned!.key).toBe(key);
      expect(pinned!.value).toEqual({ time: at });
      expect(h.partition(id).state.pinnedClock).toBe(at);
    }
    h.resetClock();
    for (const id of [1, 2, 3]) {
      expect(h.events('CLOCK', 'RESETTED', id)).toHaveLength(1);
      expect(h.partition(id).state.pinnedClock).toBeNull();
    }
    expect(h.partition(1).state.distributions.size).toBe(0);
    await expectReplayable(h);
  });

  it('an older pin sent again after a newer change is only acknowledged: it does not move the clock back', async () => {
    const h = new EngineHarness(2);
    h.pinClock(h.now + HOUR);
    const oldKey = h.events('CLOCK', 'PINNED', 1)[0]!.key;
    h.resetClock();
    const before = h.records(2).length;
    h.process(2, { valueType: 'CLOCK', intent: 'PIN', key: oldKey, value: { time: h.now + HOUR } });
    expect(h.records(2)).toHaveLength(before);
    expect(h.partition(2).state.pinnedClock).toBeNull();
    expect(h.events('COMMAND_DISTRIBUTION', 'ACKNOWLEDGED', 1)).toHaveLength(2);
    await expectReplayable(h);
  });
});
