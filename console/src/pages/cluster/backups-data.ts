/** `GET /v2/backups` (a Zen extension): the backups of the node's backup store, newest first. */
import { get, post } from '../../lib/api';

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

export const getBackups = (signal?: AbortSignal) => get<BackupList>('/backups', signal);

/** When the backup was taken: its first partition's start (none yet while no leader has begun). */
export function takenAt(backup: Backup): string | null {
  const times = backup.details.map((d) => d.createdAt).sort();
  return times[0] ?? null;
}

/** Asks the cluster for a backup under this id (SYSTEM UPDATE); it is taken in the background. */
export const takeBackup = (backupId: number) => post<{ backupId: number }>('/backups', { backupId });

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
