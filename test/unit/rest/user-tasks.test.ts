import { afterEach, describe, expect, it } from 'vitest';
import type { AssignUserTaskRequest, CompleteUserTaskRequest, JobResult, UpdateUserTaskRequest } from '../../../src/node/api.js';
import { ZenError } from '../../../src/errors.js';
import { KEYS, makeJob } from '../../support/fake-api.js';
import { closeAll, harness } from './harness.js';

afterEach(closeAll);

const json = (payload: unknown) => ({ payload: JSON.stringify(payload), headers: { 'content-type': 'application/json' } });
const base = `/v2/user-tasks/${KEYS.userTask}`;

describe('user task commands', () => {
  it('assignment: allowOverride false is a claim request; the assignee must not be empty', async () => {
    const { server, api } = harness();
    expect((await server.app.inject({ method: 'POST', url: `${base}/assignment`, ...json({ assignee: 'ann', action: 'pick' }) })).statusCode).toBe(204);
    expect(api.lastArg<AssignUserTaskRequest>('assignUserTask')).toEqual({ userTaskKey: KEYS.userTask, assignee: 'ann', allowOverride: true, action: 'pick', requestTimeoutMs: 300 });
    await server.app.inject({ method: 'POST', url: `${base}/assignment`, ...json({ assignee: 'bob', allowOverride: false }) });
    expect(api.lastArg<AssignUserTaskRequest>('assignUserTask')).toMatchObject({ assignee: 'bob', allowOverride: false, action: '' });
    const blank = await server.app.inject({ method: 'POST', url: `${base}/assignment`, ...json({ assignee: '' }) });
    expect(blank.statusCode).toBe(400);
    expect(api.argsOf('assignUserTask')).toHaveLength(2);
  });

  it('DELETE .../assignee unassigns', async () => {
    const { server, api } = harness();
    const res = await server.app.inject({ method: 'DELETE', url: `${base}/assignee` });
    expect(res.statusCode).toBe(204);
    expect(api.lastArg<AssignUserTaskRequest>('assignUserTask')).toMatchObject({ assignee: '', allowOverride: true });
  });

  it('completion takes variables and an action; an absent body is fine', async () => {
    const { server, api } = harness();
    await server.app.inject({ method: 'POST', url: `${base}/completion`, ...json({ variables: { ok: true }, action: 'approve' }) });
    expect(api.lastArg<CompleteUserTaskRequest>('completeUserTask')).toMatchObject({ variables: { ok: true }, action: 'approve' });
    expect((await server.app.inject({ method: 'POST', url: `${base}/completion` })).statusCode).toBe(204);
    expect(api.lastArg<CompleteUserTaskRequest>('completeUserTask')).toMatchObject({ variables: {}, action: '' });
  });

  it('update: the changeset without the assignee; null keeps, empty clears; dates and priority are checked', async () => {
    const { server, api } = harness();
    const res = await server.app.inject({
      method: 'PATCH',
      url: base,
      ...json({ changeset: { assignee: 'x', dueDate: '', followUpDate: null, candidateGroups: ['a'], candidateUsers: [], priority: 70, unknown: 1 } }),
    });
    expect(res.statusCode).toBe(204);
    expect(api.lastArg<UpdateUserTaskRequest>('updateUserTask').changes).toEqual({ dueDate: '', candidateGroups: ['a'], candidateUsers: [], priority: 70 });
    const badDate = await server.app.inject({ method: 'PATCH', url: base, ...json({ changeset: { dueDate: 'tomorrow' } }) });
    expect(badDate.statusCode).toBe(400);
    expect(badDate.json().detail).toContain("Property 'changeset.dueDate' is invalid");
    expect((await server.app.inject({ method: 'PATCH', url: base, ...json({ changeset: { priority: 101 } }) })).statusCode).toBe(400);
  });

  it('the node refusing maps to Camunda statuses: unknown 404, wrong state 409', async () => {
    const { server, api } = harness();
    api.failNext('completeUserTask', new ZenError('NOT_FOUND', 'no such user task'));
    expect((await server.app.inject({ method: 'POST', url: `${base}/completion` })).statusCode).toBe(404);
    api.failNext('assignUserTask', new ZenError('FAILED_PRECONDITION', "it is in state 'COMPLETING'"));
    const conflict = await server.app.inject({ method: 'POST', url: `${base}/assignment`, ...json({ assignee: 'a' }) });
    expect(conflict.statusCode).toBe(409);
    expect(conflict.json().title).toBe('INVALID_STATE');
  });
});

