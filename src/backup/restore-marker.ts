/**
 * The file `zen restore` leaves in a data directory: which backup it came from and where each
 * partition's log stands. A node checks it at start (the partition count must be the backup's)
 * and a cluster node seeds an empty partition log in etcd from it (seed-head.ts).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ZenError } from '../errors.js';

export const RESTORE_MARKER = 'restored-from-backup.json';

export interface RestoreMarker {
  readonly backupId: number;
  readonly partitionCount: number;
  readonly replicationFactor: number;
  readonly zenVersion: string;
  readonly restoredAt: string;
  readonly partitions: ReadonlyArray<{ readonly partitionId: number; readonly logIndex: number; readonly position: number }>;
  /**
   * The settings changed at run time that were in force at the backup. A standalone node finds
   * them in settings.json, which restore writes; a restored cluster puts them back in its log
   * (one node does, the one that claims them in etcd: seed-head.ts).
   */
  readonly settings?: Readonly<Record<string, string>>;
}

/** The marker of a restored data directory, or null when the directory was not restored. */
export function readRestoreMarker(dataDir: string): RestoreMarker | null {
  const path = join(dataDir, RESTORE_MARKER);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  const marker = JSON.parse(text) as RestoreMarker;
  if (typeof marker?.backupId !== 'number' || typeof marker.partitionCount !== 'number' || !Array.isArray(marker.partitions)) {
    throw new ZenError('FAILED_PRECONDITION', `${path} is malformed; restore the data directory again`);
  }
  return marker;
}

/** A restored directory belongs to a cluster of the backup's partition count and no other. */
export function checkRestoredPartitionCount(dataDir: string, partitions: number): RestoreMarker | null {
  const marker = readRestoreMarker(dataDir);
  if (marker && marker.partitionCount !== partitions) {
    throw new ZenError(
      'FAILED_PRECONDITION',
      `${dataDir} was restored from backup ${marker.backupId} of a cluster with ${marker.partitionCount} partitions, but this node is configured with --partitions ${partitions}; start it with --partitions ${marker.partitionCount}`,
    );
  }
  return marker;
}
