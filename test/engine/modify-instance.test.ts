import { describe, expect, it } from 'vitest';
import type { ProcessInstanceModificationValue, ProcessInstanceValue } from '../../src/engine/records.js';
import {
  adHocSubProcess,
  callActivity,
  chain,
  end,
  eventBasedGateway,
  eventSubProcess,
  flow,
  message,
  messageCatch,
  model,
  parallelGateway,
  serviceTask,
  start,
  subProcess,
  timerBoundary,
  timerCatch,
  timerDefinitionXml,
} from '../fixtures/bpmn-builder.js';
import { EngineHarness, expectRejected, expectReplayable } from '../support/engine-harness.js';

/** start → a → sub(s1 → b → c → e1) → last → end; a timer boundary on sub; a message event sub-process. */
const MODEL = model(
  'p',
  start(),
  serviceTask('a', 'a'),
  subProcess('sub', [start('s1'), serviceTask('b', 'b'), serviceTask('c', 'c'), end('e1'), ...chain('s1', 'b', 'c', 'e1')]),
  timerBoundary('sub_timer', 'sub', 'duration', 'PT1H'),
  end('timer_end'),
  flow('sub_timer', 'timer_end'),
  serviceTask('last', 'last'),
  serviceTask('each', 'each', { loop: { inputCollection: '=[1,2]' } }),
  subProcess('loop', [start('ls'), serviceTask('inner', 'inner'), end('le'), ...chain('ls', 'inner', 'le')], undefined, { inputCollection: '=[1,2]' }),
  end(),
  ...chain('start', 'a', 'sub', 'last', 'end'),
  eventSubProcess('esp', 'esp_start', timerDefinitionXml('duration', 'PT5H'), [serviceTask('esp_task', 'esp_task'), end('esp_end'), ...chain('esp_start', 'esp_task', 'esp_end')], false),
);

function jobTypes(h: EngineHarness): string[] {
  return h.events<{ type: string }>('JOB', 'CREATED').map((r) => r.value.type);
}

function activating(h: EngineHarness, elementId: string): Array<{ key: bigint; value: ProcessInstanceValue }> {
  return h.events<ProcessInstanceValue>('PROCESS_INSTANCE', 'ELEMENT_ACTIVATING').filter((r) => r.value.elementId === elementId);
}

