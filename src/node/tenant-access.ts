/**
 * Which tenants a principal may use: the seam between multi-tenancy and identity. The node asks
 * it where requests enter the API facade (`ZenNode`), and only with `--multi-tenancy` on; the
 * identity behind it is `tenants/assigned-tenants.ts` (tenants assigned to users, clients,
 * groups, roles and mapping rules). A call without a principal (the node's own work, `--auth
 * none`) may use every tenant.
 */
import { ZenError } from '../errors.js';
import type { Principal } from './principal.js';

export interface TenantAccess {
  /** The tenants `principal` may use, or 'all'. */
  allowedTenants(principal: Principal | undefined): readonly string[] | 'all';
}

/** Without identity: any principal, any tenant. */
export const ALL_TENANTS: TenantAccess = { allowedTenants: () => 'all' };

/** The first of `tenantIds` the allowed tenants do not include; null when all are allowed. */
export function firstRefusedTenant(allowed: readonly string[] | 'all', tenantIds: readonly string[]): string | null {
  if (allowed === 'all') return null;
  return tenantIds.find((tenantId) => !allowed.includes(tenantId)) ?? null;
}

/** Camunda's refusal of a tenant the caller is not assigned to, naming it (gRPC PERMISSION_DENIED, HTTP 403). */
export function tenantForbidden(operation: string, tenantId: string): ZenError {
  return new ZenError('FORBIDDEN', `Expected to handle request ${operation} with tenant identifier '${tenantId}', but tenant is not authorized to perform this request`);
}

/**
 * Camunda's refusal of a job activation naming a tenant the worker is not assigned to: the whole
 * activation is refused (Zeebe's JobBatchActivateProcessor), not narrowed to the allowed tenants.
 */
export function jobTenantsForbidden(tenantIds: readonly string[], allowed: readonly string[]): ZenError {
  return new ZenError(
    'FORBIDDEN',
    `Expected to activate job batch for tenants '[${tenantIds.join(', ')}]', but user is not authorized. Authorized tenants are '[${allowed.join(', ')}]'`,
  );
}
