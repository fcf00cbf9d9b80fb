import { describe, expect, it } from 'vitest';
import type { ProcessInstanceValue } from '../../src/engine/records.js';
import { callActivity, chain, definitions, end, error, errorBoundary, errorEnd, flow, model, serviceTask, start } from '../fixtures/bpmn-builder.js';
import { processInstanceView } from '../../src/engine/read-views.js';
import { EngineHarness, expectRejected, expectReplayable } from '../support/engine-harness.js';

const CHILD = model('child', start('c_start'), serviceTask('c_task', 'child-work'), end('c_end'), ...chain('c_start', 'c_task', 'c_end'));

function parent(options: Parameters<typeof callActivity>[2] = {}, processId = 'child'): string {
  return model('parent', start(), callActivity('call', processId, options), serviceTask('after', 'after'), end(), ...chain('start', 'call', 'after', 'end'));
}

function childRoot(h: EngineHarness): { key: bigint; value: ProcessInstanceValue } {
  return h.events<ProcessInstanceValue>('PROCESS_INSTANCE', 'ELEMENT_ACTIVATING').find((r) => r.value.bpmnElementType === 'PROCESS' && r.value.bpmnProcessId === 'child')!;
}

describe('call activity', () => {
  it('starts the called process as a child instance that knows its caller, and continues when it completes', async () => {
    const h = new EngineHarness();
    await h.deployProcess(CHILD);
    await h.deployProcess(parent());
    const pi = h.createInstance('parent', { order: 7 });
    const call = h.elementKeyOf('call');
    const child = childRoot(h);
    expect(child.value).toMatchObject({ parentProcessInstanceKey: pi, parentElementInstanceKey: call, processInstanceKey: child.key, flowScopeKey: -1n });
    expect(h.partition().state.elementInstances.get(call)!.payload).toEqual({ kind: 'callActivity', calledInstanceKey: child.key });
    // The caller's variables were handed over.
    expect(h.variablesOf(child.key)).toEqual({ order: 7 });
    await expectReplayable(h);

    h.completeJob(h.jobKeyOf('c_task'), { shipped: true });
    expect(h.isActive(child.key)).toBe(false);
    expect(h.isActive(call)).toBe(false);
    expect(h.variablesOf(pi)).toEqual({ order: 7, shipped: true });
    expect(h.elementStreamOf(pi).slice(-2)).toEqual(['after:ELEMENT_ACTIVATING', 'after:ELEMENT_ACTIVATED']);
    await expectReplayable(h);
  });

  it('with propagation off, hands over only its input mappings and takes back only its output mappings', async () => {
    const h = new EngineHarness();
    await h.deployProcess(CHILD);
    await h.deployProcess(parent({ propagateAllParentVariables: false, propagateAllChildVariables: false, io: { inputs: [['=order * 2', 'doubled']], outputs: [['=shipped', 'wasShipped']] } }));
    const pi = h.createInstance('parent', { order: 7 });
    const child = childRoot(h);
    expect(h.variablesOf(child.key)).toEqual({ doubled: 14 });
    h.completeJob(h.jobKeyOf('c_task'), { shipped: true, internal: 'x' });
    expect(h.variablesOf(pi)).toEqual({ order: 7, wasShipped: true });
    await expectReplayable(h);
  });

  it('evaluates a FEEL process id; a process that is not deployed is an incident, resolved once it is', async () => {
    const h = new EngineHarness();
    await h.deployProcess(parent({}, '=target'));
    h.createInstance('parent', { target: 'child' });
    const [incident] = h.events<{ errorType: string; errorMessage: string }>('INCIDENT', 'CREATED');
    expect(incident!.value.errorType).toBe('CALLED_ELEMENT_ERROR');
    expect(incident!.value.errorMessage).toBe("Expected process with BPMN process id 'child' to be deployed, but not found.");
    await h.deployProcess(CHILD);
    expect(h.resolveIncident(incident!.key)?.ok).toBe(true);
    expect(childRoot(h)).toBeDefined();
    await expectReplayable(h);
  });

  it('cancelling the parent terminates the child; the child cannot be cancelled on its own', async () => {
    const h = new EngineHarness();
    await h.deployProcess(CHILD);
    await h.deployProcess(parent());
    const pi = h.createInstance('parent');
    const child = childRoot(h);
    expectRejected(h.cancelInstance(child.key), 'INVALID_STATE', 'created by a parent process instance', `Cancel the root process instance '${pi}' instead`);
    expect(h.cancelInstance(pi)?.ok).toBe(true);
    expect(h.isActive(child.key)).toBe(false);
    expect(h.events('JOB', 'CANCELED')).toHaveLength(1);
    expect(h.partition().state.elementInstances.table.size).toBe(0);
    await expectReplayable(h);
  });

  it('an error thrown in the child and not caught there is caught by a boundary on the call activity', async () => {
    const h = new EngineHarness();
    await h.deployProcess(definitions([
      ['child', [error('e', 'OOPS'), start('c_start'), errorEnd('c_throw', 'e'), flow('c_start', 'c_throw')]],
      ['parent', [error('e', 'OOPS'), start(), callActivity('call', 'child'), errorBoundary('caught', 'call', 'e'), end(), end('handled'), ...chain('start', 'call', 'end'), flow('caught', 'handled')]],
    ]));
    const pi = h.createInstance('parent');
    expect(h.elementStreamOf(pi)).toContain('handled:ELEMENT_COMPLETED');
    expect(h.isActive(pi)).toBe(false);
    expect(h.partition().state.elementInstances.table.size).toBe(0);
    await expectReplayable(h);
  });

  it('binding type deployment calls the version deployed with the caller, versionTag the tagged one', async () => {
    const h = new EngineHarness();
    const tagged = (tag: string, type: string) => model('child', start('c_start'), serviceTask('c_task', type), end('c_end'), ...chain('c_start', 'c_task', 'c_end')).replace('<bpmn:process id="child" isExecutable="true">', `<bpmn:process id="child" isExecutable="true"><bpmn:extensionElements><zeebe:versionTag value="${tag}"/></bpmn:extensionElements>`);
    await h.deployProcess(definitions([
      ['child', [start('c_start'), serviceTask('c_task', 'v1-work'), end('c_end'), ...chain('c_start', 'c_task', 'c_end')]],
      ['parent', [start(), callActivity('call', 'child', { bindingType: 'deployment' }), end(), ...chain('start', 'call', 'end')]],
    ]));
    await h.deployProcess(tagged('stable', 'v2-work'));
    await h.deployProcess(CHILD);
    h.createInstance('parent');
    expect(h.events<{ type: string }>('JOB', 'CREATED').map((r) => r.value.type)).toEqual(['v1-work']);

    await h.deployProcess(model('tagged-parent', start(), callActivity('call', 'child', { bindingType: 'versionTag', versionTag: 'stable' }), end(), ...chain('start', 'call', 'end')));
    h.createInstance('tagged-parent');
    expect(h.events<{ type: string }>('JOB', 'CREATED').map((r) => r.value.type)).toEqual(['v1-work', 'v2-work']);
    await expectReplayable(h);
  });
});

describe('call activity in read views', () => {
  it("the caller's view shows an incident of the called instance, not its elements", async () => {
    const h = new EngineHarness();
    await h.deployProcess(model('child', start('c_start'), serviceTask('c_task', '=missingType'), end('c_end'), ...chain('c_start', 'c_task', 'c_end')));
    await h.deployProcess(parent());
    const pi = h.createInstance('parent');
    expect(h.events('INCIDENT', 'CREATED')).toHaveLength(1);
    const view = processInstanceView(h.partition().state, pi)!;
    expect(view.hasIncident).toBe(true);
    expect(view.activeElements.map((e) => e.elementId)).toEqual(['call']);
    const child = childRoot(h);
    expect(processInstanceView(h.partition().state, child.key)!.parentElementInstanceKey).toBe(h.elementKeyOf('call'));
  });
});
