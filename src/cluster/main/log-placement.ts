/**
 * Which etcd cluster each new partition log goes to, as a pure function of the cluster state
 * and what the controller found in etcd, so the rules are tested on tables and any controller
 * given the same inputs decides the same.
 *
 * Rules, and why:
 * - Only a partition without a placement gets one: a placed log never moves (the reducer
 *   ignores a second placement too). Moving a log is not supported.
 * - A partition whose keys already exist in exactly one etcd cluster is placed there, eligible
 *   or not. That is how a cluster that ran on the main etcd alone keeps its logs there when
 *   it is given partition etcd clusters later: its committed entries are on the main etcd.
 * - Keys of one partition in two etcd clusters: no rule can tell which holds the log, so the
 *   partition is not placed and the conflict is reported for an operator to resolve.
 * - Otherwise the eligible cluster holding the fewest partition logs, ties to the id that sorts
 *   first. Ids, not positions in anyone's list: nodes may list the clusters in any order, and
 *   a new controller must continue the same spread.
 */
import type { ClusterCommand, ClusterState, EtcdClusterId } from './types.js';

export interface PlacementConflict {
  readonly partitionId: number;
  readonly etcdClusterIds: readonly EtcdClusterId[];
}

export interface LogPlacement {
  readonly commands: ClusterCommand[];
  readonly conflicts: PlacementConflict[];
}

/** Partitions of the configuration that have no placement yet, ascending. */
export function unplacedPartitions(state: ClusterState): number[] {
  const result: number[] = [];
  for (let partitionId = 1; partitionId <= (state.config?.partitionCount ?? 0); partitionId++) {
    if (!state.partitionLogs.has(partitionId)) result.push(partitionId);
  }
  return result;
}

/**
 * @param eligible clusters new logs may go to (empty: place only logs found in etcd)
 * @param found partitionId → clusters where keys of that partition exist
 */
export function placeLogs(
  state: ClusterState,
  eligible: readonly EtcdClusterId[],
  found: ReadonlyMap<number, readonly EtcdClusterId[]>,
): LogPlacement {
  const commands: ClusterCommand[] = [];
  const conflicts: PlacementConflict[] = [];
  const load = new Map<EtcdClusterId, number>();
  for (const id of eligible) load.set(id, 0);
  for (const id of state.partitionLogs.values()) if (load.has(id)) load.set(id, load.get(id)! + 1);
  const candidates = [...new Set(eligible)].sort();

  for (const partitionId of unplacedPartitions(state)) {
    const where = [...new Set(found.get(partitionId) ?? [])].sort();
    let target: EtcdClusterId | undefined;
    if (where.length > 1) {
      conflicts.push({ partitionId, etcdClusterIds: where });
      continue;
    }
    if (where.length === 1) target = where[0]!;
    else target = candidates.reduce<EtcdClusterId | undefined>((best, id) => (best === undefined || load.get(id)! < load.get(best)! ? id : best), undefined);
    if (target === undefined) continue;
    commands.push({ type: 'ClusterPartitionLogChange', partitionId, etcdClusterId: target });
    if (load.has(target)) load.set(target, load.get(target)! + 1);
  }
  return { commands, conflicts };
}
