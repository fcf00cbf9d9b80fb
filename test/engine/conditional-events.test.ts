import { describe, expect, it } from 'vitest';
import type { ConditionalEvaluationValue, ConditionalSubscriptionValue } from '../../src/engine/records.js';
import {
  callActivity,
  chain,
  conditionalBoundary,
  conditionalCatch,
  conditionalDefinition,
  conditionalStart,
  end,
  eventSubProcess,
  flow,
  model,
  parallelGateway,
  serviceTask,
  start,
  subProcess,
} from '../fixtures/bpmn-builder.js';
import { EngineHarness, expectRejected, expectReplayable } from '../support/engine-harness.js';

function evaluate(h: EngineHarness, variables: Record<string, unknown>, processDefinitionKey = -1n) {
  return h.process(1, {
    valueType: 'CONDITIONAL_EVALUATION',
    intent: 'EVALUATE',
    key: -1n,
    value: { processDefinitionKey, variables, tenantId: '<default>', startedProcessInstances: [] },
  });
}

function subscriptionEvents(h: EngineHarness, catchEventId: string): string[] {
  return h
    .records()
    .filter((r) => r.recordType === 'EVENT' && r.valueType === 'CONDITIONAL_SUBSCRIPTION' && (r.value as ConditionalSubscriptionValue).catchEventId === catchEventId)
    .map((r) => r.intent);
}

/** start → task → end, and a conditional boundary event on the task leading to `after` → e2. */
function taskWithBoundary(condition: string, options: Parameters<typeof conditionalBoundary>[3] = {}, taskIo?: { inputs?: Array<[string, string]> }): string {
  return model(
    'p',
    start(),
    serviceTask('task', 'work', { io: taskIo }),
    conditionalBoundary('cond', 'task', condition, options),
    serviceTask('after', 'after'),
    end(),
    end('e2'),
    ...chain('start', 'task', 'end'),
    ...chain('cond', 'after', 'e2'),
  );
}

describe('intermediate conditional catch events', () => {
  it('waits until a variable change makes its condition true; a change that leaves it false does nothing', async () => {
    const h = new EngineHarness();
    await h.deployProcess(model('p', start(), conditionalCatch('wait', '=x > 10'), end(), ...chain('start', 'wait', 'end')));
    const pi = h.createInstance('p', { x: 5 });
    const [created] = h.events<ConditionalSubscriptionValue>('CONDITIONAL_SUBSCRIPTION', 'CREATED');
    const waitKey = h.elementKeyOf('wait', pi);
    expect(created!.value).toMatchObject({ scopeKey: waitKey, elementInstanceKey: waitKey, processInstanceKey: pi, catchEventId: 'wait', condition: '=x > 10', interrupting: true, variableNames: [], variableEvents: [] });
    h.setVariables(pi, { x: 7 });
    expect(h.isActive(pi)).toBe(true);
    expect(subscriptionEvents(h, 'wait')).toEqual(['CREATED']);
    h.setVariables(pi, { x: 11 });
    expect(subscriptionEvents(h, 'wait')).toEqual(['CREATED', 'TRIGGERED', 'DELETED']);
    expect(h.elementStreamOf(pi)).toContain('wait:ELEMENT_COMPLETED');
    expect(h.isActive(pi)).toBe(false);
    expect(h.partition().state.conditionals.table.size).toBe(0);
    await expectReplayable(h);
  });

  it('passes at once when its condition is already true when it is reached', async () => {
    const h = new EngineHarness();
    await h.deployProcess(model('p', start(), conditionalCatch('wait', '=ready'), end(), ...chain('start', 'wait', 'end')));
    const pi = h.createInstance('p', { ready: true });
    expect(h.isActive(pi)).toBe(false);
    expect(subscriptionEvents(h, 'wait')).toEqual(['CREATED', 'TRIGGERED', 'DELETED']);
    // A variable the condition needs that is not set yet counts as false, not as an error.
    const other = h.createInstance('p');
    expect(h.isActive(other)).toBe(true);
    expect(h.events('INCIDENT', 'CREATED')).toHaveLength(0);
    await expectReplayable(h);
  });

  it('is triggered by the output mapping of a task on a parallel branch', async () => {
    const h = new EngineHarness();
    await h.deployProcess(
      model(
        'p',
        start(),
        parallelGateway('fork'),
        serviceTask('prepare', 'prepare', { io: { outputs: [['="ready"', 'stage']] } }),
        conditionalCatch('wait', '=stage = "ready"'),
        serviceTask('ship', 'ship'),
        end('e1'),
        end('e2'),
        ...chain('start', 'fork', 'prepare', 'e1'),
        ...chain('fork', 'wait', 'ship', 'e2'),
      ),
    );
    const pi = h.createInstance('p');
    expect(h.events('JOB', 'CREATED').map((r) => (r.value as { type: string }).type)).toEqual(['prepare']);
    h.completeJob(h.jobKeyOf('prepare'));
    expect(h.elementStreamOf(pi)).toContain('wait:ELEMENT_COMPLETED');
    expect(h.events('JOB', 'CREATED').map((r) => (r.value as { type: string }).type)).toEqual(['prepare', 'ship']);
    await expectReplayable(h);
  });

  it('a condition that is not a boolean raises an incident; resolving it looks at the condition again', async () => {
    const h = new EngineHarness();
    await h.deployProcess(model('p', start(), conditionalCatch('wait', '=flag'), end(), ...chain('start', 'wait', 'end')));
    const pi = h.createInstance('p', { flag: 'yes' });
    const [incident] = h.events<{ errorType: string; errorMessage: string; elementId: string }>('INCIDENT', 'CREATED');
    expect(incident!.value).toMatchObject({ errorType: 'EXTRACT_VALUE_ERROR', elementId: 'wait' });
    expect(incident!.value.errorMessage).toContain("Element 'wait': failed to evaluate the condition: Expected result of the expression 'flag' to be 'BOOLEAN', but was 'STRING'.");
    // While the incident is open the condition rests, even if it became true.
    h.setVariables(pi, { flag: true });
    expect(h.isActive(pi)).toBe(true);
    expect(h.events('INCIDENT', 'CREATED')).toHaveLength(1);
    h.resolveIncident(incident!.key);
    expect(h.isActive(pi)).toBe(false);
    expect(subscriptionEvents(h, 'wait')).toEqual(['CREATED', 'TRIGGERED', 'DELETED']);
    await expectReplayable(h);
  });
});

