/**
 * Taking one partition's part of a backup: IN_PROGRESS in the store, a snapshot of the
 * partition's database (made in its storage worker, so the engine keeps processing), the
 * file uploaded with its checksum, then COMPLETED — or FAILED with the reason. The snapshot
 * is the checkpointed state plus the log after it, at one log index: what `zen restore` puts
 * back and what a node opens as if it had written it itself. A backup deleted meanwhile
 * (tombstone.ts) is not brought back: the take removes what it wrote.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { partitionFileName, partitionManifestName, type PartitionManifest } from './manifest.js';
import type { BackupStore } from './store.js';
import { isDeleted } from './tombstone.js';

export interface SnapshotSource {
  /** A consistent copy of the partition at `path`; the log index and position it reaches. */
  snapshot(path: string): Promise<{ index: number; position: number }>;
}

export interface TakeOptions {
  readonly store: BackupStore;
  readonly backupId: number;
  readonly partitionId: number;
  readonly partitionCount: number;
  readonly nodeId: number;
  readonly zenVersion: string;
  readonly source: SnapshotSource;
  /** Where the snapshot is made before it is uploaded (removed afterwards). */
  readonly tempDir: string;
  readonly logger: Logger;
}

/** The manifest written last, or null when the backup was deleted while it was taken. */
export async function takePartitionBackup(options: TakeOptions): Promise<PartitionManifest | null> {
  const { store, backupId, partitionId, logger } = options;
  const createdAt = new Date().toISOString();
  const base = {
    backupId,
    partitionId,
    nodeId: options.nodeId,
    zenVersion: options.zenVersion,
    partitionCount: options.partitionCount,
    createdAt,
  };
  const name = partitionManifestName(partitionId);
  await store.writeManifest(backupId, name, { ...base, state: 'IN_PROGRESS', logIndex: 0, position: 0, lastUpdatedAt: createdAt, files: [] } satisfies PartitionManifest);
  const dir = await mkdtemp(join(options.tempDir, `zen-backup-${backupId}-${partitionId}-`));
  let manifest: PartitionManifest;
  try {
    const started = performance.now();
    const { index, position } = await options.source.snapshot(join(dir, 'zen.db'));
    const snapshotMs = Math.round(performance.now() - started);
    const file = await store.putFile(backupId, partitionFileName(partitionId), join(dir, 'zen.db'));
    manifest = { ...base, state: 'COMPLETED', logIndex: index, position, lastUpdatedAt: new Date().toISOString(), files: [file] };
    logger.info({ backupId, logIndex: index, position, bytes: file.size, snapshotMs }, 'partition backup taken');
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    logger.warn({ backupId, err }, 'partition backup failed');
    manifest = { ...base, state: 'FAILED', failureReason: reason, logIndex: 0, position: 0, lastUpdatedAt: new Date().toISOString(), files: [] };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  // Checked before and after the last write: before saves writing what goes at once, after
  // catches a delete that came in between (its listing may have missed this manifest).
  if (!(await isDeleted(store, backupId))) {
    await store.writeManifest(backupId, name, manifest);
    if (!(await isDeleted(store, backupId))) return manifest;
  }
  // The file too when the take failed after uploading it (a FAILED manifest lists no files).
  await store.deleteObjects(backupId, [name, partitionFileName(partitionId)]);
  logger.info({ backupId }, 'backup deleted while its partition was taken; removed what was written');
  return null;
}
