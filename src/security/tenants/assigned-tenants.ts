/**
 * TenantAccess from the tenants' members (docs/adr/013): a principal may use the tenants it is
 * assigned to directly (a user by username, a machine client by client id), through one of its
 * groups (`principal.groups`: the token's groups claim, or group membership records), through one
 * of its roles, or through a mapping rule that matches it. The default tenant is no exception:
 * as in Camunda 8.8, it too must be assigned.
 *
 * The administrator of `--admin-user` may use every tenant: it manages the tenants (and could
 * assign itself to any of them anyway), and under `--authorizations` it holds the admin role,
 * which may do everything. A call without a principal (`--auth none`, the node's own work) may
 * use every tenant too.
 */
import { ZenError } from '../../errors.js';
import type { TenantRow } from '../../engine/state/tenant-rows.js';
import type { Principal } from '../../node/principal.js';
import type { TenantAccess } from '../../node/tenant-access.js';
import type { UserDirectory } from '../users/user-directory.js';

export interface AssignedTenantsOptions {
  readonly directory: Pick<UserDirectory, 'loaded' | 'allTenants'>;
  /** `--admin-user`: may use every tenant ('' when there is none). */
  readonly adminUser: string;
  /** The roles a principal holds (role membership records; the seam `Access.rolesOf` fills). Default: none. */
  readonly rolesOf?: (principal: Principal) => readonly string[];
  /** The mapping rules whose claims match the principal (the mapping rule records fill this). Default: none. */
  readonly mappingRulesOf?: (principal: Principal) => readonly string[];
  /** The groups of a principal: token claim, memberships, mapping rules (membership/resolution.ts). Default: `principal.groups`. */
  readonly groupsOf?: (principal: Principal) => readonly string[];
}

function intersects(members: readonly string[] | undefined, ids: readonly string[]): boolean {
  return members !== undefined && members.length > 0 && ids.some((id) => members.includes(id));
}

/** Whether `row` names the principal, directly or through one of its groups, roles or mapping rules. */
export function isAssigned(row: TenantRow, principal: Principal, roles: readonly string[], mappingRules: readonly string[]): boolean {
  const { members } = row;
  if (principal.kind === 'user' && members.USER?.includes(principal.id)) return true;
  if (principal.kind === 'client' && members.CLIENT?.includes(principal.id)) return true;
  return intersects(members.GROUP, principal.groups) || intersects(members.ROLE, roles) || intersects(members.MAPPING_RULE, mappingRules);
}

export class AssignedTenants implements TenantAccess {
  constructor(private readonly options: AssignedTenantsOptions) {}

  allowedTenants(principal: Principal | undefined): readonly string[] | 'all' {
    if (principal === undefined || principal.kind === 'anonymous') return 'all';
    if (principal.kind === 'user' && this.options.adminUser !== '' && principal.id === this.options.adminUser) return 'all';
    // Refused rather than answered from an empty table: nobody would be assigned to anything.
    if (!this.options.directory.loaded) throw new ZenError('UNAVAILABLE', 'This node has not loaded the tenants yet (partition 1 could not be read); retry shortly');
    const roles = this.options.rolesOf?.(principal) ?? [];
    const mappingRules = this.options.mappingRulesOf?.(principal) ?? [];
    const withGroups = this.options.groupsOf ? { ...principal, groups: this.options.groupsOf(principal) } : principal;
    return this.options.directory
      .allTenants()
      .filter((row) => isAssigned(row, withGroups, roles, mappingRules))
      .map((row) => row.tenantId)
      .sort();
  }
}
