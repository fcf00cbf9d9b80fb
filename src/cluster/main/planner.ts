/**
 * The controller's decisions, as pure functions of (cluster state, time, live registrations):
 * which partition members to add or remove and which nodes to mark DOWN. Pure so that every
 * placement rule is unit-tested on tables, and so that a new controller, given the same
 * inputs, decides the same.
 *
 * Rules, and why:
 * - A group wants R = replicationFactor members. Candidates are nodes that are ACTIVE in the
 *   cluster state, hold a live registration, are not controller-only and are not already in
 *   the group. Among candidates the first key is how many group members already sit in the
 *   candidate's zone (so a group spans as many zones as exist), then how many memberships
 *   the node holds (spreads load: with partitions planned in order this is round-robin),
 *   then the lowest node id (determinism).
 * - Empty slots are filled at once when there are at least R eligible nodes. With fewer,
 *   the planner waits until the group has been short for `rebalanceDelayMs`: the nodes of a
 *   starting cluster register one by one, and assigning everything to the first one would
 *   leave it holding every partition.
 * - A member on a node without a live registration counts as missing only after its group
 *   has been short for `rebalanceDelayMs`, so a node that restarts quickly keeps its
 *   memberships (and its data). A member on a LEFT node (left on purpose) is missing at once.
 * - Replacements are added as ACTIVE directly rather than JOINING: the member's own
 *   partition runtime fetches a snapshot when it finds itself assigned, and nobody would
 *   otherwise promote JOINING. A missing member is REMOVED once the group has R members
 *   without it, in the same plan, after the addition (the log orders them); a dead member
 *   with no replacement available stays, since it may still come back with its data.
 * - More than R members (the replication factor was lowered) → remove the surplus: dead
 *   ones first, never the leader while others remain, the most crowded zone, the busiest node,
 *   the highest id.
 * - Never two members of one group on one node (a node is in a group or not: it is a map key).
 * - A node that comes back after being replaced gets nothing back: moving members to it
 *   would be churn with no gain in redundancy.
 */
import type { ClusterCommand, ClusterNode, ClusterState, PartitionMember } from './types.js';

export interface Shortfall {
  readonly partitionId: number;
  /** Members the group will have (live or not yet given up on). */
  readonly members: number;
  readonly wanted: number;
}

export interface Plan {
  readonly commands: ClusterCommand[];
  /** Groups left with fewer than R members because no eligible node remains. */
  readonly shortfalls: Shortfall[];
  /** Groups with empty slots held open while fewer than R nodes are eligible (see above). */
  readonly waiting: number[];
}

export function plan(
  state: ClusterState,
  now: number,
  liveNodeIds: ReadonlySet<number>,
  shortSince: ReadonlyMap<number, number>,
  rebalanceDelayMs: number,
): ClusterCommand[] {
  return planDetailed(state, now, liveNodeIds, shortSince, rebalanceDelayMs).commands;
}

export function planDetailed(
  state: ClusterState,
  now: number,
  liveNodeIds: ReadonlySet<number>,
  shortSince: ReadonlyMap<number, number>,
  rebalanceDelayMs: number,
): Plan {
  const commands: ClusterCommand[] = [];
  const shortfalls: Shortfall[] = [];
  const waiting: number[] = [];
  const config = state.config;
  if (!config) return { commands, shortfalls, waiting };
  const R = config.replicationFactor;

  const eligible = [...state.nodes.values()]
    .filter((n) => n.state === 'ACTIVE' && !n.controllerOnly && liveNodeIds.has(n.nodeId))
    .sort((a, b) => a.nodeId - b.nodeId);
  const load = membershipCounts(state);

  for (let partitionId = 1; partitionId <= config.partitionCount; partitionId++) {
    const members = [...(state.partitions.get(partitionId)?.values() ?? [])].sort((a, b) => a.nodeId - b.nodeId);
    const since = shortSince.get(partitionId);
    const waitedLongEnough = since !== undefined && now - since >= rebalanceDelayMs;

    const left = members.filter((m) => state.nodes.get(m.nodeId)?.state === 'LEFT');
    const dead = waitedLongEnough ? members.filter((m) => !left.includes(m) && !liveNodeIds.has(m.nodeId)) : [];
    const kept = members.filter((m) => !left.includes(m) && !dead.includes(m));

    const zoneCount = new Map<string, number>();
    const inGroup = new Set(members.map((m) => m.nodeId));
    for (const m of kept) bump(zoneCount, zoneOf(state, m.nodeId));

    let size = kept.length;
    const mayFill = eligible.length >= R || waitedLongEnough;
    if (mayFill) {
      while (size < R) {
        const candidate = bestCandidate(eligible, inGroup, zoneCount, load);
        if (!candidate) break;
        commands.push({ type: 'ClusterNodePartitionChange', nodeId: candidate.nodeId, partitionId, state: 'ACTIVE' });
        inGroup.add(candidate.nodeId);
        bump(zoneCount, candidate.zone);
        bump(load, candidate.nodeId);
        size++;
      }
    }

    // Dead members we could not replace stay (lowest ids first, for determinism).
    const deadKept = dead.slice(0, Math.max(0, R - size));
    const removed = [...left, ...dead.slice(deadKept.length)];
    for (const m of removed) {
      commands.push({ type: 'ClusterNodePartitionChange', nodeId: m.nodeId, partitionId, state: 'REMOVED' });
      bump(load, m.nodeId, -1);
    }
    size += deadKept.length;

    const removable = [...kept];
    while (size > R && removable.length > 0) {
      const m = mostSurplus(state, removable, liveNodeIds, zoneCount, load);
      removable.splice(removable.indexOf(m), 1);
      commands.push({ type: 'ClusterNodePartitionChange', nodeId: m.nodeId, partitionId, state: 'REMOVED' });
      bump(load, m.nodeId, -1);
      bump(zoneCount, zoneOf(state, m.nodeId), -1);
      size--;
    }
    if (size < R && !mayFill) waiting.push(partitionId);
    else if (size < R) shortfalls.push({ partitionId, members: size, wanted: R });
  }
  return { commands, shortfalls, waiting };
}

