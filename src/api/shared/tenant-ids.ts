/**
 * Zeebe's rules for a tenant identifier a request names, shared by the gRPC gateway and REST
 * (each words the refusal its own way): with multi-tenancy off only the default tenant; with it
 * on, at most 31 characters of letters, digits, `_`, `.` and `-`, or `<default>` itself.
 * Unlike Zeebe, a request that names no tenant means the default one with multi-tenancy on too.
 */
import { DEFAULT_TENANT } from '../../engine/tenants.js';

const TENANT_ID = /^[\w.-]{1,31}$/;
export const MAX_TENANT_ID_LENGTH = 31;

/** Why a (non-blank) tenant id cannot be used, as the end of Zeebe's message; null when it can. */
export function tenantIdProblem(tenantId: string, multiTenancy: boolean): string | null {
  if (tenantId === DEFAULT_TENANT) return null;
  if (!multiTenancy) return 'multi-tenancy is disabled';
  if (tenantId.length > MAX_TENANT_ID_LENGTH) return `tenant identifier is longer than ${MAX_TENANT_ID_LENGTH} characters`;
  if (!TENANT_ID.test(tenantId)) return 'tenant identifier contains illegal characters';
  return null;
}

/** The tenants a worker asked for: each once, in the order named; none named is the default one. */
export function distinctTenants(tenantIds: readonly string[]): string[] {
  return tenantIds.length === 0 ? [DEFAULT_TENANT] : [...new Set(tenantIds)];
}
