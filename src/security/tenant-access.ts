/**
 * Which tenants a principal may use: the seam between multi-tenancy and identity. Identity
 * (tenants as resources, assigned to users and clients directly, through groups or mapping
 * rules) will supply its own; until then every principal may use every tenant. The node asks
 * it where requests enter the API facade (`ZenNode`), and only with `--multi-tenancy` on.
 */
import { ZenError } from '../errors.js';

export interface TenantAccess {
  /** The tenants `principal` may use, or 'all'. */
  allowedTenants(principal: unknown): readonly string[] | 'all';
}

/** Until identity lands: any principal, any tenant. */
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
