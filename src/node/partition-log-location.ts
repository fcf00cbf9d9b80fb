/**
 * Which etcd cluster a node must use for a partition it is a member of, from the cluster
 * state and the etcd clusters the node can reach. Pure, so every case is unit-tested.
 *
 * - Placed (ClusterPartitionLogChange): that cluster, if the node has identified it; else the
 *   node cannot serve the partition and says why (no endpoints for it, or not identified yet).
 * - Not placed, and the node has no `--partition-etcd-endpoints`: the main etcd, as before
 *   partition etcd clusters existed (a controller without them never places anything).
 * - Not placed, and the node has them: wait for the controller. Starting on the main etcd
 *   meanwhile would write election and applied keys there, and a leader could commit entries
 *   to a log that the placement then abandons.
 */
import type { ClusterState, EtcdClusterId } from '../cluster/main/types.js';

export type LogLocation =
  | { readonly kind: 'etcd'; readonly id: EtcdClusterId }
  | { readonly kind: 'unplaced' }
  | { readonly kind: 'unreachable'; readonly id: EtcdClusterId; readonly stillIdentifying: boolean };

export interface ReachableEtcds {
  readonly mainId: EtcdClusterId;
  /** Whether the node was given partition etcd clusters. */
  readonly configured: boolean;
  /** Whether every one of them is identified (or known to be misconfigured). */
  readonly settled: boolean;
  has(id: EtcdClusterId): boolean;
}

export function partitionLogLocation(state: ClusterState, partitionId: number, etcds: ReachableEtcds): LogLocation {
  const placed = state.partitionLogs.get(partitionId);
  if (placed === undefined) return etcds.configured ? { kind: 'unplaced' } : { kind: 'etcd', id: etcds.mainId };
  if (placed === etcds.mainId || etcds.has(placed)) return { kind: 'etcd', id: placed };
  return { kind: 'unreachable', id: placed, stillIdentifying: !etcds.settled };
}

/** Why a partition whose log this node cannot reach is not served, for the node's log and /ready. */
export function describeLocation(partitionId: number, location: Exclude<LogLocation, { kind: 'etcd' }>): string {
  if (location.kind === 'unplaced') {
    return `partition ${partitionId} waits for the controller to place its log on an etcd cluster (every node, the controller included, needs the same --partition-etcd-endpoints)`;
  }
  if (location.stillIdentifying) {
    return `partition ${partitionId}'s log is on etcd cluster ${location.id}, which is not among the clusters this node has identified so far (some of its --partition-etcd-endpoints do not answer yet)`;
  }
  return `partition ${partitionId}'s log is on etcd cluster ${location.id}, which none of this node's --etcd-endpoints or --partition-etcd-endpoints reach: give this node endpoints of that cluster`;
}
