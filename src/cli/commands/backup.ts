/** `zen backup create|list|status|delete`: the system port's backup API (Zeebe's management API). */
import type { Command } from 'commander';
import type { ClientIo } from '../client-command.js';
import { managementCommand } from '../management-client.js';
import { RequestError } from '../request-error.js';
import { formatTable, fields } from '../table.js';

interface PartitionDetail {
  readonly partitionId: number;
  readonly state: string;
  readonly failureReason?: string;
  readonly checkpointPosition?: number;
  readonly brokerId?: number;
  readonly lastUpdatedAt?: string;
}

interface BackupStatus {
  readonly backupId: number;
  readonly state: string;
  readonly failureReason?: string;
  readonly details: readonly PartitionDetail[];
}

function backupId(raw: string | undefined): number {
  if (raw === undefined || !/^\d+$/.test(raw) || !Number.isSafeInteger(Number(raw)) || Number(raw) < 1) {
    throw new RequestError(`the backup id must be a positive integer, got '${raw}'`);
  }
  return Number(raw);
}

export function formatStatus(status: BackupStatus): string {
  const head = `backup ${status.backupId}: ${status.state}${status.failureReason ? ` (${status.failureReason})` : ''}\n`;
  return head + formatTable(status.details as unknown as Record<string, unknown>[], fields('partitionId', 'state', 'checkpointPosition', 'brokerId', 'lastUpdatedAt', 'failureReason'));
}

export function registerBackup(program: Command, io: ClientIo): void {
  const backup = program.command('backup').description("back up the cluster through a node's system port (--backup-store on the nodes)");
  managementCommand(backup, io, 'create <backupId>', 'take a backup of every partition; the id must be above every earlier one', async (client, _options, [id]) => {
    const body = await client.request('POST', '/actuator/backups', { backupId: backupId(id) });
    return { body, text: (b: { message?: string } | undefined) => `${b?.message ?? 'backup scheduled'}\n` };
  });
  managementCommand(backup, io, 'list', 'list the backups in the store, newest first', async (client) => {
    const body = await client.request('GET', '/actuator/backups');
    return {
      body,
      text: (b: BackupStatus[]) =>
        formatTable(
          b.map((s) => ({ ...s, partitions: s.details.length })),
          fields('backupId', 'state', 'partitions', 'failureReason'),
        ),
    };
  });
  managementCommand(backup, io, 'status <backupId>', "a backup's state, per partition", async (client, _options, [id]) => {
    const body = await client.request('GET', `/actuator/backups/${backupId(id)}`);
    return { body, text: formatStatus };
  });
  managementCommand(backup, io, 'delete <backupId>', "remove a backup's files from the store", async (client, _options, [id]) => {
    const n = backupId(id);
    const body = await client.request('DELETE', `/actuator/backups/${n}`);
    return { body, text: () => `backup ${n} deleted\n` };
  });
}
