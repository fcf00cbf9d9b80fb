/**
 * Plans a cluster change (ADR 017): from an operator's request and the current state, the
 * ordered operations that carry it out. Pure, so that every rule is tested on tables and a
 * dry run shows exactly what a real request would do.
 *
 * Rules, and why:
 * - Per partition the order is join, leadership transfer, leave: a group never has fewer than
 *   its replication factor of members during the change (at most one more), and a leader
 *   leaves only after its leadership moved by hand-over, which costs clients no lease wait.
 * - A transfer goes to the member that will be the preferred leader of the final group
 *   (preferred-leader.ts), so the nodes' own hand-over to the preferred leader does not move it
 *   a second time. A transfer is planned for every group a leaving node is in, whether or not
 *   it leads at planning time: leadership may move to it before the step runs.
 * - Candidates are nodes that are ACTIVE, registered (live) and not controller-only. A group
 *   spans as many zones as exist (planner.ts's first key: members already in the candidate's
 *   zone), then the least loaded node, then the lowest id.
 * - Adding node N: memberships move to N from the most loaded nodes while a donor holds at
 *   least two more than N, and only where the move keeps the group's zone spread. Among
 *   possible moves, those that make N the preferred leader of the group come first, so that N
 *   leads partitions as well as following them.
 * - Removing node N: each of its memberships gets a replacement (zones kept as far as the
 *   remaining nodes allow), then N leaves it; finally BROKER_REMOVE marks N LEFT. Refused when
 *   the remaining nodes cannot hold the replication factor.
 * - Changing the replication factor to R': groups grow by joins chosen as above, or shrink by
 *   leaves chosen as the automatic planner trims surplus (non-leaders first, the most crowded
 *   zone, the busiest node, the highest id). Refused when fewer than R' nodes can hold members.
 *   The partition count never changes.
 */
import type { ChangeOperation } from './cluster-change.js';
import { preferredLeader } from './preferred-leader.js';
import { type ClusterNode, type ClusterState, leaderOf, type PartitionMember } from './types.js';

export type ChangeRequest =
  | { readonly kind: 'ADD_BROKER'; readonly nodeId: number }
  | { readonly kind: 'REMOVE_BROKER'; readonly nodeId: number }
  | { readonly kind: 'REPLICATION_FACTOR'; readonly replicationFactor: number };

export type ChangePlan =
  | { readonly ok: true; readonly operations: ChangeOperation[]; readonly replicationFactor?: number }
  | { readonly ok: false; readonly code: 'INVALID_ARGUMENT' | 'FAILED_PRECONDITION'; readonly message: string };

export function planChange(state: ClusterState, request: ChangeRequest, liveNodeIds: ReadonlySet<number>): ChangePlan {
  const config = state.config;
  if (!config) return refuse('FAILED_PRECONDITION', 'The cluster has no configuration yet');
  if (state.pendingChange) return refuse('FAILED_PRECONDITION', `Cluster change ${state.pendingChange.id} is still in progress`);
  const eligible = eligibleNodes(state, liveNodeIds);
  switch (request.kind) {
    case 'ADD_BROKER': {
      const node = state.nodes.get(request.nodeId);
      if (!node || node.state !== 'ACTIVE' || !liveNodeIds.has(request.nodeId)) {
        return refuse('INVALID_ARGUMENT', `Node ${request.nodeId} is not registered: start it with --node-id ${request.nodeId} and the cluster's etcd endpoints first`);
      }
      if (node.controllerOnly) return refuse('INVALID_ARGUMENT', `Node ${request.nodeId} is controller-only and cannot hold partitions`);
      return { ok: true, operations: planAdd(state, request.nodeId, eligible) };
    }
    case 'REMOVE_BROKER': {
      const node = state.nodes.get(request.nodeId);
      if (!node) return refuse('INVALID_ARGUMENT', `Node ${request.nodeId} is not part of the cluster`);
      if (node.state === 'LEFT' && memberships(state, request.nodeId).length === 0) {
        return refuse('FAILED_PRECONDITION', `Node ${request.nodeId} has already left the cluster`);
      }
      const remaining = eligible.filter((n) => n.nodeId !== request.nodeId);
      if (memberships(state, request.nodeId).length > 0 && remaining.length < config.replicationFactor) {
        return refuse(
          'FAILED_PRECONDITION',
          `Removing node ${request.nodeId} would leave ${remaining.length} node(s) able to hold partitions, fewer than the replication factor ${config.replicationFactor}`,
        );
      }
      return { ok: true, operations: planRemove(state, request.nodeId, remaining) };
    }
    case 'REPLICATION_FACTOR': {
      const rf = request.replicationFactor;
      if (!Number.isInteger(rf) || rf < 1) return refuse('INVALID_ARGUMENT', `The replication factor must be a positive integer, got ${rf}`);
      if (rf > eligible.length) {
        return refuse('FAILED_PRECONDITION', `Replication factor ${rf} needs ${rf} nodes able to hold partitions; the cluster has ${eligible.length}`);
      }
      return { ok: true, operations: planReplicationFactor(state, rf, eligible), replicationFactor: rf };
    }
  }
}

