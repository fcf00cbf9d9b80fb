import { describe, expect, it } from 'vitest';
import type { CompensationSubscriptionValue, ProcessInstanceValue, ZenRecord } from '../../src/engine/records.js';
import {
  chain,
  compensationBoundary,
  compensationThrow,
  end,
  error,
  errorBoundary,
  eventSubProcess,
  exclusiveGateway,
  flow,
  forCompensation,
  model,
  parallelGateway,
  serviceTask,
  start,
  subProcess,
} from '../fixtures/bpmn-builder.js';
import { EngineHarness, expectReplayable } from '../support/engine-harness.js';

/** A job task `id` (job type = id) with a compensation boundary event whose handler is `undo_<id>` (job type likewise). */
function compensable(id: string, options: { loop?: { inputCollection: string } } = {}): string[] {
  return [
    serviceTask(id, id, options.loop ? { loop: options.loop } : {}),
    compensationBoundary(`${id}_comp`, id, `undo_${id}`),
    forCompensation(serviceTask(`undo_${id}`, `undo_${id}`)),
  ];
}

type Subscription = ZenRecord<CompensationSubscriptionValue>;

function subscriptions(h: EngineHarness, intent: string): Subscription[] {
  return h.events<CompensationSubscriptionValue>('COMPENSATION_SUBSCRIPTION', intent);
}

/** `INTENT:compensableActivityId` of every COMPENSATION_SUBSCRIPTION event, in order. */
function subscriptionStream(h: EngineHarness): string[] {
  return h.records().filter((r) => r.recordType === 'EVENT' && r.valueType === 'COMPENSATION_SUBSCRIPTION').map((r) => `${r.intent}:${(r.value as CompensationSubscriptionValue).compensableActivityId}`);
}

function activating(h: EngineHarness, elementId: string): Array<ZenRecord<ProcessInstanceValue>> {
  return h.events<ProcessInstanceValue>('PROCESS_INSTANCE', 'ELEMENT_ACTIVATING').filter((r) => r.value.elementId === elementId);
}

function jobTypes(h: EngineHarness): string[] {
  return h.events<{ type: string }>('JOB', 'CREATED').map((r) => r.value.type);
}

