import { describe, expect, it } from 'vitest';
import type { UserTaskValue } from '../../src/engine/records.js';
import { camundaUserTask, chain, end, flow, model, serviceTask, start, timerBoundary } from '../fixtures/bpmn-builder.js';
import { EngineHarness, expectRejected, expectReplayable } from '../support/engine-harness.js';

const oneUserTask = (options: Parameters<typeof camundaUserTask>[1] = {}) =>
  model('p', start(), camundaUserTask('task', options), end(), ...chain('start', 'task', 'end'));

function taskEvents(h: EngineHarness): string[] {
  return h.eventStream(1, ['USER_TASK']).map((e) => e.replace('USER_TASK:', ''));
}

describe('Camunda user tasks', () => {
  it('creates the task with its evaluated properties and no job; completing it completes the element with the variables', async () => {
    const h = new EngineHarness();
    await h.deployProcess(
      oneUserTask({
        assignee: '=owner',
        candidateGroups: 'sales, managers',
        candidateUsers: '=["ann", "bob"]',
        dueDate: '2030-01-01T12:00:00Z',
        followUpDate: '=date and time("2029-12-31T09:00:00Z")',
        priority: '=10 * 3',
        externalReference: '=formUrl',
        headers: { kind: 'approval' },
      }),
    );
    const pi = h.createInstance('p', { owner: 'demo', formUrl: 'https://forms.example/approve' });
    expect(h.events('JOB', 'CREATED')).toHaveLength(0);
    expect(taskEvents(h)).toEqual(['CREATING', 'CREATED', 'ASSIGNING', 'ASSIGNED']);
    // As in Zeebe: the task exists before the element is activated; the model's assignee is given after.
    const stream = h.partition().log.filter((r) => r.recordType === 'EVENT').map((r) => `${r.valueType}:${r.intent}`);
    expect(stream.indexOf('USER_TASK:CREATED')).toBeLessThan(stream.indexOf('PROCESS_INSTANCE:ELEMENT_ACTIVATED', stream.indexOf('USER_TASK:CREATING')));
    expect(stream.indexOf('USER_TASK:ASSIGNING')).toBeGreaterThan(stream.indexOf('PROCESS_INSTANCE:ELEMENT_ACTIVATED', stream.indexOf('USER_TASK:CREATING')));

    const [created] = h.events<UserTaskValue>('USER_TASK', 'CREATED');
    expect(created!.value).toMatchObject({
      assignee: '',
      candidateGroupsList: ['sales', 'managers'],
      candidateUsersList: ['ann', 'bob'],
      dueDate: '2030-01-01T12:00:00Z',
      followUpDate: '2029-12-31T09:00:00.000Z',
      priority: 30,
      externalFormReference: 'https://forms.example/approve',
      formKey: -1n,
      customHeaders: { kind: 'approval' },
      elementId: 'task',
      bpmnProcessId: 'p',
      processInstanceKey: pi,
      creationTimestamp: h.now,
    });
    const [assigned] = h.events<UserTaskValue>('USER_TASK', 'ASSIGNED');
    expect(assigned!.value).toMatchObject({ assignee: 'demo', changedAttributes: ['assignee'] });

    const key = h.userTaskKeyOf('task');
    expect(h.partition().state.userTasks.get(key)).toMatchObject({ state: 'CREATED', value: { assignee: 'demo' } });
    const response = h.userTaskCommand('COMPLETE', key, { variables: { approved: true } });
    expect(response).toMatchObject({ ok: true, key });
    const [completed] = h.events<UserTaskValue>('USER_TASK', 'COMPLETED');
    expect(completed!.value).toMatchObject({ action: 'complete', variables: { approved: true } });
    expect(h.elementStreamOf(pi)).toContain('task:ELEMENT_COMPLETED');
    expect(h.isActive(pi)).toBe(false);
    expect(h.partition().state.userTasks.get(key)).toBeUndefined();
    await expectReplayable(h);
  });

  it('the priority defaults to 50; one out of 0..100 is an incident', async () => {
    const h = new EngineHarness();
    await h.deployProcess(oneUserTask());
    h.createInstance('p');
    expect(h.events<UserTaskValue>('USER_TASK', 'CREATED')[0]!.value.priority).toBe(50);
    expect(taskEvents(h)).toEqual(['CREATING', 'CREATED']);

    await h.deployProcess(model('q', start(), camundaUserTask('task', { priority: '=p' }), end(), ...chain('start', 'task', 'end')));
    h.createInstance('q', { p: 101 });
    const [incident] = h.events<{ errorType: string; errorMessage: string }>('INCIDENT', 'CREATED');
    expect(incident!.value).toMatchObject({ errorType: 'EXTRACT_VALUE_ERROR', errorMessage: "Expected priority to be in the range [0,100] but was '101'." });
    await expectReplayable(h);
  });

  it('assign, claim, unassign and update follow Zeebe, rejecting what Zeebe rejects', async () => {
    const h = new EngineHarness();
    await h.deployProcess(oneUserTask({ candidateGroups: 'sales' }));
    h.createInstance('p');
    const key = h.userTaskKeyOf('task');

    expect(h.userTaskCommand('ASSIGN', key, { assignee: 'ann' })).toMatchObject({ ok: true });
    expectRejected(h.userTaskCommand('CLAIM', key, { assignee: 'bob' }), 'INVALID_STATE', `Expected to claim user task with key '${key}', but it has already been assigned`);
    expect(h.userTaskCommand('CLAIM', key, { assignee: 'ann' })).toMatchObject({ ok: true });
    expect(h.userTaskCommand('ASSIGN', key, { assignee: 'bob', action: 'reassign' })).toMatchObject({ ok: true });
    expect(h.userTaskCommand('ASSIGN', key, { assignee: '', action: 'unassign' })).toMatchObject({ ok: true });
    expect(h.partition().state.userTasks.get(key)!.value.assignee).toBe('');
    expectRejected(h.userTaskCommand('CLAIM', key, { assignee: '' }), 'INVALID_STATE', 'provided assignee is empty');

    expect(
      h.userTaskCommand('UPDATE', key, { changeset: { candidateGroupsList: ['sales'], candidateUsersList: ['carl'], dueDate: '2031-01-01T00:00:00Z', priority: 80 } }),
    ).toMatchObject({ ok: true });
    const [updating] = h.events<UserTaskValue>('USER_TASK', 'UPDATING');
    // Unchanged candidate groups are not a change.
    expect(updating!.value).toMatchObject({ changedAttributes: ['candidateUsersList', 'dueDate', 'priority'], action: 'update' });
    expect(h.partition().state.userTasks.get(key)!.value).toMatchObject({ candidateUsersList: ['carl'], dueDate: '2031-01-01T00:00:00Z', priority: 80 });

    const actions = h.events<UserTaskValue>('USER_TASK', 'ASSIGNED').map((r) => [r.value.assignee, r.value.action]);
    expect(actions).toEqual([
      ['ann', 'assign'],
      ['ann', 'claim'],
      ['bob', 'reassign'],
      ['', 'unassign'],
    ]);
    expect(h.events('USER_TASK', 'CLAIMING')).toHaveLength(1);

    const unknown = (1n << 51n) + 99_999n;
    expectRejected(h.userTaskCommand('COMPLETE', unknown), 'NOT_FOUND', `Expected to complete user task with key '${unknown}', but no such user task was found`);
    await expectReplayable(h);
  });

  it('terminating the element cancels the task: a boundary timer on it works as on any activity', async () => {
    const h = new EngineHarness();
    await h.deployProcess(
      model('p', start(), camundaUserTask('task'), timerBoundary('late', 'task', 'duration', 'PT1H'), serviceTask('escalate', 'escalate'), end(), end('escalated'), ...chain('start', 'task', 'end'), flow('late', 'escalate'), flow('escalate', 'escalated')),
    );
    const pi = h.createInstance('p');
    const key = h.userTaskKeyOf('task');
    h.advanceTime(3_600_000);
    expect(taskEvents(h)).toEqual(['CREATING', 'CREATED', 'CANCELING', 'CANCELED']);
    expect(h.elementStreamOf(pi)).toContain('task:ELEMENT_TERMINATED');
    expect(h.partition().state.userTasks.get(key)).toBeUndefined();
    expectRejected(h.userTaskCommand('COMPLETE', key), 'NOT_FOUND');
    expect(h.events('JOB', 'CREATED').map((r) => (r.value as { type: string }).type)).toEqual(['escalate']);
    await expectReplayable(h);
  });

  it('cancelling the instance cancels the task', async () => {
    const h = new EngineHarness();
    await h.deployProcess(oneUserTask({ assignee: 'demo' }));
    const pi = h.createInstance('p');
    h.cancelInstance(pi);
    expect(taskEvents(h)).toEqual(['CREATING', 'CREATED', 'ASSIGNING', 'ASSIGNED', 'CANCELING', 'CANCELED']);
    expect(h.events<UserTaskValue>('USER_TASK', 'CANCELED')[0]!.value.assignee).toBe('demo');
    expect(h.partition().state.userTasks.all().next().done).toBe(true);
    await expectReplayable(h);
  });

  it('in a multi-instance, each item gets its own task; completion variables go through the output mappings', async () => {
    const h = new EngineHarness();
    await h.deployProcess(
      oneUserTask({
        assignee: '=reviewer',
        loop: { inputCollection: '=reviewers', inputElement: 'reviewer', outputCollection: 'verdicts', outputElement: '=reviewer' },
        io: { outputs: [['=verdict', 'lastVerdict']] },
      }),
    );
    const pi = h.createInstance('p', { reviewers: ['ann', 'bob'] });
    const tasks = h.events<UserTaskValue>('USER_TASK', 'ASSIGNED');
    expect(tasks.map((r) => r.value.assignee)).toEqual(['ann', 'bob']);
    h.userTaskCommand('COMPLETE', tasks[1]!.key, { variables: { verdict: 'no' } });
    h.userTaskCommand('COMPLETE', tasks[0]!.key, { variables: { verdict: 'yes' } });
    expect(h.isActive(pi)).toBe(false);
    const written = [...h.events<{ name: string; value: string; scopeKey: bigint }>('VARIABLE', 'CREATED'), ...h.events<{ name: string; value: string; scopeKey: bigint }>('VARIABLE', 'UPDATED')]
      .filter((r) => r.value.scopeKey === pi)
      .map((r) => [r.value.name, r.value.value]);
    expect(written).toContainEqual(['verdicts', '["ann","bob"]']);
    // Through the output mapping, in the order the tasks were completed.
    expect(written.filter(([name]) => name === 'lastVerdict')).toEqual([['lastVerdict', '"no"'], ['lastVerdict', '"yes"']]);
    await expectReplayable(h);
  });

  it('a job-worker user task (without zeebe:userTask) is still a job', async () => {
    const h = new EngineHarness();
    await h.deployProcess(model('p', start(), '<bpmn:userTask id="task"/>', end(), ...chain('start', 'task', 'end')));
    h.createInstance('p');
    expect(h.events('USER_TASK', 'CREATING')).toHaveLength(0);
    expect((h.events('JOB', 'CREATED')[0]!.value as { type: string }).type).toBe('io.camunda.zeebe:userTask');
    await expectReplayable(h);
  });
});
