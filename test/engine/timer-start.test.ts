import { describe, expect, it } from 'vitest';
import { chain, end, model, serviceTask, start, timerBoundary, timerStart } from '../fixtures/bpmn-builder.js';
import { EngineHarness, expectRejected, expectReplayable } from '../support/engine-harness.js';

const MINUTE = 60_000;

function startedInstances(h: EngineHarness): Array<{ key: bigint; version: number }> {
  return h.events<{ bpmnElementType: string; version: number }>('PROCESS_INSTANCE', 'ELEMENT_ACTIVATING')
    .filter((r) => r.value.bpmnElementType === 'PROCESS')
    .map((r) => ({ key: r.key, version: r.value.version }));
}

describe('timer start event', () => {
  it('is scheduled at deploy; a cycle starts an instance per round, at the timer start event', async () => {
    const h = new EngineHarness();
    await h.deployProcess(model('p', timerStart('tick', 'cycle', 'R3/PT1M'), serviceTask('work', 'work'), end(), ...chain('tick', 'work', 'end')));
    const [timer] = h.events<{ elementInstanceKey: bigint; targetElementId: string; dueDate: number; repetitions: number }>('TIMER', 'CREATED');
    expect(timer!.value).toMatchObject({ elementInstanceKey: -1n, targetElementId: 'tick', dueDate: h.now + MINUTE, repetitions: 3 });
    expect(startedInstances(h)).toEqual([]);

    h.advanceTime(MINUTE);
    const [first] = startedInstances(h);
    expect(h.elementStreamOf(first!.key).slice(0, 4)).toEqual(['p:ELEMENT_ACTIVATING', 'p:ELEMENT_ACTIVATED', 'tick:ELEMENT_ACTIVATING', 'tick:ELEMENT_ACTIVATED']);
    const trigger = h.events<{ scopeKey: bigint; targetElementId: string }>('PROCESS_EVENT', 'TRIGGERED')[0]!;
    expect(trigger.value).toMatchObject({ scopeKey: first!.key, targetElementId: 'tick' });
    await expectReplayable(h);

    h.advanceTime(MINUTE);
    h.advanceTime(MINUTE);
    h.advanceTime(MINUTE);
    expect(startedInstances(h)).toHaveLength(3);
    expect(h.partition().state.timers.table.size).toBe(0);
    await expectReplayable(h);
  });

  it('a new version replaces the start timer of the previous one', async () => {
    const h = new EngineHarness();
    await h.deployProcess(model('p', timerStart('tick', 'cycle', 'R/PT1M'), end(), ...chain('tick', 'end')));
    await h.deployProcess(model('p', timerStart('tick', 'cycle', 'R/PT10M'), serviceTask('work', 'v2'), end(), ...chain('tick', 'work', 'end')));
    expect(h.events('TIMER', 'CANCELED')).toHaveLength(1);
    h.advanceTime(10 * MINUTE);
    expect(startedInstances(h).map((i) => i.version)).toEqual([2]);
    await expectReplayable(h);
  });

  it('a process started only by a timer refuses CreateProcessInstance; a timer that cannot be evaluated refuses the deployment', async () => {
    const h = new EngineHarness();
    await h.deployProcess(model('p', timerStart('tick', 'date', '2027-01-01T00:00:00Z'), end(), ...chain('tick', 'end')));
    expectRejected(h.createInstanceRaw({ bpmnProcessId: 'p' }), 'INVALID_ARGUMENT', 'none start event');
    await expect(h.deployProcess(model('q', timerStart('tick', 'date', '=someVariable'), end(), ...chain('tick', 'end')))).rejects.toThrow(/tick/);
    await expect(h.deployProcess(model('r', start(), timerStart('tick', 'cycle', 'R/PT1M'), end(), end('e2'), ...chain('start', 'end'), ...chain('tick', 'e2')))).resolves.toBeDefined();
  });
});

describe('cron timer cycles', () => {
  it('a cron start event starts an instance at each time of its schedule (UTC)', async () => {
    const h = new EngineHarness();
    // The harness clock starts on Thursday 2026-01-01 12:00 UTC.
    await h.deployProcess(model('p', timerStart('weekdays', 'cycle', '0 0 9 * * MON-FRI'), end(), ...chain('weekdays', 'end')));
    const due = () => h.events<{ dueDate: number; cron?: string }>('TIMER', 'CREATED').map((r) => new Date(r.value.dueDate).toISOString());
    expect(due()).toEqual(['2026-01-02T09:00:00.000Z']);
    expect(h.events<{ cron?: string }>('TIMER', 'CREATED')[0]!.value.cron).toBe('0 0 9 * * MON-FRI');
    h.advanceTime(Date.UTC(2026, 0, 2, 9) - h.now);
    expect(startedInstances(h)).toHaveLength(1);
    // Friday's round schedules Monday's, over the weekend.
    expect(due()).toEqual(['2026-01-02T09:00:00.000Z', '2026-01-05T09:00:00.000Z']);
    h.advanceTime(Date.UTC(2026, 0, 5, 9) - h.now);
    expect(startedInstances(h)).toHaveLength(2);
    await expectReplayable(h);
  });

  it('a non-interrupting cron boundary fires at each time while its task runs', async () => {
    const h = new EngineHarness();
    await h.deployProcess(
      model(
        'p',
        start(),
        serviceTask('work', 'work'),
        timerBoundary('remind', 'work', 'cycle', '0 */10 * * * *', { interrupting: false }),
        end(),
        end('reminded'),
        ...chain('start', 'work', 'end'),
        ...chain('remind', 'reminded'),
      ),
    );
    const pi = h.createInstance('p');
    h.advanceTime(10 * MINUTE);
    h.advanceTime(10 * MINUTE);
    expect(h.elementStreamOf(pi).filter((s) => s === 'reminded:ELEMENT_COMPLETED')).toHaveLength(2);
    h.completeJob(h.jobKeyOf('work'));
    expect(h.isActive(pi)).toBe(false);
    expect(h.partition().state.timers.table.size).toBe(0);
    await expectReplayable(h);
  });

  it('refuses a malformed cron expression at deploy, naming the element', async () => {
    const h = new EngineHarness();
    expectRejected(await h.deploy({ name: 'p.bpmn', xml: model('p', timerStart('tick', 'cycle', '0 0 25 * * *'), end(), ...chain('tick', 'end')) }), 'INVALID_ARGUMENT', "'tick'", "invalid hour field '0 0 25 * * *'".replace("'0 0 25 * * *'", "'25'"));
  });
});
