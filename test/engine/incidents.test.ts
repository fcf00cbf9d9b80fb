import { describe, expect, it } from 'vitest';
import type { IncidentValue } from '../../src/engine/records.js';
import { chain, end, error, errorBoundary, flow, message, messageCatch, model, oneTask, serviceTask, start, timerBoundary } from '../fixtures/bpmn-builder.js';
import { EngineHarness, expectRejected, expectReplayable } from '../support/engine-harness.js';

// `x ** 400` is not a finite number for x = 10, which FEEL cannot hand over as a variable value.
const FAILING = '=x ** 400';

describe('incidents', () => {
  it('an input mapping that fails raises IO_MAPPING_ERROR; the task waits in ACTIVATING', async () => {
    const h = new EngineHarness();
    await h.deployProcess(oneTask('p', 'work', { io: { inputs: [[FAILING, 'big']] } }));
    const pi = h.createInstance('p', { x: 10 });
    const taskKey = h.elementKeyOf('task');
    expect(h.eventStream().slice(-2)).toEqual(['PROCESS_INSTANCE:ELEMENT_ACTIVATING', 'INCIDENT:CREATED']);
    const [incident] = h.events<IncidentValue>('INCIDENT', 'CREATED');
    expect(incident!.value).toEqual({
      errorType: 'IO_MAPPING_ERROR',
      errorMessage: expect.stringContaining("'task'"),
      bpmnProcessId: 'p',
      processDefinitionKey: h.events<{ processDefinitionKey: bigint }>('PROCESS', 'CREATED')[0]!.key,
      processInstanceKey: pi,
      elementId: 'task',
      elementInstanceKey: taskKey,
      jobKey: -1n,
      variableScopeKey: taskKey,
      tenantId: '<default>',
    });
    expect(incident!.value.errorMessage).toContain('x ** 400');
    expect(h.events('JOB', 'CREATED')).toHaveLength(0);
    expect(h.partition().state.incidents.table.size).toBe(1);
    await expectReplayable(h);
  });

  it('resolving after fixing the variables re-runs the activation and continues', async () => {
    const h = new EngineHarness();
    await h.deployProcess(oneTask('p', 'work', { io: { inputs: [[FAILING, 'big']] } }));
    const pi = h.createInstance('p', { x: 10 });
    const [incident] = h.events<IncidentValue>('INCIDENT', 'CREATED');
    h.setVariables(pi, { x: 2 });
    const before = h.eventStream().length;
    expect(h.resolveIncident(incident!.key)).toEqual({ ok: true, key: incident!.key, value: {} });
    expect(h.eventStream().slice(before)).toEqual([
      'INCIDENT:RESOLVED',
      'VARIABLE:CREATED',
      'PROCESS_INSTANCE:ELEMENT_ACTIVATED',
      'JOB:CREATED',
    ]);
    const [resolved] = h.events<IncidentValue>('INCIDENT', 'RESOLVED');
    expect(resolved!.key).toBe(incident!.key);
    expect(resolved!.value).toEqual(incident!.value);
    expect(h.activateJobs('work').jobs[0]!.variables).toEqual({ x: 2, big: 2 ** 400 });
    h.completeJob(h.jobKeyOf('task'));
    expect(h.isActive(pi)).toBe(false);
    expect(h.partition().state.incidents.table.size).toBe(0);
    await expectReplayable(h);
  });

  it('resolving without a fix raises a new incident', async () => {
    const h = new EngineHarness();
    await h.deployProcess(oneTask('p', 'work', { io: { inputs: [[FAILING, 'big']] } }));
    h.createInstance('p', { x: 10 });
    const [first] = h.events<IncidentValue>('INCIDENT', 'CREATED');
    h.resolveIncident(first!.key);
    expect(h.eventStream(1, ['INCIDENT'])).toEqual(['INCIDENT:CREATED', 'INCIDENT:RESOLVED', 'INCIDENT:CREATED']);
    const [, second] = h.events<IncidentValue>('INCIDENT', 'CREATED');
    expect(second!.key).not.toBe(first!.key);
    expect(second!.value.elementInstanceKey).toBe(first!.value.elementInstanceKey);
    await expectReplayable(h);
  });

  it('an output mapping that fails on job completion raises IO_MAPPING_ERROR; the task waits in COMPLETING', async () => {
    const h = new EngineHarness();
    await h.deployProcess(oneTask('p', 'work', { io: { outputs: [['=result * factor', 'total']] } }));
    const pi = h.createInstance('p', { factor: 1e308 });
    const taskKey = h.elementKeyOf('task');
    const jobKey = h.jobKeyOf('task');
    h.completeJob(jobKey, { result: 10 });
    expect(h.eventStream().slice(-4)).toEqual(['JOB:COMPLETED', 'PROCESS_INSTANCE:ELEMENT_COMPLETING', 'VARIABLE:CREATED', 'INCIDENT:CREATED']);
    const [incident] = h.events<IncidentValue>('INCIDENT', 'CREATED');
    expect(incident!.value).toMatchObject({ errorType: 'IO_MAPPING_ERROR', elementId: 'task', elementInstanceKey: taskKey, jobKey: -1n });
    expect(incident!.value.errorMessage).toContain('output');
    // The job is done; the task is not.
    expect(h.partition().state.jobs.get(jobKey)).toBeUndefined();
    expect(h.isActive(taskKey)).toBe(true);

    // The job's result is kept for the retry; fixing the other input of the mapping lets it pass.
    h.setVariables(pi, { factor: 2 });
    const before = h.eventStream().length;
    h.resolveIncident(incident!.key);
    expect(h.eventStream().slice(before, before + 4)).toEqual([
      'INCIDENT:RESOLVED',
      'VARIABLE:CREATED',
      'PROCESS_INSTANCE:ELEMENT_COMPLETED',
      'PROCESS_INSTANCE:SEQUENCE_FLOW_TAKEN',
    ]);
    const total = h.events<{ name: string; value: string; scopeKey: bigint }>('VARIABLE', 'CREATED').find((r) => r.value.name === 'total')!;
    expect(total.value).toMatchObject({ value: '20', scopeKey: pi });
    expect(h.isActive(pi)).toBe(false);
    await expectReplayable(h);
  });

  it('an output mapping incident on a message catch event resolves like a task', async () => {
    const h = new EngineHarness();
    await h.deployProcess(
      model(
        'p',
        start(),
        messageCatch('wait', 'm', { outputs: [['=amount * factor', 'total']] }),
        end(),
        message('m', 'paid', '=id'),
        ...chain('start', 'wait', 'end'),
      ),
    );
    const pi = h.createInstance('p', { id: 'a', factor: 10 });
    h.publishMessage('paid', 'a', { amount: 1e308 });
    const [incident] = h.events<IncidentValue>('INCIDENT', 'CREATED');
    expect(incident!.value).toMatchObject({ errorType: 'IO_MAPPING_ERROR', elementId: 'wait' });
    h.setVariables(pi, { factor: 1 });
    h.resolveIncident(incident!.key);
    expect(h.isActive(pi)).toBe(false);
    expect(h.events<{ name: string; value: string }>('VARIABLE', 'CREATED').map((r) => `${r.value.name}=${r.value.value}`)).toContain('total=1e+308');
    await expectReplayable(h);
  });

  it('rejects resolving an unknown incident, or one already resolved, with NOT_FOUND', async () => {
    const h = new EngineHarness();
    await h.deployProcess(oneTask('p', 'work', { io: { inputs: [[FAILING, 'big']] } }));
    const pi = h.createInstance('p', { x: 10 });
    const [incident] = h.events<IncidentValue>('INCIDENT', 'CREATED');
    const unknown = incident!.key + 500n;
    expectRejected(h.resolveIncident(unknown), 'NOT_FOUND', `'${unknown}'`);
    h.setVariables(pi, { x: 1 });
    expect(h.resolveIncident(incident!.key)?.ok).toBe(true);
    expectRejected(h.resolveIncident(incident!.key), 'NOT_FOUND', `'${incident!.key}'`);
    expect(h.rejectionsOf('INCIDENT', 'RESOLVE')).toHaveLength(2);
    await expectReplayable(h);
  });

  it('resolves the incidents of elements that are terminated (instance cancelled)', async () => {
    const h = new EngineHarness();
    await h.deployProcess(oneTask('p', 'work', { io: { inputs: [[FAILING, 'big']] } }));
    const pi = h.createInstance('p', { x: 10 });
    const [incident] = h.events<IncidentValue>('INCIDENT', 'CREATED');
    h.cancelInstance(pi);
    expect(h.eventStream().slice(-5)).toEqual([
      'PROCESS_INSTANCE:ELEMENT_TERMINATING',
      'PROCESS_INSTANCE:ELEMENT_TERMINATING',
      'INCIDENT:RESOLVED',
      'PROCESS_INSTANCE:ELEMENT_TERMINATED',
      'PROCESS_INSTANCE:ELEMENT_TERMINATED',
    ]);
    expect(h.events('INCIDENT', 'RESOLVED').map((r) => r.key)).toEqual([incident!.key]);
    expect(h.partition().state.incidents.table.size).toBe(0);
    expectRejected(h.resolveIncident(incident!.key), 'NOT_FOUND');
    await expectReplayable(h);
  });

  it('resolves a job incident when the instance is cancelled', async () => {
    const h = new EngineHarness();
    await h.deployProcess(oneTask('p', 'work'));
    const pi = h.createInstance('p');
    const jobKey = h.jobKeyOf('task');
    h.failJob(jobKey, 0);
    const [incident] = h.events<IncidentValue>('INCIDENT', 'CREATED');
    h.cancelInstance(pi);
    expect(h.eventStream().slice(-5)).toEqual([
      'PROCESS_INSTANCE:ELEMENT_TERMINATING',
      'JOB:CANCELED',
      'INCIDENT:RESOLVED',
      'PROCESS_INSTANCE:ELEMENT_TERMINATED',
      'PROCESS_INSTANCE:ELEMENT_TERMINATED',
    ]);
    expect(h.events('INCIDENT', 'RESOLVED').map((r) => r.key)).toEqual([incident!.key]);
    expect(h.partition().state.jobs.table.size).toBe(0);
    await expectReplayable(h);
  });

  it('resolves a job incident when an interrupting boundary event terminates the task', async () => {
    const h = new EngineHarness();
    await h.deployProcess(
      model(
        'p',
        start(),
        serviceTask('task', 'work'),
        end(),
        timerBoundary('late', 'task', 'duration', 'PT1M'),
        end('lateEnd'),
        ...chain('start', 'task', 'end'),
        flow('late', 'lateEnd'),
      ),
    );
    const pi = h.createInstance('p');
    const jobKey = h.jobKeyOf('task');
    h.failJob(jobKey, 0, { errorMessage: 'down' });
    const [incident] = h.events<IncidentValue>('INCIDENT', 'CREATED');
    h.advanceTime(60_000);
    const stream = h.eventStream();
    const at = stream.indexOf('TIMER:TRIGGERED');
    expect(stream.slice(at, at + 5)).toEqual([
      'TIMER:TRIGGERED',
      'PROCESS_INSTANCE:ELEMENT_TERMINATING',
      'JOB:CANCELED',
      'INCIDENT:RESOLVED',
      'PROCESS_INSTANCE:ELEMENT_TERMINATED',
    ]);
    expect(h.events('INCIDENT', 'RESOLVED').map((r) => r.key)).toEqual([incident!.key]);
    expect(h.isActive(pi)).toBe(false);
    expect(h.partition().state.incidents.table.size).toBe(0);
    await expectReplayable(h);
  });

  it('resolves an unhandled-error incident and cancels the job when the instance is cancelled', async () => {
    const h = new EngineHarness();
    await h.deployProcess(
      model(
        'p',
        start(),
        serviceTask('task', 'work'),
        end(),
        errorBoundary('caught', 'task', 'e'),
        end('caughtEnd'),
        error('e', 'KNOWN'),
        ...chain('start', 'task', 'end'),
        flow('caught', 'caughtEnd'),
      ),
    );
    const pi = h.createInstance('p');
    const jobKey = h.jobKeyOf('task');
    h.throwError(jobKey, 'UNKNOWN');
    const [incident] = h.events<IncidentValue>('INCIDENT', 'CREATED');
    expect(incident!.value).toMatchObject({ errorType: 'UNHANDLED_ERROR_EVENT', jobKey });
    h.cancelInstance(pi);
    expect(h.events('JOB', 'CANCELED').map((r) => r.key)).toEqual([jobKey]);
    expect(h.events('INCIDENT', 'RESOLVED').map((r) => r.key)).toEqual([incident!.key]);
    expect(h.partition().state.jobs.table.size).toBe(0);
    await expectReplayable(h);
  });
});
