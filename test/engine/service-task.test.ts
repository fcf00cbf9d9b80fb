import { describe, expect, it } from 'vitest';
import type { JobValue, ProcessInstanceValue } from '../../src/engine/records.js';
import { chain, end, model, oneTask, serviceTask, start, userTask, type JobTaskKind } from '../fixtures/bpmn-builder.js';
import { EngineHarness, expectReplayable } from '../support/engine-harness.js';

const KINDS: Array<[JobTaskKind, string]> = [
  ['serviceTask', 'SERVICE_TASK'],
  ['sendTask', 'SEND_TASK'],
  ['businessRuleTask', 'BUSINESS_RULE_TASK'],
  ['scriptTask', 'SCRIPT_TASK'],
];

describe('tasks done by job workers', () => {
  it.each(KINDS)('a %s with a task definition creates a job and completes with it', async (kind, elementType) => {
    const h = new EngineHarness();
    const definitionKey = await h.deployProcess(oneTask('p', 'work', { kind }));
    const pi = h.createInstance('p', { n: 1 });

    expect(h.elementStream()).toEqual([
      'p:ELEMENT_ACTIVATING',
      'p:ELEMENT_ACTIVATED',
      'start:ELEMENT_ACTIVATING',
      'start:ELEMENT_ACTIVATED',
      'start:ELEMENT_COMPLETING',
      'start:ELEMENT_COMPLETED',
      'start_task:SEQUENCE_FLOW_TAKEN',
      'task:ELEMENT_ACTIVATING',
      'task:ELEMENT_ACTIVATED',
    ]);
    const taskKey = h.elementKeyOf('task');
    const activating = h.events<ProcessInstanceValue>('PROCESS_INSTANCE', 'ELEMENT_ACTIVATING').find((r) => r.key === taskKey)!;
    expect(activating.value.bpmnElementType).toBe(elementType);
    // The job is created right after the task is activated, in the same command.
    expect(h.eventStream().slice(-2)).toEqual(['PROCESS_INSTANCE:ELEMENT_ACTIVATED', 'JOB:CREATED']);

    const [job] = h.events<JobValue>('JOB', 'CREATED');
    expect(job!.value).toMatchObject({
      type: 'work',
      retries: 3,
      worker: '',
      deadline: -1,
      customHeaders: {},
      processInstanceKey: pi,
      bpmnProcessId: 'p',
      processDefinitionVersion: 1,
      processDefinitionKey: definitionKey,
      elementId: 'task',
      elementInstanceKey: taskKey,
    });

    const batch = h.activateJobs('work');
    expect(batch.jobKeys).toEqual([job!.key]);
    expect(batch.jobs[0]).toMatchObject({ type: 'work', worker: 'test-worker', elementInstanceKey: taskKey, variables: { n: 1 } });
    h.completeJob(job!.key, { done: true });
    expect(h.eventStream().slice(-11)).toEqual([
      'JOB:COMPLETED',
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
    expect(h.elementStream().slice(-4)).toEqual(['end:ELEMENT_COMPLETING', 'end:ELEMENT_COMPLETED', 'p:ELEMENT_COMPLETING', 'p:ELEMENT_COMPLETED']);
    expect(h.isActive(pi)).toBe(false);
    expect(h.partition().state.jobs.table.size).toBe(0);
    await expectReplayable(h);
  });

  it('orders the completion like Zeebe: JOB COMPLETED, COMPLETING, merged variables, COMPLETED, flow', async () => {
    const h = new EngineHarness();
    await h.deployProcess(oneTask('p', 'work'));
    const pi = h.createInstance('p');
    const jobKey = h.jobKeyOf('task');
    const before = h.records().length;
    expect(h.completeJob(jobKey, { done: true })).toEqual({ ok: true, key: jobKey, value: {} });
    const after = h.records().slice(before);
    expect(after.map((r) => `${r.recordType}:${r.valueType}:${r.intent}`).slice(0, 6)).toEqual([
      'COMMAND:JOB:COMPLETE',
      'EVENT:JOB:COMPLETED',
      'EVENT:PROCESS_INSTANCE:ELEMENT_COMPLETING',
      'EVENT:VARIABLE:CREATED',
      'EVENT:PROCESS_INSTANCE:ELEMENT_COMPLETED',
      'EVENT:PROCESS_INSTANCE:SEQUENCE_FLOW_TAKEN',
    ]);
    const completed = after.find((r) => r.valueType === 'JOB')!;
    expect(after[1]!.key).toBe(jobKey);
    expect(completed.key).toBe(jobKey);
    expect((after[1]!.value as JobValue).variables).toEqual({ done: true });
    // Without output mappings the job's variables land in the process scope.
    const variable = after[3]!.value as { name: string; value: string; scopeKey: bigint };
    expect(variable).toMatchObject({ name: 'done', value: 'true', scopeKey: pi });
    await expectReplayable(h);
  });

  it('passes custom task headers to the job', async () => {
    const h = new EngineHarness();
    await h.deployProcess(oneTask('p', 'work', { headers: { region: 'eu', 'x-priority': 'high' } }));
    h.createInstance('p');
    const batch = h.activateJobs('work');
    expect(batch.jobs[0]!.customHeaders).toEqual({ region: 'eu', 'x-priority': 'high' });
    expect(h.events<JobValue>('JOB', 'CREATED')[0]!.value.customHeaders).toEqual({ region: 'eu', 'x-priority': 'high' });
    await expectReplayable(h);
  });

  it('hands a job the input-mapped local variables, shadowing the process ones', async () => {
    const h = new EngineHarness();
    await h.deployProcess(oneTask('p', 'work', { io: { inputs: [['=order.total', 'amount'], ['="local"', 'name']] } }));
    const pi = h.createInstance('p', { order: { total: 42 }, name: 'global' });
    const [job] = h.activateJobs('work').jobs;
    expect(job!.variables).toEqual({ order: { total: 42 }, name: 'local', amount: 42 });
    h.completeJob(h.jobKeyOf('task'));
    // The locals died with the task; the process variables are untouched.
    expect(h.isActive(pi)).toBe(false);
    const names = h.events<{ name: string; scopeKey: bigint }>('VARIABLE', 'CREATED').filter((r) => r.value.scopeKey !== pi);
    expect(names.map((r) => r.value.name)).toEqual(['amount', 'name']);
    await expectReplayable(h);
  });

  it('activates the jobs of several instances oldest first', async () => {
    const h = new EngineHarness();
    await h.deployProcess(oneTask('p', 'work'));
    const instances = [h.createInstance('p', { i: 0 }), h.createInstance('p', { i: 1 }), h.createInstance('p', { i: 2 })];
    const batch = h.activateJobs('work', 10);
    expect(batch.jobs.map((j) => j.processInstanceKey)).toEqual(instances);
    expect(batch.jobs.map((j) => j.variables)).toEqual([{ i: 0 }, { i: 1 }, { i: 2 }]);
    await expectReplayable(h);
  });
});

describe('user tasks as jobs', () => {
  it('creates a job of type io.camunda.zeebe:userTask with assignment and form headers and one retry', async () => {
    const h = new EngineHarness();
    await h.deployProcess(
      model(
        'p',
        start(),
        userTask('approve', {
          assignee: 'demo',
          candidateGroups: 'sales, management',
          candidateUsers: 'anna,ben',
          dueDate: '2026-02-01T10:00:00Z',
          formKey: 'camunda-forms:bpmn:approval',
          headers: { custom: 'yes' },
        }),
        end(),
        ...chain('start', 'approve', 'end'),
      ),
    );
    const pi = h.createInstance('p');
    const [job] = h.events<JobValue>('JOB', 'CREATED');
    expect(job!.value.type).toBe('io.camunda.zeebe:userTask');
    expect(job!.value.retries).toBe(1);
    expect(job!.value.customHeaders).toEqual({
      custom: 'yes',
      'io.camunda.zeebe:assignee': 'demo',
      'io.camunda.zeebe:candidateGroups': '["sales","management"]',
      'io.camunda.zeebe:candidateUsers': '["anna","ben"]',
      'io.camunda.zeebe:dueDate': '2026-02-01T10:00:00Z',
      'io.camunda.zeebe:formKey': 'camunda-forms:bpmn:approval',
    });
    const activated = h.events<ProcessInstanceValue>('PROCESS_INSTANCE', 'ELEMENT_ACTIVATED').find((r) => r.value.elementId === 'approve')!;
    expect(activated.value.bpmnElementType).toBe('USER_TASK');
    h.completeJob(job!.key, { approved: true });
    expect(h.isActive(pi)).toBe(false);
    await expectReplayable(h);
  });

  it('evaluates FEEL assignment properties when the task activates', async () => {
    const h = new EngineHarness();
    await h.deployProcess(
      model(
        'p',
        start(),
        userTask('approve', { assignee: '=owner', candidateGroups: '=["g1", team]', formKey: 'form-1' }),
        end(),
        ...chain('start', 'approve', 'end'),
      ),
    );
    h.createInstance('p', { owner: 'carla', team: 'ops' });
    const [job] = h.events<JobValue>('JOB', 'CREATED');
    expect(job!.value.customHeaders).toEqual({
      'io.camunda.zeebe:assignee': 'carla',
      'io.camunda.zeebe:candidateGroups': '["g1","ops"]',
      'io.camunda.zeebe:formKey': 'form-1',
    });
    await expectReplayable(h);
  });

  it('raises an incident when a FEEL assignee does not evaluate to a string', async () => {
    const h = new EngineHarness();
    await h.deployProcess(
      model('p', start(), userTask('approve', { assignee: '=owner' }), end(), ...chain('start', 'approve', 'end')),
    );
    const pi = h.createInstance('p', { owner: 17 });
    const [incident] = h.events<{ errorType: string; errorMessage: string; elementId: string }>('INCIDENT', 'CREATED');
    expect(incident!.value.errorType).toBe('EXTRACT_VALUE_ERROR');
    expect(incident!.value.elementId).toBe('approve');
    expect(h.events('JOB', 'CREATED')).toHaveLength(0);
    h.setVariables(pi, { owner: 'dora' });
    h.resolveIncident(incident!.key);
    expect(h.events<JobValue>('JOB', 'CREATED')[0]!.value.customHeaders['io.camunda.zeebe:assignee']).toBe('dora');
    await expectReplayable(h);
  });
});
