/**
 * Deleting a backup so that it stays deleted. A partition leader may still be taking its part
 * when the operator deletes the backup: removing the objects alone would let that leader write
 * its manifest afterwards (the backup comes back, partly), and a leader elected later would
 * see the part missing and take it again. So deletion first writes a tombstone object in the
 * backup's place, then removes everything else. Status and list treat a tombstoned id as not
 * found, the scan skips it, and a take checks for it after writing its last object and removes
 * what it wrote if it finds one. The tombstone stays, so the id stays used: new ids must grow
 * past it, as past any other.
 *
 * Why a check after the last write is enough: the deleter lists the objects after its tombstone
 * is written; a taker that did not see the tombstone wrote before it was there, so the listing
 * finds (and removes) what that taker wrote.
 */
import type { BackupStore } from './store.js';

export const TOMBSTONE = 'deleted.json';

export interface Tombstone {
  readonly backupId: number;
  readonly deletedAt: string;
}

export async function isDeleted(store: BackupStore, backupId: number): Promise<boolean> {
  return (await store.readManifest(backupId, TOMBSTONE)) !== null;
}

/** Tombstones the backup and removes its objects; false when there was no backup (or it was already deleted). */
export async function deleteBackup(store: BackupStore, backupId: number, deletedAt: Date): Promise<boolean> {
  const names = await store.listNames(backupId);
  if (names.length === 0 || names.includes(TOMBSTONE)) return false;
  await store.writeManifest(backupId, TOMBSTONE, { backupId, deletedAt: deletedAt.toISOString() } satisfies Tombstone);
  await store.deleteObjects(backupId, (await store.listNames(backupId)).filter((n) => n !== TOMBSTONE));
  return true;
}