describe('conditional boundary events', () => {
  it('an interrupting one fires when a job on a parallel branch completes with the variable, cancelling the task and its job', async () => {
    const h = new EngineHarness();
    await h.deployProcess(
      model(
        'p',
        start(),
        parallelGateway('fork'),
        serviceTask('review', 'review'),
        conditionalBoundary('changed', 'review', '=addressChanged = true'),
        serviceTask('reporter', 'report'),
        serviceTask('apply', 'apply'),
        end('e1'),
        end('e2'),
        end('e3'),
        ...chain('start', 'fork', 'review', 'e1'),
        ...chain('fork', 'reporter', 'e2'),
        ...chain('changed', 'apply', 'e3'),
      ),
    );
    const pi = h.createInstance('p', { addressChanged: false });
    const reviewJob = h.jobKeyOf('review');
    h.completeJob(h.jobKeyOf('reporter'), { addressChanged: true });
    expect(h.elementStreamOf(pi)).toEqual(expect.arrayContaining(['review:ELEMENT_TERMINATED', 'changed:ELEMENT_COMPLETED', 'apply:ELEMENT_ACTIVATED']));
    expect(h.events('JOB', 'CANCELED').map((r) => r.key)).toEqual([reviewJob]);
    expect(subscriptionEvents(h, 'changed')).toEqual(['CREATED', 'TRIGGERED', 'DELETED']);
    await expectReplayable(h);
  });

  it('is evaluated when the activity is entered: an input mapping can make it fire at once', async () => {
    const h = new EngineHarness();
    await h.deployProcess(taskWithBoundary('=limit > 10', {}, { inputs: [['=20', 'limit']] }));
    const pi = h.createInstance('p');
    expect(h.elementStreamOf(pi)).toEqual(expect.arrayContaining(['task:ELEMENT_ACTIVATED', 'task:ELEMENT_TERMINATED', 'cond:ELEMENT_COMPLETED']));
    expect(h.events('JOB', 'CANCELED')).toHaveLength(1);
    await expectReplayable(h);
  });

  it('on a call activity, firing as it is entered leaves no called instance behind', async () => {
    const h = new EngineHarness();
    await h.deploy(
      { name: 'child.bpmn', xml: model('child', start('cs'), serviceTask('childWork', 'child'), end('ce'), ...chain('cs', 'childWork', 'ce')) },
      { name: 'p.bpmn', xml: model('p', start(), callActivity('call', 'child'), conditionalBoundary('skip', 'call', '=skip'), end(), end('e2'), ...chain('start', 'call', 'end'), flow('skip', 'e2')) },
    );
    const pi = h.createInstance('p', { skip: true });
    expect(h.isActive(pi)).toBe(false);
    expect(h.events<{ bpmnProcessId: string }>('PROCESS_INSTANCE', 'ELEMENT_ACTIVATING').filter((r) => r.value.bpmnProcessId === 'child')).toHaveLength(0);
    expect(h.events('JOB', 'CREATED')).toHaveLength(0);
    // Not even the variables the child would have started with.
    expect(h.partition().state.variables.table.size).toBe(0);
    await expectReplayable(h);
  });

  it('does not fire from the completing task own result: the subscription is closed before the result is merged', async () => {
    const h = new EngineHarness();
    await h.deployProcess(taskWithBoundary('=x > 10'));
    const pi = h.createInstance('p', { x: 1 });
    h.completeJob(h.jobKeyOf('task'), { x: 50 });
    expect(h.isActive(pi)).toBe(false);
    expect(subscriptionEvents(h, 'cond')).toEqual(['CREATED', 'DELETED']);
    expect(h.elementStreamOf(pi)).not.toContain('cond:ELEMENT_ACTIVATING');
    await expectReplayable(h);
  });

  it('a non-interrupting one fires on false → true only, again after the condition was false; other variables do not fire it', async () => {
    const h = new EngineHarness();
    await h.deployProcess(taskWithBoundary('=alarm', { interrupting: false }));
    const pi = h.createInstance('p', { alarm: false });
    const taskKey = h.elementKeyOf('task', pi);
    const fired = () => h.events<{ elementId: string }>('PROCESS_INSTANCE', 'ELEMENT_ACTIVATING').filter((r) => r.value.elementId === 'cond').length;
    h.setVariables(pi, { alarm: true });
    expect(fired()).toBe(1);
    h.setVariables(pi, { other: 1 });
    h.setVariables(taskKey, { alarm: true, note: 'still on' }, true);
    expect(fired()).toBe(1);
    h.setVariables(taskKey, { alarm: false }, true);
    expect(subscriptionEvents(h, 'cond')).toEqual(['CREATED', 'TRIGGERED', 'RESET']);
    h.setVariables(pi, { alarm: false, other: 2 });
    h.setVariables(taskKey, { alarm: true }, true);
    expect(fired()).toBe(2);
    expect(h.isActive(taskKey)).toBe(true);
    expect(h.partition().state.conditionals.table.size).toBe(1);
    await expectReplayable(h);
  });

  it('only looks at the variables and kinds of change its zeebe:conditionalFilter names', async () => {
    const h = new EngineHarness();
    await h.deployProcess(taskWithBoundary('=a + b > 10', { interrupting: false, filter: { variableNames: 'a', variableEvents: 'update' } }));
    const pi = h.createInstance('p', { b: 0 });
    h.setVariables(pi, { a: 20 }); // created: not an update
    h.setVariables(pi, { b: 1 }); // not a variable it watches
    expect(subscriptionEvents(h, 'cond')).toEqual(['CREATED']);
    h.setVariables(pi, { a: 21 });
    expect(subscriptionEvents(h, 'cond')).toEqual(['CREATED', 'TRIGGERED']);
    await expectReplayable(h);
  });

  it('sees only variables visible to its activity: a local variable of another task does not reach it', async () => {
    const h = new EngineHarness();
    await h.deployProcess(
      model(
        'p',
        start(),
        parallelGateway('fork'),
        serviceTask('a', 'a'),
        conditionalBoundary('onA', 'a', '=x > 10'),
        serviceTask('b', 'b'),
        end('e1'),
        end('e2'),
        end('e3'),
        ...chain('start', 'fork', 'a', 'e1'),
        ...chain('fork', 'b', 'e2'),
        flow('onA', 'e3'),
      ),
    );
    const pi = h.createInstance('p');
    h.setVariables(h.elementKeyOf('b', pi), { x: 50 }, true);
    expect(h.isActive(h.elementKeyOf('a', pi))).toBe(true);
    // The same name set on the process reaches it.
    h.setVariables(pi, { x: 50 });
    expect(h.isActive(h.elementKeyOf('a', pi))).toBe(false);
    await expectReplayable(h);
  });

  it('outer scopes are looked at first: the sub-process boundary event interrupts before the inner one can fire', async () => {
    const h = new EngineHarness();
    await h.deployProcess(
      model(
        'p',
        start(),
        subProcess('sub', [start('s2'), serviceTask('inner', 'inner'), conditionalBoundary('innerCond', 'inner', '=x > 10'), end('e2'), end('e3'), ...chain('s2', 'inner', 'e2'), flow('innerCond', 'e3')]),
        conditionalBoundary('outerCond', 'sub', '=x > 10'),
        end(),
        end('e4'),
        ...chain('start', 'sub', 'end'),
        flow('outerCond', 'e4'),
      ),
    );
    const pi = h.createInstance('p', { x: 0 });
    h.setVariables(pi, { x: 11 });
    expect(h.elementStreamOf(pi)).toContain('outerCond:ELEMENT_COMPLETED');
    expect(h.elementStreamOf(pi)).not.toContain('innerCond:ELEMENT_ACTIVATING');
    expect(subscriptionEvents(h, 'innerCond')).toEqual(['CREATED', 'DELETED']);
    expect(h.isActive(pi)).toBe(false);
    await expectReplayable(h);
  });
});

