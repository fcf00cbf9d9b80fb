import { describe, expect, it } from 'vitest';
import type { ChangeOperation } from '../../../src/cluster/main/cluster-change.js';
import { type ChangeRequest, expectedState, planChange } from '../../../src/cluster/main/change-planner.js';
import type { ClusterCommand, ClusterState } from '../../../src/cluster/main/types.js';
import { config, fold, groups, member, node } from './fixtures.js';

/** A cluster with `assignment` (partition → members, the first one leading) over nodes in `zones` (node i+1 in zones[i]). */
function cluster(rf: number, zones: string[], assignment: Record<number, number[]>, extra: ClusterCommand[] = []): ClusterState {
  const commands: ClusterCommand[] = [config(Object.keys(assignment).length, rf), ...zones.map((zone, i) => node(i + 1, zone))];
  for (const [p, members] of Object.entries(assignment)) {
    members.forEach((id, i) => commands.push(member(Number(p), id, { state: 'ACTIVE', ...(i === 0 ? { role: 'LEADER', term: 10 + Number(p) } : { role: 'FOLLOWER' }) })));
  }
  return fold([...commands, ...extra]);
}

const live = (...ids: number[]) => new Set(ids);

function ops(state: ClusterState, request: ChangeRequest, liveIds: Set<number>): ChangeOperation[] {
  const plan = planChange(state, request, liveIds);
  if (!plan.ok) throw new Error(plan.message);
  return plan.operations;
}

function short(operations: ChangeOperation[]): string[] {
  return operations.map((op) => {
    switch (op.operation) {
      case 'PARTITION_JOIN':
        return `join ${op.nodeId}@${op.partitionId}`;
      case 'PARTITION_LEAVE':
        return `leave ${op.nodeId}@${op.partitionId}`;
      case 'PARTITION_LEADER_TRANSFER':
        return `lead ${op.partitionId}->${op.nodeId}${op.fromNodeId === undefined ? '' : ` from ${op.fromNodeId}`}`;
      case 'BROKER_REMOVE':
        return `remove ${op.nodeId}`;
    }
  });
}

function loads(state: ClusterState): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const members of state.partitions.values()) for (const id of members.keys()) counts[id] = (counts[id] ?? 0) + 1;
  return counts;
}

describe('change planner: adding a node', () => {
  it('moves one membership to a fourth node of 3x3 RF 2, and makes it the leader of that partition', () => {
    const state = cluster(2, ['z', 'z', 'z', 'z'], { 1: [1, 2], 2: [2, 3], 3: [3, 1] });
    const plan = ops(state, { kind: 'ADD_BROKER', nodeId: 4 }, live(1, 2, 3, 4));
    // Partition 2 is where node 4 is the preferred leader of the final group ((2-1) mod 2 = 1 → the higher id);
    // among equally loaded donors the highest id gives.
    expect(short(plan)).toEqual(['join 4@2', 'lead 2->4', 'leave 3@2']);
    const after = expectedState(state, plan);
    expect(groups(after)).toEqual({ 1: [1, 2], 2: [2, 4], 3: [1, 3] });
    expect(after.partitions.get(2)!.get(4)!.role).toBe('LEADER');
  });

  it('evens out memberships: 6 partitions RF 3 over 3 nodes, plus 3 new nodes one at a time', () => {
    const all = { 1: [1, 2, 3], 2: [2, 3, 1], 3: [3, 1, 2], 4: [1, 2, 3], 5: [2, 3, 1], 6: [3, 1, 2] };
    let state = cluster(3, ['z', 'z', 'z', 'z', 'z', 'z'], all);
    for (const added of [4, 5, 6]) {
      const plan = ops(state, { kind: 'ADD_BROKER', nodeId: added }, live(1, 2, 3, 4, 5, 6));
      state = expectedState(state, plan);
    }
    const load = Object.values(loads(state));
    expect(load.length).toBe(6);
    expect(Math.max(...load) - Math.min(...load)).toBeLessThanOrEqual(1);
    for (const members of state.partitions.values()) expect(members.size).toBe(3);
  });

  it('keeps zone spread: a new node of zone a takes only from zone a', () => {
    const state = cluster(2, ['a', 'b', 'a', 'a'], { 1: [1, 2], 2: [2, 3], 3: [1, 2], 4: [3, 2] });
    const plan = ops(state, { kind: 'ADD_BROKER', nodeId: 4 }, live(1, 2, 3, 4));
    expect(plan.length).toBeGreaterThan(0);
    const after = expectedState(state, plan);
    for (const [p, members] of after.partitions) {
      expect(new Set([...members.keys()].map((id) => after.nodes.get(id)!.zone)).size, `partition ${p}`).toBe(2);
    }
    expect(plan.filter((op) => op.operation === 'PARTITION_LEAVE').every((op) => op.nodeId !== 2)).toBe(true);
  });

  it('plans nothing when the new node would not even out anything', () => {
    const state = cluster(1, ['z', 'z', 'z'], { 1: [1], 2: [2] });
    expect(ops(state, { kind: 'ADD_BROKER', nodeId: 3 }, live(1, 2, 3))).toEqual([]);
  });
});

