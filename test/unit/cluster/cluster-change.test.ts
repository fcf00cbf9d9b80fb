import { describe, expect, it } from 'vitest';
import type { ClusterChangeCommand } from '../../../src/cluster/main/cluster-change.js';
import { changeStepCommands, JOIN_DOWN_TIMEOUT_MS, TRANSFER_TIMEOUT_MS } from '../../../src/cluster/main/change-executor.js';
import { decodeClusterCommand, decodeClusterSnapshot, encodeClusterCommand, encodeClusterSnapshot } from '../../../src/cluster/main/codec.js';
import type { ClusterCommand, ClusterState } from '../../../src/cluster/main/types.js';
import { config, fold, groups, member, node } from './fixtures.js';

const T0 = 1_700_000_000_000;

function base(): ClusterState {
  return fold([
    config(2, 2),
    node(1),
    node(2),
    node(3),
    member(1, 1, { state: 'ACTIVE', role: 'LEADER', term: 5 }),
    member(1, 2, { state: 'ACTIVE', role: 'FOLLOWER' }),
    member(2, 2, { state: 'ACTIVE', role: 'LEADER', term: 6 }),
    member(2, 1, { state: 'ACTIVE', role: 'FOLLOWER' }),
  ]);
}

const drainNode1: ClusterChangeCommand = {
  type: 'ClusterChangePlanned',
  startedAt: T0,
  operations: [
    { operation: 'PARTITION_JOIN', nodeId: 3, partitionId: 1 },
    { operation: 'PARTITION_LEADER_TRANSFER', nodeId: 2, partitionId: 1, fromNodeId: 1 },
    { operation: 'PARTITION_LEAVE', nodeId: 1, partitionId: 1 },
    { operation: 'BROKER_REMOVE', nodeId: 1, partitionId: 0 },
  ],
};

describe('cluster change fold', () => {
  it('a plan becomes the pending change, identified by its sequence number', () => {
    const state = fold([drainNode1], base());
    expect(state.pendingChange).toMatchObject({ id: state.version, status: 'IN_PROGRESS', startedAt: T0, completedAt: [] });
  });

  it('a second plan while one is pending is ignored', () => {
    const first = fold([drainNode1], base());
    const second = fold([{ type: 'ClusterChangePlanned', startedAt: T0 + 1, operations: [{ operation: 'BROKER_REMOVE', nodeId: 3, partitionId: 0 }] }], first);
    expect(second.pendingChange).toEqual(first.pendingChange);
    expect(second.version).toBe(first.version + 1);
  });

  it('steps count in order only; a repeated or skipped step report changes nothing', () => {
    const state = fold([drainNode1], base());
    const id = state.pendingChange!.id;
    const once = fold([{ type: 'ClusterChangeStepDone', changeId: id, step: 0, completedAt: T0 + 5 }], state);
    expect(once.pendingChange!.completedAt).toEqual([T0 + 5]);
    const twice = fold([{ type: 'ClusterChangeStepDone', changeId: id, step: 0, completedAt: T0 + 6 }], once);
    expect(twice.pendingChange!.completedAt).toEqual([T0 + 5]);
    const skipped = fold([{ type: 'ClusterChangeStepDone', changeId: id, step: 2, completedAt: T0 + 7 }], once);
    expect(skipped.pendingChange!.completedAt).toEqual([T0 + 5]);
    const otherChange = fold([{ type: 'ClusterChangeStepDone', changeId: id + 100, step: 1, completedAt: T0 + 7 }], once);
    expect(otherChange.pendingChange!.completedAt).toEqual([T0 + 5]);
  });

  it('the last step completes the change and applies its replication factor', () => {
    const planned = fold(
      [{ type: 'ClusterChangePlanned', startedAt: T0, replicationFactor: 3, operations: [{ operation: 'PARTITION_JOIN', nodeId: 3, partitionId: 1 }] }],
      base(),
    );
    const id = planned.pendingChange!.id;
    const done = fold([{ type: 'ClusterChangeStepDone', changeId: id, step: 0, completedAt: T0 + 9 }], planned);
    expect(done.pendingChange).toBeNull();
    expect(done.lastChange).toMatchObject({ id, status: 'COMPLETED', finishedAt: T0 + 9, replicationFactor: 3 });
    expect(done.config).toEqual({ partitionCount: 2, replicationFactor: 3 });
  });

  it('an empty plan completes at once; a cancel keeps the factor', () => {
    const empty = fold([{ type: 'ClusterChangePlanned', startedAt: T0, replicationFactor: 2, operations: [] }], base());
    expect(empty.pendingChange).toBeNull();
    expect(empty.lastChange).toMatchObject({ status: 'COMPLETED', finishedAt: T0 });
    const planned = fold([{ type: 'ClusterChangePlanned', startedAt: T0, replicationFactor: 3, operations: [{ operation: 'PARTITION_JOIN', nodeId: 3, partitionId: 1 }] }], base());
    const cancelled = fold([{ type: 'ClusterChangeCancelled', changeId: planned.pendingChange!.id, cancelledAt: T0 + 1, reason: 'gone' }], planned);
    expect(cancelled.pendingChange).toBeNull();
    expect(cancelled.lastChange).toMatchObject({ status: 'CANCELLED', reason: 'gone', finishedAt: T0 + 1 });
    expect(cancelled.config!.replicationFactor).toBe(2);
  });
});