/** ClusterNodeChange DOWN for every node the state calls ACTIVE that has no live registration. */
export function marksDown(state: ClusterState, liveNodeIds: ReadonlySet<number>): ClusterCommand[] {
  return [...state.nodes.values()]
    .filter((n) => n.state === 'ACTIVE' && !liveNodeIds.has(n.nodeId))
    .sort((a, b) => a.nodeId - b.nodeId)
    .map((n) => ({ type: 'ClusterNodeChange', nodeId: n.nodeId, state: 'DOWN' }));
}

/**
 * When each group became short (fewer live members than R), carried over from `previous`
 * for groups that still are; groups that are whole again drop out, which restarts their
 * clock the next time. The controller keeps this between runs of the planner.
 */
export function trackShortGroups(
  state: ClusterState,
  liveNodeIds: ReadonlySet<number>,
  previous: ReadonlyMap<number, number>,
  now: number,
): Map<number, number> {
  const next = new Map<number, number>();
  if (!state.config) return next;
  for (let partitionId = 1; partitionId <= state.config.partitionCount; partitionId++) {
    let live = 0;
    for (const m of state.partitions.get(partitionId)?.values() ?? []) {
      if (liveNodeIds.has(m.nodeId) && state.nodes.get(m.nodeId)?.state !== 'LEFT') live++;
    }
    if (live < state.config.replicationFactor) next.set(partitionId, previous.get(partitionId) ?? now);
  }
  return next;
}

function bestCandidate(
  eligible: readonly ClusterNode[],
  inGroup: ReadonlySet<number>,
  zoneCount: ReadonlyMap<string, number>,
  load: ReadonlyMap<number, number>,
): ClusterNode | null {
  let best: ClusterNode | null = null;
  let bestKey: [number, number, number] | null = null;
  for (const node of eligible) {
    if (inGroup.has(node.nodeId)) continue;
    const key: [number, number, number] = [zoneCount.get(node.zone) ?? 0, load.get(node.nodeId) ?? 0, node.nodeId];
    if (!bestKey || compareKeys(key, bestKey) < 0) {
      best = node;
      bestKey = key;
    }
  }
  return best;
}

function mostSurplus(
  state: ClusterState,
  members: readonly PartitionMember[],
  liveNodeIds: ReadonlySet<number>,
  zoneCount: ReadonlyMap<string, number>,
  load: ReadonlyMap<number, number>,
): PartitionMember {
  // Lowest key goes first.
  const key = (m: PartitionMember): number[] => [
    liveNodeIds.has(m.nodeId) ? 1 : 0,
    m.role === 'LEADER' ? 1 : 0,
    -(zoneCount.get(zoneOf(state, m.nodeId)) ?? 0),
    -(load.get(m.nodeId) ?? 0),
    -m.nodeId,
  ];
  return members.reduce((best, m) => (compareKeys(key(m), key(best)) < 0 ? m : best));
}

function membershipCounts(state: ClusterState): Map<number, number> {
  const counts = new Map<number, number>();
  for (const members of state.partitions.values()) for (const nodeId of members.keys()) bump(counts, nodeId);
  return counts;
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
