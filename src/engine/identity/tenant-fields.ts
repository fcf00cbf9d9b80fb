/**
 * What a tenant's id, name and members may be: checked at the REST edge (400 before anything is
 * sent) and again in the engine, which must not trust its callers.
 *
 * The id follows the rule every request naming a tenant is held to (Zeebe's `[\w.-]{1,31}`, see
 * api/shared/tenant-ids.ts) rather than Camunda's wider rule for creating one (255 characters,
 * also `+` and `@`): a tenant that no request could name would be of no use.
 */
import type { TenantEntityType } from '../records.js';
import { TENANT_ENTITY_TYPES } from '../state/tenant-rows.js';

const TENANT_ID = /^[\w.-]{1,31}$/;
export const MAX_ENTITY_ID_LENGTH = 256;
export const MAX_NAME_LENGTH = 256;

export function tenantIdProblem(tenantId: unknown): string | null {
  if (typeof tenantId !== 'string' || tenantId === '') return 'No tenantId provided';
  if (!TENANT_ID.test(tenantId)) {
    return `The provided tenantId contains illegal characters or is longer than 31 characters: it may hold letters, digits, '_', '.' and '-' only, but was '${tenantId.slice(0, 64)}'`;
  }
  return null;
}

export function tenantNameProblem(name: unknown): string | null {
  if (typeof name !== 'string' || name.trim() === '') return 'No name provided';
  if (name.length > MAX_NAME_LENGTH) return `The provided name exceeds the limit of ${MAX_NAME_LENGTH} characters`;
  return null;
}

export function isTenantEntityType(value: unknown): value is TenantEntityType {
  return typeof value === 'string' && (TENANT_ENTITY_TYPES as readonly string[]).includes(value);
}

export function entityProblem(entityType: unknown, entityId: unknown): string | null {
  if (!isTenantEntityType(entityType)) return `Expected entityType to be one of ${TENANT_ENTITY_TYPES.join(', ')}, but was '${String(entityType).slice(0, 64)}'`;
  if (typeof entityId !== 'string' || entityId.trim() === '') return `No ${entityType.toLowerCase().replace('_', ' ')} id provided`;
  if (entityId.length > MAX_ENTITY_ID_LENGTH) return `The provided ${entityType.toLowerCase().replace('_', ' ')} id exceeds the limit of ${MAX_ENTITY_ID_LENGTH} characters`;
  return null;
}
