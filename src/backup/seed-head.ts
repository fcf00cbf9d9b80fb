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

/**
 * Which node puts a restored backup's runtime settings back into the fresh cluster log. The
 * claim is one key per backup, created if absent: the node that created it appends the
 * settings and then marks them done. A node that claimed and died before marking appends
 * again when it comes back (a settings change is idempotent); every other node leaves them.
 */
export async function claimSettingsRestore(etcd: Etcd3, clusterPrefix: string, marker: RestoreMarker, nodeId: string): Promise<boolean> {
  const key = settingsRestoreKey(clusterPrefix, marker);
  const mine = `pending:${nodeId}`;
  const result = await etcd.if(key, 'Version', '==', 0).then(etcd.put(key).value(mine)).else(etcd.get(key)).commit();
  if (result.succeeded) return true;
  const current = result.responses[0]?.response_range?.kvs[0]?.value?.toString();
  return current === mine;
}

export async function markSettingsRestored(etcd: Etcd3, clusterPrefix: string, marker: RestoreMarker): Promise<void> {
  await etcd.put(settingsRestoreKey(clusterPrefix, marker)).value('done');
}

const settingsRestoreKey = (clusterPrefix: string, marker: RestoreMarker) => `/${clusterPrefix}/restore/${marker.backupId}/settings`;