describe('change planner: draining a node', () => {
  it('replaces each membership, moves leaderships away, then removes the node', () => {
    const state = cluster(2, ['z', 'z', 'z', 'z'], { 1: [1, 2], 2: [2, 3], 3: [3, 1] });
    const plan = ops(state, { kind: 'REMOVE_BROKER', nodeId: 1 }, live(1, 2, 3, 4));
    expect(short(plan)).toEqual(['join 4@1', 'lead 1->2 from 1', 'leave 1@1', 'join 4@3', 'lead 3->3 from 1', 'leave 1@3', 'remove 1']);
    const after = expectedState(state, plan);
    expect(groups(after)).toEqual({ 1: [2, 4], 2: [2, 3], 3: [3, 4] });
    expect(after.nodes.get(1)!.state).toBe('LEFT');
  });

  it('keeps zones: the replacement comes from the leaving node zone', () => {
    const state = cluster(3, ['a', 'b', 'c', 'a', 'b'], { 1: [1, 2, 3] });
    expect(short(ops(state, { kind: 'REMOVE_BROKER', nodeId: 1 }, live(1, 2, 3, 4, 5)))).toEqual(['join 4@1', 'lead 1->2 from 1', 'leave 1@1', 'remove 1']);
  });

  it('without a replacement available, refuses with the reason', () => {
    const state = cluster(2, ['z', 'z'], { 1: [1, 2] });
    const plan = planChange(state, { kind: 'REMOVE_BROKER', nodeId: 1 }, live(1, 2));
    expect(plan).toEqual({ ok: false, code: 'FAILED_PRECONDITION', message: expect.stringMatching(/leave 1 node\(s\).*replication factor 2/) });
  });

  it('a dead node does not count as a replacement', () => {
    const state = cluster(2, ['z', 'z', 'z'], { 1: [1, 2] });
    expect(planChange(state, { kind: 'REMOVE_BROKER', nodeId: 1 }, live(1, 2)).ok).toBe(false);
  });

  it('a node holding nothing is just removed; one already gone is refused; an unknown one too', () => {
    const state = cluster(1, ['z', 'z', 'z'], { 1: [1] });
    expect(short(ops(state, { kind: 'REMOVE_BROKER', nodeId: 3 }, live(1, 2, 3)))).toEqual(['remove 3']);
    const left = fold([{ type: 'ClusterNodeChange', nodeId: 3, state: 'LEFT' }], state);
    expect(planChange(left, { kind: 'REMOVE_BROKER', nodeId: 3 }, live(1, 2))).toMatchObject({ ok: false, code: 'FAILED_PRECONDITION' });
    expect(planChange(state, { kind: 'REMOVE_BROKER', nodeId: 9 }, live(1, 2, 3))).toMatchObject({ ok: false, code: 'INVALID_ARGUMENT', message: expect.stringContaining('Node 9') });
  });
});

describe('change planner: replication factor', () => {
  it('RF 1 → 3 joins two members per group across zones', () => {
    const state = cluster(1, ['a', 'a', 'b', 'c'], { 1: [1], 2: [2] });
    const plan = ops(state, { kind: 'REPLICATION_FACTOR', replicationFactor: 3 }, live(1, 2, 3, 4));
    expect(plan.every((op) => op.operation === 'PARTITION_JOIN')).toBe(true);
    const after = expectedState(state, plan, 3);
    expect(after.config!.replicationFactor).toBe(3);
    for (const members of after.partitions.values()) {
      expect(members.size).toBe(3);
      expect(new Set([...members.keys()].map((id) => after.nodes.get(id)!.zone)).size).toBe(3);
    }
  });

  it('RF 3 → 2 removes a follower, never the leader', () => {
    const state = cluster(3, ['z', 'z', 'z'], { 1: [1, 2, 3], 2: [2, 3, 1] });
    const plan = ops(state, { kind: 'REPLICATION_FACTOR', replicationFactor: 2 }, live(1, 2, 3));
    const leaves = plan.filter((op) => op.operation === 'PARTITION_LEAVE');
    expect(leaves).toHaveLength(2);
    expect(leaves.find((op) => op.partitionId === 1)!.nodeId).not.toBe(1);
    expect(leaves.find((op) => op.partitionId === 2)!.nodeId).not.toBe(2);
    for (const members of expectedState(state, plan, 2).partitions.values()) expect(members.size).toBe(2);
  });

  it('refuses a factor larger than the nodes that can hold members, and a non-positive one', () => {
    const state = cluster(2, ['z', 'z', 'z'], { 1: [1, 2] });
    expect(planChange(state, { kind: 'REPLICATION_FACTOR', replicationFactor: 4 }, live(1, 2, 3))).toMatchObject({ ok: false, code: 'FAILED_PRECONDITION', message: expect.stringContaining('has 3') });
    expect(planChange(state, { kind: 'REPLICATION_FACTOR', replicationFactor: 0 }, live(1, 2, 3))).toMatchObject({ ok: false, code: 'INVALID_ARGUMENT' });
  });
});

describe('change planner: refusals', () => {
  it('a node that is not registered cannot be added', () => {
    const state = cluster(1, ['z', 'z'], { 1: [1] });
    expect(planChange(state, { kind: 'ADD_BROKER', nodeId: 2 }, live(1))).toMatchObject({ ok: false, code: 'INVALID_ARGUMENT', message: expect.stringContaining('Node 2 is not registered') });
    expect(planChange(state, { kind: 'ADD_BROKER', nodeId: 7 }, live(1, 2))).toMatchObject({ ok: false, code: 'INVALID_ARGUMENT', message: expect.stringContaining('Node 7') });
  });

  it('nothing is planned while a change is pending', () => {
    const state = cluster(1, ['z', 'z'], { 1: [1] }, [{ type: 'ClusterChangePlanned', operations: [{ operation: 'BROKER_REMOVE', nodeId: 2, partitionId: 0 }], startedAt: 1 }]);
    expect(planChange(state, { kind: 'ADD_BROKER', nodeId: 2 }, live(1, 2))).toMatchObject({ ok: false, code: 'FAILED_PRECONDITION', message: expect.stringContaining('in progress') });
  });
});
