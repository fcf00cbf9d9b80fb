/**
 * A Zen extension to /v2: the backups in the node's backup store, read-only, for the console
 * (which may use only the public API, ADR 019). The same BackupService answers the management
 * port's `/actuator/backups` (ADR 015); this adds the credentials and permission that port
 * never asks for — SYSTEM READ under `--authorizations`, as Camunda guards its system-wide reads.
 */
import type { BackupStatusView } from '../../../backup/backup-service.js';
import type { RouteGroup } from '../route.js';
import type { JsonSchema } from '../schemas.js';

/** What the route needs of a node's backups: the guard checks the permission on `list`. */
export interface BackupListing {
  list(): Promise<BackupListResult>;
}

/** The listing over a node's BackupService, or over none (no store configured). */
export function backupListing(backups: { list(): Promise<BackupStatusView[]> } | null): BackupListing {
  return { list: async () => (backups ? { configured: true, items: await backups.list() } : { configured: false, items: [] }) };
}

export interface BackupListResult {
  /** False when the node was started without a backup store (no --backup-store). */
  readonly configured: boolean;
  readonly items: readonly BackupStatusView[];
}

const str = { type: 'string' } as const;
const date = { type: 'string', format: 'date-time' } as const;
const int64 = { type: 'integer', format: 'int64' } as const;
const STATES = ['IN_PROGRESS', 'COMPLETED', 'FAILED', 'INCOMPLETE', 'DOES_NOT_EXIST'];

export const BACKUP_RESPONSE_SCHEMAS: Record<string, JsonSchema> = {
  BackupListResult: {
    type: 'object',
    description: 'Zen extension: the backups of the node\'s backup store, newest first.',
    required: ['configured', 'items'],
    properties: {
      configured: { type: 'boolean', description: 'False when the node has no backup store (started without --backup-store); items is then empty.' },
      items: { type: 'array', items: { $ref: '#/components/schemas/BackupInfo' } },
    },
  },
  BackupInfo: {
    type: 'object',
    description: "A backup as the management port's GET /actuator/backups reports it (Zeebe's BackupInfo).",
    required: ['backupId', 'state', 'details'],
    properties: {
      backupId: { ...int64, description: 'The id the backup was requested with.' },
      state: { type: 'string', enum: STATES },
      failureReason: str,
      details: {
        type: 'array',
        items: {
          type: 'object',
          required: ['partitionId', 'state', 'createdAt', 'lastUpdatedAt', 'checkpointPosition', 'brokerId', 'brokerVersion'],
          properties: {
            partitionId: { type: 'integer' },
            state: { type: 'string', enum: ['IN_PROGRESS', 'COMPLETED', 'FAILED'] },
            failureReason: str,
            createdAt: date,
            lastUpdatedAt: date,
            checkpointPosition: int64,
            brokerId: { type: 'integer' },
            brokerVersion: str,
          },
        },
      },
    },
  },
};

export const backupRoutes: RouteGroup = {
  name: 'backups',
  routes: [
    {
      method: 'GET',
      path: '/backups',
      operationId: 'listBackups',
      summary: 'List backups',
      description:
        "Zen extension (not in Camunda's API): the backups in the node's backup store, newest first, each with its " +
        'state and its partitions, as the management port lists them. Read-only: backups are taken, deleted and ' +
        'restored through the management port and the CLI. Under --authorizations it needs SYSTEM READ.',
      tag: 'Backups',
      success: { status: 200, description: 'The backups, or configured: false when the node has no backup store.', schemaName: 'BackupListResult' },
      errors: [403, 500, 503],
      handler: async (ctx): Promise<BackupListResult> => ctx.backups.list(),
    },
  ],
};
