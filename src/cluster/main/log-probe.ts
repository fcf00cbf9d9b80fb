/**
 * Where partitions' keys already are: the controller asks every etcd cluster it knows before
 * placing a log, so that a log written before placements were recorded (a cluster that ran
 * on the main etcd alone) is placed where its entries are instead of being started afresh.
 */
import { withTimeout } from '../etcd/client.js';
import type { ClusterKeys } from './keys.js';
import type { EtcdClusterHandle } from '../etcd/log-stores.js';
import type { EtcdClusterId } from './types.js';

/** partitionId → ids of the clusters holding at least one key under `p/<partitionId>/`. Rejects if any cluster does not answer. */
export async function findPartitionKeys(
  clusters: readonly EtcdClusterHandle[],
  keys: ClusterKeys,
  partitionIds: readonly number[],
  callTimeoutMs: number,
): Promise<Map<number, EtcdClusterId[]>> {
  const found = new Map<number, EtcdClusterId[]>();
  await Promise.all(
    clusters.flatMap((cluster) =>
      partitionIds.map(async (partitionId) => {
        const count = await withTimeout(
          cluster.etcd.getAll().prefix(keys.partitionPrefix(partitionId)).count(),
          callTimeoutMs,
          `partition ${partitionId} key probe on etcd cluster ${cluster.id}`,
        );
        if (count > 0) found.set(partitionId, [...(found.get(partitionId) ?? []), cluster.id]);
      }),
    ),
  );
  return found;
}
