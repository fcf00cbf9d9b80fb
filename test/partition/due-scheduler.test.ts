/** The due scheduler with real timers: far-away items must not make it spin. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { dueCommands } from '../../src/engine/queries.js';
import { DueScheduler } from '../../src/partition/due-scheduler.js';
import { chain, end, model, oneTask, start, timerCatch } from '../fixtures/bpmn-builder.js';
import { EngineHarness } from '../support/engine-harness.js';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('due scheduler', () => {
  it('sleeps until a timer 30 days ahead instead of waking every few milliseconds', async () => {
    const h = new EngineHarness();
    await h.deployProcess(model('far', start(), timerCatch('later', 'duration', 'P30D'), end(), ...chain('start', 'later', 'end')));
    h.createInstance('far');
    const enqueued: string[] = [];
    const scheduler = new DueScheduler(h.partition().state, (command) => enqueued.push(command.intent), () => h.now);
    const arms = vi.spyOn(globalThis, 'setTimeout');
    scheduler.reschedule();
    await new Promise((r) => setTimeout(r, 300));
    scheduler.stop();
    // Without the cap, Node fires a delay above 2^31-1 ms after 1 ms, and the scheduler would re-arm every 50 ms.
    const armedByScheduler = arms.mock.calls.filter(([, delay]) => typeof delay === 'number' && delay !== 300);
    expect(armedByScheduler.length).toBeLessThanOrEqual(1);
    expect(enqueued).toEqual([]);
  });

  it('does not let items already queued use up the limit, so due job deadlines are not starved by timers', async () => {
    const h = new EngineHarness();
    await h.deployProcess(model('soon', start(), timerCatch('wait', 'duration', 'PT1S'), end(), ...chain('start', 'wait', 'end')));
    await h.deployProcess(oneTask('with-job', 'work'));
    for (let i = 0; i < 3; i++) h.createInstance('soon');
    h.createInstance('with-job');
    h.activateJobs('work', 1, 1, 1000);
    const later = h.now + 60_000;
    const state = h.partition().state;
    const all = dueCommands(state, later, 10).map((c) => `${c.valueType}:${c.intent}`);
    expect(all).toEqual(['TIMER:TRIGGER', 'TIMER:TRIGGER', 'TIMER:TRIGGER', 'JOB:TIME_OUT']);
    // Limit 2, the timers already queued: the job deadline still comes through.
    const rest = dueCommands(state, later, 2, (valueType) => valueType === 'TIMER').map((c) => `${c.valueType}:${c.intent}`);
    expect(rest).toEqual(['JOB:TIME_OUT']);
  });

  it('a pin past a due item fires it at once, though the scheduler was armed for it by the system clock', async () => {
    const h = new EngineHarness();
    await h.deployProcess(model('hour', start(), timerCatch('wait', 'duration', 'PT1H'), end(), ...chain('start', 'wait', 'end')));
    h.createInstance('hour');
    const state = h.partition().state;
    const enqueued: string[] = [];
    const scheduler = new DueScheduler(state, (command) => enqueued.push(`${command.valueType}:${command.intent}`), () => state.pinnedClock ?? h.now);
    scheduler.reschedule();
    h.pinClock(h.now + 2 * 3_600_000);
    scheduler.reschedule();
    await new Promise((r) => setTimeout(r, 50));
    scheduler.stop();
    expect(enqueued).toEqual(['TIMER:TRIGGER']);
  });

  it('under a pinned clock, an item due after it arms nothing: time does not pass until the next pin', async () => {
    const h = new EngineHarness();
    await h.deployProcess(model('hour', start(), timerCatch('wait', 'duration', 'PT1H'), end(), ...chain('start', 'wait', 'end')));
    h.createInstance('hour');
    h.pinClock(h.now + 60_000);
    const state = h.partition().state;
    const enqueued: string[] = [];
    const scheduler = new DueScheduler(state, (command) => enqueued.push(command.intent), () => state.pinnedClock ?? h.now);
    const arms = vi.spyOn(globalThis, 'setTimeout');
    scheduler.reschedule();
    await new Promise((r) => setTimeout(r, 50));
    scheduler.stop();
    expect(arms.mock.calls.filter(([, delay]) => delay !== 50)).toEqual([]);
    expect(enqueued).toEqual([]);
  });
});
