/**
 * Camunda user tasks through a real `zen start`: a BPMN and a `.form` deployed over gRPC with the
 * SDK (the response lists the form), then the task driven over REST — search, get, its form,
 * assignment, claim, unassignment, update, and completion held by a completing task listener
 * whose job (activated and completed over REST) first denies, then lets it through.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { camundaUserTask, chain, end, formJson, model, start } from '../fixtures/bpmn-builder.js';
import { muteSdkStreamCancellations, waitFor, zeebeClient, type ZeebeClient } from '../support/server-client.js';
import { showServerOutputOnFailure, ZenServer } from '../support/server-process.js';

let server: ZenServer;
let zeebe: ZeebeClient;

const PROCESS = model(
  'server-user-task',
  start(),
  camundaUserTask('approve', { formId: 'approve-form', candidateGroups: 'sales', listeners: [{ eventType: 'completing', type: 'approve-check' }] }),
  end(),
  ...chain('start', 'approve', 'end'),
);

beforeAll(async () => {
  server = await ZenServer.start();
  zeebe = zeebeClient(server);
});

afterAll(async () => {
  await zeebe?.close();
  const exit = await server?.dispose();
  expect(exit?.code).toBe(0);
});

showServerOutputOnFailure(() => [server]);
muteSdkStreamCancellations();

async function rest(method: string, path: string, body?: unknown): Promise<{ status: number; json: any }> {
  const response = await fetch(`http://127.0.0.1:${server.restPort}/v2${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json', 'zen-consistency': 'strong' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, json: text === '' ? null : JSON.parse(text) };
}

describe('Camunda user tasks over gRPC and REST', () => {
  it('deploys a form with the SDK and drives the task through REST, its completion held by a task listener', async () => {
    const deployed = await zeebe.deployResources([
      { name: 'server-user-task.bpmn', process: Buffer.from(PROCESS) },
      { name: 'approve.form', form: Buffer.from(formJson('approve-form')) },
    ]);
    const entries = deployed.deployments as Array<{ form?: { formId: string; version: number; formKey: string } }>;
    const form = entries.find((d) => d.form)?.form;
    expect(form).toMatchObject({ formId: 'approve-form', version: 1 });
    expect(BigInt(form!.formKey)).toBeGreaterThan(0n);

    const finished = zeebe.createProcessInstanceWithResult({ bpmnProcessId: 'server-user-task', variables: { amount: 5 }, requestTimeout: 30_000 });
    const task = await waitFor('the user task', async () => {
      const found = await rest('POST', '/user-tasks/search', { filter: { elementId: 'approve', state: 'CREATED' } });
      return found.json?.items?.[0] as { userTaskKey: string } | undefined;
    });
    const key = task.userTaskKey;
    const got = await rest('GET', `/user-tasks/${key}`);
    expect(got.status).toBe(200);
    expect(got.json).toMatchObject({ userTaskKey: key, state: 'CREATED', elementId: 'approve', candidateGroups: ['sales'], priority: 50, formKey: form!.formKey, processDefinitionId: 'server-user-task' });
    const linked = await rest('GET', `/user-tasks/${key}/form`);
    expect(linked.json).toMatchObject({ formId: 'approve-form', version: 1, formKey: form!.formKey, schema: { id: 'approve-form' } });

    expect((await rest('POST', `/user-tasks/${key}/assignment`, { assignee: 'ann' })).status).toBe(204);
    const claimed = await rest('POST', `/user-tasks/${key}/assignment`, { assignee: 'bob', allowOverride: false });
    expect(claimed.status).toBe(409);
    expect(claimed.json.detail).toContain('it has already been assigned');
    expect((await rest('DELETE', `/user-tasks/${key}/assignee`)).status).toBe(204);
    expect((await rest('POST', `/user-tasks/${key}/assignment`, { assignee: 'bob', allowOverride: false })).status).toBe(204);
    expect((await rest('PATCH', `/user-tasks/${key}`, { changeset: { priority: 80, candidateUsers: ['carl'] } })).status).toBe(204);
    expect((await rest('GET', `/user-tasks/${key}`)).json).toMatchObject({ assignee: 'bob', priority: 80, candidateUsers: ['carl'] });

    // The completion waits for the completing listener; its job denies the first time.
    const denied = rest('POST', `/user-tasks/${key}/completion`, { variables: { approved: false } });
    const listenerJob = await waitFor('the listener job', async () => (await rest('POST', '/jobs/activation', { type: 'approve-check', timeout: 30_000, maxJobsToActivate: 1, requestTimeout: -1 })).json.jobs[0]);
    expect(listenerJob).toMatchObject({ kind: 'TASK_LISTENER', listenerEventType: 'COMPLETING', userTask: { userTaskKey: key, assignee: 'bob', action: 'complete' } });
    expect((await rest('GET', `/user-tasks/${key}`)).json.state).toBe('COMPLETING');
    expect((await rest('POST', `/user-tasks/${key}/completion`)).status).toBe(409);
    expect((await rest('POST', `/jobs/${listenerJob.jobKey}/completion`, { result: { type: 'userTask', denied: true, deniedReason: 'not signed' } })).status).toBe(204);
    const refused = await denied;
    expect(refused.status).toBe(409);
    expect(refused.json.detail).toBe(`Completion of the User Task with key '${key}' was denied by Task Listener. Reason to deny: 'not signed'`);

    const completing = rest('POST', `/user-tasks/${key}/completion`, { variables: { approved: true } });
    const second = await waitFor('the second listener job', async () => (await rest('POST', '/jobs/activation', { type: 'approve-check', timeout: 30_000, maxJobsToActivate: 1, requestTimeout: -1 })).json.jobs[0]);
    expect((await rest('POST', `/jobs/${second.jobKey}/completion`, { result: { type: 'userTask', corrections: { priority: 10 } } })).status).toBe(204);
    expect((await completing).status).toBe(204);
    expect((await finished).variables).toEqual({ amount: 5, approved: true });
    // A completed task is still found, from the history.
    const done = await waitFor('the completed task in the history', async () => {
      const got = await rest('GET', `/user-tasks/${key}`);
      return got.json?.state === 'COMPLETED' ? got : undefined;
    });
    expect(done.json).toMatchObject({ userTaskKey: key, assignee: 'bob', priority: 10, completionDate: expect.any(String) });
  });

  it("searches tasks by their process instance's variables and their local ones", async () => {
    const simple = model('server-task-vars', start(), camundaUserTask('review'), end(), ...chain('start', 'review', 'end'));
    await zeebe.deployResource({ name: 'server-task-vars.bpmn', process: Buffer.from(simple) });
    const north = (await zeebe.createProcessInstance({ bpmnProcessId: 'server-task-vars', variables: { region: 'north', amount: 10 } })).processInstanceKey;
    const south = (await zeebe.createProcessInstance({ bpmnProcessId: 'server-task-vars', variables: { region: 'south', amount: 10 } })).processInstanceKey;
    const tasks = await waitFor('both tasks', async () => {
      const found = await rest('POST', '/user-tasks/search', { filter: { processDefinitionId: 'server-task-vars' } });
      return found.json?.items?.length === 2 ? (found.json.items as Array<{ userTaskKey: string; processInstanceKey: string; elementInstanceKey: string }>) : undefined;
    });
    const southTask = tasks.find((t) => t.processInstanceKey === south)!;
    expect((await rest('PUT', `/element-instances/${southTask.elementInstanceKey}/variables`, { variables: { note: 'check' }, local: true })).status).toBe(204);

    const byRegion = await rest('POST', '/user-tasks/search', { filter: { processInstanceVariables: [{ name: 'region', value: '"north"' }, { name: 'amount', value: '10' }] } });
    expect(byRegion.status).toBe(200);
    expect(byRegion.json.items.map((t: { processInstanceKey: string }) => t.processInstanceKey)).toEqual([north]);
    const byNote = await rest('POST', '/user-tasks/search', { filter: { localVariables: [{ name: 'note', value: { $like: '*che*' } }] } });
    expect(byNote.json.items.map((t: { userTaskKey: string }) => t.userTaskKey)).toEqual([southTask.userTaskKey]);
    expect((await rest('POST', '/user-tasks/search', { filter: { processInstanceVariables: [{ name: 'note', value: '"check"' }] } })).json.items).toEqual([]);

    const refused = await rest('POST', '/user-tasks/search', { filter: { localVariables: [{ name: 'note', value: { $gt: 'a' } }] } });
    expect(refused.status).toBe(400);
    expect(refused.json.detail).toContain("Operator '$gt' does not apply to filter field 'localVariables[0].value'");
  });

  it('unknown keys are 404; a deployment with a bad form is refused as a whole', async () => {
    expect((await rest('POST', '/user-tasks/2251799813999999/completion')).status).toBe(404);
    expect((await rest('GET', '/user-tasks/2251799813999999')).status).toBe(404);
    const failure = await zeebe
      .deployResources([
        { name: 'other.bpmn', process: Buffer.from(PROCESS.replace(/server-user-task/g, 'other-user-task')) },
        { name: 'broken.form', form: Buffer.from('{"components": []}') },
      ])
      .then(() => null, (err: unknown) => err as { code?: number; details?: string; message?: string });
    expect(failure?.message ?? '').toContain("'broken.form'");
    expect(failure?.message ?? '').toContain('Expected the form id to be present');
    expect((await zeebe.createProcessInstance({ bpmnProcessId: 'other-user-task', variables: {} }).catch((err: unknown) => String(err)))).toContain('NOT_FOUND');
  });
});