describe('conditional event sub-processes', () => {
  const withEventSubProcess = (interrupting: boolean) =>
    model(
      'p',
      start(),
      serviceTask('work', 'work'),
      end(),
      ...chain('start', 'work', 'end'),
      eventSubProcess('onCancel', 'cancelled', conditionalDefinition('=status = "cancelled"'), [serviceTask('cleanup', 'cleanup'), end('e2'), ...chain('cancelled', 'cleanup', 'e2')], interrupting),
    );

  it('an interrupting one ends the rest of the scope when a SetVariables makes its condition true', async () => {
    const h = new EngineHarness();
    await h.deployProcess(withEventSubProcess(true));
    const pi = h.createInstance('p', { status: 'open' });
    const [created] = h.events<ConditionalSubscriptionValue>('CONDITIONAL_SUBSCRIPTION', 'CREATED');
    expect(created!.value).toMatchObject({ scopeKey: pi, elementInstanceKey: pi, catchEventId: 'cancelled', interrupting: true });
    h.setVariables(pi, { status: 'cancelled' });
    expect(h.elementStreamOf(pi)).toEqual(expect.arrayContaining(['work:ELEMENT_TERMINATED', 'onCancel:ELEMENT_ACTIVATED', 'cleanup:ELEMENT_ACTIVATED']));
    h.completeJob(h.jobKeyOf('cleanup'));
    expect(h.isActive(pi)).toBe(false);
    await expectReplayable(h);
  });

  it('an interrupting one whose condition holds when the process starts runs instead of the process flow', async () => {
    const h = new EngineHarness();
    await h.deployProcess(withEventSubProcess(true));
    const pi = h.createInstance('p', { status: 'cancelled' });
    expect(h.elementStreamOf(pi)).not.toContain('start:ELEMENT_ACTIVATING');
    expect(h.events('JOB', 'CREATED').map((r) => (r.value as { type: string }).type)).toEqual(['cleanup']);
    h.completeJob(h.jobKeyOf('cleanup'));
    expect(h.isActive(pi)).toBe(false);
    await expectReplayable(h);
  });

  it('a non-interrupting one runs beside the scope, and again once the condition turned false and true', async () => {
    const h = new EngineHarness();
    await h.deployProcess(withEventSubProcess(false));
    const pi = h.createInstance('p', { status: 'cancelled' });
    const started = () => h.events<{ elementId: string }>('PROCESS_INSTANCE', 'ELEMENT_ACTIVATING').filter((r) => r.value.elementId === 'onCancel').length;
    expect(started()).toBe(1);
    h.setVariables(pi, { status: 'open' });
    h.setVariables(pi, { status: 'cancelled' });
    expect(started()).toBe(2);
    expect(h.isActive(h.elementKeyOf('work', pi))).toBe(true);
    await expectReplayable(h);
  });
});

