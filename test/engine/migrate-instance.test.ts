import { describe, expect, it } from 'vitest';
import type { IncidentValue, JobValue, ProcessInstanceValue, TimerValue } from '../../src/engine/records.js';
import {
  chain,
  compensationBoundary,
  conditionalBoundary,
  forCompensation,
  end,
  eventSubProcess,
  message,
  messageBoundary,
  messageCatch,
  model,
  serviceTask,
  start,
  subProcess,
  timerBoundary,
  timerCatch,
  timerDefinitionXml,
} from '../fixtures/bpmn-builder.js';
import { EngineHarness, expectRejected, expectReplayable } from '../support/engine-harness.js';

const MINUTE = 60_000;

/** v1: start → a → end */
const V1 = model('p', start(), serviceTask('a', 'work-a', { retries: '3' }), end(), ...chain('start', 'a', 'end'));
/** v2: start → a2 (another type) → b → end */
const V2 = model('p', start(), serviceTask('a2', 'work-a2', { retries: '5' }), serviceTask('b', 'work-b'), end(), ...chain('start', 'a2', 'b', 'end'));

function jobTypes(h: EngineHarness): string[] {
  return h.events<JobValue>('JOB', 'CREATED').map((r) => r.value.type);
}

describe('MigrateProcessInstance', () => {
  it('moves the instance and its active task to the target; the job keeps its key, type and retries; the instance goes on there', async () => {
    const h = new EngineHarness();
    await h.deployProcess(V1);
    const pi = h.createInstance('p', { order: 7 });
    const v2 = await h.deployProcess(V2);
    const a = h.elementKeyOf('a', pi);
    const jobKey = h.jobKeyOf('a', pi);
    expect(h.migrateInstance(pi, v2, [['a', 'a2']])?.ok).toBe(true);

    const migrated = h.events<ProcessInstanceValue>('PROCESS_INSTANCE', 'ELEMENT_MIGRATED');
    expect(migrated.map((r) => [r.key, r.value.elementId, r.value.version])).toEqual([
      [pi, 'p', 2],
      [a, 'a2', 2],
    ]);
    expect(h.events('PROCESS_INSTANCE_MIGRATION', 'MIGRATED')[0]!.key).toBe(pi);
    const job = h.events<JobValue>('JOB', 'MIGRATED')[0]!;
    expect(job.key).toBe(jobKey);
    // As in Zeebe: the job is not re-created, so the source's type and retries stay.
    expect(job.value).toMatchObject({ elementId: 'a2', processDefinitionKey: v2, processDefinitionVersion: 2, type: 'work-a', retries: 3 });
    expect(h.events('VARIABLE', 'MIGRATED').map((r) => (r.value as { name: string }).name)).toEqual(['order']);
    expect(h.partition().state.jobs.get(jobKey)!.value.elementId).toBe('a2');

    // The worker of the old type completes it; the instance takes v2's flows.
    h.completeJob(jobKey);
    expect(jobTypes(h)).toEqual(['work-a', 'work-b']);
    expect(h.elementStreamOf(pi)).toContain('a2_b:SEQUENCE_FLOW_TAKEN');
    await expectReplayable(h);
  });

  it('migrates an instance inside a sub-process, its incident with it', async () => {
    const h = new EngineHarness();
    const inSub = (id: string, inner: string) =>
      model('p', start(), subProcess(`sub_${id}`, [start(`s_${id}`), serviceTask(inner, 'inner'), end(`e_${id}`), ...chain(`s_${id}`, inner, `e_${id}`)]), end(), ...chain('start', `sub_${id}`, 'end'));
    await h.deployProcess(inSub('v1', 'x'));
    const pi = h.createInstance('p');
    const v2 = await h.deployProcess(inSub('v2', 'y'));
    const jobKey = h.jobKeyOf('x', pi);
    h.failJob(jobKey, 0, { errorMessage: 'no luck' });
    const incident = h.events<IncidentValue>('INCIDENT', 'CREATED')[0]!;
    expectRejected(h.migrateInstance(pi, v2, [['x', 'y']]), 'INVALID_STATE', "no mapping instruction defined for active element with id 'sub_v1'");
    expect(h.migrateInstance(pi, v2, [['sub_v1', 'sub_v2'], ['x', 'y']])?.ok).toBe(true);
    expect(h.events<IncidentValue>('INCIDENT', 'MIGRATED')[0]).toMatchObject({ key: incident.key, value: { elementId: 'y', processDefinitionKey: v2 } });
    h.updateJobRetries(jobKey, 1);
    h.resolveIncident(incident.key);
    h.completeJob(jobKey);
    expect(h.isActive(pi)).toBe(false);
    expect(h.elementStreamOf(pi)).toEqual(expect.arrayContaining(['y:ELEMENT_COMPLETED', 'sub_v2:ELEMENT_COMPLETED', 'p:ELEMENT_COMPLETED']));
    await expectReplayable(h);
  });

  it('carries the timer and the message subscription an intermediate catch event waits on', async () => {
    const h = new EngineHarness();
    const waits = (suffix: string) =>
      model(
        'w',
        start(),
        timerCatch(`t${suffix}`, 'duration', 'PT10M'),
        messageCatch(`m${suffix}`, 'msg'),
        serviceTask(`after${suffix}`, `after${suffix}`),
        end(),
        message('msg', 'go', '=key'),
        ...chain('start', `t${suffix}`, `m${suffix}`, `after${suffix}`, 'end'),
      );
    await h.deployProcess(waits('1'));
    const pi = h.createInstance('w', { key: 'k1' });
    const v2 = await h.deployProcess(waits('2'));
    const mapping: Array<[string, string]> = [['t1', 't2'], ['m1', 'm2']];
    expect(h.migrateInstance(pi, v2, mapping)?.ok).toBe(true);
    const timer = h.events<TimerValue>('TIMER', 'MIGRATED')[0]!;
    expect(timer.value).toMatchObject({ targetElementId: 't2', processDefinitionKey: v2, dueDate: h.now + 10 * MINUTE });
    h.advanceTime(10 * MINUTE);
    expect(h.elementStreamOf(pi)).toContain('t2:ELEMENT_COMPLETED');

    // A second instance, on the first model deployed again (version 3), migrated while it waits for the message.
    await h.deployProcess(waits('1'));
    const other = h.createInstance('w', { key: 'k2' });
    h.advanceTime(10 * MINUTE);
    expect(h.migrateInstance(other, v2, [['m1', 'm2']])?.ok).toBe(true);
    expect(h.events<{ elementId: string }>('PROCESS_MESSAGE_SUBSCRIPTION', 'MIGRATED').map((r) => r.value.elementId)).toEqual(['m2']);
    h.publishMessage('go', 'k2');
    expect(h.elementStreamOf(other)).toContain('m2:ELEMENT_COMPLETED');
    expect(jobTypes(h)).toContain('after2');
    await expectReplayable(h);
  });

  it('refuses mappings it cannot follow, naming the element, and changes nothing', async () => {
    const h = new EngineHarness();
    await h.deployProcess(V1);
    const pi = h.createInstance('p');
    const v2 = await h.deployProcess(V2);
    const inScope = await h.deployProcess(
      model('q', start(), subProcess('box', [start('bs'), serviceTask('a', 'work-a'), end('be'), ...chain('bs', 'a', 'be')]), end(), ...chain('start', 'box', 'end')),
    );
    const key = pi.toString();
    const unknown = (1n << 51n) + 999_999n;
    const before = h.records().length;
    expectRejected(h.migrateInstance(unknown, v2, []), 'NOT_FOUND', `Expected to migrate process instance but no process instance found with key '${unknown}'`);
    expectRejected(h.migrateInstance(pi, 999n, []), 'NOT_FOUND', "no process definition found with key '999'");
    expectRejected(h.migrateInstance(pi, v2, [['a', 'a2'], ['a', 'b']]), 'INVALID_ARGUMENT', "duplicate source element ids '[a]'");
    expectRejected(h.migrateInstance(pi, v2, [['nope', 'a2']]), 'INVALID_ARGUMENT', `process instance '${key}' but mapping instructions contain a non-existing source element id 'nope'`);
    expectRejected(h.migrateInstance(pi, v2, [['a', 'nope']]), 'INVALID_ARGUMENT', "non-existing target element id 'nope'");
    expectRejected(h.migrateInstance(pi, v2, []), 'INVALID_STATE', "no mapping instruction defined for active element with id 'a'");
    expectRejected(h.migrateInstance(pi, v2, [['a', 'end']]), 'INVALID_STATE', "active element with id 'a' and type 'SERVICE_TASK' is mapped to an element with id 'end' and different type 'END_EVENT'");
    expectRejected(h.migrateInstance(pi, inScope, [['a', 'a']]), 'INVALID_STATE', "the flow scope of active element with id 'a' is changed. The flow scope of the active element is expected to be 'q' but was 'box'");
    expect(h.records().slice(before).every((r) => r.recordType !== 'EVENT')).toBe(true);
    expect(h.partition().state.elementInstances.get(pi)!.value.version).toBe(1);
    await expectReplayable(h);
  });

  it('boundary events: mapped timers move, unmapped subscriptions close, new ones open; a detached mapping is refused', async () => {
    const h = new EngineHarness();
    const source = model(
      'b',
      start(),
      serviceTask('a', 'work-a'),
      timerBoundary('late', 'a', 'duration', 'PT1H'),
      messageBoundary('cancelled', 'a', 'cancel'),
      serviceTask('other', 'other'),
      end(),
      end('late_end'),
      end('cancel_end'),
      message('cancel', 'cancel', '=id'),
      ...chain('start', 'a', 'other', 'end'),
      ...chain('late', 'late_end'),
      ...chain('cancelled', 'cancel_end'),
    );
    const target = model(
      'b',
      start(),
      serviceTask('a', 'work-a'),
      timerBoundary('late2', 'a', 'duration', 'PT5H'),
      timerBoundary('reminder', 'a', 'duration', 'PT30M', { interrupting: false }),
      serviceTask('other', 'other'),
      timerBoundary('other_late', 'other', 'duration', 'PT1H'),
      end(),
      end('late_end'),
      end('reminder_end'),
      end('other_late_end'),
      ...chain('start', 'a', 'other', 'end'),
      ...chain('late2', 'late_end'),
      ...chain('reminder', 'reminder_end'),
      ...chain('other_late', 'other_late_end'),
      eventSubProcess('esp', 'esp_start', timerDefinitionXml('duration', 'PT2H'), [end('esp_end'), ...chain('esp_start', 'esp_end')], false),
    );
    await h.deployProcess(source);
    const pi = h.createInstance('b', { id: 'x' });
    const a = h.elementKeyOf('a', pi);
    const v2 = await h.deployProcess(target);
    h.advanceTime(10 * MINUTE);
    expectRejected(
      h.migrateInstance(pi, v2, [['a', 'a'], ['late', 'other_late']]),
      'INVALID_STATE',
      "catch event with id 'late' that is mapped to an element with id 'other_late'. These mappings detach the catch event",
    );
    expect(h.migrateInstance(pi, v2, [['a', 'a'], ['late', 'late2']])?.ok).toBe(true);
    const moved = h.events<TimerValue>('TIMER', 'MIGRATED');
    // The mapped timer keeps its due date (one hour after it was armed), now for late2.
    expect(moved.map((r) => [r.value.targetElementId, r.value.dueDate])).toEqual([['late2', h.now - 10 * MINUTE + 60 * MINUTE]]);
    // The message boundary has no counterpart: its subscription is closed.
    expect(h.events('PROCESS_MESSAGE_SUBSCRIPTION', 'DELETING')).toHaveLength(1);
    // The target's new catch events wait from now: the reminder on a, the event sub-process on the process.
    const created = h.events<TimerValue>('TIMER', 'CREATED').slice(-2);
    expect(created.map((r) => [r.value.targetElementId, r.value.elementInstanceKey])).toEqual([
      ['esp_start', pi],
      ['reminder', a],
    ]);
    h.advanceTime(30 * MINUTE);
    expect(h.elementStreamOf(pi)).toContain('reminder:ELEMENT_COMPLETED');
    h.advanceTime(20 * MINUTE);
    expect(h.elementStreamOf(pi)).toContain('late2:ELEMENT_COMPLETED');
    expect(h.isActive(a)).toBe(false);
    await expectReplayable(h);
  });

  it('a mapped conditional boundary event waits again with the target condition; compensable instances are refused', async () => {
    const h = new EngineHarness();
    const guarded = (condition: string, boundaryId: string) =>
      model('c', start(), serviceTask('a', 'work-a'), conditionalBoundary(boundaryId, 'a', condition), end(), end(`${boundaryId}_end`), ...chain('start', 'a', 'end'), ...chain(boundaryId, `${boundaryId}_end`));
    await h.deployProcess(guarded('=x > 10', 'big'));
    const pi = h.createInstance('c', { x: 1 });
    const v2 = await h.deployProcess(guarded('=x > 100', 'huge'));
    expect(h.migrateInstance(pi, v2, [['a', 'a'], ['big', 'huge']])?.ok).toBe(true);
    expect(h.events<{ catchEventId: string; condition: string }>('CONDITIONAL_SUBSCRIPTION', 'CREATED').map((r) => [r.value.catchEventId, r.value.condition])).toEqual([
      ['big', '=x > 10'],
      ['huge', '=x > 100'],
    ]);
    h.setVariables(pi, { x: 50 });
    expect(h.isActive(h.elementKeyOf('a', pi))).toBe(true);
    h.setVariables(pi, { x: 500 });
    expect(h.elementStreamOf(pi)).toContain('huge:ELEMENT_COMPLETED');

    const compensable = model('k', start(), serviceTask('done', 'done'), compensationBoundary('done_comp', 'done', 'undo'), forCompensation(serviceTask('undo', 'undo')), serviceTask('next', 'next'), end(), ...chain('start', 'done', 'next', 'end'));
    await h.deployProcess(compensable);
    const k = h.createInstance('k');
    h.completeJob(h.jobKeyOf('done', k));
    const k2 = await h.deployProcess(compensable.replace("type=\"next\"", "type=\"next2\""));
    expectRejected(h.migrateInstance(k, k2, [['next', 'next']]), 'INVALID_STATE', 'completed activities that can still be compensated');
    await expectReplayable(h);
  });

  it('refuses active elements of kinds it cannot migrate yet', async () => {
    const h = new EngineHarness();
    await h.deployProcess(model('mi', start(), serviceTask('each', 'each', { loop: { inputCollection: '=[1,2]' } }), end(), ...chain('start', 'each', 'end')));
    const pi = h.createInstance('mi');
    const target = await h.deployProcess(model('mi', start(), serviceTask('each', 'each2', { loop: { inputCollection: '=[1,2]' } }), end(), ...chain('start', 'each', 'end')));
    expectRejected(h.migrateInstance(pi, target, [['each', 'each']]), 'INVALID_STATE', "active element with id 'each' has an unsupported type. The migration of a MULTI_INSTANCE_BODY is not supported.");
    await expectReplayable(h);
  });

  it('the last instance leaving a deleted definition removes it', async () => {
    const h = new EngineHarness();
    const v1 = await h.deployProcess(V1);
    const v2 = await h.deployProcess(V2);
    const pi = h.createInstance('p');
    // Version 2 is the latest: the instance on version 1 is started by its key.
    const onV1 = h.createInstanceRaw({ processDefinitionKey: v1 });
    const onV1Key = (onV1 as { value: { processInstanceKey: bigint } }).value.processInstanceKey;
    h.deleteResource(v1);
    expect(h.partition().state.processes.get(v1)?.deleting).toBe(true);
    expect(h.migrateInstance(onV1Key, v2, [['a', 'a2']])?.ok).toBe(true);
    expect(h.events('PROCESS', 'DELETED').map((r) => r.key)).toEqual([v1]);
    expect(h.isActive(pi)).toBe(true);
    await expectReplayable(h);
  });
});
