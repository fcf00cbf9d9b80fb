import { describe, expect, it } from 'vitest';
import type { IncidentValue, JobValue, ProcessInstanceValue, TimerValue } from '../../src/engine/records.js';
import {
  chain,
  end,
  error,
  errorBoundary,
  errorEnd,
  flow,
  message,
  messageBoundary,
  model,
  serviceTask,
  start,
  timerBoundary,
  type Part,
  type RootElement,
} from '../fixtures/bpmn-builder.js';
import { EngineHarness, expectRejected, expectReplayable } from '../support/engine-harness.js';

const SECOND = 1_000;

/** start → task (job "work") → end, plus `boundaries`, each leading to its own end event `<id>End`. */
function withBoundaries(...boundaries: Array<{ xml: string; id: string } | RootElement>): string {
  const parts = boundaries.flatMap((b): Part[] => ('root' in b ? [b] : [b.xml, end(`${b.id}End`), flow(b.id, `${b.id}End`)]));
  return model('p', start(), serviceTask('task', 'work'), end(), ...chain('start', 'task', 'end'), ...parts);
}

describe('error boundary events', () => {
  it('catch a ThrowError with the matching code: the task is terminated, the boundary path taken', async () => {
    const h = new EngineHarness();
    await h.deployProcess(
      withBoundaries(error('e1', 'NOT_FOUND'), error('e2', 'TIMEOUT'), { id: 'onTimeout', xml: errorBoundary('onTimeout', 'task', 'e2') }, { id: 'onNotFound', xml: errorBoundary('onNotFound', 'task', 'e1') }),
    );
    const pi = h.createInstance('p');
    const jobKey = h.jobKeyOf('task');
    const before = h.eventStream().length;
    expect(h.throwError(jobKey, 'NOT_FOUND', 'no such customer', { reason: 'unknown' })).toEqual({ ok: true, key: jobKey, value: {} });
    expect(h.eventStream().slice(before)).toEqual([
      'JOB:ERROR_THROWN',
      'PROCESS_INSTANCE:ELEMENT_TERMINATING',
      'JOB:CANCELED',
      'PROCESS_INSTANCE:ELEMENT_TERMINATED',
      'PROCESS_INSTANCE:ELEMENT_ACTIVATING',
      'PROCESS_EVENT:TRIGGERED',
      'PROCESS_INSTANCE:ELEMENT_ACTIVATED',
      'PROCESS_INSTANCE:ELEMENT_COMPLETING',
      'VARIABLE:CREATED',
      'PROCESS_INSTANCE:ELEMENT_COMPLETED',
      'PROCESS_INSTANCE:SEQUENCE_FLOW_TAKEN',
      'PROCESS_INSTANCE:ELEMENT_ACTIVATING',
      'PROCESS_INSTANCE:ELEMENT_ACTIVATED',
      'PROCESS_INSTANCE:ELEMENT_COMPLETING',
      'PROCESS_INSTANCE:ELEMENT_COMPLETED',
      'PROCESS_INSTANCE:ELEMENT_COMPLETING',
      'PROCESS_INSTANCE:ELEMENT_COMPLETED',
    ]);
    expect(h.elementStream().slice(-13)).toEqual([
      'task:ELEMENT_TERMINATING',
      'task:ELEMENT_TERMINATED',
      'onNotFound:ELEMENT_ACTIVATING',
      'onNotFound:ELEMENT_ACTIVATED',
      'onNotFound:ELEMENT_COMPLETING',
      'onNotFound:ELEMENT_COMPLETED',
      'onNotFound_onNotFoundEnd:SEQUENCE_FLOW_TAKEN',
      'onNotFoundEnd:ELEMENT_ACTIVATING',
      'onNotFoundEnd:ELEMENT_ACTIVATED',
      'onNotFoundEnd:ELEMENT_COMPLETING',
      'onNotFoundEnd:ELEMENT_COMPLETED',
      'p:ELEMENT_COMPLETING',
      'p:ELEMENT_COMPLETED',
    ]);
    const [thrown] = h.events<JobValue>('JOB', 'ERROR_THROWN');
    expect(thrown!.value).toMatchObject({ errorCode: 'NOT_FOUND', errorMessage: 'no such customer', variables: { reason: 'unknown' } });
    const boundary = h.events<ProcessInstanceValue>('PROCESS_INSTANCE', 'ELEMENT_ACTIVATING').find((r) => r.value.elementId === 'onNotFound')!;
    expect(boundary.value).toMatchObject({ bpmnElementType: 'BOUNDARY_EVENT', bpmnEventType: 'ERROR', flowScopeKey: pi });
    // The error's variables reach the process scope through the boundary event.
    const reason = h.events<{ name: string; scopeKey: bigint }>('VARIABLE', 'CREATED').find((r) => r.value.name === 'reason')!;
    expect(reason.value.scopeKey).toBe(pi);
    expect(h.isActive(pi)).toBe(false);
    expect(h.partition().state.jobs.table.size).toBe(0);
    // The job is gone: completing it now is NOT_FOUND.
    expectRejected(h.completeJob(jobKey), 'NOT_FOUND', String(jobKey));
    await expectReplayable(h);
  });

  it('a boundary without error code catches every error; a matching code wins over it', async () => {
    const h = new EngineHarness();
    await h.deployProcess(
      withBoundaries(error('e1', 'KNOWN'), { id: 'any', xml: errorBoundary('any', 'task') }, { id: 'known', xml: errorBoundary('known', 'task', 'e1') }),
    );
    const a = h.createInstance('p');
    h.throwError(h.jobKeyOf('task', a), 'SOMETHING_ELSE');
    expect(h.elementStreamOf(a)).toContain('any:ELEMENT_COMPLETED');
    const b = h.createInstance('p');
    h.throwError(h.jobKeyOf('task', b), 'KNOWN');
    expect(h.elementStreamOf(b)).toContain('known:ELEMENT_COMPLETED');
    expect(h.elementStreamOf(b)).not.toContain('any:ELEMENT_ACTIVATING');
    await expectReplayable(h);
  });

  it('raise UNHANDLED_ERROR_EVENT when nothing catches the error; resolving makes the job activatable again', async () => {
    const h = new EngineHarness();
    await h.deployProcess(withBoundaries(error('e1', 'KNOWN'), { id: 'known', xml: errorBoundary('known', 'task', 'e1') }));
    const pi = h.createInstance('p');
    const jobKey = h.jobKeyOf('task');
    h.activateJobs('work');
    h.throwError(jobKey, 'OTHER', 'boom');
    const [incident] = h.events<IncidentValue>('INCIDENT', 'CREATED');
    expect(incident!.value).toMatchObject({
      errorType: 'UNHANDLED_ERROR_EVENT',
      jobKey,
      elementId: 'task',
      elementInstanceKey: h.elementKeyOf('task'),
      processInstanceKey: pi,
    });
    expect(incident!.value.errorMessage).toBe(
      "Expected to throw an error event with the code 'OTHER' with message 'boom', but it was not caught. No error events are available in the scope.",
    );
    expect(h.eventStream().slice(-2)).toEqual(['JOB:ERROR_THROWN', 'INCIDENT:CREATED']);
    // The job waits for the incident: not activatable, cannot be completed.
    expect(h.activateJobs('work').jobKeys).toEqual([]);
    expectRejected(h.completeJob(jobKey), 'INVALID_STATE', String(jobKey));

    expect(h.resolveIncident(incident!.key)?.ok).toBe(true);
    expect(h.activateJobs('work').jobKeys).toEqual([jobKey]);
    h.completeJob(jobKey);
    expect(h.isActive(pi)).toBe(false);
    await expectReplayable(h);
  });

  it('raise UNHANDLED_ERROR_EVENT for an error end event with no catching boundary', async () => {
    const h = new EngineHarness();
    await h.deployProcess(model('p', start(), errorEnd('fail', 'e1'), error('e1', 'BROKEN'), flow('start', 'fail')));
    const pi = h.createInstance('p');
    const [incident] = h.events<IncidentValue>('INCIDENT', 'CREATED');
    expect(incident!.value).toMatchObject({ errorType: 'UNHANDLED_ERROR_EVENT', elementId: 'fail', jobKey: -1n });
    expect(incident!.value.errorMessage).toContain("'BROKEN'");
    expect(h.elementStream().at(-1)).toBe('fail:ELEMENT_ACTIVATING');
    h.cancelInstance(pi);
    expect(h.events('INCIDENT', 'RESOLVED').map((r) => r.key)).toEqual([incident!.key]);
    await expectReplayable(h);
  });

  it('apply output mappings of the boundary event to the error variables', async () => {
    const h = new EngineHarness();
    await h.deployProcess(
      withBoundaries(error('e1', 'E'), { id: 'caught', xml: errorBoundary('caught', 'task', 'e1', { io: { outputs: [['=detail.code', 'errorDetail']] } }) }),
    );
    const pi = h.createInstance('p');
    h.throwError(h.jobKeyOf('task'), 'E', '', { detail: { code: 42 } });
    const names = h.events<{ name: string; scopeKey: bigint }>('VARIABLE', 'CREATED').map((r) => [r.value.name, r.value.scopeKey === pi]);
    // As in Zeebe, with output mappings the error's variables are the boundary event's locals first.
    expect(names).toEqual([
      ['detail', false],
      ['errorDetail', true],
    ]);
    await expectReplayable(h);
  });
});