describe('conditional start events', () => {
  const starter = (id: string, condition: string, filter?: { variableNames?: string }) =>
    model(id, conditionalStart('go', condition, filter), serviceTask('task', `${id}-work`), end(), ...chain('go', 'task', 'end'));

  it('the evaluation starts an instance of every process whose condition is true, with the variables', async () => {
    const h = new EngineHarness();
    await h.deploy({ name: 'big.bpmn', xml: starter('big', '=amount > 100') }, { name: 'any.bpmn', xml: starter('any', '=amount > 0') });
    const none = evaluate(h, { amount: -5 });
    expect(none).toMatchObject({ ok: true, value: { processInstances: [] } });
    const response = evaluate(h, { amount: 150 });
    if (!response?.ok) throw new Error('evaluation rejected');
    const value = response.value as { conditionalEvaluationKey: bigint; processInstances: Array<{ processDefinitionKey: bigint; processInstanceKey: bigint }> };
    expect(value.conditionalEvaluationKey).toBe(response.key);
    expect(value.processInstances).toHaveLength(2);
    for (const { processInstanceKey } of value.processInstances) {
      expect(h.variablesOf(processInstanceKey)).toEqual({ amount: 150 });
      expect(h.elementStreamOf(processInstanceKey)).toEqual(expect.arrayContaining(['go:ELEMENT_COMPLETED', 'task:ELEMENT_ACTIVATED']));
    }
    const evaluated = h.events<ConditionalEvaluationValue>('CONDITIONAL_EVALUATION', 'EVALUATED');
    expect(evaluated.map((r) => r.value.startedProcessInstances.length)).toEqual([0, 2]);
    // A process with only conditional start events cannot be created directly.
    expectRejected(h.createInstanceRaw({ bpmnProcessId: 'big' }), 'INVALID_ARGUMENT', 'none start event');
    await expectReplayable(h);
  });

  it('can be restricted to one process definition, which must exist; variableNames filter the request', async () => {
    const h = new EngineHarness();
    await h.deploy({ name: 'a.bpmn', xml: starter('a', '=amount > 0', { variableNames: 'amount' }) }, { name: 'b.bpmn', xml: starter('b', '=true') });
    const bKey = h.partition().state.processes.latest('b', '<default>')!.key;
    const only = evaluate(h, { amount: 1 }, bKey);
    expect((only as { value: { processInstances: unknown[] } }).value.processInstances).toEqual([{ processDefinitionKey: bKey, processInstanceKey: expect.any(BigInt) }]);
    // 'a' watches 'amount' only: a request without it does not even evaluate its condition.
    const without = evaluate(h, { other: 1 });
    expect((without as { value: { processInstances: Array<{ processDefinitionKey: bigint }> } }).value.processInstances.map((p) => p.processDefinitionKey)).toEqual([bKey]);
    expectRejected(evaluate(h, {}, 2251799813689999n), 'NOT_FOUND', "process definition with key '2251799813689999'");
    await expectReplayable(h);
  });
});