describe('compensation', () => {
  it('compensates only the activities that completed; the throw event waits for the handler', async () => {
    const h = new EngineHarness();
    await h.deployProcess(
      model(
        'p',
        start(),
        parallelGateway('fork'),
        ...compensable('A'),
        ...compensable('B'),
        compensationThrow('undo'),
        compensationThrow('again'),
        end('end_a'),
        end('end_b'),
        flow('start', 'fork'),
        ...chain('fork', 'A', 'undo', 'again', 'end_a'),
        ...chain('fork', 'B', 'end_b'),
      ),
    );
    const pi = h.createInstance('p');
    h.completeJob(h.jobKeyOf('A'));

    const [created] = subscriptions(h, 'CREATED');
    expect(created!.value).toEqual({
      tenantId: '<default>',
      processInstanceKey: pi,
      processDefinitionKey: created!.value.processDefinitionKey,
      compensableActivityId: 'A',
      compensableActivityScopeKey: pi,
      compensableActivityInstanceKey: h.elementKeyOf('A'),
      throwEventId: '',
      throwEventInstanceKey: -1n,
      compensationHandlerId: 'undo_A',
      compensationHandlerInstanceKey: -1n,
      variables: {},
    });
    // B is still running: only A is compensated.
    const [triggered] = subscriptions(h, 'TRIGGERED');
    expect(triggered!.key).toBe(created!.key);
    expect(triggered!.value).toMatchObject({ compensableActivityId: 'A', throwEventId: 'undo', throwEventInstanceKey: h.elementKeyOf('undo'), compensationHandlerInstanceKey: h.elementKeyOf('undo_A') });
    expect(jobTypes(h)).toEqual(['A', 'B', 'undo_A']);
    const stream = h.elementStreamOf(pi);
    const from = stream.indexOf('undo:ELEMENT_ACTIVATED');
    expect(stream.slice(from, from + 6)).toEqual([
      'undo:ELEMENT_ACTIVATED',
      'A_comp:ELEMENT_ACTIVATING',
      'A_comp:ELEMENT_ACTIVATED',
      'A_comp:ELEMENT_COMPLETING',
      'A_comp:ELEMENT_COMPLETED',
      'undo_A:ELEMENT_ACTIVATING',
    ]);
    // The boundary event and the handler run beside the thrower, marked as compensation.
    const [handler] = activating(h, 'undo_A');
    expect(handler!.value).toMatchObject({ flowScopeKey: pi, bpmnElementType: 'SERVICE_TASK', bpmnEventType: 'COMPENSATION' });
    expect(activating(h, 'A_comp')[0]!.value).toMatchObject({ flowScopeKey: pi, bpmnElementType: 'BOUNDARY_EVENT', bpmnEventType: 'COMPENSATION' });
    expect(stream).not.toContain('undo:ELEMENT_COMPLETED');

    h.completeJob(h.jobKeyOf('undo_A'));
    const after = h.elementStreamOf(pi);
    expect(after.slice(after.indexOf('undo_A:ELEMENT_COMPLETED'))).toEqual(expect.arrayContaining(['undo:ELEMENT_COMPLETED', 'again:ELEMENT_COMPLETED', 'end_a:ELEMENT_COMPLETED']));
    // A compensated activity is not compensated again: the second throw finds nothing and goes on.
    expect(subscriptions(h, 'TRIGGERED')).toHaveLength(1);
    expect(subscriptionStream(h)).toEqual(['CREATED:A', 'TRIGGERED:A', 'COMPLETED:A']);

    // B completes after the compensation: it becomes compensable, until the instance ends.
    h.completeJob(h.jobKeyOf('B'));
    expect(subscriptionStream(h)).toEqual(['CREATED:A', 'TRIGGERED:A', 'COMPLETED:A', 'CREATED:B', 'DELETED:B']);
    expect(h.isActive(pi)).toBe(false);
    expect(h.partition().state.compensations.table.size).toBe(0);
    await expectReplayable(h);
  });

  it('starts every handler of the scope at once, the most recently completed first, and waits for all', async () => {
    const h = new EngineHarness();
    await h.deployProcess(model('p', start(), ...compensable('A'), ...compensable('B'), compensationThrow('undo'), end(), ...chain('start', 'A', 'B', 'undo', 'end')));
    const pi = h.createInstance('p');
    h.completeJob(h.jobKeyOf('A'));
    h.completeJob(h.jobKeyOf('B'));
    expect(subscriptions(h, 'TRIGGERED').map((r) => r.value.compensableActivityId)).toEqual(['B', 'A']);
    expect(jobTypes(h).slice(2)).toEqual(['undo_B', 'undo_A']);
    h.completeJob(h.jobKeyOf('undo_A'));
    expect(h.elementStreamOf(pi)).not.toContain('undo:ELEMENT_COMPLETED');
    h.completeJob(h.jobKeyOf('undo_B'));
    expect(h.elementStreamOf(pi)).toContain('undo:ELEMENT_COMPLETED');
    expect(h.isActive(pi)).toBe(false);
    expect(subscriptionStream(h)).toEqual(['CREATED:A', 'CREATED:B', 'TRIGGERED:B', 'TRIGGERED:A', 'COMPLETED:A', 'COMPLETED:B']);
    await expectReplayable(h);
  });

  it('with activityRef compensates that activity only; a later throw compensates the rest', async () => {
    const h = new EngineHarness();
    await h.deployProcess(
      model('p', start(), ...compensable('A'), ...compensable('B'), compensationThrow('undo_a_first', { activityRef: 'A' }), compensationThrow('undo_rest'), end(), ...chain('start', 'A', 'B', 'undo_a_first', 'undo_rest', 'end')),
    );
    const pi = h.createInstance('p');
    h.completeJob(h.jobKeyOf('A'));
    h.completeJob(h.jobKeyOf('B'));
    expect(jobTypes(h)).toEqual(['A', 'B', 'undo_A']);
    h.completeJob(h.jobKeyOf('undo_A'));
    expect(jobTypes(h)).toEqual(['A', 'B', 'undo_A', 'undo_B']);
    expect(subscriptions(h, 'TRIGGERED').map((r) => [r.value.compensableActivityId, r.value.throwEventId])).toEqual([
      ['A', 'undo_a_first'],
      ['B', 'undo_rest'],
    ]);
    h.completeJob(h.jobKeyOf('undo_B'));
    expect(h.isActive(pi)).toBe(false);
    await expectReplayable(h);
  });

  it('a compensation end event ends its path once the handler completed; the handler maps its variables in its scope', async () => {
    const h = new EngineHarness();
    await h.deployProcess(
      model(
        'p',
        start(),
        serviceTask('A', 'A'),
        compensationBoundary('A_comp', 'A', 'undo_A'),
        forCompensation(serviceTask('undo_A', 'undo_A', { io: { inputs: [['=x + 1', 'y']], outputs: [['=refunded', 'refund']] } })),
        compensationThrow('undo', { end: true }),
        ...chain('start', 'A', 'undo'),
      ),
    );
    const pi = h.createInstance('p', { x: 1 });
    h.completeJob(h.jobKeyOf('A'));
    const batch = h.activateJobs('undo_A');
    expect(batch.jobs[0]!.variables).toMatchObject({ x: 1, y: 2 });
    expect(h.isActive(pi)).toBe(true);
    h.completeJob(batch.jobKeys[0]!, { refunded: 'yes' });
    const refund = h.events<{ name: string; value: string; scopeKey: bigint }>('VARIABLE', 'CREATED').find((r) => r.value.name === 'refund');
    expect(refund!.value).toMatchObject({ value: '"yes"', scopeKey: pi });
    const stream = h.elementStreamOf(pi);
    expect(stream.indexOf('undo_A:ELEMENT_COMPLETED')).toBeLessThan(stream.indexOf('undo:ELEMENT_COMPLETED'));
    expect(stream[stream.length - 1]).toBe('p:ELEMENT_COMPLETED');
    expect(subscriptionStream(h)).toEqual(['CREATED:A', 'TRIGGERED:A', 'COMPLETED:A']);
    await expectReplayable(h);
  });

  it('inside a sub-process: a throw there compensates only its scope, with the sub-process variables in sight', async () => {
    const h = new EngineHarness();
    await h.deployProcess(
      model(
        'p',
        start(),
        ...compensable('C'),
        subProcess('sub', [start('s'), ...compensable('A'), compensationThrow('undo_inside'), end('e'), ...chain('s', 'A', 'undo_inside', 'e')], { inputs: [['="sub"', 'local']] }),
        compensationThrow('undo_outside'),
        end(),
        ...chain('start', 'C', 'sub', 'undo_outside', 'end'),
      ),
    );
    const pi = h.createInstance('p');
    h.completeJob(h.jobKeyOf('C'));
    h.completeJob(h.jobKeyOf('A'));
    expect(jobTypes(h)).toEqual(['C', 'A', 'undo_A']);
    const sub = h.elementKeyOf('sub');
    expect(activating(h, 'undo_A')[0]!.value.flowScopeKey).toBe(sub);
    const batch = h.activateJobs('undo_A');
    expect(batch.jobs[0]!.variables).toMatchObject({ local: 'sub' });
    h.completeJob(batch.jobKeys[0]!);
    // Nothing compensable is left inside the sub-process: it completes without a subscription.
    expect(subscriptionStream(h)).toEqual(['CREATED:C', 'CREATED:A', 'TRIGGERED:A', 'COMPLETED:A', 'TRIGGERED:C']);
    expect(activating(h, 'undo_C')[0]!.value.flowScopeKey).toBe(pi);
    h.completeJob(h.jobKeyOf('undo_C'));
    expect(h.isActive(pi)).toBe(false);
    await expectReplayable(h);
  });

  it('a throw outside a completed sub-process compensates the activities inside it, the handler running beside the thrower', async () => {
    const h = new EngineHarness();
    await h.deployProcess(
      model(
        'p',
        start(),
        subProcess('sub', [start('s'), ...compensable('A'), end('e'), ...chain('s', 'A', 'e')], { inputs: [['="sub"', 'local']] }),
        compensationThrow('undo'),
        end(),
        ...chain('start', 'sub', 'undo', 'end'),
      ),
    );
    const pi = h.createInstance('p');
    h.completeJob(h.jobKeyOf('A'));
    const sub = h.elementKeyOf('sub');
    const created = subscriptions(h, 'CREATED');
    expect(created.map((r) => [r.value.compensableActivityId, r.value.compensableActivityScopeKey, r.value.compensationHandlerId])).toEqual([
      ['A', sub, 'undo_A'],
      ['sub', pi, ''],
    ]);
    expect(subscriptions(h, 'TRIGGERED').map((r) => [r.value.compensableActivityId, r.value.compensationHandlerInstanceKey > 0n])).toEqual([
      ['sub', false],
      ['A', true],
    ]);
    // The sub-process is gone: the handler runs in the thrower's scope and sees no sub-process variable.
    expect(activating(h, 'undo_A')[0]!.value.flowScopeKey).toBe(pi);
    const batch = h.activateJobs('undo_A');
    expect(batch.jobs[0]!.variables).not.toHaveProperty('local');
    h.completeJob(batch.jobKeys[0]!);
    expect(subscriptionStream(h)).toEqual(['CREATED:A', 'CREATED:sub', 'TRIGGERED:sub', 'TRIGGERED:A', 'COMPLETED:A', 'COMPLETED:sub']);
    expect(h.isActive(pi)).toBe(false);
    await expectReplayable(h);
  });

  it('multi-instance: a compensable task is compensated once, after all its instances completed', async () => {
    const h = new EngineHarness();
    await h.deployProcess(model('p', start(), ...compensable('A', { loop: { inputCollection: '=[1, 2, 3]' } }), compensationThrow('undo'), end(), ...chain('start', 'A', 'undo', 'end')));
    const pi = h.createInstance('p');
    const jobs = h.events<{ type: string }>('JOB', 'CREATED').map((r) => r.key);
    for (const jobKey of jobs) h.completeJob(jobKey);
    const body = h.events<ProcessInstanceValue>('PROCESS_INSTANCE', 'ELEMENT_ACTIVATING').find((r) => r.value.bpmnElementType === 'MULTI_INSTANCE_BODY')!.key;
    expect(subscriptions(h, 'CREATED').map((r) => r.value.compensableActivityInstanceKey)).toEqual([body]);
    expect(jobTypes(h).filter((t) => t === 'undo_A')).toHaveLength(1);
    h.completeJob(h.jobKeyOf('undo_A'));
    expect(h.isActive(pi)).toBe(false);
    await expectReplayable(h);
  });

  it('multi-instance sub-process: the task inside is compensated once for every completed inner instance', async () => {
    const h = new EngineHarness();
    await h.deployProcess(
      model(
        'p',
        start(),
        subProcess('sub', [start('s'), ...compensable('A'), end('e'), ...chain('s', 'A', 'e')], undefined, { inputCollection: '=[1, 2]', inputElement: 'item' }),
        compensationThrow('undo'),
        end(),
        ...chain('start', 'sub', 'undo', 'end'),
      ),
    );
    const pi = h.createInstance('p');
    for (const r of h.events('JOB', 'CREATED')) h.completeJob(r.key);
    expect(subscriptionStream(h)).toEqual(['CREATED:A', 'CREATED:sub', 'CREATED:A', 'CREATED:sub', 'CREATED:sub', 'TRIGGERED:sub', 'TRIGGERED:sub', 'TRIGGERED:A', 'TRIGGERED:sub', 'TRIGGERED:A']);
    const handlers = h.events<{ type: string }>('JOB', 'CREATED').filter((r) => r.value.type === 'undo_A');
    expect(handlers).toHaveLength(2);
    h.completeJob(handlers[0]!.key);
    expect(h.elementStreamOf(pi)).not.toContain('undo:ELEMENT_COMPLETED');
    h.completeJob(handlers[1]!.key);
    // Each inner sub-process completes after its task, the body after both.
    expect(subscriptions(h, 'COMPLETED').map((r) => r.value.compensableActivityId)).toEqual(['A', 'sub', 'A', 'sub', 'sub']);
    expect(h.isActive(pi)).toBe(false);
    await expectReplayable(h);
  });

  it('an activity that ran twice (a loop) is compensated twice', async () => {
    const h = new EngineHarness();
    await h.deployProcess(
      model(
        'p',
        start(),
        ...compensable('A'),
        exclusiveGateway('more', 'done'),
        compensationThrow('undo'),
        end(),
        ...chain('start', 'A', 'more'),
        flow('more', 'A', { id: 'loop', condition: '=again' }),
        flow('more', 'undo', { id: 'done' }),
        flow('undo', 'end'),
      ),
    );
    const pi = h.createInstance('p');
    h.completeJob(h.jobKeyOf('A'), { again: true });
    h.completeJob(h.jobKeyOf('A'), { again: false });
    const triggered = subscriptions(h, 'TRIGGERED');
    expect(triggered).toHaveLength(2);
    expect(new Set(triggered.map((r) => r.value.compensableActivityInstanceKey)).size).toBe(2);
    const handlers = h.events<{ type: string }>('JOB', 'CREATED').filter((r) => r.value.type === 'undo_A');
    expect(handlers).toHaveLength(2);
    for (const r of handlers) h.completeJob(r.key);
    expect(h.isActive(pi)).toBe(false);
    await expectReplayable(h);
  });

  it('cancelling the instance while compensating terminates the handler and deletes the subscriptions', async () => {
    const h = new EngineHarness();
    await h.deployProcess(model('p', start(), ...compensable('A'), ...compensable('B'), compensationThrow('undo', { activityRef: 'A' }), end(), ...chain('start', 'A', 'B', 'undo', 'end')));
    const pi = h.createInstance('p');
    h.completeJob(h.jobKeyOf('A'));
    h.completeJob(h.jobKeyOf('B'));
    const handlerJob = h.jobKeyOf('undo_A');
    h.cancelInstance(pi);
    const stream = h.elementStreamOf(pi);
    expect(stream.slice(stream.indexOf('undo:ELEMENT_TERMINATING'))).toEqual([
      'undo:ELEMENT_TERMINATING',
      'undo:ELEMENT_TERMINATED',
      'undo_A:ELEMENT_TERMINATING',
      'undo_A:ELEMENT_TERMINATED',
      'p:ELEMENT_TERMINATED',
    ]);
    expect(h.events('JOB', 'CANCELED').map((r) => r.key)).toEqual([handlerJob]);
    expect(subscriptionStream(h)).toEqual(['CREATED:A', 'CREATED:B', 'TRIGGERED:A', 'DELETED:A', 'DELETED:B']);
    expect(h.partition().state.compensations.table.size).toBe(0);
    await expectReplayable(h);
  });

  it('an error event sub-process compensates the scope around it', async () => {
    const h = new EngineHarness();
    await h.deployProcess(
      model(
        'p',
        error('e', 'FAILED'),
        start(),
        ...compensable('A'),
        serviceTask('B', 'B'),
        end(),
        ...chain('start', 'A', 'B', 'end'),
        eventSubProcess('on_error', 'error_start', '<bpmn:errorEventDefinition errorRef="e"/>', [compensationThrow('undo', { end: true }), flow('error_start', 'undo')]),
      ),
    );
    const pi = h.createInstance('p');
    h.completeJob(h.jobKeyOf('A'));
    h.throwError(h.jobKeyOf('B'), 'FAILED');
    expect(subscriptions(h, 'TRIGGERED').map((r) => [r.value.compensableActivityId, r.value.throwEventId])).toEqual([['A', 'undo']]);
    expect(activating(h, 'undo_A')[0]!.value.flowScopeKey).toBe(h.elementKeyOf('on_error'));
    h.completeJob(h.jobKeyOf('undo_A'));
    expect(h.elementStreamOf(pi).slice(-2)).toEqual(['p:ELEMENT_COMPLETING', 'p:ELEMENT_COMPLETED']);
    await expectReplayable(h);
  });

  it('a sub-process and a multi-instance activity can be handlers; each completes its subscription when it completes', async () => {
    const h = new EngineHarness();
    await h.deployProcess(
      model(
        'p',
        start(),
        serviceTask('A', 'A'),
        compensationBoundary('A_comp', 'A', 'undo_A'),
        forCompensation(subProcess('undo_A', [start('us'), serviceTask('undo_A1', 'undo_A1'), end('ue'), ...chain('us', 'undo_A1', 'ue')])),
        serviceTask('B', 'B'),
        compensationBoundary('B_comp', 'B', 'undo_B'),
        forCompensation(serviceTask('undo_B', 'undo_B', { loop: { inputCollection: '=[1, 2]' } })),
        compensationThrow('undo'),
        end(),
        ...chain('start', 'A', 'B', 'undo', 'end'),
      ),
    );
    const pi = h.createInstance('p');
    h.completeJob(h.jobKeyOf('A'));
    h.completeJob(h.jobKeyOf('B'));
    expect(activating(h, 'undo_A')[0]!.value).toMatchObject({ bpmnElementType: 'SUB_PROCESS', bpmnEventType: 'COMPENSATION', flowScopeKey: pi });
    expect(activating(h, 'undo_B')[0]!.value).toMatchObject({ bpmnElementType: 'MULTI_INSTANCE_BODY', bpmnEventType: 'COMPENSATION', flowScopeKey: pi });
    const undoB = h.events<{ type: string }>('JOB', 'CREATED').filter((r) => r.value.type === 'undo_B');
    expect(undoB).toHaveLength(2);
    h.completeJob(undoB[0]!.key);
    h.completeJob(h.jobKeyOf('undo_A1'));
    expect(subscriptionStream(h)).toEqual(['CREATED:A', 'CREATED:B', 'TRIGGERED:B', 'TRIGGERED:A', 'COMPLETED:A']);
    h.completeJob(undoB[1]!.key);
    expect(subscriptionStream(h).slice(-1)).toEqual(['COMPLETED:B']);
    expect(h.isActive(pi)).toBe(false);
    await expectReplayable(h);
  });

  it('a terminated sub-process takes the subscriptions inside it along', async () => {
    const h = new EngineHarness();
    await h.deployProcess(
      model(
        'p',
        error('e', 'FAILED'),
        start(),
        subProcess('sub', [start('s'), ...compensable('A'), serviceTask('W', 'W'), end('e1'), ...chain('s', 'A', 'W', 'e1')]),
        errorBoundary('failed', 'sub', 'e'),
        compensationThrow('undo'),
        end(),
        ...chain('start', 'sub', 'end'),
        ...chain('failed', 'undo'),
        flow('undo', 'end', { id: 'after_undo' }),
      ),
    );
    const pi = h.createInstance('p');
    h.completeJob(h.jobKeyOf('A'));
    h.throwError(h.jobKeyOf('W'), 'FAILED');
    expect(subscriptionStream(h)).toEqual(['CREATED:A', 'DELETED:A']);
    expect(h.elementStreamOf(pi)).toContain('undo:ELEMENT_COMPLETED');
    expect(jobTypes(h)).not.toContain('undo_A');
    expect(h.isActive(pi)).toBe(false);
    await expectReplayable(h);
  });

  it('a throw with nothing to compensate goes on at once', async () => {
    const h = new EngineHarness();
    await h.deployProcess(model('p', start(), ...compensable('A'), parallelGateway('fork'), compensationThrow('undo'), end(), flow('start', 'fork'), flow('fork', 'A'), flow('fork', 'undo'), flow('undo', 'end')));
    const pi = h.createInstance('p');
    expect(h.elementStreamOf(pi)).toContain('undo:ELEMENT_COMPLETED');
    expect(subscriptionStream(h)).toEqual([]);
    await expectReplayable(h);
  });
});

