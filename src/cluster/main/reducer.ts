/**
 * The one fold of the cluster log. Every node runs exactly this over exactly the same
 * commands, so it must be pure and deterministic: no clock, no randomness, no iteration
 * order that depends on anything but the commands. States are immutable; a change copies the
 * maps it touches and shares the rest.
 *
 * Rules, and why:
 * - A command at or below `state.version` is ignored, so re-reading an overlapping range of
 *   the log (a watch and a poll racing) cannot apply anything twice.
 * - ClusterConfigChange: the first one sets the configuration. Later ones are applied only
 *   if they keep `partitionCount`: partition ids are baked into keys, message-correlation
 *   hashing and stored data, so the count is fixed for the life of the cluster. The
 *   replication factor may change (the controller then grows or shrinks groups). A change
 *   with a different partition count is ignored (it still advances `version`).
 * - ClusterNodeChange merges the fields it carries; an unknown node starts from defaults.
 *   A node that goes DOWN or LEFT keeps its memberships (whether to reassign is the
 *   controller's decision, after a delay), but none of them can lead or serve: their roles
 *   become INACTIVE, so `leaderOf` never names a dead node.
 * - ClusterNodePartitionChange with state REMOVED drops the member (and an emptied group).
 *   Only a change that carries a state (an assignment) creates a member (role INACTIVE
 *   until it says otherwise); a role-only change for a non-member is ignored, so a removed
 *   member that still believes it leads cannot re-enter the group by announcing itself.
 *   A member of a DOWN/LEFT node cannot take a role: it stays INACTIVE (a leader's late
 *   announcement after it was marked down must not resurrect it).
 *   LEADER with term T demotes every other LEADER with a lower term to FOLLOWER: terms are
 *   etcd election revisions, which only grow, so the higher term is the newer election.
 *   An announcement with a term not above the current leader's is stale and is recorded as
 *   FOLLOWER. `term` is 0 whenever the role is not LEADER.
 * - ClusterPartitionLogChange places a partition's log on an etcd cluster once: a later one
 *   naming another cluster is ignored (it still advances `version`). Moving a log means
 *   copying it and moving every member at one point of the log; a plain change of this
 *   field would instead have members start an empty log elsewhere while the old one holds
 *   every committed entry, so the fold refuses it rather than trusting the writer.
 * - ClusterBackupRequest keeps the highest backup id ever requested, so the state stays one
 *   number however many backups are taken; a lower or equal id (two nodes accepting requests
 *   at once) changes nothing but `version`. Writers refuse such ids before writing.
 * - ClusterSettingsChange sets each named setting to its value with the command's sequence
 *   number, and drops the ones whose value is empty (back to every node's start-up value).
 *   The values are text and not parsed here: each node parses them with its own option
 *   parsers and keeps its own value for one it cannot read (ADR 016).
 * - ClusterChange* commands: an operator's cluster change and its progress (change-fold.ts).
 * - Commands are recorded, not validated against the config or the node list: a log entry
 *   is a fact every node must fold alike; writers (controller, nodes) validate before writing.
 */
import { applyChangeCommand } from './change-fold.js';
import { foldSettings } from './settings-fold.js';
import type { ClusterCommand, ClusterConfig, ClusterNode, ClusterState, NodeAddresses, PartitionMember } from './types.js';

const NO_ADDRESSES: NodeAddresses = { host: '', grpcPort: 0, restPort: 0, systemPort: 0, privatePort: 0 };

export function reduce(state: ClusterState, command: ClusterCommand, seq: number): ClusterState {
  if (seq <= state.version) return state;
  switch (command.type) {
    case 'ClusterConfigChange':
      return { ...state, version: seq, config: nextConfig(state.config, command) };
    case 'ClusterNodeChange':
      return applyNodeChange(state, command, seq);
    case 'ClusterNodePartitionChange':
      return applyPartitionChange(state, command, seq);
    case 'ClusterPartitionLogChange':
      if (state.partitionLogs.has(command.partitionId)) return { ...state, version: seq };
      return { ...state, version: seq, partitionLogs: new Map(state.partitionLogs).set(command.partitionId, command.etcdClusterId) };
    case 'ClusterBackupRequest':
      if (command.backupId <= (state.lastBackupId ?? 0)) return { ...state, version: seq };
      return { ...state, version: seq, lastBackupId: command.backupId };
    case 'ClusterSettingsChange':
      return { ...state, version: seq, settings: foldSettings(state.settings, command.settings, seq) };
    case 'ClusterChangePlanned':
    case 'ClusterChangeStepDone':
    case 'ClusterChangeCancelled':
      return applyChangeCommand(state, command, seq);
  }
}

