/**
 * The tenant resources (`/v2/tenants`): checks what a client sent, sends TENANT commands to
 * partition 1, and shows a change in this node's directory at once (other nodes see it within
 * their next poll). Reads come from the copy.
 */
import { ZenError } from '../../errors.js';
import type { TenantCommandResult } from '../../engine/processors/commands/tenant.js';
import type { TenantEntityType, TenantValue } from '../../engine/records.js';
import type { TenantRow } from '../../engine/state/tenant-rows.js';
import type { SearchPage } from '../../history/search/merge.js';
import type { TenantCommands, TenantIntent } from '../../node/identity-commands.js';

export type { TenantCommands, TenantIntent };
import type { UserDirectory } from '../users/user-directory.js';
import type { Principal } from '../../node/principal.js';
import type { TenantAccess } from '../../node/tenant-access.js';
import { entityProblem, tenantIdProblem, tenantNameProblem } from '../../engine/identity/tenant-fields.js';
import { searchMembers, searchTenants, tenantItem, type TenantItem, type TenantSearchRequest } from './tenant-search.js';

export interface TenantRequest {
  readonly tenantId?: unknown;
  readonly name?: unknown;
  readonly description?: unknown;
}

/** A member kind as the REST paths name it, and the field its search results carry. */
export const MEMBER_KINDS = {
  users: { entityType: 'USER', idField: 'username', what: 'tenant user' },
  clients: { entityType: 'CLIENT', idField: 'clientId', what: 'tenant client' },
  groups: { entityType: 'GROUP', idField: 'groupId', what: 'tenant group' },
  roles: { entityType: 'ROLE', idField: 'roleId', what: 'tenant role' },
  'mapping-rules': { entityType: 'MAPPING_RULE', idField: 'mappingRuleId', what: 'tenant mapping rule' },
} as const satisfies Record<string, { entityType: TenantEntityType; idField: string; what: string }>;

export type MemberKind = keyof typeof MEMBER_KINDS;

function invalid(problem: string | null): void {
  if (problem) throw new ZenError('INVALID_ARGUMENT', problem);
}

function value(tenantId: string, fields: Partial<TenantValue> = {}): TenantValue {
  return { tenantKey: -1n, tenantId, name: '', description: '', entityId: '', entityType: 'UNSPECIFIED', ...fields };
}

function text(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

export class TenantService {
  constructor(
    private readonly commands: TenantCommands,
    readonly directory: UserDirectory,
    private readonly access?: TenantAccess,
  ) {}

  /** The tenants `principal` may use (`/v2/authentication/me`); every tenant when it may use all. */
  usableBy(principal: Principal): TenantItem[] {
    const allowed = this.access?.allowedTenants(principal) ?? 'all';
    return this.directory
      .allTenants()
      .filter((row) => allowed === 'all' || allowed.includes(row.tenantId))
      .map(tenantItem);
  }

  async create(request: TenantRequest): Promise<TenantItem> {
    invalid(tenantIdProblem(request.tenantId) ?? tenantNameProblem(request.name));
    if (request.description !== undefined && request.description !== null && typeof request.description !== 'string') invalid('The description must be a string');
    const { tenant } = await this.run('CREATE', value(String(request.tenantId), { name: String(request.name), description: text(request.description) }));
    return tenantItem(tenant);
  }

  async update(tenantId: string, request: TenantRequest): Promise<TenantItem> {
    invalid(tenantNameProblem(request.name));
    const { tenant } = await this.run('UPDATE', value(tenantId, { name: String(request.name), description: text(request.description) }));
    return tenantItem(tenant);
  }

  async delete(tenantId: string): Promise<void> {
    await this.run('DELETE', value(tenantId));
  }

  async assign(tenantId: string, kind: MemberKind, entityId: string): Promise<void> {
    const { entityType } = MEMBER_KINDS[kind];
    invalid(entityProblem(entityType, entityId));
    await this.run('ADD_ENTITY', value(tenantId, { entityType, entityId }));
  }

  async unassign(tenantId: string, kind: MemberKind, entityId: string): Promise<void> {
    const { entityType } = MEMBER_KINDS[kind];
    invalid(entityProblem(entityType, entityId));
    await this.run('REMOVE_ENTITY', value(tenantId, { entityType, entityId }));
  }

  get(tenantId: string): TenantItem {
    return tenantItem(this.row(tenantId));
  }

  search(request: TenantSearchRequest): SearchPage {
    this.requireLoaded();
    return searchTenants(this.directory.allTenants(), request);
  }

  searchMembers(tenantId: string, kind: MemberKind, request: TenantSearchRequest): SearchPage {
    const { entityType, idField, what } = MEMBER_KINDS[kind];
    return searchMembers(this.row(tenantId).members[entityType] ?? [], idField, what, request);
  }

  private row(tenantId: string): TenantRow {
    const row = this.directory.getTenant(tenantId);
    if (row) return row;
    this.requireLoaded();
    throw new ZenError('NOT_FOUND', `Expected to find tenant with ID '${tenantId.slice(0, 64)}', but none was found`);
  }

  private requireLoaded(): void {
    if (!this.directory.loaded) throw new ZenError('UNAVAILABLE', 'This node has not loaded the tenants yet (partition 1 could not be read); retry shortly');
  }

  private async run(intent: TenantIntent, tenant: TenantValue): Promise<TenantCommandResult> {
    const result = await this.commands.submitTenantCommand(intent, tenant);
    this.directory.applyTenantChange(intent, result);
    return result;
  }
}
