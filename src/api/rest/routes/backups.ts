/**
 * A Zen extension to /v2: the backups in the node's backup store, and taking one, for the
 * console (which may use only the public API, ADR 019). The same BackupService answers the
 * management port's `/actuator/backups` (ADR 015); this adds the credentials and permissions
 * that port never asks for — under `--authorizations` SYSTEM READ to list and SYSTEM UPDATE to
 * take, as Camunda guards its system-wide reads and changes.
 */
import type { BackupListResult } from '../backup-access.js';
import { parseBackupId } from '../../../backup/manifest.js';
import type { RouteGroup } from '../route.js';
import type { JsonSchema } from '../schemas.js';

const str = { type: 'string' } as const;
const date = { type: 'string', format: 'date-time' } as const;
const int64 = { type: 'integer', format: 'int64' } as const;
const STATES = ['IN_PROGRESS', 'COMPLETED', 'FAILED', 'INCOMPLETE', 'DOES_NOT_EXIST'];

export const BACKUP_REQUEST_SCHEMA: JsonSchema = {
  type: 'object',
  required: ['backupId'],
  additionalProperties: false,
  properties: { backupId: { type: 'integer', format: 'int64', minimum: 1, description: 'Greater than every backup id requested before (the store\'s too).' } },
};

export const BACKUP_RESPONSE_SCHEMAS: Record<string, JsonSchema> = {
  BackupCreateResult: {
    type: 'object',
    description: 'Zen extension: a backup request recorded; the partitions are backed up in the background.',
    required: ['backupId'],
    properties: { backupId: { type: 'integer', format: 'int64' } },
  },
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
        'state and its partitions, as the management port lists them. Deleting and restoring stay with the ' +
        'management port and the CLI. Under --authorizations it needs SYSTEM READ.',
      tag: 'Backups',
      success: { status: 200, description: 'The backups, or configured: false when the node has no backup store.', schemaName: 'BackupListResult' },
      errors: [403, 500, 503],
      handler: async (ctx): Promise<BackupListResult> => ctx.backups.list(),
    },
    {
      method: 'POST',
      path: '/backups',
      operationId: 'createBackup',
      summary: 'Take a backup',
      description:
        "Zen extension (not in Camunda's API): asks every partition's leader to back up its partition into the " +
        'backup store under this id, as POST /actuator/backups on the management port does. Answers once the request ' +
        'is recorded; GET /backups then shows its progress. The id must be greater than every id requested before ' +
        '(409 names the last). Under --authorizations it needs SYSTEM UPDATE.',
      tag: 'Backups',
      body: { contentType: 'application/json', schemaName: 'BackupCreateRequest', schema: BACKUP_REQUEST_SCHEMA, required: true },
      success: { status: 202, description: 'The backup was requested; it is taken in the background.', schemaName: 'BackupCreateResult' },
      errors: [400, 403, 409, 500, 503],
      handler: async (ctx, request) => {
        const backupId = parseBackupId((request.body as { backupId: unknown }).backupId);
        await ctx.backups.take(backupId);
        return { backupId };
      },
    },
  ],
};