describe('deploying conditional events', () => {
  it.each([
    ['a static condition', conditionalCatch('c', 'x > 1'), "expected an expression for the condition but found the static value 'x > 1'"],
    ['no condition', '<bpmn:intermediateCatchEvent id="c"><bpmn:conditionalEventDefinition/></bpmn:intermediateCatchEvent>', 'a conditional event must have a condition'],
    ['an unknown variable event', conditionalCatch('c', '=x > 1', { filter: { variableEvents: 'create, delete' } }), "may only be 'create' and 'update', but found 'delete'"],
  ])('refuses %s', async (_case, element, fragment) => {
    const h = new EngineHarness();
    const response = await h.deploy({ name: 'p.bpmn', xml: model('p', start(), element, end(), ...chain('start', 'c', 'end')) });
    expectRejected(response, 'INVALID_ARGUMENT', fragment);
    await expectReplayable(h);
  });

  it('refuses two conditional start events with the same condition', async () => {
    const h = new EngineHarness();
    const response = await h.deploy({ name: 'p.bpmn', xml: model('p', conditionalStart('s1', '=x > 1'), conditionalStart('s2', '=x > 1'), end(), flow('s1', 'end'), flow('s2', 'end')) });
    expectRejected(response, 'INVALID_ARGUMENT', "the condition '=x > 1' already starts the process at 's1'");
    await expectReplayable(h);
  });
});
