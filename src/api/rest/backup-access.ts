/** The node's backups as the /v2 backup routes see them (routes/backups.ts), kept apart from the routes so the server's types need not import them. */
import type { BackupStatusView } from '../../backup/backup-service.js';
import { ZenError } from '../../errors.js';
import { NOT_CONFIGURED } from '../system/backups.js';

/** What the routes need of a node's backups (BackupService). */
export interface BackupServiceLike {
  list(): Promise<BackupStatusView[]>;
  create(backupId: number): Promise<void>;
}

/** The routes' view of the backups: the guard checks a permission on each method. */
export interface BackupAccess {
  list(): Promise<BackupListResult>;
  take(backupId: number): Promise<void>;
}

/** Over a node's BackupService, or over none (no store configured). */
export function backupAccess(backups: BackupServiceLike | null): BackupAccess {
  return {
    list: async () => (backups ? { configured: true, items: await backups.list() } : { configured: false, items: [] }),
    take: async (backupId) => {
      if (!backups) throw new ZenError('INVALID_ARGUMENT', NOT_CONFIGURED);
      await backups.create(backupId);
    },
  };
}

export interface BackupListResult {
  /** False when the node was started without a backup store (no --backup-store). */
  readonly configured: boolean;
  readonly items: readonly BackupStatusView[];
}