describe('user task reads', () => {
  it('GET answers the task in Camunda field names, keys as strings', async () => {
    const { server } = harness();
    const res = await server.app.inject({ method: 'GET', url: base });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      userTaskKey: String(KEYS.userTask),
      name: 'Approve',
      state: 'CREATED',
      assignee: 'demo',
      candidateGroups: ['sales'],
      candidateUsers: [],
      dueDate: '2030-01-01T12:00:00Z',
      creationDate: '2026-01-01T00:00:00.000Z',
      priority: 50,
      formKey: String(KEYS.form),
      customHeaders: { kind: 'approval' },
      elementId: 'approve',
      elementInstanceKey: String(KEYS.elementInstance),
      processInstanceKey: String(KEYS.processInstance),
      processDefinitionKey: String(KEYS.processDefinition),
      processDefinitionId: 'order',
      processDefinitionVersion: 3,
      processName: 'Order',
      tenantId: '<default>',
    });
  });

  it('GET .../form answers the form as JSON, or 204 when the task has none', async () => {
    const { server, api } = harness();
    const res = await server.app.inject({ method: 'GET', url: `${base}/form` });
    expect(res.json()).toEqual({ formKey: String(KEYS.form), formId: 'approve', version: 2, schema: { id: 'approve', components: [] }, tenantId: '<default>' });
    api.userTaskForm = null;
    expect((await server.app.inject({ method: 'GET', url: `${base}/form` })).statusCode).toBe(204);
  });

  it('searches the history with Camunda filters, sort and cursors; a finished task is read from it', async () => {
    const { server, api } = harness();
    api.historyAnswer = { items: [{ userTaskKey: '5', state: 'COMPLETED' }], page: { totalItems: 1, endCursor: 'c' }, servedBy: [{ partitionId: 1, nodeId: 0, role: 'FOLLOWER' }] };
    const body = { filter: { state: { $in: ['CREATED', 'COMPLETED'] }, candidateGroup: 'sales', priority: { $gte: 50 } }, sort: [{ field: 'creationDate', order: 'DESC' }], page: { limit: 5, after: 'x' } };
    const res = await server.app.inject({ method: 'POST', url: '/v2/user-tasks/search', ...json(body) });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ items: [{ userTaskKey: '5', state: 'COMPLETED' }], page: { totalItems: 1, endCursor: 'c' } });
    expect(api.lastArg('searchHistory')).toEqual({ resource: 'userTasks', filter: body.filter, sort: [{ field: 'creationDate', order: 'DESC' }], page: { limit: 5, after: 'x' } });

    api.getUserTask = async () => {
      throw new ZenError('NOT_FOUND', 'gone');
    };
    const finished = await server.app.inject({ method: 'GET', url: `/v2/user-tasks/${KEYS.userTask}` });
    expect(finished.statusCode).toBe(200);
    expect(finished.json()).toEqual({ userTaskKey: '5', state: 'COMPLETED' });
    expect(api.lastArg('searchHistory')).toMatchObject({ resource: 'userTasks', filter: { userTaskKey: String(KEYS.userTask) } });
    api.historyAnswer = { items: [], page: { totalItems: 0 }, servedBy: [] };
    expect((await server.app.inject({ method: 'GET', url: `/v2/user-tasks/${KEYS.userTask}` })).statusCode).toBe(404);

    const variables = await server.app.inject({ method: 'POST', url: `/v2/user-tasks/${KEYS.userTask}/variables/search`, ...json({ filter: { name: 'a' } }) });
    expect(variables.statusCode).toBe(200);
    expect(api.lastArg('searchHistory')).toMatchObject({ resource: 'userTaskVariables', filter: { name: 'a', userTaskKey: String(KEYS.userTask) } });
  });
});

describe('task listener jobs', () => {
  it('job completion takes a userTask result with corrections', async () => {
    const { server, api } = harness();
    const res = await server.app.inject({
      method: 'POST',
      url: `/v2/jobs/${KEYS.job}/completion`,
      ...json({ result: { type: 'userTask', corrections: { assignee: 'bob', candidateUsers: ['c'], priority: null } } }),
    });
    expect(res.statusCode).toBe(204);
    expect(api.lastArg<JobResult>('completeJob', 2)).toEqual({ denied: false, deniedReason: '', corrections: { assignee: 'bob', candidateUsers: ['c'] } });
    await server.app.inject({ method: 'POST', url: `/v2/jobs/${KEYS.job}/completion`, ...json({ result: { type: 'userTask', denied: true, deniedReason: 'no' } }) });
    expect(api.lastArg<JobResult>('completeJob', 2)).toMatchObject({ denied: true, deniedReason: 'no' });
  });

  it('activated listener jobs carry their kind, event and user task', async () => {
    const { server, api } = harness();
    api.addJob(
      makeJob({
        kind: 'TASK_LISTENER',
        listenerEventType: 'COMPLETING',
        customHeaders: {
          'io.camunda.zeebe:userTaskKey': String(KEYS.userTask),
          'io.camunda.zeebe:action': 'complete',
          'io.camunda.zeebe:assignee': 'demo',
          'io.camunda.zeebe:candidateGroups': '["sales"]',
          'io.camunda.zeebe:changedAttributes': '[]',
          'io.camunda.zeebe:priority': '50',
        },
      }),
    );
    const res = await server.app.inject({ method: 'POST', url: '/v2/jobs/activation', ...json({ type: 'payment', timeout: 1000, maxJobsToActivate: 1 }) });
    const [job] = res.json().jobs;
    expect(job).toMatchObject({ kind: 'TASK_LISTENER', listenerEventType: 'COMPLETING' });
    expect(job.userTask).toEqual({
      userTaskKey: String(KEYS.userTask),
      action: 'complete',
      assignee: 'demo',
      candidateGroups: ['sales'],
      candidateUsers: [],
      changedAttributes: [],
      dueDate: null,
      followUpDate: null,
      priority: 50,
    });
  });
});