describe('timer boundary events', () => {
  it('an interrupting timer cancels the job and takes the boundary path', async () => {
    const h = new EngineHarness();
    await h.deployProcess(withBoundaries({ id: 'late', xml: timerBoundary('late', 'task', 'duration', 'PT30S') }));
    const pi = h.createInstance('p');
    const jobKey = h.jobKeyOf('task');
    const taskKey = h.elementKeyOf('task');
    // The timer belongs to the task and is created before the task is activated.
    expect(h.eventStream().slice(-3)).toEqual(['TIMER:CREATED', 'PROCESS_INSTANCE:ELEMENT_ACTIVATED', 'JOB:CREATED']);
    const [timer] = h.events<TimerValue>('TIMER', 'CREATED');
    expect(timer!.value).toMatchObject({ elementInstanceKey: taskKey, targetElementId: 'late', repetitions: 1 });

    h.activateJobs('work');
    h.advanceTime(30 * SECOND);
    expect(h.elementStream()).toEqual(expect.arrayContaining(['task:ELEMENT_TERMINATED', 'late:ELEMENT_COMPLETED', 'lateEnd:ELEMENT_COMPLETED']));
    const stream = h.eventStream();
    const triggeredAt = stream.indexOf('TIMER:TRIGGERED');
    expect(stream.slice(triggeredAt, triggeredAt + 5)).toEqual([
      'TIMER:TRIGGERED',
      'PROCESS_INSTANCE:ELEMENT_TERMINATING',
      'JOB:CANCELED',
      'PROCESS_INSTANCE:ELEMENT_TERMINATED',
      'PROCESS_INSTANCE:ELEMENT_ACTIVATING',
    ]);
    expect(h.isActive(pi)).toBe(false);
    // A worker that still holds the job finds it gone.
    expectRejected(h.completeJob(jobKey), 'NOT_FOUND', String(jobKey));
    await expectReplayable(h);
  });

  it('is cancelled when the task completes first', async () => {
    const h = new EngineHarness();
    await h.deployProcess(withBoundaries({ id: 'late', xml: timerBoundary('late', 'task', 'duration', 'PT30S') }));
    const pi = h.createInstance('p');
    h.completeJob(h.jobKeyOf('task'));
    const [timer] = h.events<TimerValue>('TIMER', 'CREATED');
    expect(h.events('TIMER', 'CANCELED').map((r) => r.key)).toEqual([timer!.key]);
    const stream = h.eventStream();
    expect(stream.indexOf('TIMER:CANCELED')).toBe(stream.indexOf('PROCESS_INSTANCE:ELEMENT_COMPLETING', stream.indexOf('JOB:COMPLETED')) + 1);
    h.advanceTime(60 * SECOND);
    expect(h.events('TIMER', 'TRIGGERED')).toHaveLength(0);
    expect(h.isActive(pi)).toBe(false);
    await expectReplayable(h);
  });

  it('a non-interrupting cycle fires repeatedly while the task is active, then stops', async () => {
    const h = new EngineHarness();
    await h.deployProcess(
      withBoundaries({ id: 'remind', xml: timerBoundary('remind', 'task', 'cycle', 'R3/PT10S', { interrupting: false }) }),
    );
    const pi = h.createInstance('p');
    const start = h.now;
    for (let i = 1; i <= 4; i++) h.advanceTime(10 * SECOND);
    const triggered = h.events<TimerValue>('TIMER', 'TRIGGERED');
    expect(triggered.map((r) => r.value.dueDate - start)).toEqual([10, 20, 30].map((s) => s * SECOND));
    expect(triggered.map((r) => r.value.repetitions)).toEqual([3, 2, 1]);
    expect(h.elementStream().filter((e) => e === 'remind:ELEMENT_COMPLETED')).toHaveLength(3);
    expect(h.elementStream().filter((e) => e === 'remindEnd:ELEMENT_COMPLETED')).toHaveLength(3);
    // The task was never interrupted; its job still completes it.
    expect(h.elementStream()).not.toContain('task:ELEMENT_TERMINATING');
    expect(h.isActive(pi)).toBe(true);
    h.completeJob(h.jobKeyOf('task'));
    expect(h.isActive(pi)).toBe(false);
    await expectReplayable(h);
  });

  it('an infinite non-interrupting cycle keeps firing until the task completes, and keeps its rhythm when late', async () => {
    const h = new EngineHarness();
    await h.deployProcess(
      withBoundaries({ id: 'remind', xml: timerBoundary('remind', 'task', 'cycle', 'R/PT10S', { interrupting: false }) }),
    );
    const pi = h.createInstance('p');
    const start = h.now;
    h.advanceTime(15 * SECOND); // fires late, at +15s
    h.advanceTime(5 * SECOND); // the next one is due at +20s, not +25s
    h.advanceTime(10 * SECOND);
    const triggered = h.events<TimerValue>('TIMER', 'TRIGGERED');
    expect(triggered.map((r) => r.value.dueDate - start)).toEqual([10, 20, 30].map((s) => s * SECOND));
    expect(triggered.every((r) => r.value.repetitions === -1)).toBe(true);
    h.completeJob(h.jobKeyOf('task'));
    expect(h.events('TIMER', 'CANCELED')).toHaveLength(1);
    h.advanceTime(60 * SECOND);
    expect(h.events('TIMER', 'TRIGGERED')).toHaveLength(3);
    expect(h.isActive(pi)).toBe(false);
    await expectReplayable(h);
  });

  it('a non-interrupting boundary path runs next to the task, and the process waits for both', async () => {
    const h = new EngineHarness();
    await h.deployProcess(
      model(
        'p',
        start(),
        serviceTask('task', 'work'),
        end(),
        timerBoundary('remind', 'task', 'duration', 'PT10S', { interrupting: false }),
        serviceTask('escalate', 'escalate'),
        end('escalated'),
        ...chain('start', 'task', 'end'),
        ...chain('remind', 'escalate', 'escalated'),
      ),
    );
    const pi = h.createInstance('p');
    h.advanceTime(10 * SECOND);
    h.completeJob(h.jobKeyOf('task'));
    expect(h.isActive(pi)).toBe(true); // escalate is still running
    h.completeJob(h.jobKeyOf('escalate'));
    expect(h.isActive(pi)).toBe(false);
    await expectReplayable(h);
  });
});

