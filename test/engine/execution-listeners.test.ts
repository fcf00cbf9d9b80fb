import { describe, expect, it } from 'vitest';
import type { IncidentValue, JobValue } from '../../src/engine/records.js';
import {
  chain,
  end,
  exclusiveGateway,
  flow,
  model,
  plainTask,
  serviceTask,
  start,
  subProcess,
  timerBoundary,
  timerCatch,
  withExecutionListeners,
  withProcessListeners,
  type ExecutionListener,
} from '../fixtures/bpmn-builder.js';
import { EngineHarness, expectRejected, expectReplayable } from '../support/engine-harness.js';

const startL = (type: string, extra: Partial<ExecutionListener> = {}): ExecutionListener => ({ eventType: 'start', type, ...extra });
const endL = (type: string, extra: Partial<ExecutionListener> = {}): ExecutionListener => ({ eventType: 'end', type, ...extra });

function listenerJobs(h: EngineHarness): Array<{ key: bigint; value: JobValue }> {
  return h.events<JobValue>('JOB', 'CREATED').filter((r) => r.value.jobKind === 'EXECUTION_LISTENER');
}

/** The latest listener job of a type. */
function listenerJob(h: EngineHarness, type: string): { key: bigint; value: JobValue } {
  const found = listenerJobs(h).filter((job) => job.value.type === type);
  if (found.length === 0) throw new Error(`no listener job '${type}'`);
  return found[found.length - 1]!;
}

function complete(h: EngineHarness, type: string, variables: Record<string, unknown> = {}): void {
  expect(h.completeJob(listenerJob(h, type).key, variables)).toMatchObject({ ok: true });
}

function taskWith(listeners: ExecutionListener[], options: Parameters<typeof serviceTask>[2] = {}): string {
  return model('p', start(), withExecutionListeners(serviceTask('task', 'work', options), listeners), end(), ...chain('start', 'task', 'end'));
}

