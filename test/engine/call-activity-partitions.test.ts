/**
 * Call activities whose child runs on another partition (docs/adr/008): three partitions, the
 * commands between them delivered by the harness, held back, re-sent or delivered twice.
 */
import { describe, expect, it } from 'vitest';
import { childPartition } from '../../src/engine/behaviors/called-processes.js';
import type { OutboundCommand } from '../../src/engine/processing/types.js';
import { unansweredCommands } from '../../src/engine/queries.js';
import { processInstanceView } from '../../src/engine/read-views.js';
import type { ProcessInstanceValue, ZenRecord } from '../../src/engine/records.js';
import {
  callActivity,
  chain,
  definitions,
  end,
  error,
  errorBoundary,
  errorEnd,
  escalation,
  escalationBoundary,
  escalationThrow,
  flow,
  model,
  serviceTask,
  start,
} from '../fixtures/bpmn-builder.js';
import { EngineHarness, expectReplayable, partitionOf } from '../support/engine-harness.js';

const CHILD = model('child', start('c_start'), serviceTask('c_task', 'child-work'), end('c_end'), ...chain('c_start', 'c_task', 'c_end'));

function parent(options: Parameters<typeof callActivity>[2] = {}): string {
  return model('parent', start(), callActivity('call', 'child', options), serviceTask('after', 'after'), end(), ...chain('start', 'call', 'after', 'end'));
}

/** The CALLED_PROCESS_INSTANCE events of one partition about one call activity, as intents. */
function calls(h: EngineHarness, partitionId: number, callKey: bigint): string[] {
  return h
    .partition(partitionId)
    .log.filter((r) => r.recordType === 'EVENT' && r.valueType === 'CALLED_PROCESS_INSTANCE')
    .filter((r) => {
      const v = r.value as { parentElementInstanceKey?: bigint; callActivityInstanceKey?: bigint };
      return v.parentElementInstanceKey === callKey || v.callActivityInstanceKey === callKey;
    })
    .map((r) => r.intent);
}

/** The child partition of the latest activation of a call activity. */
function targetOf(h: EngineHarness, callId: string): number {
  return childPartition(h.elementKeyOf(callId), h.partitions.length);
}

/**
 * Creates an instance on partition 1 whose call activities (outermost first) each start their
 * child on a partition none of the ones above is on. Where the round robin puts a child depends
 * on the key counter: an attempt that does not spread is cancelled and the next one tried.
 */
function createSpread(h: EngineHarness, processId: string, callIds: string[], variables: Record<string, unknown> = {}): bigint {
  for (let attempt = 0; attempt < 20; attempt++) {
    const saved = h.autoDeliver;
    const pi = h.createInstance(processId, variables);
    const used = [1];
    let spread = true;
    for (const id of callIds) {
      const target = targetOf(h, id);
      if (used.includes(target)) {
        spread = false;
        break;
      }
      used.push(target);
    }
    if (spread) return pi;
    h.autoDeliver = true;
    h.deliver();
    h.cancelInstance(pi);
    // One key more between attempts, so the next call activity's key falls elsewhere.
    h.publishMessage('shift', 'shift');
    h.autoDeliver = saved;
  }
  throw new Error('no spread found');
}

/** The remote child a call activity asked for: the partition it runs on must be another one. */
function remoteCall(h: EngineHarness, callKey: bigint): number {
  const target = childPartition(callKey, h.partitions.length);
  expect(target, 'the child runs on another partition').not.toBe(partitionOf(callKey));
  return target;
}

function childRoot(h: EngineHarness, partitionId: number, callKey: bigint): ZenRecord<ProcessInstanceValue> {
  const found = h.events<ProcessInstanceValue>('PROCESS_INSTANCE', 'ELEMENT_ACTIVATING', partitionId).filter((r) => r.value.bpmnElementType === 'PROCESS' && r.value.parentElementInstanceKey === callKey);
  expect(found, `one child of ${callKey} on partition ${partitionId}`).toHaveLength(1);
  return found[0]!;
}

