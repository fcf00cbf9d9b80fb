/**
 * A restored cluster starts on a fresh etcd: its partition logs are empty while the restored
 * replicas stand at the backup's index. Before a member of such a partition starts, the head
 * is set to the restored index and position, if and only if there is no head yet (one
 * transaction), so every restored member agrees and the cluster appends on from the next index.
 */
import type { Etcd3 } from 'etcd3';
import { formatHead } from '../cluster/partition/log-format.js';
import type { RestoreMarker } from './restore-marker.js';

/** True when this call wrote the head; false when one was there already (or nothing was restored). */
export async function seedRestoredHead(etcd: Etcd3, clusterPrefix: string, partitionId: number, marker: RestoreMarker): Promise<boolean> {
  const restored = marker.partitions.find((p) => p.partitionId === partitionId);
  if (!restored || restored.logIndex === 0) return false;
  const key = `/${clusterPrefix}/p/${partitionId}/head`;
  const head = formatHead({ index: restored.logIndex, position: restored.position, token: `restored-${marker.backupId}` });
  const result = await etcd.if(key, 'Version', '==', 0).then(etcd.put(key).value(head)).commit();
  return result.succeeded;
}
