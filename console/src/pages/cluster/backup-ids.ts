/** Backups as `GET /v2/backups` lists them, and what the page works out from them (no imports: unit-tested in node). */
export interface PartitionBackup {
  readonly partitionId: number;
  readonly state: 'IN_PROGRESS' | 'COMPLETED' | 'FAILED' | string;
  readonly failureReason?: string;
  readonly createdAt: string;
  readonly lastUpdatedAt: string;
  readonly checkpointPosition: number;
  readonly brokerId: number;
  readonly brokerVersion: string;
}

export interface Backup {
  readonly backupId: number;
  readonly state: 'IN_PROGRESS' | 'COMPLETED' | 'FAILED' | 'INCOMPLETE' | string;
  readonly failureReason?: string;
  readonly details: readonly PartitionBackup[];
}

export interface BackupList {
  readonly configured: boolean;
  readonly items: readonly Backup[];
}

/** When the backup was taken: its first partition's start (none yet while no leader has begun). */
export function takenAt(backup: Backup): string | null {
  const times = backup.details.map((d) => d.createdAt).sort();
  return times[0] ?? null;
}

/** An id the node will accept if no other was requested since: one past the highest listed. */
export function nextBackupId(backups: readonly Backup[]): number {
  return backups.reduce((max, b) => Math.max(max, b.backupId), 0) + 1;
}

/** The id typed in, or null when it is not a whole number from 1. */
export function parseBackupId(text: string): number | null {
  const trimmed = text.trim();
  if (!/^\d+$/.test(trimmed)) return null;
  const id = Number(trimmed);
  return Number.isSafeInteger(id) && id >= 1 ? id : null;
}