describe('ModifyProcessInstance', () => {
  it('activates an element beside the running ones, with variables in the process and in its own scope', async () => {
    const h = new EngineHarness();
    await h.deployProcess(MODEL);
    const pi = h.createInstance('p');
    const response = h.modifyInstance(pi, [
      { elementId: 'last', variableInstructions: [{ variables: { global: 1 } }, { elementId: 'last', variables: { own: 2 } }] },
    ]);
    expect(response?.ok).toBe(true);
    const modified = h.events<ProcessInstanceModificationValue>('PROCESS_INSTANCE_MODIFICATION', 'MODIFIED');
    expect(modified).toHaveLength(1);
    expect(modified[0]!.key).toBe(pi);
    expect(modified[0]!.value.activateInstructions[0]).toMatchObject({ elementId: 'last', ancestorScopeKeys: [pi] });
    expect(jobTypes(h)).toEqual(['a', 'last']);
    expect(h.variablesOf(pi)).toEqual({ global: 1 });
    const last = activating(h, 'last')[0]!;
    expect(last.value.flowScopeKey).toBe(pi);
    expect(h.variablesOf(last.key)).toEqual({ own: 2 });
    // The MODIFIED event comes before the activation it asked for.
    const stream = h.eventStream(1, ['PROCESS_INSTANCE_MODIFICATION', 'PROCESS_INSTANCE']);
    expect(stream.indexOf('PROCESS_INSTANCE_MODIFICATION:MODIFIED')).toBeLessThan(stream.lastIndexOf('PROCESS_INSTANCE:ELEMENT_ACTIVATING'));
    await expectReplayable(h);
  });

  it('moves a token: terminates one element and activates another in the same command', async () => {
    const h = new EngineHarness();
    await h.deployProcess(MODEL);
    const pi = h.createInstance('p');
    const a = h.elementKeyOf('a', pi);
    expect(h.modifyInstance(pi, [{ elementId: 'last' }], [a])?.ok).toBe(true);
    expect(h.isActive(a)).toBe(false);
    expect(h.events('JOB', 'CANCELED')).toHaveLength(1);
    expect(h.isActive(pi)).toBe(true);
    h.completeJob(h.jobKeyOf('last'));
    expect(h.elementStreamOf(pi).slice(-2)).toEqual(['p:ELEMENT_COMPLETING', 'p:ELEMENT_COMPLETED']);
    await expectReplayable(h);
  });

  it('terminating the last running element ends its scopes up to the process instance', async () => {
    const h = new EngineHarness();
    await h.deployProcess(MODEL);
    const pi = h.createInstance('p');
    h.completeJob(h.jobKeyOf('a'));
    const b = h.elementKeyOf('b', pi);
    const sub = h.elementKeyOf('sub', pi);
    expect(h.modifyInstance(pi, [], [b])?.ok).toBe(true);
    expect(h.elementStreamOf(pi).slice(-6)).toEqual([
      'b:ELEMENT_TERMINATING',
      'b:ELEMENT_TERMINATED',
      'sub:ELEMENT_TERMINATING',
      'sub:ELEMENT_TERMINATED',
      'p:ELEMENT_TERMINATING',
      'p:ELEMENT_TERMINATED',
    ]);
    expect(h.isActive(sub)).toBe(false);
    expect(h.isActive(pi)).toBe(false);
    // The boundary timer of the sub-process and the event sub-process timer went with them.
    expect(h.events('TIMER', 'CANCELED')).toHaveLength(2);
    await expectReplayable(h);
  });

  it('a scope that still runs something stays when one of its elements is terminated', async () => {
    const h = new EngineHarness();
    await h.deployProcess(MODEL);
    const pi = h.createInstance('p');
    h.completeJob(h.jobKeyOf('a'));
    const sub = h.elementKeyOf('sub', pi);
    expect(h.modifyInstance(pi, [{ elementId: 'c' }])?.ok).toBe(true);
    expect(h.modifyInstance(pi, [], [h.elementKeyOf('b', pi)])?.ok).toBe(true);
    expect(h.isActive(sub)).toBe(true);
    h.completeJob(h.jobKeyOf('c'));
    // c completes, the sub-process has nothing left and completes, the process goes on after it.
    expect(h.isActive(sub)).toBe(false);
    expect(jobTypes(h)).toContain('last');
    await expectReplayable(h);
  });

  it('activation inside a sub-process that does not run creates it directly (no start event) with its subscriptions', async () => {
    const h = new EngineHarness();
    await h.deployProcess(MODEL);
    const pi = h.createInstance('p');
    const response = h.modifyInstance(pi, [{ elementId: 'c', variableInstructions: [{ elementId: 'sub', variables: { inSub: true } }] }]);
    expect(response?.ok).toBe(true);
    const subs = activating(h, 'sub');
    expect(subs).toHaveLength(1);
    const sub = subs[0]!.key;
    expect(h.elementStreamOf(pi)).not.toContain('s1:ELEMENT_ACTIVATING');
    expect(h.elementStreamOf(pi).slice(-4)).toEqual(['sub:ELEMENT_ACTIVATING', 'sub:ELEMENT_ACTIVATED', 'c:ELEMENT_ACTIVATING', 'c:ELEMENT_ACTIVATED']);
    expect(h.variablesOf(sub)).toEqual({ inSub: true });
    expect(activating(h, 'c')[0]!.value.flowScopeKey).toBe(sub);
    const modified = h.events<ProcessInstanceModificationValue>('PROCESS_INSTANCE_MODIFICATION', 'MODIFIED')[0]!.value;
    expect(modified.activateInstructions[0]!.ancestorScopeKeys).toEqual([pi, sub]);
    // The boundary timer of the created sub-process is armed.
    expect(h.events<{ targetElementId: string; elementInstanceKey: bigint }>('TIMER', 'CREATED').some((t) => t.value.targetElementId === 'sub_timer' && t.value.elementInstanceKey === sub)).toBe(true);
    // A second activation goes into the sub-process that now runs.
    expect(h.modifyInstance(pi, [{ elementId: 'b' }])?.ok).toBe(true);
    expect(activating(h, 'sub')).toHaveLength(1);
    expect(activating(h, 'b')[0]!.value.flowScopeKey).toBe(sub);
    await expectReplayable(h);
  });

  it('with two instances of the flow scope, the ancestor key decides; without it the command is refused', async () => {
    const h = new EngineHarness();
    await h.deployProcess(MODEL);
    const pi = h.createInstance('p');
    // Activating the sub-process itself twice gives two instances of it.
    expect(h.modifyInstance(pi, [{ elementId: 'sub' }, { elementId: 'sub' }])?.ok).toBe(true);
    const [first, second] = activating(h, 'sub').map((r) => r.key);
    expectRejected(h.modifyInstance(pi, [{ elementId: 'c' }]), 'INVALID_ARGUMENT', "flow scope with more than one active instance: 'sub'", 'Please specify an ancestor element instance key');
    expect(h.modifyInstance(pi, [{ elementId: 'c', ancestorScopeKey: second! }])?.ok).toBe(true);
    expect(activating(h, 'c')[0]!.value.flowScopeKey).toBe(second);
    // The process instance as ancestor: a new instance of the sub-process is created for it.
    expect(h.modifyInstance(pi, [{ elementId: 'c', ancestorScopeKey: pi }])?.ok).toBe(true);
    const subs = activating(h, 'sub').map((r) => r.key);
    expect(subs).toHaveLength(3);
    expect(activating(h, 'c')[1]!.value.flowScopeKey).toBe(subs[2]);
    expect(first).not.toBe(second);
    await expectReplayable(h);
  });

  it('activates an event sub-process at its start event and a joining gateway without waiting for its tokens', async () => {
    const h = new EngineHarness();
    const joined = model(
      'j',
      start(),
      parallelGateway('fork'),
      serviceTask('x', 'x'),
      serviceTask('y', 'y'),
      parallelGateway('join'),
      serviceTask('after', 'after'),
      end(),
      ...chain('start', 'fork'),
      flow('fork', 'x'),
      flow('fork', 'y'),
      flow('x', 'join'),
      flow('y', 'join'),
      ...chain('join', 'after', 'end'),
      eventSubProcess('esp', 'esp_start', timerDefinitionXml('duration', 'PT5H'), [serviceTask('esp_task', 'esp_task'), end('esp_end'), ...chain('esp_start', 'esp_task', 'esp_end')], true),
    );
    await h.deployProcess(joined);
    const pi = h.createInstance('j');
    expect(h.modifyInstance(pi, [{ elementId: 'join' }, { elementId: 'esp' }])?.ok).toBe(true);
    expect(jobTypes(h)).toEqual(['x', 'y', 'after', 'esp_task']);
    // Activated by hand, the interrupting event sub-process does not interrupt: x and y still run.
    expect(h.isActive(h.elementKeyOf('x', pi))).toBe(true);
    expect(h.elementStreamOf(pi)).toContain('esp_start:ELEMENT_COMPLETED');
    await expectReplayable(h);
  });

  it('refuses elements it cannot activate, naming them, and leaves the instance as it was', async () => {
    const h = new EngineHarness();
    await h.deployProcess(MODEL);
    const pi = h.createInstance('p');
    const before = h.records().length;
    expectRejected(h.modifyInstance(pi, [{ elementId: 'nowhere' }, { elementId: 'a' }]), 'INVALID_ARGUMENT', "activate instructions with an element that could not be found: 'nowhere'");
    expectRejected(h.modifyInstance(pi, [{ elementId: 'esp_start' }]), 'INVALID_ARGUMENT', "for elements that are unsupported: 'esp_start'", "The activation of elements with type 'START_EVENT' is not supported");
    expectRejected(h.modifyInstance(pi, [{ elementId: 'sub_timer' }]), 'INVALID_ARGUMENT', "unsupported: 'sub_timer'", "'BOUNDARY_EVENT'");
    expectRejected(h.modifyInstance(pi, [{ elementId: 'p' }]), 'INVALID_ARGUMENT', "unsupported: 'p'", "'PROCESS'");
    expectRejected(h.modifyInstance(pi, [{ elementId: 'inner' }]), 'INVALID_ARGUMENT', "would result in the activation of multi-instance element 'loop', which is currently unsupported");
    expectRejected(h.modifyInstance(pi, [{ elementId: 'a', variableInstructions: [{ elementId: 'nope', variables: {} }] }]), 'INVALID_ARGUMENT', "scope element id that could not be found: 'nope'");
    expectRejected(h.modifyInstance(pi, [{ elementId: 'a', variableInstructions: [{ elementId: 'sub', variables: {} }] }]), 'INVALID_ARGUMENT', "doesn't belong to the activating element's flow scope");
    // Rejections leave nothing behind but the command and its rejection.
    expect(h.records().slice(before).every((r) => r.recordType !== 'EVENT')).toBe(true);
    // A multi-instance activity as a whole can be activated: its body runs every item.
    expect(h.modifyInstance(pi, [{ elementId: 'each' }])?.ok).toBe(true);
    expect(jobTypes(h).filter((t) => t === 'each')).toHaveLength(2);
    await expectReplayable(h);
  });

  it('refuses elements inside an ad-hoc sub-process, which starts them itself', async () => {
    const h = new EngineHarness();
    await h.deployProcess(model('ah', start(), serviceTask('a', 'a'), adHocSubProcess('pick', [serviceTask('x', 'x'), serviceTask('y', 'y')]), end(), ...chain('start', 'a', 'pick', 'end')));
    const pi = h.createInstance('ah');
    expectRejected(h.modifyInstance(pi, [{ elementId: 'x' }]), 'INVALID_ARGUMENT', "elements inside the ad-hoc sub-process 'pick': 'x'");
    await expectReplayable(h);
  });

  it('refuses events after an event-based gateway', async () => {
    const h = new EngineHarness();
    await h.deployProcess(
      model('g', start(), eventBasedGateway('gw'), timerCatch('t', 'duration', 'PT1M'), messageCatch('m', 'msg'), end(), end('end2'), message('msg', 'go', '=key'), ...chain('start', 'gw'), flow('gw', 't'), flow('gw', 'm'), flow('t', 'end'), flow('m', 'end2')),
    );
    const pi = h.createInstance('g', { key: 'k' });
    expectRejected(h.modifyInstance(pi, [{ elementId: 'm' }]), 'INVALID_ARGUMENT', "unsupported: 'm'", 'The activation of events belonging to an event-based gateway is not supported');
    await expectReplayable(h);
  });

  it('refuses unknown instances, keys and ancestors, and terminating the process instance itself', async () => {
    const h = new EngineHarness();
    await h.deployProcess(MODEL);
    const pi = h.createInstance('p');
    const other = h.createInstance('p');
    const a = h.elementKeyOf('a', pi);
    expectRejected(h.modifyInstance(a, [{ elementId: 'last' }]), 'NOT_FOUND', `Expected to modify process instance but no process instance found with key '${a}'`);
    expectRejected(h.modifyInstance(pi, [], [123n]), 'INVALID_ARGUMENT', "terminate instructions with an element instance that could not be found: '123'");
    expectRejected(h.modifyInstance(pi, [], [h.elementKeyOf('a', other)]), 'INVALID_ARGUMENT', 'could not be found');
    expectRejected(h.modifyInstance(pi, [], [pi]), 'INVALID_ARGUMENT', `terminate instructions for the process instance itself: '${pi}'`);
    expectRejected(h.modifyInstance(pi, [{ elementId: 'c', ancestorScopeKey: 999n }]), 'INVALID_ARGUMENT', "ancestor scope key that does not exist, or is not in an active state: '999'");
    expectRejected(h.modifyInstance(pi, [{ elementId: 'c', ancestorScopeKey: other }]), 'INVALID_ARGUMENT', `ancestor scope key that does not belong to the modified process instance: '${other}'`);
    expectRejected(h.modifyInstance(pi, [{ elementId: 'c', ancestorScopeKey: a }]), 'INVALID_ARGUMENT', `instance '${a}' of element 'a' is not an ancestor of element 'c'`);
    h.completeJob(h.jobKeyOf('a', pi));
    const sub = h.elementKeyOf('sub', pi);
    expectRejected(h.modifyInstance(pi, [{ elementId: 'c' }], [sub]), 'INVALID_ARGUMENT', `element 'c' requires flow scope instance '${sub}' which is being terminated`);
    await expectReplayable(h);
  });

  it('will not end an instance a call activity started: the parent is modified instead', async () => {
    const h = new EngineHarness();
    await h.deploy(
      { name: 'parent.bpmn', xml: model('parent', start(), callActivity('call', 'child'), end(), ...chain('start', 'call', 'end')) },
      { name: 'child.bpmn', xml: model('child', start(), serviceTask('work', 'work'), end(), ...chain('start', 'work', 'end')) },
    );
    h.createInstance('parent');
    const child = activating(h, 'child')[0]!.key;
    expectRejected(
      h.modifyInstance(child, [], [h.elementKeyOf('work', child)]),
      'INVALID_ARGUMENT',
      "Expected to modify instance of process 'child' but the given instructions would terminate the instance. The instance was created by a call activity in the parent process.",
    );
    expect(h.isActive(h.elementKeyOf('work', child))).toBe(true);
    expect(h.events('JOB', 'CANCELED')).toHaveLength(0);
    await expectReplayable(h);
  });
});