/** Nothing waits for an answer; unless calls still run, no remote call is left on either side. */
function settled(h: EngineHarness, running = false): void {
  for (const p of h.partitions) {
    expect(unansweredCommands(p.state), `partition ${p.id} waits for answers`).toEqual([]);
    expect(p.state.calledInstances.throws.size, `partition ${p.id} throws`).toBe(0);
    if (running) continue;
    expect(p.state.calledInstances.calls.size, `partition ${p.id} remote calls`).toBe(0);
    expect(p.state.calledInstances.children.size, `partition ${p.id} remote children`).toBe(0);
  }
}

function take(h: EngineHarness, intent: string): OutboundCommand {
  const at = h.outbox.findIndex((c) => c.valueType === 'CALLED_PROCESS_INSTANCE' && c.intent === intent);
  expect(at, `a ${intent} in the outbox`).toBeGreaterThanOrEqual(0);
  return h.outbox.splice(at, 1)[0]!;
}

function deliverOne(h: EngineHarness, command: OutboundCommand): void {
  h.process(command.partitionId, { valueType: command.valueType, intent: command.intent, key: command.key, value: command.value });
}

async function setUp(xml = parent()): Promise<EngineHarness> {
  const h = new EngineHarness(3);
  await h.deployProcess(CHILD);
  await h.deployProcess(xml);
  return h;
}