describe('message boundary events', () => {
  const MSG = message('m', 'cancel-order', '=orderId');

  it('an interrupting message boundary terminates the task and cancels its job', async () => {
    const h = new EngineHarness();
    await h.deployProcess(withBoundaries(MSG, { id: 'cancelled', xml: messageBoundary('cancelled', 'task', 'm') }));
    const pi = h.createInstance('p', { orderId: 'o-1' });
    const jobKey = h.jobKeyOf('task');
    expect(h.eventStream().slice(-5)).toEqual([
      'PROCESS_MESSAGE_SUBSCRIPTION:CREATING',
      'PROCESS_INSTANCE:ELEMENT_ACTIVATED',
      'JOB:CREATED',
      'MESSAGE_SUBSCRIPTION:CREATED',
      'PROCESS_MESSAGE_SUBSCRIPTION:CREATED',
    ]);
    h.publishMessage('cancel-order', 'o-1', { why: 'customer' });
    const stream = h.elementStream();
    expect(stream).toEqual(expect.arrayContaining(['task:ELEMENT_TERMINATED', 'cancelled:ELEMENT_COMPLETED', 'cancelledEnd:ELEMENT_COMPLETED']));
    expect(stream.indexOf('task:ELEMENT_TERMINATED')).toBeLessThan(stream.indexOf('cancelled:ELEMENT_ACTIVATING'));
    expect(h.events('JOB', 'CANCELED').map((r) => r.key)).toEqual([jobKey]);
    const boundary = h.events<ProcessInstanceValue>('PROCESS_INSTANCE', 'ELEMENT_ACTIVATING').find((r) => r.value.elementId === 'cancelled')!;
    expect(boundary.value.bpmnEventType).toBe('MESSAGE');
    expect(h.isActive(pi)).toBe(false);
    const why = h.events<{ name: string; scopeKey: bigint }>('VARIABLE', 'CREATED').find((r) => r.value.name === 'why')!;
    expect(why.value.scopeKey).toBe(pi);
    expect(h.partition().state.messageSubscriptions.table.size).toBe(0);
    expect(h.partition().state.processMessageSubscriptions.table.size).toBe(0);
    await expectReplayable(h);
  });

  it('a non-interrupting message boundary fires for each message while the task stays active', async () => {
    const h = new EngineHarness();
    await h.deployProcess(withBoundaries(MSG, { id: 'note', xml: messageBoundary('note', 'task', 'm', { interrupting: false }) }));
    const pi = h.createInstance('p', { orderId: 'o-1' });
    h.publishMessage('cancel-order', 'o-1', { n: 1 });
    h.publishMessage('cancel-order', 'o-1', { n: 2 });
    expect(h.elementStream().filter((e) => e === 'note:ELEMENT_COMPLETED')).toHaveLength(2);
    expect(h.elementStream()).not.toContain('task:ELEMENT_TERMINATING');
    expect(h.events<{ name: string; value: string }>('VARIABLE', 'UPDATED').map((r) => r.value.value)).toEqual(['2']);
    // The subscription stays open on both sides until the task completes.
    expect(h.partition().state.messageSubscriptions.table.size).toBe(1);
    h.completeJob(h.jobKeyOf('task'));
    expect(h.isActive(pi)).toBe(false);
    expect(h.partition().state.messageSubscriptions.table.size).toBe(0);
    expect(h.partition().state.processMessageSubscriptions.table.size).toBe(0);
    await expectReplayable(h);
  });

  it('a non-interrupting message boundary takes every buffered message, one after the other (as Zeebe)', async () => {
    const h = new EngineHarness();
    await h.deployProcess(withBoundaries(MSG, { id: 'note', xml: messageBoundary('note', 'task', 'm', { interrupting: false }) }));
    h.publishMessage('cancel-order', 'o-1', { n: 1 }, 60_000);
    h.publishMessage('cancel-order', 'o-1', { n: 2 }, 60_000);
    const pi = h.createInstance('p', { orderId: 'o-1' });
    const correlated = h.events<{ variables: unknown }>('PROCESS_MESSAGE_SUBSCRIPTION', 'CORRELATED').map((r) => r.value.variables);
    expect(correlated).toEqual([{ n: 1 }, { n: 2 }]);
    expect(h.elementStream().filter((e) => e === 'note:ELEMENT_COMPLETED')).toHaveLength(2);
    expect(h.isActive(pi)).toBe(true);
    await expectReplayable(h);
  });

  it('a message published while the boundary is still correlating another one reaches it afterwards', async () => {
    const h = new EngineHarness();
    await h.deployProcess(withBoundaries(MSG, { id: 'note', xml: messageBoundary('note', 'task', 'm', { interrupting: false }) }));
    const pi = h.createInstance('p', { orderId: 'o-1' });
    h.autoDeliver = false;
    h.publishMessage('cancel-order', 'o-1', { n: 1 }, 60_000);
    h.publishMessage('cancel-order', 'o-1', { n: 2 }, 60_000);
    expect(h.events('MESSAGE_SUBSCRIPTION', 'CORRELATING')).toHaveLength(1);
    h.deliver();
    const correlated = h.events<{ variables: unknown }>('PROCESS_MESSAGE_SUBSCRIPTION', 'CORRELATED').map((r) => r.value.variables);
    expect(correlated).toEqual([{ n: 1 }, { n: 2 }]);
    expect(h.isActive(pi)).toBe(true);
    await expectReplayable(h);
  });

  it('a message after the task completed finds no subscription', async () => {
    const h = new EngineHarness();
    await h.deployProcess(withBoundaries(MSG, { id: 'cancelled', xml: messageBoundary('cancelled', 'task', 'm') }));
    const pi = h.createInstance('p', { orderId: 'o-1' });
    h.completeJob(h.jobKeyOf('task'));
    h.publishMessage('cancel-order', 'o-1');
    expect(h.events('MESSAGE_SUBSCRIPTION', 'CORRELATING')).toHaveLength(0);
    expect(h.elementStream()).not.toContain('cancelled:ELEMENT_ACTIVATING');
    expect(h.isActive(pi)).toBe(false);
    await expectReplayable(h);
  });

  it('a timer and a message boundary on one task: the first trigger wins and closes the other', async () => {
    const h = new EngineHarness();
    await h.deployProcess(
      withBoundaries(
        MSG,
        { id: 'cancelled', xml: messageBoundary('cancelled', 'task', 'm') },
        { id: 'late', xml: timerBoundary('late', 'task', 'duration', 'PT1M') },
      ),
    );
    const pi = h.createInstance('p', { orderId: 'o-1' });
    h.advanceTime(60 * SECOND);
    expect(h.elementStream()).toContain('late:ELEMENT_COMPLETED');
    expect(h.eventStream(1, ['PROCESS_MESSAGE_SUBSCRIPTION', 'MESSAGE_SUBSCRIPTION']).slice(-3)).toEqual([
      'PROCESS_MESSAGE_SUBSCRIPTION:DELETING',
      'MESSAGE_SUBSCRIPTION:DELETED',
      'PROCESS_MESSAGE_SUBSCRIPTION:DELETED',
    ]);
    h.publishMessage('cancel-order', 'o-1');
    expect(h.elementStream()).not.toContain('cancelled:ELEMENT_ACTIVATING');
    expect(h.isActive(pi)).toBe(false);
    await expectReplayable(h);
  });
});
