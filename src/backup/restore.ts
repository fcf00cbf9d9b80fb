/**
 * `zen restore`: fills an empty data directory from a COMPLETED backup. Everything is written
 * into a temporary directory next to the target and renamed into place at the end, so a
 * failure — a checksum that does not match, a store that stops answering — leaves the target
 * as it was. Every partition's database goes where `zen start` looks for it.
 */
import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { ZenError } from '../errors.js';
import { syncDirectoryAsync } from '../storage/durable-paths.js';
import { writeSettingsFile } from '../config/settings-file.js';
import { partitionDbPath } from '../partition/replica.js';
import { checkClusterManifest, checkPartitionManifest, CLUSTER_MANIFEST, partitionManifestName, type PartitionManifest } from './manifest.js';
import { RESTORE_MARKER, type RestoreMarker } from './restore-marker.js';
import type { BackupStore } from './store.js';
import { isDeleted } from './tombstone.js';

export interface RestoreOptions {
  readonly store: BackupStore;
  readonly backupId: number;
  readonly dataDir: string;
  /** Progress lines for the operator. */
  readonly progress?: (line: string) => void;
}

async function entriesOf(dir: string): Promise<string[] | null> {
  try {
    return await readdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

export async function restoreBackup(options: RestoreOptions): Promise<RestoreMarker> {
  const { store, backupId } = options;
  const dataDir = resolve(options.dataDir);
  const progress = options.progress ?? (() => {});
  const found = await entriesOf(dataDir);
  if (found !== null && found.length > 0) {
    const shown = found.slice(0, 5).join(', ') + (found.length > 5 ? `, … (${found.length} entries)` : '');
    throw new ZenError('FAILED_PRECONDITION', `The data directory ${dataDir} is not empty (it holds ${shown}); restore fills only an empty or absent directory`);
  }

  if (await isDeleted(store, backupId)) throw new ZenError('NOT_FOUND', `Backup ${backupId} was deleted from the ${store.description}`);
  const clusterRaw = await store.readManifest(backupId, CLUSTER_MANIFEST);
  if (clusterRaw === null) {
    const any = await store.listNames(backupId);
    throw new ZenError(any.length === 0 ? 'NOT_FOUND' : 'FAILED_PRECONDITION', any.length === 0 ? `No backup with id ${backupId} in the ${store.description}` : `Backup ${backupId} has no ${CLUSTER_MANIFEST}; it cannot be restored`);
  }
  const cluster = checkClusterManifest(clusterRaw, `${backupId}/${CLUSTER_MANIFEST}`);
  const partitions: PartitionManifest[] = [];
  for (let id = 1; id <= cluster.partitionCount; id++) {
    const raw = await store.readManifest(backupId, partitionManifestName(id));
    const manifest = raw === null ? null : checkPartitionManifest(raw, `${backupId}/${partitionManifestName(id)}`);
    if (manifest?.state !== 'COMPLETED') {
      const state = manifest ? `${manifest.state}${manifest.failureReason ? ` (${manifest.failureReason})` : ''}` : 'missing';
      throw new ZenError('FAILED_PRECONDITION', `Backup ${backupId} cannot be restored: partition ${id} is ${state}`);
    }
    partitions.push(manifest);
  }

  const staging = join(dirname(dataDir), `.${basename(dataDir)}.restore-${randomBytes(4).toString('hex')}`);
  try {
    for (const partition of partitions) {
      const target = partitionDbPath(staging, partition.partitionId);
      await mkdir(dirname(target), { recursive: true });
      for (const file of partition.files) {
        // One database file per partition today; any other file lands beside it under its own name.
        const path = file.name.endsWith('/zen.db') ? target : join(dirname(target), basename(file.name));
        await store.getFile(backupId, file, path);
        progress(`partition ${partition.partitionId}: ${file.name} (${file.size} bytes, sha256 verified)`);
      }
      await syncDirectoryAsync(dirname(target));
    }
    const marker: RestoreMarker = {
      backupId,
      partitionCount: cluster.partitionCount,
      replicationFactor: cluster.replicationFactor,
      zenVersion: cluster.zenVersion,
      restoredAt: new Date().toISOString(),
      partitions: partitions.map((p) => ({ partitionId: p.partitionId, logIndex: p.logIndex, position: p.position })),
      settings: cluster.settings ?? {},
    };
    // A standalone node keeps its overrides in settings.json; a cluster keeps them in its log.
    const settings = Object.entries(cluster.settings ?? {});
    if (cluster.clusterState === null && settings.length > 0) writeSettingsFile(staging, new Map(settings.map(([key, value]) => [key, { value }])));
    if (settings.length > 0) progress(`settings changed at run time: ${settings.map(([key, value]) => `${key}=${value}`).join(', ')}`);
    await writeFile(join(staging, RESTORE_MARKER), `${JSON.stringify(marker, null, 2)}\n`);
    await syncDirectoryAsync(staging);
    // rename(2) replaces an empty directory; a directory that filled up meanwhile makes it fail.
    await rename(staging, dataDir);
    await syncDirectoryAsync(dirname(dataDir));
    return marker;
  } catch (err) {
    await rm(staging, { recursive: true, force: true });
    throw err;
  }
}