describe('call activity with its child on another partition', () => {
  it('creates the child there with the handed-over variables and completes with the variables it hands back', async () => {
    const h = await setUp();
    const pi = createSpread(h, 'parent', ['call'], { order: 7 });
    const call = h.elementKeyOf('call');
    const target = remoteCall(h, call);
    const child = childRoot(h, target, call);
    expect(child.value).toMatchObject({ parentProcessInstanceKey: pi, parentElementInstanceKey: call, processInstanceKey: child.key, flowScopeKey: -1n });
    expect(partitionOf(child.key)).toBe(target);
    expect(h.variablesOf(child.key)).toEqual({ order: 7 });
    expect(h.partition(1).state.elementInstances.get(call)!.payload).toEqual({ kind: 'callActivity', calledInstanceKey: child.key });
    expect(calls(h, 1, call)).toEqual(['CREATING', 'CREATED']);
    expect(calls(h, target, call)).toEqual(['ACCEPTED']);
    // Nothing of the child on the caller's partition.
    expect(h.events('PROCESS_INSTANCE', 'ELEMENT_ACTIVATING', 1).some((r) => (r.value as ProcessInstanceValue).parentElementInstanceKey === call)).toBe(false);

    h.completeJob(h.jobKeyOf('c_task'), { shipped: true });
    expect(h.isActive(child.key)).toBe(false);
    expect(h.isActive(call)).toBe(false);
    expect(h.variablesOf(pi)).toEqual({ order: 7, shipped: true });
    expect(h.elementStreamOf(pi)).toEqual([
      'parent:ELEMENT_ACTIVATING', 'parent:ELEMENT_ACTIVATED', 'start:ELEMENT_ACTIVATING', 'start:ELEMENT_ACTIVATED', 'start:ELEMENT_COMPLETING', 'start:ELEMENT_COMPLETED',
      'start_call:SEQUENCE_FLOW_TAKEN', 'call:ELEMENT_ACTIVATING', 'call:ELEMENT_ACTIVATED', 'call:ELEMENT_COMPLETING', 'call:ELEMENT_COMPLETED',
      'call_after:SEQUENCE_FLOW_TAKEN', 'after:ELEMENT_ACTIVATING', 'after:ELEMENT_ACTIVATED',
    ]);
    expect(calls(h, 1, call)).toEqual(['CREATING', 'CREATED', 'COMPLETED']);
    expect(calls(h, target, call)).toEqual(['ACCEPTED', 'RETURNING', 'RELEASED']);
    settled(h);
    await expectReplayable(h);
  });

  it('with propagation off, hands over its input mappings and takes back only its output mappings', async () => {
    const h = await setUp(parent({ propagateAllParentVariables: false, propagateAllChildVariables: false, io: { inputs: [['=order * 2', 'doubled']], outputs: [['=shipped', 'wasShipped']] } }));
    const pi = createSpread(h, 'parent', ['call'], { order: 7 });
    const call = h.elementKeyOf('call');
    const target = remoteCall(h, call);
    expect(h.variablesOf(childRoot(h, target, call).key)).toEqual({ doubled: 14 });
    h.completeJob(h.jobKeyOf('c_task'), { shipped: true, internal: 'x' });
    expect(h.variablesOf(pi)).toEqual({ order: 7, wasShipped: true });
    settled(h);
    await expectReplayable(h);
  });

  it('a caller cancelled before its CREATE arrives: the CANCEL wins, a late CREATE starts nothing', async () => {
    const h = await setUp();
    h.autoDeliver = false;
    const pi = createSpread(h, 'parent', ['call']);
    const call = h.elementKeyOf('call');
    const target = remoteCall(h, call);
    const create = take(h, 'CREATE');
    h.cancelInstance(pi);
    expect(calls(h, 1, call)).toEqual(['CREATING', 'CANCELING']);
    deliverOne(h, take(h, 'CANCEL'));
    expect(calls(h, target, call)).toEqual(['RELEASED']);
    deliverOne(h, create);
    h.resendUnanswered();
    h.deliver();
    expect(h.events('PROCESS_INSTANCE', 'ELEMENT_ACTIVATING', target)).toEqual([]);
    expect(calls(h, 1, call)).toEqual(['CREATING', 'CANCELING', 'CANCELED']);
    settled(h);
    await expectReplayable(h);
  });

  it('a caller cancelled before the confirmation arrives: the child is created, then cancelled', async () => {
    const h = await setUp();
    h.autoDeliver = false;
    const pi = createSpread(h, 'parent', ['call']);
    const call = h.elementKeyOf('call');
    const target = remoteCall(h, call);
    deliverOne(h, take(h, 'CREATE'));
    const child = childRoot(h, target, call);
    const confirmation = take(h, 'CONFIRM_CREATE');
    h.cancelInstance(pi);
    h.deliver();
    expect(h.isActive(child.key)).toBe(false);
    expect(h.events('JOB', 'CANCELED', target)).toHaveLength(1);
    // The lost confirmation turns up late: the caller is gone, so it cancels again; nothing changes.
    deliverOne(h, confirmation);
    h.deliver();
    expect(h.elementStreamOf(child.key).filter((e) => e === 'child:ELEMENT_TERMINATED')).toHaveLength(1);
    settled(h);
    for (const p of h.partitions) expect(p.state.elementInstances.table.size, `partition ${p.id} instances`).toBe(0);
    await expectReplayable(h);
  });

  it('a caller cancelled after the confirmation cancels the running child', async () => {
    const h = await setUp();
    const pi = createSpread(h, 'parent', ['call']);
    const call = h.elementKeyOf('call');
    const target = remoteCall(h, call);
    const child = childRoot(h, target, call);
    expect(h.cancelInstance(pi)?.ok).toBe(true);
    expect(h.isActive(child.key)).toBe(false);
    expect(h.elementStreamOf(child.key).slice(-1)).toEqual(['child:ELEMENT_TERMINATED']);
    expect(calls(h, 1, call)).toEqual(['CREATING', 'CREATED', 'CANCELING', 'CANCELED']);
    expect(calls(h, target, call)).toEqual(['ACCEPTED', 'RELEASED']);
    settled(h);
    await expectReplayable(h);
  });

  it('a CREATE and a COMPLETE delivered twice take effect once', async () => {
    const h = await setUp();
    h.autoDeliver = false;
    const pi = createSpread(h, 'parent', ['call'], { order: 1 });
    const call = h.elementKeyOf('call');
    const target = remoteCall(h, call);
    const create = take(h, 'CREATE');
    deliverOne(h, create);
    deliverOne(h, create);
    h.deliver();
    const child = childRoot(h, target, call);
    expect(h.events('CALLED_PROCESS_INSTANCE', 'ACCEPTED', target)).toHaveLength(1);
    expect(h.events('CALLED_PROCESS_INSTANCE', 'CREATED', 1)).toHaveLength(1);

    h.completeJob(h.jobKeyOf('c_task'), { done: true });
    const complete = take(h, 'COMPLETE');
    deliverOne(h, complete);
    // The confirmation is lost; the child's partition re-sends, and the duplicate arrives too.
    take(h, 'CONFIRM_COMPLETE');
    h.resendUnanswered();
    deliverOne(h, complete);
    h.deliver();
    expect(h.elementStreamOf(pi).filter((e) => e === 'call:ELEMENT_COMPLETED')).toHaveLength(1);
    expect(h.elementStreamOf(pi).filter((e) => e === 'after:ELEMENT_ACTIVATED')).toHaveLength(1);
    expect(h.variablesOf(pi)).toEqual({ order: 1, done: true });
    expect(h.isActive(child.key)).toBe(false);
    settled(h);
    await expectReplayable(h);
  });

  it('every command lost once is re-sent from state until the call settles', async () => {
    const h = await setUp();
    h.autoDeliver = false;
    const pi = createSpread(h, 'parent', ['call']);
    const lose = () => h.outbox.splice(0);
    lose();
    h.resendUnanswered();
    h.deliver();
    h.completeJob(h.jobKeyOf('c_task'));
    lose();
    h.resendUnanswered();
    h.deliver();
    expect(h.elementStreamOf(pi)).toContain('after:ELEMENT_ACTIVATED');
    settled(h);
    await expectReplayable(h);
  });
});

