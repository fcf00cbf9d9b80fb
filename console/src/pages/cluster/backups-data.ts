/** `GET /v2/backups` (a Zen extension): the backups of the node's backup store, newest first. */
import { get, post } from '../../lib/api';
import type { BackupList } from './backup-ids';

export type { Backup, BackupList, PartitionBackup } from './backup-ids';
export { nextBackupId, parseBackupId, takenAt } from './backup-ids';

export const getBackups = (signal?: AbortSignal) => get<BackupList>('/backups', signal);

/** Asks the cluster for a backup under this id (SYSTEM UPDATE); it is taken in the background. */
export const takeBackup = (backupId: number) => post<{ backupId: number }>('/backups', { backupId });
