/** Builders and views for cluster-state tests. */
import { reduceAll } from '../../../src/cluster/main/reducer.js';
import { type ClusterCommand, type ClusterState, EMPTY_CLUSTER_STATE, type NodeAddresses } from '../../../src/cluster/main/types.js';

export function addressesOf(nodeId: number): NodeAddresses {
  return { host: `node-${nodeId}`, grpcPort: 26500, restPort: 8080, systemPort: 9600, privatePort: 26502 };
}

export function config(partitionCount: number, replicationFactor: number): ClusterCommand {
  return { type: 'ClusterConfigChange', partitionCount, replicationFactor };
}

export function node(nodeId: number, zone = 'z', extra: Partial<Extract<ClusterCommand, { type: 'ClusterNodeChange' }>> = {}): ClusterCommand {
  return { type: 'ClusterNodeChange', nodeId, state: 'ACTIVE', zone, addresses: addressesOf(nodeId), controllerOnly: false, version: '1', ...extra };
}

export function nodeState(nodeId: number, state: 'ACTIVE' | 'DOWN' | 'LEFT'): ClusterCommand {
  return { type: 'ClusterNodeChange', nodeId, state };
}

export function member(
  partitionId: number,
  nodeId: number,
  extra: Partial<Extract<ClusterCommand, { type: 'ClusterNodePartitionChange' }>> = {},
): ClusterCommand {
  return { type: 'ClusterNodePartitionChange', nodeId, partitionId, ...extra };
}

export function partitionLog(partitionId: number, etcdClusterId: string): ClusterCommand {
  return { type: 'ClusterPartitionLogChange', partitionId, etcdClusterId };
}

export function fold(commands: readonly ClusterCommand[], from: ClusterState = EMPTY_CLUSTER_STATE): ClusterState {
  return reduceAll(from, commands, from.version + 1);
}

/** partitionId → nodeId → "STATE ROLE term", for compact expectations. */
export function membersView(state: ClusterState): Record<number, Record<number, string>> {
  const view: Record<number, Record<number, string>> = {};
  for (const [partitionId, members] of state.partitions) {
    view[partitionId] = {};
    for (const [nodeId, m] of members) view[partitionId][nodeId] = `${m.state} ${m.role} ${m.term}`;
  }
  return view;
}

/** partitionId → member node ids, ascending. */
export function groups(state: ClusterState): Record<number, number[]> {
  const view: Record<number, number[]> = {};
  for (const [partitionId, members] of [...state.partitions].sort((a, b) => a[0] - b[0])) {
    view[partitionId] = [...members.keys()].sort((a, b) => a - b);
  }
  return view;
}
