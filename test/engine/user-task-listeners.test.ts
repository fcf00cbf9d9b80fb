import { describe, expect, it } from 'vitest';
import type { JobValue, UserTaskValue } from '../../src/engine/records.js';
import { camundaUserTask, chain, end, model, start } from '../fixtures/bpmn-builder.js';
import { EngineHarness, expectRejected, expectReplayable } from '../support/engine-harness.js';

type Listener = { eventType: string; type: string; retries?: string };

function withListeners(listeners: Listener[], options: Parameters<typeof camundaUserTask>[1] = {}): string {
  return model('p', start(), camundaUserTask('task', { ...options, listeners }), end(), ...chain('start', 'task', 'end'));
}

function taskEvents(h: EngineHarness): string[] {
  return h.eventStream(1, ['USER_TASK']).map((e) => e.replace('USER_TASK:', ''));
}

function listenerJobs(h: EngineHarness): Array<{ key: bigint; value: JobValue }> {
  return h.events<JobValue>('JOB', 'CREATED').filter((r) => r.value.jobKind === 'TASK_LISTENER');
}

describe('user task listeners', () => {
  it('a completing transition waits for its listeners, which run one after the other in model order', async () => {
    const h = new EngineHarness();
    await h.deployProcess(
      withListeners([
        { eventType: 'completing', type: 'audit', retries: '5' },
        { eventType: 'completing', type: 'notify' },
      ]),
    );
    const pi = h.createInstance('p');
    const key = h.userTaskKeyOf('task');
    const requestId = 'complete-1';
    const response = h.process(1, { valueType: 'USER_TASK', intent: 'COMPLETE', key, value: { variables: { ok: true } }, requestId });
    expect(response).toBeNull();
    expect(taskEvents(h)).toEqual(['CREATING', 'CREATED', 'COMPLETING']);
    expect(h.partition().state.userTasks.get(key)!.state).toBe('COMPLETING');
    // A transition in progress refuses other operations.
    expectRejected(h.userTaskCommand('ASSIGN', key, { assignee: 'x' }), 'INVALID_STATE', `Expected to assign user task with key '${key}', but it is in state 'COMPLETING'`);

    const [audit] = listenerJobs(h);
    expect(audit!.value).toMatchObject({ type: 'audit', retries: 5, jobListenerEventType: 'COMPLETING', elementId: 'task' });
    expect(audit!.value.customHeaders).toMatchObject({ 'io.camunda.zeebe:userTaskKey': String(key), 'io.camunda.zeebe:action': 'complete', 'io.camunda.zeebe:priority': '50' });
    const [activated] = h.activateJobs('audit').jobs;
    expect(activated!.jobKind).toBe('TASK_LISTENER');
    expect(h.completeListenerJob(audit!.key)).toMatchObject({ ok: true });
    expect(h.elementStreamOf(pi)).not.toContain('task:ELEMENT_COMPLETED');

    const notify = listenerJobs(h)[1]!;
    expect(notify.value).toMatchObject({ type: 'notify', retries: 3 });
    expect(h.deferred.get(requestId)).toBeUndefined();
    h.completeListenerJob(notify.key);
    expect(taskEvents(h)).toEqual(['CREATING', 'CREATED', 'COMPLETING', 'COMPLETED']);
    expect(h.deferred.get(requestId)).toMatchObject({ ok: true, key });
    expect(h.events<{ name: string; value: string; scopeKey: bigint }>('VARIABLE', 'CREATED').map((r) => [r.value.name, r.value.value, r.value.scopeKey])).toEqual([['ok', 'true', pi]]);
    expect(h.isActive(pi)).toBe(false);
    await expectReplayable(h);
  });

  it('a denying listener returns the task to CREATED and refuses the request with its reason', async () => {
    const h = new EngineHarness();
    await h.deployProcess(withListeners([{ eventType: 'completing', type: 'check' }, { eventType: 'completing', type: 'never' }]));
    const pi = h.createInstance('p');
    const key = h.userTaskKeyOf('task');
    h.process(1, { valueType: 'USER_TASK', intent: 'COMPLETE', key, value: {}, requestId: 'c1' });
    const job = listenerJobs(h)[0]!;
    expectRejected(h.completeListenerJob(job.key, { denied: true, corrections: { priority: 1 } }), 'INVALID_ARGUMENT', 'The corrections would be reverted by the denial');
    expect(h.completeListenerJob(job.key, { denied: true, deniedReason: 'missing signature' })).toMatchObject({ ok: true });
    expect(taskEvents(h)).toEqual(['CREATING', 'CREATED', 'COMPLETING', 'COMPLETION_DENIED']);
    expect(h.events<UserTaskValue>('USER_TASK', 'COMPLETION_DENIED')[0]!.value.deniedReason).toBe('missing signature');
    expect(h.deferred.get('c1')).toEqual({
      ok: false,
      rejectionType: 'INVALID_STATE',
      reason: `Completion of the User Task with key '${key}' was denied by Task Listener. Reason to deny: 'missing signature'`,
    });
    expect(listenerJobs(h).map((j) => j.value.type)).toEqual(['check']);
    expect(h.partition().state.userTasks.get(key)!.state).toBe('CREATED');

    // The task can be completed again; the listeners start over from the first.
    h.userTaskCommand('COMPLETE', key);
    const again = listenerJobs(h)[1]!;
    expect(again.value.type).toBe('check');
    h.completeListenerJob(again.key);
    h.completeListenerJob(listenerJobs(h)[2]!.key);
    expect(h.isActive(pi)).toBe(false);
    await expectReplayable(h);
  });

  it('corrections of assigning listeners are applied, later listeners see them, and a denied assignment keeps the old assignee', async () => {
    const h = new EngineHarness();
    await h.deployProcess(withListeners([{ eventType: 'assigning', type: 'fix' }, { eventType: 'assigning', type: 'see' }]));
    h.createInstance('p');
    const key = h.userTaskKeyOf('task');
    h.process(1, { valueType: 'USER_TASK', intent: 'ASSIGN', key, value: { assignee: 'ann' }, requestId: 'a1' });
    const fix = listenerJobs(h)[0]!;
    expect(fix.value.customHeaders['io.camunda.zeebe:assignee']).toBe('ann');
    h.completeListenerJob(fix.key, { corrections: { assignee: 'bob', priority: 90, candidateGroupsList: ['ops'] } });
    const [corrected] = h.events<UserTaskValue>('USER_TASK', 'CORRECTED');
    expect(corrected!.value).toMatchObject({ assignee: 'bob', priority: 90, candidateGroupsList: ['ops'] });
    const see = listenerJobs(h)[1]!;
    expect(see.value.customHeaders).toMatchObject({ 'io.camunda.zeebe:assignee': 'bob', 'io.camunda.zeebe:priority': '90', 'io.camunda.zeebe:candidateGroups': '["ops"]' });
    h.completeListenerJob(see.key);
    const [assigned] = h.events<UserTaskValue>('USER_TASK', 'ASSIGNED');
    expect(assigned!.value).toMatchObject({ assignee: 'bob', priority: 90, changedAttributes: ['assignee', 'candidateGroupsList', 'priority'] });
    expect(h.deferred.get('a1')).toMatchObject({ ok: true });

    h.process(1, { valueType: 'USER_TASK', intent: 'CLAIM', key, value: { assignee: 'bob' }, requestId: 'a2' });
    expect(taskEvents(h)).toContain('CLAIMING');
    h.completeListenerJob(listenerJobs(h)[2]!.key, { denied: true, deniedReason: 'no' });
    expect(taskEvents(h).at(-1)).toBe('ASSIGNMENT_DENIED');
    expect(h.deferred.get('a2')).toMatchObject({ ok: false, rejectionType: 'INVALID_STATE' });
    expect(h.partition().state.userTasks.get(key)!.value).toMatchObject({ assignee: 'bob', priority: 90 });
    await expectReplayable(h);
  });

  it('creating listeners hold the creation; the model assignee is given after, through the assigning listeners', async () => {
    const h = new EngineHarness();
    await h.deployProcess(withListeners([{ eventType: 'creating', type: 'on-create' }, { eventType: 'assigning', type: 'on-assign' }], { assignee: 'demo' }));
    const pi = h.createInstance('p');
    const key = h.userTaskKeyOf('task');
    expect(taskEvents(h)).toEqual(['CREATING']);
    expect(h.elementStreamOf(pi)).toContain('task:ELEMENT_ACTIVATED');
    const create = listenerJobs(h)[0]!;
    expect(create.value).toMatchObject({ jobListenerEventType: 'CREATING' });
    expect(create.value.customHeaders['io.camunda.zeebe:assignee']).toBe('demo');
    expectRejected(h.completeListenerJob(create.key, { denied: true }), 'INVALID_ARGUMENT', "Denying result is not supported for 'CREATING' task listener jobs");
    expectRejected(h.completeListenerJob(create.key, { corrections: { assignee: 'other' } }), 'INVALID_ARGUMENT', "correcting the assignee on 'CREATING' event is not supported");
    h.completeListenerJob(create.key, { corrections: { dueDate: '2030-05-01T00:00:00Z' } });
    expect(taskEvents(h)).toEqual(['CREATING', 'CORRECTED', 'CREATED', 'ASSIGNING']);
    expect(h.events<UserTaskValue>('USER_TASK', 'CREATED')[0]!.value).toMatchObject({ assignee: '', dueDate: '2030-05-01T00:00:00Z' });
    h.completeListenerJob(listenerJobs(h)[1]!.key);
    expect(taskEvents(h).at(-1)).toBe('ASSIGNED');
    expect(h.partition().state.userTasks.get(key)!.value).toMatchObject({ assignee: 'demo', dueDate: '2030-05-01T00:00:00Z' });
    await expectReplayable(h);
  });

  it('a creating listener may give an assignee the model did not', async () => {
    const h = new EngineHarness();
    await h.deployProcess(withListeners([{ eventType: 'creating', type: 'pick' }]));
    h.createInstance('p');
    const key = h.userTaskKeyOf('task');
    h.completeListenerJob(listenerJobs(h)[0]!.key, { corrections: { assignee: 'picked' } });
    expect(taskEvents(h)).toEqual(['CREATING', 'CORRECTED', 'CREATED', 'ASSIGNING', 'ASSIGNED']);
    expect(h.partition().state.userTasks.get(key)!.value.assignee).toBe('picked');
    await expectReplayable(h);
  });

  it('an updating listener may deny the update; the task keeps its values', async () => {
    const h = new EngineHarness();
    await h.deployProcess(withListeners([{ eventType: 'updating', type: 'guard' }]));
    h.createInstance('p');
    const key = h.userTaskKeyOf('task');
    h.process(1, { valueType: 'USER_TASK', intent: 'UPDATE', key, value: { changeset: { priority: 99 } }, requestId: 'u1' });
    h.completeListenerJob(listenerJobs(h)[0]!.key, { denied: true, deniedReason: 'too urgent' });
    expect(taskEvents(h).slice(-2)).toEqual(['UPDATING', 'UPDATE_DENIED']);
    expect(h.deferred.get('u1')).toMatchObject({ ok: false, reason: expect.stringContaining("Update of the User Task with key") });
    expect(h.partition().state.userTasks.get(key)!.value.priority).toBe(50);
    await expectReplayable(h);
  });

  it('listener jobs refuse variables and BPMN errors; terminating the task cancels its listener job and refuses the waiting request', async () => {
    const h = new EngineHarness();
    await h.deployProcess(withListeners([{ eventType: 'completing', type: 'slow' }]));
    const pi = h.createInstance('p');
    const key = h.userTaskKeyOf('task');
    h.process(1, { valueType: 'USER_TASK', intent: 'COMPLETE', key, value: {}, requestId: 'c1' });
    const job = listenerJobs(h)[0]!;
    expectRejected(h.jobCommand('COMPLETE', job.key, { variables: { a: 1 } }), 'INVALID_ARGUMENT', 'Task Listener job completion with variables payload provided is not yet supported');
    expectRejected(h.throwError(job.key, 'E'), 'INVALID_STATE', 'task listener job');
    h.cancelInstance(pi);
    expect(h.events('JOB', 'CANCELED').map((r) => r.key)).toEqual([job.key]);
    expect(taskEvents(h).slice(-2)).toEqual(['CANCELING', 'CANCELED']);
    expect(h.deferred.get('c1')).toMatchObject({ ok: false, rejectionType: 'INVALID_STATE', reason: 'user task was canceled during ongoing transition' });
    await expectReplayable(h);
  });

  it('a listener job without retries raises an incident; after new retries and resolving, the transition goes on', async () => {
    const h = new EngineHarness();
    await h.deployProcess(withListeners([{ eventType: 'completing', type: 'flaky', retries: '1' }]));
    const pi = h.createInstance('p');
    const key = h.userTaskKeyOf('task');
    h.userTaskCommand('COMPLETE', key);
    const job = listenerJobs(h)[0]!;
    h.failJob(job.key, 0, { errorMessage: 'down' });
    const [incident] = h.events<{ errorType: string; jobKey: bigint }>('INCIDENT', 'CREATED');
    expect(incident!.value).toMatchObject({ errorType: 'JOB_NO_RETRIES', jobKey: job.key });
    h.updateJobRetries(job.key, 1);
    h.resolveIncident(incident!.key);
    h.completeListenerJob(job.key);
    expect(h.isActive(pi)).toBe(false);
    await expectReplayable(h);
  });

  it('refuses canceling listeners and unknown event types at deploy', async () => {
    const h = new EngineHarness();
    const canceling = await h.deploy({ name: 'a.bpmn', xml: withListeners([{ eventType: 'canceling', type: 'x' }]) });
    expectRejected(canceling, 'INVALID_ARGUMENT', "Element 'task': task listeners for the 'canceling' event are not supported yet");
    const unknown = await h.deploy({ name: 'b.bpmn', xml: withListeners([{ eventType: 'start', type: 'x' }]) });
    expectRejected(unknown, 'INVALID_ARGUMENT', "the task listener event type 'start' is not one of");
  });
});