describe('compensation at deploy', () => {
  async function deployError(xml: string): Promise<string> {
    const h = new EngineHarness();
    const response = await h.deploy({ name: 'p.bpmn', xml });
    if (response.ok) throw new Error('expected the deployment to be rejected');
    return response.reason;
  }

  it('refuses a handler with sequence flows, naming it', async () => {
    const reason = await deployError(model('p', start(), ...compensable('A'), end(), ...chain('start', 'A', 'undo_A', 'end')));
    expect(reason).toContain("Element 'undo_A': a compensation handler cannot have incoming sequence flows");
    expect(reason).toContain("Element 'undo_A': a compensation handler cannot have outgoing sequence flows");
  });

  it('refuses a compensation boundary event without a handler, or with an activity that is not marked as one', async () => {
    const noAssociation = model('p', start(), serviceTask('A', 'A'), '<bpmn:boundaryEvent id="A_comp" attachedToRef="A"><bpmn:compensateEventDefinition/></bpmn:boundaryEvent>', end(), ...chain('start', 'A', 'end'));
    expect(await deployError(noAssociation)).toContain("Element 'A_comp': a compensation boundary event must be associated with exactly one compensation handler");
    const notMarked = model('p', start(), serviceTask('A', 'A'), compensationBoundary('A_comp', 'A', 'undo_A'), serviceTask('undo_A', 'undo_A'), end(), ...chain('start', 'A', 'end'));
    expect(await deployError(notMarked)).toContain(`Element 'A_comp': the compensation handler 'undo_A' must be marked isForCompensation="true"`);
  });

  it('refuses waitForCompletion="false" and an activityRef to an activity without a compensation boundary event', async () => {
    const noWait = model('p', start(), ...compensable('A'), '<bpmn:intermediateThrowEvent id="undo"><bpmn:compensateEventDefinition waitForCompletion="false"/></bpmn:intermediateThrowEvent>', end(), ...chain('start', 'A', 'undo', 'end'));
    expect(await deployError(noWait)).toContain("Element 'undo': the waitForCompletion attribute of a compensation intermediate throw event must be true or not present");
    const badRef = model('p', start(), serviceTask('A', 'A'), compensationThrow('undo', { activityRef: 'A' }), end(), ...chain('start', 'A', 'undo', 'end'));
    expect(await deployError(badRef)).toContain("Element 'undo': the activityRef 'A' must reference an activity with a compensation boundary event in the same scope");
  });

  it('refuses a compensation event sub-process, as Zeebe 8.8 does', async () => {
    const xml = model(
      'p',
      start(),
      subProcess('sub', [start('s'), ...compensable('A'), end('e'), ...chain('s', 'A', 'e'), eventSubProcess('undo_sub', 'comp_start', '<bpmn:compensateEventDefinition/>', [end('ce'), flow('comp_start', 'ce')])]),
      end(),
      ...chain('start', 'sub', 'end'),
    );
    expect(await deployError(xml)).toContain("Element 'comp_start' of type 'bpmn:StartEvent' with a compensateEventDefinition is not supported");
  });
});
