/**
 * A search narrowed to the tenants a caller may see: resources of other tenants are invisible
 * (Camunda filters every search by the caller's tenants). The caller's own `tenantId` condition
 * stays and is ANDed with the narrowing, so asking for a tenant one may not see finds nothing.
 */
import type { Resource } from './fields.js';

export function withinTenants(resource: Resource, filter: unknown, tenantIds: readonly string[]): unknown {
  // A resource without tenants (batch operations), or a filter that is not an object (refused later, naming it).
  if (!resource.fields.tenantId) return filter;
  if (filter !== undefined && filter !== null && (typeof filter !== 'object' || Array.isArray(filter))) return filter;
  const base = (filter ?? {}) as Record<string, unknown>;
  const own = base.tenantId;
  let condition: unknown;
  if (own === undefined) condition = { $in: [...tenantIds] };
  else if (own === null || typeof own !== 'object' || Array.isArray(own)) condition = { $eq: own, $in: [...tenantIds] };
  else {
    const operators = own as Record<string, unknown>;
    const asked = operators.$in;
    condition = { ...operators, $in: Array.isArray(asked) ? asked.filter((t) => tenantIds.includes(t as string)) : [...tenantIds] };
  }
  return { ...base, tenantId: condition };
}
