/**
 * Tenants in the engine. Everything deployed or started belongs to one (Zeebe's `TenantOwned`);
 * without multi-tenancy that is always the default tenant. Lookups by id (latest version,
 * message and signal subscriptions, activatable jobs) stay within a tenant, so two tenants may
 * deploy the same process id and never see each other's definitions, messages or jobs.
 */

/** Zeebe's default tenant identifier: what every record carried before tenants existed. */
export const DEFAULT_TENANT = '<default>';

/** The tenant a value names; a value written without one belongs to the default tenant. */
export function tenantOf(tenantId: string | undefined): string {
  return tenantId ? tenantId : DEFAULT_TENANT;
}

/** A key of an in-memory index (rebuilt on load and replay, never stored): `id` within a tenant. */
export function inTenant(tenantId: string | undefined, id: string): string {
  return `${tenantOf(tenantId)}\u0000${id}`;
}

/**
 * A stored key made tenant-aware without changing the default tenant's: state written before
 * multi-tenancy (all of it the default tenant's) keeps its keys and loads as it is. Another
 * tenant's key is prefixed with `tenant/`: a tenant id holds no `/` or `:` (the gateways check
 * Zeebe's pattern), so it cannot collide with a default-tenant key.
 */
export function storedInTenant(tenantId: string | undefined, key: string): string {
  const tenant = tenantOf(tenantId);
  return tenant === DEFAULT_TENANT ? key : `${tenant}/${key}`;
}

/**
 * Whether a client whose command carries `authorizedTenants` may act on an entity of `tenantId`
 * (Zeebe's `isAssignedToTenant`): absent means every tenant. A refused entity is not found, in
 * the words the command uses for a missing one, so a key reveals nothing of another tenant.
 */
export function authorizedFor(authorizedTenants: readonly string[] | undefined, tenantId: string | undefined): boolean {
  return authorizedTenants === undefined || authorizedTenants.includes(tenantOf(tenantId));
}
