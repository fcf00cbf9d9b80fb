/**
 * Where backups go. A store holds, per backup id, named objects: files (partition databases)
 * put with their size and SHA-256 and verified whenever they are read back, and small JSON
 * manifests (manifest.ts). Implementations: a directory (fs-store.ts) and S3-compatible
 * object storage (s3-store.ts). Deleting a backup is tombstone.ts's, on top of these.
 */
import type { FileEntry } from './manifest.js';

export interface BackupStore {
  /** For messages: where the backups are (never a credential). */
  readonly description: string;
  /** Uploads a local file as `name` of the backup; resolves with its size and SHA-256. */
  putFile(backupId: number, name: string, localPath: string): Promise<FileEntry>;
  /**
   * Downloads `entry` to `localPath`, refusing (ZenError, naming the file) content whose size
   * or SHA-256 differ from the entry's; a refused download leaves nothing at `localPath`.
   */
  getFile(backupId: number, entry: FileEntry, localPath: string): Promise<void>;
  writeManifest(backupId: number, name: string, manifest: unknown): Promise<void>;
  /** The parsed manifest, or null when there is none of that name. */
  readManifest(backupId: number, name: string): Promise<unknown>;
  /** Names of every object of the backup. */
  listNames(backupId: number): Promise<string[]>;
  /** Ids of the backups that have any object (a deleted one's tombstone too), ascending. */
  listBackupIds(): Promise<number[]>;
  /** Removes these objects of the backup; names that do not exist are skipped. */
  deleteObjects(backupId: number, names: readonly string[]): Promise<void>;
}

/** A checksum or size mismatch: the backup cannot be trusted. */
export function corruptFile(backupId: number, entry: FileEntry, found: { size: number; sha256: string }): Error {
  const what = found.size !== entry.size ? `${found.size} bytes instead of ${entry.size}` : `SHA-256 ${found.sha256} instead of ${entry.sha256}`;
  return new Error(`File ${entry.name} of backup ${backupId} is corrupt: it has ${what}`);
}
