/** `GET /v2/backups` (a Zen extension): the backups of the node's backup store, newest first. */
import { get } from '../../lib/api';

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