/** Runs the executor as the controller would, with `react` standing in for the nodes. */
function drive(state: ClusterState, live: Set<number>, react: (s: ClusterState) => ClusterCommand[], maxRounds = 50): ClusterState {
  let now = T0;
  for (let round = 0; round < maxRounds && state.pendingChange; round++) {
    now += 100;
    state = fold(changeStepCommands(state, live, now), state);
    state = fold(react(state), state);
  }
  return state;
}

/** Nodes: a JOINING member catches up at once; a transfer step is honoured by the leader. */
function cooperativeNodes(s: ClusterState): ClusterCommand[] {
  const out: ClusterCommand[] = [];
  for (const [p, members] of s.partitions) for (const [id, m] of members) if (m.state === 'JOINING') out.push(member(p, id, { state: 'ACTIVE' }));
  const change = s.pendingChange;
  const step = change?.operations[change.completedAt.length];
  if (step?.operation === 'PARTITION_LEADER_TRANSFER' && s.partitions.get(step.partitionId)?.has(step.nodeId)) {
    out.push(member(step.partitionId, step.nodeId, { role: 'LEADER', term: 100 + s.version }));
  }
  return out;
}

describe('cluster change executor', () => {
  it('carries a drain through: join, hand-over, leave, LEFT', () => {
    const end = drive(fold([drainNode1], base()), new Set([1, 2, 3]), cooperativeNodes);
    expect(end.pendingChange).toBeNull();
    expect(end.lastChange!.status).toBe('COMPLETED');
    expect(groups(end)).toEqual({ 1: [2, 3], 2: [1, 2] });
    expect(end.partitions.get(1)!.get(2)!.role).toBe('LEADER');
    expect(end.nodes.get(1)!.state).toBe('LEFT');
  });

  it('adds the joining member as JOINING and waits for it to report ACTIVE', () => {
    const state = fold([drainNode1], base());
    const first = changeStepCommands(state, new Set([1, 2, 3]), T0 + 1);
    expect(first).toEqual([{ type: 'ClusterNodePartitionChange', nodeId: 3, partitionId: 1, state: 'JOINING' }]);
    const joining = fold(first, state);
    expect(changeStepCommands(joining, new Set([1, 2, 3]), T0 + 2)).toEqual([]);
    const active = fold([member(1, 3, { state: 'ACTIVE' })], joining);
    expect(changeStepCommands(active, new Set([1, 2, 3]), T0 + 3)).toEqual([{ type: 'ClusterChangeStepDone', changeId: state.pendingChange!.id, step: 0, completedAt: T0 + 3 }]);
  });

  it('is idempotent: a new controller finds a step half done and finishes it without repeating it', () => {
    const state = fold([drainNode1], base());
    const id = state.pendingChange!.id;
    // The old controller removed the member but died before its StepDone landed.
    const half = fold(
      [member(1, 3, { state: 'JOINING' }), member(1, 3, { state: 'ACTIVE' }), { type: 'ClusterChangeStepDone', changeId: id, step: 0, completedAt: T0 }, { type: 'ClusterChangeStepDone', changeId: id, step: 1, completedAt: T0 }, member(1, 1, { state: 'REMOVED' })],
      state,
    );
    expect(changeStepCommands(half, new Set([1, 2, 3]), T0 + 10)).toEqual([{ type: 'ClusterChangeStepDone', changeId: id, step: 2, completedAt: T0 + 10 }]);
  });

  it('a transfer is done when another node than the leaving one leads, and given up after its timeout', () => {
    const state = fold([drainNode1], base());
    const id = state.pendingChange!.id;
    const atTransfer = fold([member(1, 3, { state: 'JOINING' }), member(1, 3, { state: 'ACTIVE' }), { type: 'ClusterChangeStepDone', changeId: id, step: 0, completedAt: T0 }], state);
    expect(changeStepCommands(atTransfer, new Set([1, 2, 3]), T0 + 1)).toEqual([]);
    const ledBy3 = fold([member(1, 3, { role: 'LEADER', term: 50 })], atTransfer);
    expect(changeStepCommands(ledBy3, new Set([1, 2, 3]), T0 + 1)).toHaveLength(1);
    expect(changeStepCommands(atTransfer, new Set([1, 2, 3]), T0 + TRANSFER_TIMEOUT_MS)).toEqual([{ type: 'ClusterChangeStepDone', changeId: id, step: 1, completedAt: T0 + TRANSFER_TIMEOUT_MS }]);
  });

  it('a joining node that is down is waited for a while (a restart), then the change is cancelled', () => {
    const state = fold([drainNode1], base());
    expect(changeStepCommands(state, new Set([1, 2]), T0 + 1)).toEqual([]);
    const [command] = changeStepCommands(state, new Set([1, 2]), T0 + JOIN_DOWN_TIMEOUT_MS);
    expect(command).toMatchObject({ type: 'ClusterChangeCancelled', reason: expect.stringContaining('node 3') });
  });
});