/** Folds `commands`, numbered consecutively from `firstSeq`. */
export function reduceAll(state: ClusterState, commands: readonly ClusterCommand[], firstSeq: number): ClusterState {
  let next = state;
  commands.forEach((command, i) => {
    next = reduce(next, command, firstSeq + i);
  });
  return next;
}

function nextConfig(current: ClusterConfig | null, change: ClusterConfig): ClusterConfig | null {
  if (current && current.partitionCount !== change.partitionCount) return current;
  return { partitionCount: change.partitionCount, replicationFactor: change.replicationFactor };
}

function applyNodeChange(
  state: ClusterState,
  command: Extract<ClusterCommand, { type: 'ClusterNodeChange' }>,
  seq: number,
): ClusterState {
  const previous = state.nodes.get(command.nodeId);
  const node: ClusterNode = {
    nodeId: command.nodeId,
    zone: command.zone ?? previous?.zone ?? '',
    state: command.state ?? previous?.state ?? 'ACTIVE',
    addresses: command.addresses ? { ...command.addresses } : (previous?.addresses ?? NO_ADDRESSES),
    controllerOnly: command.controllerOnly ?? previous?.controllerOnly ?? false,
    version: command.version ?? previous?.version ?? '',
    since: seq,
  };
  const nodes = new Map(state.nodes).set(node.nodeId, node);
  const partitions = node.state === 'ACTIVE' ? state.partitions : deactivateMemberships(state.partitions, node.nodeId, seq);
  return { ...state, version: seq, nodes, partitions };
}

function deactivateMemberships(
  partitions: ClusterState['partitions'],
  nodeId: number,
  seq: number,
): ClusterState['partitions'] {
  let result: Map<number, ReadonlyMap<number, PartitionMember>> | null = null;
  for (const [partitionId, members] of partitions) {
    const member = members.get(nodeId);
    if (!member || member.role === 'INACTIVE') continue;
    result ??= new Map(partitions);
    result.set(partitionId, new Map(members).set(nodeId, { ...member, role: 'INACTIVE', term: 0, since: seq }));
  }
  return result ?? partitions;
}

function applyPartitionChange(
  state: ClusterState,
  command: Extract<ClusterCommand, { type: 'ClusterNodePartitionChange' }>,
  seq: number,
): ClusterState {
  const members = state.partitions.get(command.partitionId) ?? new Map<number, PartitionMember>();
  const partitions = new Map(state.partitions);
  if (command.state === 'REMOVED') {
    if (members.has(command.nodeId)) {
      const rest = new Map(members);
      rest.delete(command.nodeId);
      if (rest.size === 0) partitions.delete(command.partitionId);
      else partitions.set(command.partitionId, rest);
    }
    return { ...state, version: seq, partitions };
  }

  const previous = members.get(command.nodeId);
  if (!previous && command.state === undefined) return { ...state, version: seq };
  const nodeState = state.nodes.get(command.nodeId)?.state;
  let role = command.role ?? previous?.role ?? 'INACTIVE';
  let term = role === 'LEADER' ? (command.term ?? previous?.term ?? 0) : 0;
  if (nodeState === 'DOWN' || nodeState === 'LEFT') {
    role = 'INACTIVE';
    term = 0;
  }
  const next = new Map(members);
  if (role === 'LEADER' && command.role === 'LEADER') {
    const others = [...members.values()].filter((m) => m.nodeId !== command.nodeId && m.role === 'LEADER');
    if (others.every((other) => other.term < term)) {
      for (const other of others) next.set(other.nodeId, { ...other, role: 'FOLLOWER', term: 0, since: seq });
    } else {
      role = 'FOLLOWER';
      term = 0;
    }
  }
  next.set(command.nodeId, {
    nodeId: command.nodeId,
    state: command.state ?? previous?.state ?? 'JOINING',
    role,
    term,
    since: seq,
  });
  partitions.set(command.partitionId, next);
  return { ...state, version: seq, partitions };
}
