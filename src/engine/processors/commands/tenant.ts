/**
 * TENANT CREATE, UPDATE, DELETE, ADD_ENTITY, REMOVE_ENTITY (Zeebe 8.8's identity records), on
 * partition 1 only, like USER (docs/adr/012, 013). The default tenant always exists: it cannot be
 * created or deleted, but members may be added to it. Members are ids only: a group, role or
 * mapping rule named need not exist (they are other records' business), nor a user (OIDC users
 * are not stored).
 */
import type { ProcessingContext } from '../../processing/context.js';
import type { EngineCommand } from '../../processing/types.js';
import type { TenantEntityType, TenantValue } from '../../records.js';
import { hasMember, type TenantRow, tenantValue, withMember } from '../../state/tenant-rows.js';
import { DEFAULT_TENANT } from '../../tenants.js';
import { entityProblem, tenantIdProblem, tenantNameProblem } from '../../identity/tenant-fields.js';

/** What a TENANT command answers: the tenant as stored now (DELETED: as it was) and the identity version after it. */
export interface TenantCommandResult {
  readonly tenant: TenantRow;
  readonly identityVersion: number;
}

function onPartitionOne(ctx: ProcessingContext, what: string): boolean {
  if (ctx.partitionId === 1) return true;
  ctx.reject('INVALID_ARGUMENT', `Expected to ${what} a tenant on partition 1, but it was sent to partition ${ctx.partitionId}`);
  return false;
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function existing(ctx: ProcessingContext, value: Partial<TenantValue>, action: string): TenantRow | null {
  const tenantId = text(value.tenantId);
  const row = ctx.state.tenants.get(tenantId);
  if (!row) ctx.reject('NOT_FOUND', `Expected to ${action} tenant with ID '${tenantId}', but no tenant with this ID exists`);
  return row ?? null;
}

/** The default tenant gets a key the first time it changes (it was never created). */
function keyed(ctx: ProcessingContext, row: TenantRow): TenantRow {
  return row.tenantKey === -1n ? { ...row, tenantKey: ctx.nextKey() } : row;
}

function respond(ctx: ProcessingContext, tenant: TenantRow): void {
  ctx.respond(tenant.tenantKey, { tenant, identityVersion: ctx.state.users.version } satisfies TenantCommandResult);
}

export function tenantCreate(ctx: ProcessingContext, command: EngineCommand): void {
  if (!onPartitionOne(ctx, 'create')) return;
  const value = command.value as Partial<TenantValue>;
  const problem = value.tenantId === DEFAULT_TENANT ? null : (tenantIdProblem(value.tenantId) ?? tenantNameProblem(value.name));
  if (problem) return ctx.reject('INVALID_ARGUMENT', problem);
  const tenantId = text(value.tenantId);
  if (ctx.state.tenants.get(tenantId)) {
    return ctx.reject('ALREADY_EXISTS', `Expected to create tenant with ID '${tenantId}', but a tenant with this ID already exists`);
  }
  const row: TenantRow = { tenantKey: ctx.nextKey(), tenantId, name: text(value.name), description: text(value.description), members: { USER: [], CLIENT: [], GROUP: [], ROLE: [], MAPPING_RULE: [] } };
  ctx.event('TENANT', 'CREATED', row.tenantKey, tenantValue(row));
  respond(ctx, row);
}

export function tenantUpdate(ctx: ProcessingContext, command: EngineCommand): void {
  if (!onPartitionOne(ctx, 'update')) return;
  const value = command.value as Partial<TenantValue>;
  const problem = tenantNameProblem(value.name);
  if (problem) return ctx.reject('INVALID_ARGUMENT', problem);
  const found = existing(ctx, value, 'update');
  if (!found) return;
  const row = keyed(ctx, found);
  const updated = { ...row, name: text(value.name), description: text(value.description) };
  ctx.event('TENANT', 'UPDATED', row.tenantKey, tenantValue(updated));
  respond(ctx, updated);
}

export function tenantDelete(ctx: ProcessingContext, command: EngineCommand): void {
  if (!onPartitionOne(ctx, 'delete')) return;
  const value = command.value as Partial<TenantValue>;
  if (value.tenantId === DEFAULT_TENANT) return ctx.reject('INVALID_ARGUMENT', `Expected to delete tenant with ID '${DEFAULT_TENANT}', but the default tenant cannot be deleted`);
  const row = existing(ctx, value, 'delete');
  if (!row) return;
  ctx.event('TENANT', 'DELETED', row.tenantKey, tenantValue(row));
  respond(ctx, row);
}

function entityCommand(ctx: ProcessingContext, command: EngineCommand, adding: boolean): void {
  const action = adding ? 'add an entity to' : 'remove an entity from';
  if (!onPartitionOne(ctx, action)) return;
  const value = command.value as Partial<TenantValue>;
  const problem = entityProblem(value.entityType, value.entityId);
  if (problem) return ctx.reject('INVALID_ARGUMENT', problem);
  const found = existing(ctx, value, action);
  if (!found) return;
  const row = keyed(ctx, found);
  const entityType = value.entityType as TenantEntityType;
  const entityId = text(value.entityId);
  const kind = entityType.toLowerCase().replace('_', ' ');
  if (adding && hasMember(row, entityType, entityId)) {
    return ctx.reject('ALREADY_EXISTS', `Expected to add ${kind} '${entityId}' to tenant '${row.tenantId}', but the ${kind} is already assigned to the tenant`);
  }
  if (!adding && !hasMember(row, entityType, entityId)) {
    return ctx.reject('NOT_FOUND', `Expected to remove ${kind} '${entityId}' from tenant '${row.tenantId}', but the ${kind} is not assigned to the tenant`);
  }
  const changed = withMember(row, entityType, entityId, adding);
  ctx.event('TENANT', adding ? 'ENTITY_ADDED' : 'ENTITY_REMOVED', row.tenantKey, tenantValue(row, entityType, entityId));
  respond(ctx, changed);
}

export function tenantAddEntity(ctx: ProcessingContext, command: EngineCommand): void {
  entityCommand(ctx, command, true);
}

export function tenantRemoveEntity(ctx: ProcessingContext, command: EngineCommand): void {
  entityCommand(ctx, command, false);
}