describe('errors and escalations out of a remote child', () => {
  const errorModel = (withBoundary: boolean) =>
    definitions([
      ['child', [start('c_start'), serviceTask('c_task', 'child-work'), end('c_end'), ...chain('c_start', 'c_task', 'c_end')]],
      [
        'parent',
        [
          error('e', 'OOPS'),
          start(),
          callActivity('call', 'child'),
          ...(withBoundary ? [errorBoundary('caught', 'call', 'e'), end('handled'), flow('caught', 'handled')] : []),
          end(),
          ...chain('start', 'call', 'end'),
        ],
      ],
    ]);

  it('an error thrown by a job in the child is caught by a boundary on the call activity, which cancels the child', async () => {
    const h = new EngineHarness(3);
    await h.deployProcess(errorModel(true));
    const pi = createSpread(h, 'parent', ['call']);
    const call = h.elementKeyOf('call');
    const target = remoteCall(h, call);
    const child = childRoot(h, target, call);
    h.throwError(h.jobKeyOf('c_task'), 'OOPS', 'it broke', { reason: 'broken' });
    expect(h.elementStreamOf(pi)).toEqual(expect.arrayContaining(['call:ELEMENT_TERMINATED', 'caught:ELEMENT_ACTIVATED', 'handled:ELEMENT_COMPLETED', 'parent:ELEMENT_COMPLETED']));
    expect(h.events('PROCESS_EVENT', 'TRIGGERED', 1).map((r) => (r.value as { variables: unknown }).variables)).toContainEqual({ reason: 'broken' });
    expect(h.isActive(child.key)).toBe(false);
    expect(calls(h, target, call)).toEqual(['ACCEPTED', 'THROWING', 'RELEASED']);
    expect(calls(h, 1, call)).toEqual(['CREATING', 'CREATED', 'CAUGHT', 'CANCELING', 'CANCELED']);
    expect(h.events('INCIDENT', 'CREATED')).toEqual([]);
    settled(h);
    await expectReplayable(h);
  });

  it('an error nobody catches is an incident on the thrower in the child, as on one partition', async () => {
    const h = new EngineHarness(3);
    await h.deployProcess(errorModel(false));
    const pi = createSpread(h, 'parent', ['call']);
    const call = h.elementKeyOf('call');
    const target = remoteCall(h, call);
    const child = childRoot(h, target, call);
    const job = h.jobKeyOf('c_task');
    h.throwError(job, 'OOPS', 'it broke');
    const [incident] = h.events<{ errorType: string; errorMessage: string; elementId: string; jobKey: bigint; processInstanceKey: bigint }>('INCIDENT', 'CREATED', target);
    expect(incident!.value).toMatchObject({
      errorType: 'UNHANDLED_ERROR_EVENT',
      errorMessage: "Expected to throw an error event with the code 'OOPS' with message 'it broke', but it was not caught. No error events are available in the scope.",
      elementId: 'c_task',
      jobKey: job,
      processInstanceKey: child.key,
    });
    expect(calls(h, target, call)).toEqual(['ACCEPTED', 'THROWING', 'THROW_ANSWERED']);
    expect(h.isActive(pi) && h.isActive(child.key)).toBe(true);
    // The caller's partition alone does not see the remote child's incident; its view names the
    // child, which the node reads on the child's partition (ZenNode.getProcessInstance).
    expect(processInstanceView(h.partition(1).state, pi)).toMatchObject({ hasIncident: false, remoteCalledInstances: [child.key] });
    expect(processInstanceView(h.partition(target).state, child.key)!.hasIncident).toBe(true);
    settled(h, true);
    // Cancelling the parent still cascades and resolves the incident.
    h.cancelInstance(pi);
    expect(h.isActive(child.key)).toBe(false);
    expect(h.events('INCIDENT', 'RESOLVED', target)).toHaveLength(1);
    await expectReplayable(h);
  });

  it('an error end event waits for the verdict; a THROW re-sent after the catch changes nothing', async () => {
    const h = new EngineHarness(3);
    await h.deployProcess(definitions([
      ['child', [error('e', 'OOPS'), start('c_start'), errorEnd('c_throw', 'e'), flow('c_start', 'c_throw')]],
      ['parent', [error('e', 'OOPS'), start(), callActivity('call', 'child'), errorBoundary('caught', 'call', 'e'), end(), end('handled'), ...chain('start', 'call', 'end'), flow('caught', 'handled')]],
    ]));
    h.autoDeliver = false;
    const pi = createSpread(h, 'parent', ['call']);
    const call = h.elementKeyOf('call');
    const target = remoteCall(h, call);
    deliverOne(h, take(h, 'CREATE'));
    const child = childRoot(h, target, call);
    expect(h.elementStreamOf(child.key).slice(-1)).toEqual(['c_throw:ELEMENT_ACTIVATING']);
    const thrown = take(h, 'THROW');
    deliverOne(h, thrown);
    deliverOne(h, thrown);
    h.deliver();
    expect(h.elementStreamOf(pi).filter((e) => e === 'caught:ELEMENT_ACTIVATED')).toHaveLength(1);
    expect(h.elementStreamOf(pi)).toContain('parent:ELEMENT_COMPLETED');
    expect(h.isActive(child.key)).toBe(false);
    settled(h);
    await expectReplayable(h);
  });

  it('an escalation caught without interrupting lets the thrower go on; one nobody catches too', async () => {
    const h = new EngineHarness(3);
    await h.deployProcess(definitions([
      ['child', [escalation('esc', 'LATE'), escalation('other', 'NOBODY'), start('c_start'), escalationThrow('late', 'esc'), escalationThrow('unheard', 'other'), serviceTask('c_task', 'child-work'), end('c_end'), ...chain('c_start', 'late', 'unheard', 'c_task', 'c_end')]],
      ['parent', [escalation('esc', 'LATE'), start(), callActivity('call', 'child'), escalationBoundary('noted', 'call', 'esc', { interrupting: false }), end(), end('noted_end'), ...chain('start', 'call', 'end'), flow('noted', 'noted_end')]],
    ]));
    const pi = createSpread(h, 'parent', ['call']);
    const call = h.elementKeyOf('call');
    const target = remoteCall(h, call);
    const child = childRoot(h, target, call);
    expect(h.elementStreamOf(pi)).toContain('noted:ELEMENT_COMPLETED');
    expect(h.elementStreamOf(child.key)).toEqual(expect.arrayContaining(['late:ELEMENT_COMPLETED', 'unheard:ELEMENT_COMPLETED', 'c_task:ELEMENT_ACTIVATED']));
    expect(h.events('ESCALATION', 'ESCALATED', 1).map((r) => r.value)).toEqual([{ processInstanceKey: child.key, escalationCode: 'LATE', throwElementId: 'late', catchElementId: 'noted' }]);
    expect(h.events('ESCALATION', 'NOT_ESCALATED', target).map((r) => r.value)).toEqual([{ processInstanceKey: child.key, escalationCode: 'NOBODY', throwElementId: 'unheard', catchElementId: '' }]);
    h.completeJob(h.jobKeyOf('c_task'));
    expect(h.isActive(pi)).toBe(false);
    settled(h);
    await expectReplayable(h);
  });
});