/**
 * The state once `operations` have run (for `expectedTopology`): joins as ACTIVE followers,
 * leaderships moved, leaves dropped, removed nodes LEFT.
 */
export function expectedState(state: ClusterState, operations: readonly ChangeOperation[], replicationFactor?: number): ClusterState {
  const partitions = new Map<number, Map<number, PartitionMember>>();
  for (const [p, members] of state.partitions) partitions.set(p, new Map(members));
  const nodes = new Map(state.nodes);
  for (const op of operations) {
    const group = partitions.get(op.partitionId) ?? new Map<number, PartitionMember>();
    switch (op.operation) {
      case 'PARTITION_JOIN':
        if (!group.has(op.nodeId)) group.set(op.nodeId, { nodeId: op.nodeId, state: 'ACTIVE', role: 'FOLLOWER', term: 0, since: state.version });
        partitions.set(op.partitionId, group);
        break;
      case 'PARTITION_LEADER_TRANSFER': {
        const term = Math.max(0, ...[...group.values()].map((m) => m.term)) + 1;
        for (const [id, m] of group) {
          if (id === op.nodeId) group.set(id, { ...m, role: 'LEADER', term });
          else if (m.role === 'LEADER') group.set(id, { ...m, role: 'FOLLOWER', term: 0 });
        }
        break;
      }
      case 'PARTITION_LEAVE':
        group.delete(op.nodeId);
        break;
      case 'BROKER_REMOVE': {
        const node = nodes.get(op.nodeId);
        if (node) nodes.set(op.nodeId, { ...node, state: 'LEFT' });
        break;
      }
    }
  }
  const config = state.config && replicationFactor !== undefined ? { ...state.config, replicationFactor } : state.config;
  return { ...state, config, nodes, partitions };
}

function planAdd(state: ClusterState, nodeId: number, eligible: readonly ClusterNode[]): ChangeOperation[] {
  const load = loads(state);
  const groups = groupMap(state);
  const ops: ChangeOperation[] = [];
  const eligibleIds = new Set(eligible.map((n) => n.nodeId));
  for (;;) {
    let best: { key: number[]; partitionId: number; donor: number } | null = null;
    for (const [partitionId, members] of groups) {
      if (members.has(nodeId)) continue;
      const before = zoneSpread(state, members);
      for (const donor of members) {
        if (!eligibleIds.has(donor) || (load.get(donor) ?? 0) < (load.get(nodeId) ?? 0) + 2) continue;
        const after = new Set(members);
        after.delete(donor);
        after.add(nodeId);
        if (zoneSpread(state, after) < before) continue;
        const key = [
          preferredLeader(partitionId, after) === nodeId ? 0 : 1,
          -(load.get(donor) ?? 0),
          -donor,
          partitionId,
        ];
        if (!best || compareKeys(key, best.key) < 0) best = { key, partitionId, donor };
      }
    }
    if (!best) break;
    const members = groups.get(best.partitionId)!;
    members.delete(best.donor);
    members.add(nodeId);
    bump(load, best.donor, -1);
    bump(load, nodeId);
    const target = preferredLeader(best.partitionId, members);
    ops.push({ operation: 'PARTITION_JOIN', nodeId, partitionId: best.partitionId });
    if (target === nodeId) {
      // The new node will be preferred: it takes the leadership now, from whoever holds it.
      ops.push({ operation: 'PARTITION_LEADER_TRANSFER', nodeId, partitionId: best.partitionId });
      ops.push({ operation: 'PARTITION_LEAVE', nodeId: best.donor, partitionId: best.partitionId });
    } else {
      ops.push(...leaveOps(best.partitionId, best.donor, members));
    }
  }
  return ops;
}

function planRemove(state: ClusterState, nodeId: number, remaining: readonly ClusterNode[]): ChangeOperation[] {
  const R = state.config!.replicationFactor;
  const load = loads(state);
  const ops: ChangeOperation[] = [];
  for (const partitionId of memberships(state, nodeId)) {
    const members = new Set(groupOf(state, partitionId));
    members.delete(nodeId);
    let replacement: number | null = null;
    if (members.size < R) {
      const candidate = bestCandidate(state, remaining, members, load);
      if (candidate) {
        replacement = candidate.nodeId;
        members.add(replacement);
        bump(load, replacement);
      }
    }
    bump(load, nodeId, -1);
    if (replacement !== null) ops.push({ operation: 'PARTITION_JOIN', nodeId: replacement, partitionId });
    ops.push(...leaveOps(partitionId, nodeId, members));
  }
  ops.push({ operation: 'BROKER_REMOVE', nodeId, partitionId: 0 });
  return ops;
}