describe('cluster change codec', () => {
  const commands: ClusterChangeCommand[] = [
    drainNode1,
    { type: 'ClusterChangePlanned', startedAt: T0, replicationFactor: 3, operations: [] },
    { type: 'ClusterChangeStepDone', changeId: 123456789012, step: 3, completedAt: T0 + 1 },
    { type: 'ClusterChangeCancelled', changeId: 7, cancelledAt: T0 + 2, reason: 'node 3 went away' },
  ];
  it.each(commands.map((c) => [c.type, c] as const))('round-trips %s', (_name, command) => {
    expect(decodeClusterCommand(encodeClusterCommand(command))).toStrictEqual(command);
  });

  it('round-trips a snapshot with a pending and a last change', () => {
    const first = fold([{ type: 'ClusterChangePlanned', startedAt: T0, replicationFactor: 3, operations: [] }], base());
    const state = fold([drainNode1, { type: 'ClusterChangeStepDone', changeId: first.version + 1, step: 0, completedAt: T0 + 4 }], first);
    expect(state.pendingChange).not.toBeNull();
    expect(state.lastChange).not.toBeNull();
    expect(decodeClusterSnapshot(encodeClusterSnapshot(state))).toStrictEqual(state);
  });

  it('refuses a negative step', () => {
    expect(() => encodeClusterCommand({ type: 'ClusterChangeStepDone', changeId: 1, step: -1, completedAt: T0 })).toThrow(/step/);
  });
});