describe('an interrupting escalation out of a remote child', () => {
  it('cancels the child; a THROW re-sent before the cancel arrives lets nothing go on', async () => {
    const h = new EngineHarness(3);
    await h.deployProcess(definitions([
      ['child', [escalation('esc', 'LATE'), start('c_start'), escalationThrow('late', 'esc'), serviceTask('c_task', 'child-work'), end('c_end'), ...chain('c_start', 'late', 'c_task', 'c_end')]],
      ['parent', [escalation('esc', 'LATE'), start(), callActivity('call', 'child'), escalationBoundary('stopped', 'call', 'esc'), end(), end('stopped_end'), ...chain('start', 'call', 'end'), flow('stopped', 'stopped_end')]],
    ]));
    h.autoDeliver = false;
    const pi = createSpread(h, 'parent', ['call']);
    const call = h.elementKeyOf('call');
    const target = remoteCall(h, call);
    deliverOne(h, take(h, 'CREATE'));
    const child = childRoot(h, target, call);
    const thrown = take(h, 'THROW');
    deliverOne(h, thrown);
    expect(h.elementStreamOf(pi)).toContain('stopped_end:ELEMENT_COMPLETED');
    const cancel = take(h, 'CANCEL');
    // The thrower re-sends before the cancel reaches it: no answer comes back.
    deliverOne(h, thrown);
    expect(h.outbox.filter((c) => c.intent === 'ANSWER_THROW')).toEqual([]);
    deliverOne(h, cancel);
    h.deliver();
    expect(h.elementStreamOf(child.key)).not.toContain('late:ELEMENT_COMPLETED');
    expect(h.events('JOB', 'CREATED', target)).toEqual([]);
    expect(h.isActive(child.key)).toBe(false);
    expect(h.events('ESCALATION', 'ESCALATED', 1)).toHaveLength(1);
    settled(h);
    await expectReplayable(h);
  });
});