describe('execution listeners', () => {
  it('start and end listeners of a service task run around it, one after the other, the element waiting in ACTIVATING and COMPLETING', async () => {
    const h = new EngineHarness();
    await h.deployProcess(taskWith([startL('s1'), startL('s2', { retries: '5' }), endL('e1'), endL('e2')], { headers: { base: 'b', shared: 'task' } }));
    const pi = h.createInstance('p', { x: 1 });
    const taskKey = h.elementKeyOf('task');

    const s1 = listenerJob(h, 's1');
    expect(s1.value).toMatchObject({ jobKind: 'EXECUTION_LISTENER', jobListenerEventType: 'START', elementId: 'task', elementInstanceKey: taskKey, retries: 3 });
    expect(s1.value.customHeaders).toEqual({ base: 'b', shared: 'task' });
    expect(h.partition().state.elementInstances.get(taskKey)!.state).toBe('ACTIVATING');
    // A worker sees the element's variables.
    const [activated] = h.activateJobs('s1').jobs;
    expect(activated).toMatchObject({ jobKind: 'EXECUTION_LISTENER', elementId: 'task', variables: { x: 1 } });

    complete(h, 's1', { fromStart: 'a' });
    expect(h.elementStreamOf(pi)).not.toContain('task:ELEMENT_ACTIVATED');
    expect(listenerJob(h, 's2').value.retries).toBe(5);
    complete(h, 's2');
    expect(h.elementStreamOf(pi).filter((e) => e.startsWith('task:'))).toEqual(['task:ELEMENT_ACTIVATING', 'task:ELEMENT_ACTIVATED']);
    // The start listener's variable is local to the task.
    expect(h.variablesOf(taskKey)).toEqual({ fromStart: 'a' });

    h.completeJob(h.jobKeyOf('task'), { result: 42 });
    expect(h.partition().state.elementInstances.get(taskKey)!.state).toBe('COMPLETING');
    expect(listenerJob(h, 'e1').value).toMatchObject({ jobListenerEventType: 'END', elementInstanceKey: taskKey });
    // The job result went to the process before the end listeners ran.
    expect(h.activateJobs('e1').jobs[0]!.variables).toMatchObject({ x: 1, result: 42, fromStart: 'a' });
    complete(h, 'e1', { fromEnd: true });
    complete(h, 'e2');
    expect(h.elementStreamOf(pi).filter((e) => e.startsWith('task:'))).toEqual([
      'task:ELEMENT_ACTIVATING',
      'task:ELEMENT_ACTIVATED',
      'task:ELEMENT_COMPLETING',
      'task:ELEMENT_COMPLETED',
    ]);
    expect(listenerJobs(h).map((j) => `${j.value.jobListenerEventType}:${j.value.type}`)).toEqual(['START:s1', 'START:s2', 'END:e1', 'END:e2']);
    // The end listener's variable went to the flow scope; the start listener's stayed with the task.
    expect(h.events<{ name: string; scopeKey: bigint }>('VARIABLE', 'CREATED').map((r) => [r.value.name, r.value.scopeKey])).toEqual([
      ['x', pi],
      ['fromStart', taskKey],
      ['result', pi],
      ['fromEnd', pi],
    ]);
    expect(h.isActive(pi)).toBe(false);
    await expectReplayable(h);
  });

  it('the record order: the listener job completes, its variables are written, then the next step', async () => {
    const h = new EngineHarness();
    await h.deployProcess(taskWith([startL('s')]));
    h.createInstance('p');
    complete(h, 's', { v: 1 });
    const stream = h.eventStream(1, ['JOB', 'VARIABLE', 'PROCESS_INSTANCE']);
    const from = stream.indexOf('JOB:COMPLETED');
    expect(stream.slice(from, from + 4)).toEqual(['JOB:COMPLETED', 'VARIABLE:CREATED', 'PROCESS_INSTANCE:ELEMENT_ACTIVATED', 'JOB:CREATED']);
    await expectReplayable(h);
  });

  it('input mappings are applied before the start listeners, once; what a start listener sets is seen by the job type', async () => {
    const h = new EngineHarness();
    const task = withExecutionListeners(serviceTask('task', '=jobType', { io: { inputs: [['=base + 1', 'mapped']] } }), [startL('pick')]);
    await h.deployProcess(model('p', start(), task, end(), ...chain('start', 'task', 'end')));
    h.createInstance('p', { base: 1 });
    const taskKey = h.elementKeyOf('task');
    expect(h.activateJobs('pick').jobs[0]!.variables).toMatchObject({ mapped: 2 });
    complete(h, 'pick', { jobType: 'chosen' });
    const taskJob = h.events<JobValue>('JOB', 'CREATED').at(-1)!.value;
    expect(taskJob.type).toBe('chosen');
    expect(taskJob.jobKind).toBeUndefined();
    expect(h.events<{ name: string }>('VARIABLE', 'CREATED').filter((r) => r.value.name === 'mapped')).toHaveLength(1);
    expect(h.variablesOf(taskKey)).toEqual({ mapped: 2, jobType: 'chosen' });
    await expectReplayable(h);
  });

  it('a timer catch event waits for a duration its start listener set', async () => {
    const h = new EngineHarness();
    const timer = withExecutionListeners(timerCatch('wait', 'duration', '=delay'), [startL('plan')]);
    await h.deployProcess(model('p', start(), timer, end(), ...chain('start', 'wait', 'end')));
    const pi = h.createInstance('p');
    expect(h.events('TIMER', 'CREATED')).toHaveLength(0);
    complete(h, 'plan', { delay: 'PT1M' });
    expect(h.events<{ dueDate: number }>('TIMER', 'CREATED')).toHaveLength(1);
    h.advanceTime(60_000);
    expect(h.isActive(pi)).toBe(false);
    await expectReplayable(h);
  });

  it('a sub-process: start listeners before its start event, end listeners after its last element; their variables', async () => {
    const h = new EngineHarness();
    const inner = [start('s_start'), serviceTask('inner', 'inner-work'), end('s_end'), ...chain('s_start', 'inner', 's_end')];
    const sub = withExecutionListeners(subProcess('sub', inner), [startL('sub-start'), endL('sub-end')]);
    await h.deployProcess(model('p', start(), sub, serviceTask('after', 'after-work'), end(), ...chain('start', 'sub', 'after', 'end')));
    const pi = h.createInstance('p');
    const subKey = h.elementKeyOf('sub');
    expect(h.elementStreamOf(pi)).not.toContain('s_start:ELEMENT_ACTIVATING');
    complete(h, 'sub-start', { inSub: 'local' });
    expect(h.activateJobs('inner-work').jobs[0]!.variables).toMatchObject({ inSub: 'local' });
    h.completeJob(h.jobKeyOf('inner'));
    expect(h.partition().state.elementInstances.get(subKey)!.state).toBe('COMPLETING');
    expect(h.elementStreamOf(pi)).toContain('s_end:ELEMENT_COMPLETED');
    complete(h, 'sub-end', { fromSubEnd: 7 });
    const after = h.activateJobs('after-work').jobs[0]!;
    expect(after.variables).toMatchObject({ fromSubEnd: 7 });
    expect(after.variables).not.toHaveProperty('inSub');
    expect(h.variablesOf(pi)).toMatchObject({ fromSubEnd: 7 });
    await expectReplayable(h);
  });

  it('process listeners: start before the start event, end after the last element', async () => {
    const h = new EngineHarness();
    await h.deployProcess(withProcessListeners(model('p', start(), plainTask('t'), end(), ...chain('start', 't', 'end')), 'p', [startL('p-start'), endL('p-end')]));
    const pi = h.createInstance('p');
    expect(h.elementStreamOf(pi)).toEqual(['p:ELEMENT_ACTIVATING']);
    expect(listenerJob(h, 'p-start').value).toMatchObject({ elementId: 'p', elementInstanceKey: pi, jobListenerEventType: 'START' });
    complete(h, 'p-start', { started: true });
    expect(h.elementStreamOf(pi)).toContain('end:ELEMENT_COMPLETED');
    expect(h.elementStreamOf(pi).at(-1)).toBe('p:ELEMENT_COMPLETING');
    expect(h.activateJobs('p-end').jobs[0]!.variables).toEqual({ started: true });
    complete(h, 'p-end', { ended: true });
    expect(h.elementStreamOf(pi).at(-1)).toBe('p:ELEMENT_COMPLETED');
    expect(h.isActive(pi)).toBe(false);
    await expectReplayable(h);
  });

  it('a gateway with a start listener: its conditions see what the listener set', async () => {
    const h = new EngineHarness();
    const gateway = withExecutionListeners(exclusiveGateway('gw'), [startL('decide')]);
    await h.deployProcess(
      model(
        'p',
        start(),
        gateway,
        end('yes'),
        end('no'),
        flow('start', 'gw'),
        flow('gw', 'yes', { condition: '=choice = "yes"' }),
        flow('gw', 'no', { condition: '=choice = "no"' }),
      ),
    );
    const pi = h.createInstance('p');
    expect(h.elementStreamOf(pi).at(-1)).toBe('gw:ELEMENT_ACTIVATING');
    complete(h, 'decide', { choice: 'no' });
    expect(h.elementStreamOf(pi)).toContain('gw:ELEMENT_ACTIVATED');
    expect(h.elementStreamOf(pi)).toContain('no:ELEMENT_COMPLETED');
    expect(h.elementStreamOf(pi)).not.toContain('yes:ELEMENT_ACTIVATING');
    // The variable was the gateway's own: gone with it.
    expect(h.variablesOf(pi)).toEqual({});
    await expectReplayable(h);
  });

  it('a failing listener job raises an incident on the job; resolving it retries only that listener', async () => {
    const h = new EngineHarness();
    await h.deployProcess(taskWith([startL('first'), startL('second')]));
    const pi = h.createInstance('p');
    complete(h, 'first');
    const second = listenerJob(h, 'second');
    h.failJob(second.key, 0, { errorMessage: 'boom' });
    const [incident] = h.events<IncidentValue>('INCIDENT', 'CREATED');
    expect(incident!.value).toMatchObject({ errorType: 'EXECUTION_LISTENER_NO_RETRIES', errorMessage: 'boom', jobKey: second.key, elementId: 'task' });
    expectRejected(h.resolveIncident(incident!.key), 'INVALID_STATE', 'update its retries first');
    h.updateJobRetries(second.key, 1);
    expect(h.resolveIncident(incident!.key)).toMatchObject({ ok: true });
    complete(h, 'second');
    expect(listenerJobs(h).map((j) => j.value.type)).toEqual(['first', 'second']);
    expect(h.elementStreamOf(pi)).toContain('task:ELEMENT_ACTIVATED');
    await expectReplayable(h);
  });

  it('a type expression that fails raises an incident on the element; resolving runs the listeners again from the first', async () => {
    const h = new EngineHarness();
    await h.deployProcess(taskWith([startL('first'), startL('=second'), endL('last')]));
    const pi = h.createInstance('p');
    const taskKey = h.elementKeyOf('task');
    complete(h, 'first');
    const [incident] = h.events<IncidentValue>('INCIDENT', 'CREATED');
    expect(incident!.value).toMatchObject({ errorType: 'EXTRACT_VALUE_ERROR', elementInstanceKey: taskKey, jobKey: -1n });
    expect(incident!.value.errorMessage).toContain("failed to evaluate the type of an execution listener");
    h.setVariables(pi, { second: 'second-type' });
    h.resolveIncident(incident!.key);
    expect(listenerJobs(h).map((j) => j.value.type)).toEqual(['first', 'first']);
    complete(h, 'first');
    complete(h, 'second-type');
    h.completeJob(h.jobKeyOf('task'));
    complete(h, 'last');
    expect(h.isActive(pi)).toBe(false);
    await expectReplayable(h);
  });

  it('a bad retries expression of an end listener: incident, and the end listeners start over', async () => {
    const h = new EngineHarness();
    await h.deployProcess(taskWith([endL('e1'), endL('e2', { retries: '=tries' })]));
    const pi = h.createInstance('p');
    h.completeJob(h.jobKeyOf('task'), { out: 1 });
    complete(h, 'e1');
    const [incident] = h.events<IncidentValue>('INCIDENT', 'CREATED');
    expect(incident!.value.errorMessage).toContain('retries of an execution listener');
    h.setVariables(pi, { tries: 2 });
    h.resolveIncident(incident!.key);
    complete(h, 'e1');
    expect(listenerJob(h, 'e2').value.retries).toBe(2);
    complete(h, 'e2');
    expect(h.isActive(pi)).toBe(false);
    await expectReplayable(h);
  });

  it('terminating the element cancels its running listener job and resolves the job incident', async () => {
    const h = new EngineHarness();
    await h.deployProcess(taskWith([startL('slow')]));
    const pi = h.createInstance('p');
    const job = listenerJob(h, 'slow');
    h.failJob(job.key, 0);
    h.cancelInstance(pi);
    expect(h.events<JobValue>('JOB', 'CANCELED').map((r) => r.key)).toEqual([job.key]);
    expect(h.events('INCIDENT', 'RESOLVED')).toHaveLength(1);
    expect(h.partition().state.jobs.get(job.key)).toBeUndefined();
    expect(h.isActive(pi)).toBe(false);
    await expectReplayable(h);
  });

  it('a BPMN error thrown from a listener job is refused', async () => {
    const h = new EngineHarness();
    await h.deployProcess(taskWith([startL('s')]));
    const pi = h.createInstance('p');
    const job = listenerJob(h, 's');
    expectRejected(h.throwError(job.key, 'oops'), 'INVALID_STATE', `Cannot throw BPMN error from EXECUTION_LISTENER job with key '${job.key}', type 's' and processInstanceKey '${pi}'`);
    complete(h, 's');
    await expectReplayable(h);
  });

  it('listener headers are laid over the element headers', async () => {
    const h = new EngineHarness();
    await h.deployProcess(taskWith([startL('s', { headers: { shared: 'listener', own: 'x' } })], { headers: { shared: 'task', base: 'b' } }));
    h.createInstance('p');
    expect(listenerJob(h, 's').value.customHeaders).toEqual({ shared: 'listener', base: 'b', own: 'x' });
    await expectReplayable(h);
  });

  it('events: an end listener on an interrupting boundary event, start and end listeners on an end event', async () => {
    const h = new EngineHarness();
    const boundary = withExecutionListeners(timerBoundary('late', 'task', 'duration', 'PT1M'), [endL('late-end')]);
    const finish = withExecutionListeners(end('done'), [startL('done-start'), endL('done-end')]);
    await h.deployProcess(
      model('p', start(), serviceTask('task', 'work'), boundary, finish, end(), ...chain('start', 'task', 'end'), flow('late', 'done')),
    );
    const pi = h.createInstance('p');
    h.advanceTime(60_000);
    expect(h.elementStreamOf(pi)).toContain('task:ELEMENT_TERMINATED');
    expect(h.elementStreamOf(pi).at(-1)).toBe('late:ELEMENT_COMPLETING');
    complete(h, 'late-end');
    expect(h.elementStreamOf(pi).at(-1)).toBe('done:ELEMENT_ACTIVATING');
    complete(h, 'done-start');
    expect(h.elementStreamOf(pi).at(-1)).toBe('done:ELEMENT_COMPLETING');
    complete(h, 'done-end');
    expect(h.isActive(pi)).toBe(false);
    expect(listenerJobs(h).map((j) => `${j.value.elementId}:${j.value.jobListenerEventType}`)).toEqual(['late:END', 'done:START', 'done:END']);
    await expectReplayable(h);
  });
});