function planReplicationFactor(state: ClusterState, rf: number, eligible: readonly ClusterNode[]): ChangeOperation[] {
  const load = loads(state);
  const ops: ChangeOperation[] = [];
  for (let partitionId = 1; partitionId <= state.config!.partitionCount; partitionId++) {
    const members = new Set(groupOf(state, partitionId));
    while (members.size < rf) {
      const candidate = bestCandidate(state, eligible, members, load);
      if (!candidate) break;
      members.add(candidate.nodeId);
      bump(load, candidate.nodeId);
      ops.push({ operation: 'PARTITION_JOIN', nodeId: candidate.nodeId, partitionId });
    }
    const leader = leaderOf(state, partitionId)?.nodeId;
    while (members.size > rf) {
      const zoneCount = new Map<string, number>();
      for (const id of members) bump(zoneCount, zoneOf(state, id));
      const live = new Set(eligible.map((n) => n.nodeId));
      const key = (id: number): number[] => [live.has(id) ? 1 : 0, id === leader ? 1 : 0, -(zoneCount.get(zoneOf(state, id)) ?? 0), -(load.get(id) ?? 0), -id];
      const leaving = [...members].reduce((a, b) => (compareKeys(key(b), key(a)) < 0 ? b : a));
      members.delete(leaving);
      bump(load, leaving, -1);
      ops.push(...leaveOps(partitionId, leaving, members));
    }
  }
  return ops;
}

/** The leadership moves to the final group's preferred leader (if the leaving member holds it then), then the member leaves. */
function leaveOps(partitionId: number, leaving: number, finalMembers: ReadonlySet<number>): ChangeOperation[] {
  const target = preferredLeader(partitionId, finalMembers);
  const ops: ChangeOperation[] = [];
  if (target !== null) ops.push({ operation: 'PARTITION_LEADER_TRANSFER', nodeId: target, partitionId, fromNodeId: leaving });
  ops.push({ operation: 'PARTITION_LEAVE', nodeId: leaving, partitionId });
  return ops;
}

function bestCandidate(state: ClusterState, eligible: readonly ClusterNode[], members: ReadonlySet<number>, load: ReadonlyMap<number, number>): ClusterNode | null {
  const zoneCount = new Map<string, number>();
  for (const id of members) bump(zoneCount, zoneOf(state, id));
  let best: ClusterNode | null = null;
  let bestKey: number[] | null = null;
  for (const node of eligible) {
    if (members.has(node.nodeId)) continue;
    const key = [zoneCount.get(node.zone) ?? 0, load.get(node.nodeId) ?? 0, node.nodeId];
    if (!bestKey || compareKeys(key, bestKey) < 0) {
      best = node;
      bestKey = key;
    }
  }
  return best;
}

function eligibleNodes(state: ClusterState, live: ReadonlySet<number>): ClusterNode[] {
  return [...state.nodes.values()]
    .filter((n) => n.state === 'ACTIVE' && !n.controllerOnly && live.has(n.nodeId))
    .sort((a, b) => a.nodeId - b.nodeId);
}

function memberships(state: ClusterState, nodeId: number): number[] {
  return [...state.partitions].filter(([, members]) => members.has(nodeId)).map(([p]) => p).sort((a, b) => a - b);
}

function groupOf(state: ClusterState, partitionId: number): number[] {
  return [...(state.partitions.get(partitionId)?.keys() ?? [])].sort((a, b) => a - b);
}

function groupMap(state: ClusterState): Map<number, Set<number>> {
  const groups = new Map<number, Set<number>>();
  for (let p = 1; p <= (state.config?.partitionCount ?? 0); p++) groups.set(p, new Set(groupOf(state, p)));
  return groups;
}

function loads(state: ClusterState): Map<number, number> {
  const counts = new Map<number, number>();
  for (const members of state.partitions.values()) for (const id of members.keys()) bump(counts, id);
  return counts;
}

function zoneSpread(state: ClusterState, members: Iterable<number>): number {
  return new Set([...members].map((id) => zoneOf(state, id))).size;
}

function zoneOf(state: ClusterState, nodeId: number): string {
  return state.nodes.get(nodeId)?.zone ?? '';
}

function bump<K>(map: Map<K, number>, key: K, by = 1): void {
  map.set(key, (map.get(key) ?? 0) + by);
}

function compareKeys(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}

function refuse(code: 'INVALID_ARGUMENT' | 'FAILED_PRECONDITION', message: string): ChangePlan {
  return { ok: false, code, message };
}