describe('nested call activities across partitions', () => {
  const NESTED = definitions([
    ['leaf', [start('l_start'), serviceTask('l_task', 'leaf-work'), end('l_end'), ...chain('l_start', 'l_task', 'l_end')]],
    ['mid', [start('m_start'), callActivity('m_call', 'leaf'), end('m_end'), ...chain('m_start', 'm_call', 'm_end')]],
    ['top', [error('e', 'DEEP'), start(), callActivity('t_call', 'mid'), errorBoundary('caught', 't_call', 'e'), end(), end('handled'), ...chain('start', 't_call', 'end'), flow('caught', 'handled')]],
  ]);

  /** top on partition 1, mid and leaf each on another one, all three different. */
  async function nested(): Promise<{ h: EngineHarness; pi: bigint; mid: ZenRecord<ProcessInstanceValue>; leaf: ZenRecord<ProcessInstanceValue> }> {
    const h = new EngineHarness(3);
    await h.deployProcess(NESTED);
    const pi = createSpread(h, 'top', ['t_call', 'm_call'], { depth: 0 });
    const midPartition = remoteCall(h, h.elementKeyOf('t_call'));
    const mid = childRoot(h, midPartition, h.elementKeyOf('t_call'));
    const leafPartition = remoteCall(h, h.elementKeyOf('m_call'));
    const leaf = childRoot(h, leafPartition, h.elementKeyOf('m_call'));
    expect(new Set([1, midPartition, leafPartition]).size, 'three partitions').toBe(3);
    return { h, pi, mid, leaf };
  }

  it('a grandchild on a third partition completes up the chain', async () => {
    const { h, pi, mid, leaf } = await nested();
    expect(leaf.value.parentProcessInstanceKey).toBe(mid.key);
    expect(h.variablesOf(leaf.key)).toEqual({ depth: 0 });
    h.completeJob(h.jobKeyOf('l_task'), { depth: 2 });
    expect(h.isActive(pi)).toBe(false);
    expect(h.variablesOf(pi)).toEqual({});
    expect(h.events<{ variables: Record<string, unknown> }>('PROCESS_EVENT', 'TRIGGERED', 1).map((r) => r.value.variables)).toContainEqual({ depth: 2 });
    expect(h.elementStreamOf(pi)).toContain('top:ELEMENT_COMPLETED');
    settled(h);
    await expectReplayable(h);
  });

  it('an error in the grandchild goes up through the middle partition to the boundary at the top; the cancel cascades down', async () => {
    const { h, pi, mid, leaf } = await nested();
    h.throwError(h.jobKeyOf('l_task'), 'DEEP');
    expect(h.elementStreamOf(pi)).toEqual(expect.arrayContaining(['t_call:ELEMENT_TERMINATED', 'handled:ELEMENT_COMPLETED', 'top:ELEMENT_COMPLETED']));
    expect(h.isActive(mid.key)).toBe(false);
    expect(h.isActive(leaf.key)).toBe(false);
    // The middle partition only passed the throw on, then was cancelled from above and cancelled below.
    const midPartition = partitionOf(mid.key);
    expect(h.partition(midPartition).log.filter((r) => r.valueType === 'CALLED_PROCESS_INSTANCE' && r.intent === 'THROW').map((r) => r.recordType)).toEqual(['COMMAND']);
    expect(calls(h, midPartition, h.elementKeyOf('t_call'))).toEqual(['ACCEPTED', 'RELEASED']);
    expect(calls(h, midPartition, h.elementKeyOf('m_call'))).toEqual(['CREATING', 'CREATED', 'CANCELING', 'CANCELED']);
    expect(calls(h, 1, h.elementKeyOf('t_call'))).toEqual(['CREATING', 'CREATED', 'CAUGHT', 'CANCELING', 'CANCELED']);
    settled(h);
    await expectReplayable(h);
  });

  it('cancelling the top instance cancels down the chain', async () => {
    const { h, pi, mid, leaf } = await nested();
    h.cancelInstance(pi);
    for (const key of [pi, mid.key, leaf.key]) expect(h.isActive(key)).toBe(false);
    for (const p of h.partitions) expect(p.state.elementInstances.table.size, `partition ${p.id} instances`).toBe(0);
    settled(h);
    await expectReplayable(h);
  });
});

describe('instance operations with a remote child', () => {
  it('migrating the caller keeps its remote child, whose completion reaches the migrated call activity', async () => {
    const h = await setUp();
    const pi = createSpread(h, 'parent', ['call']);
    const call = h.elementKeyOf('call');
    const target = remoteCall(h, call);
    const child = childRoot(h, target, call);
    const v2 = await h.deployProcess(model('parent', start(), callActivity('call2', 'child'), serviceTask('after2', 'after'), end(), ...chain('start', 'call2', 'after2', 'end')));
    expect(h.migrateInstance(pi, v2, [['call', 'call2']])?.ok).toBe(true);
    h.completeJob(h.jobKeyOf('c_task', child.key), { migrated: true });
    expect(h.elementStreamOf(pi)).toEqual(expect.arrayContaining(['call2:ELEMENT_COMPLETED', 'after2:ELEMENT_ACTIVATED']));
    expect(h.variablesOf(pi)).toEqual({ migrated: true });
    settled(h);
    await expectReplayable(h);
  });

  it('modification terminating the call activity cancels the child; activating it starts a new one', async () => {
    const h = await setUp();
    const pi = createSpread(h, 'parent', ['call']);
    const call = h.elementKeyOf('call');
    const target = remoteCall(h, call);
    const first = childRoot(h, target, call);
    expect(h.modifyInstance(pi, [{ elementId: 'after' }], [call])?.ok).toBe(true);
    expect(h.isActive(first.key)).toBe(false);
    expect(h.modifyInstance(pi, [{ elementId: 'call' }])?.ok).toBe(true);
    const second = h.elementKeyOf('call');
    const secondChild = childRoot(h, childPartition(second, 3), second);
    expect(h.isActive(secondChild.key)).toBe(true);
    h.completeJob(h.jobKeyOf('c_task', secondChild.key), { again: true });
    expect(h.variablesOf(pi)).toEqual({ again: true });
    settled(h);
    await expectReplayable(h);
  });
});
