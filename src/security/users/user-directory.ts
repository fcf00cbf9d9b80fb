/**
 * This node's copy of partition 1's user table (docs/adr/012). It asks a replica of partition 1
 * (this node's own when it has one) every `pollMs` for the table, sending the version it holds:
 * the answer is the whole table only when that moved. A change this node made itself is taken
 * from the command's answer at once, so a user created here can log in here right away.
 *
 * The authorizations (docs/adr/013) come with the same read and count in the same version: one
 * copy of partition 1's identity tables. Groups, roles and mapping rules (docs/adr/014) too.
 *
 * Versions only go forward. A replica that lags (a follower a batch behind) may answer with an
 * older table than the one a command already showed: such an answer is ignored.
 */
import type { UserCommandResult } from '../../engine/processors/commands/user.js';
import type { UsersView } from '../../engine/read-views.js';
import type { UserRow } from '../../engine/state/users.js';
import type { AuthorizationCommandResult } from '../../engine/processors/commands/authorization.js';
import type { AuthorizationRow } from '../../engine/state/authorizations.js';
import type { TenantCommandResult } from '../../engine/processors/commands/tenant.js';
import { defaultTenantRow, type TenantRow } from '../../engine/state/tenant-rows.js';
import type { UserLookup } from '../basic-authenticator.js';
import type { MemberSetRow } from '../../engine/state/member-sets.js';
import type { MappingRuleRow } from '../../engine/state/mapping-rules.js';
import type { MemberSetCommandResult } from '../../engine/processors/commands/member-set.js';
import type { MappingRuleCommandResult } from '../../engine/processors/commands/mapping-rule.js';

import type { UserSource } from '../../node/identity-commands.js';

export type { UserSource };

interface Logger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
}

export interface UserDirectoryOptions {
  readonly pollMs?: number;
  readonly logger: Logger;
  /** A user whose password changed or who is gone: cached verifications must go. */
  readonly onUserChanged?: (username: string) => void;
}

export const DEFAULT_USER_POLL_MS = 500;

export class UserDirectory implements UserLookup {
  private users = new Map<string, UserRow>();
  private authorizations = new Map<bigint, AuthorizationRow>();
  private groups = new Map<string, MemberSetRow>();
  private roles = new Map<string, MemberSetRow>();
  private mappingRules = new Map<string, MappingRuleRow>();
  private tenants = new Map<string, TenantRow>([[defaultTenantRow().tenantId, defaultTenantRow()]]);
  /** Version of the table `users` was loaded as (changes of this node's commands may sit on top). */
  private version = -1;
  /** The highest version seen anywhere: loads older than it are stale. */
  private known = -1;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  private inFlight: Promise<void> | null = null;
  private readonly loadedWaiters: Array<() => void> = [];

  constructor(
    private readonly source: UserSource,
    private readonly options: UserDirectoryOptions,
  ) {}

  get loaded(): boolean {
    return this.version >= 0;
  }

  passwordHashOf(username: string): string | undefined {
    return this.users.get(username)?.password;
  }

  get(username: string): UserRow | undefined {
    return this.users.get(username);
  }

  all(): UserRow[] {
    return [...this.users.values()];
  }

  getAuthorization(key: bigint): AuthorizationRow | undefined {
    return this.authorizations.get(key);
  }

  allAuthorizations(): AuthorizationRow[] {
    return [...this.authorizations.values()];
  }

  getGroup(id: string): MemberSetRow | undefined {
    return this.groups.get(id);
  }

  allGroups(): MemberSetRow[] {
    return [...this.groups.values()];
  }

  getRole(id: string): MemberSetRow | undefined {
    return this.roles.get(id);
  }

  allRoles(): MemberSetRow[] {
    return [...this.roles.values()];
  }

  getMappingRule(id: string): MappingRuleRow | undefined {
    return this.mappingRules.get(id);
  }

  allMappingRules(): MappingRuleRow[] {
    return [...this.mappingRules.values()];
  }

  getTenant(tenantId: string): TenantRow | undefined {
    return this.tenants.get(tenantId);
  }

  /** Every tenant, the default one included. */
  allTenants(): TenantRow[] {
    return [...this.tenants.values()];
  }

  /** The version of the identity tables this copy holds (-1: not loaded). */
  get identityVersion(): number {
    return this.version;
  }

  /** Starts polling; the first read is at once. */
  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** Resolves once the table was loaded (or at once if it was). */
  whenLoaded(): Promise<void> {
    if (this.loaded) return Promise.resolve();
    return new Promise((resolve) => this.loadedWaiters.push(resolve));
  }

  /** One read now (joins one already running). */
  refresh(): Promise<void> {
    return (this.inFlight ??= this.read().finally(() => {
      this.inFlight = null;
    }));
  }

  /** A change this node's command made, with the table's version after it. */
  applyChange(intent: 'CREATE' | 'UPDATE' | 'DELETE', result: UserCommandResult): void {
    if (result.identityVersion <= this.version) return;
    const { user } = result;
    if (intent === 'DELETE') this.remove(user.username);
    else this.put(user);
    this.advance(result.identityVersion);
  }

  /** An authorization change this node's command made, with the identity version after it. */
  applyAuthorizationChange(intent: 'CREATE' | 'UPDATE' | 'DELETE', result: AuthorizationCommandResult): void {
    if (result.identityVersion <= this.version) return;
    const { authorization } = result;
    if (intent === 'DELETE') this.authorizations.delete(authorization.authorizationKey);
    else this.authorizations.set(authorization.authorizationKey, authorization);
    this.advance(result.identityVersion);
  }

  /** A group or role change this node's command made (a delete's cascades arrive with the next read). */
  applyMemberSetChange(kind: 'GROUP' | 'ROLE', intent: string, result: MemberSetCommandResult): void {
    if (result.identityVersion <= this.version) return;
    const sets = kind === 'GROUP' ? this.groups : this.roles;
    if (intent === 'DELETE') sets.delete(result.row.id);
    else sets.set(result.row.id, result.row);
    this.advance(result.identityVersion);
  }

  /** A mapping rule change this node's command made (a delete's cascades arrive with the next read). */
  applyMappingRuleChange(intent: string, result: MappingRuleCommandResult): void {
    if (result.identityVersion <= this.version) return;
    if (intent === 'DELETE') this.mappingRules.delete(result.mappingRule.mappingRuleId);
    else this.mappingRules.set(result.mappingRule.mappingRuleId, result.mappingRule);
    this.advance(result.identityVersion);
  }

  /** A tenant change this node's command made (the tenant as it is after it), with the identity version after it. */
  applyTenantChange(intent: 'CREATE' | 'UPDATE' | 'DELETE' | 'ADD_ENTITY' | 'REMOVE_ENTITY', result: TenantCommandResult): void {
    if (result.identityVersion <= this.version) return;
    const { tenant } = result;
    if (intent === 'DELETE') this.tenants.delete(tenant.tenantId);
    else this.tenants.set(tenant.tenantId, tenant);
    this.advance(result.identityVersion);
  }

  private advance(identityVersion: number): void {
    this.known = Math.max(this.known, identityVersion);
    // Right after what this node holds: nothing in between was missed.
    if (identityVersion === this.version + 1) this.version = identityVersion;
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.refresh().finally(() => this.schedule(this.loaded ? (this.options.pollMs ?? DEFAULT_USER_POLL_MS) : 250));
    }, ms);
    this.timer.unref();
  }

  private async read(): Promise<void> {
    let view: UsersView;
    try {
      view = await this.source.readUsers(this.version);
    } catch (err) {
      this.options.logger.debug({ err: (err as Error).message }, 'could not read the users from partition 1; trying again');
      return;
    }
    if (!view.changed || view.version < this.known) return;
    const first = !this.loaded;
    const next = new Map(view.users.map((u) => [u.username, u] as const));
    for (const [username, row] of this.users) {
      if (next.get(username)?.password !== row.password) this.options.onUserChanged?.(username);
    }
    this.users = next;
    this.authorizations = new Map((view.authorizations ?? []).map((a) => [a.authorizationKey, a] as const));
    this.groups = new Map((view.groups ?? []).map((g) => [g.id, g] as const));
    this.roles = new Map((view.roles ?? []).map((r) => [r.id, r] as const));
    this.mappingRules = new Map((view.mappingRules ?? []).map((m) => [m.mappingRuleId, m] as const));
    this.tenants = new Map((view.tenants ?? [defaultTenantRow()]).map((t) => [t.tenantId, t] as const));
    this.version = view.version;
    this.known = view.version;
    if (first) {
      this.options.logger.info({ users: next.size }, 'users loaded from partition 1');
      for (const resolve of this.loadedWaiters.splice(0)) resolve();
    }
  }

  private put(user: UserRow): void {
    const previous = this.users.get(user.username);
    if (previous && previous.password !== user.password) this.options.onUserChanged?.(user.username);
    this.users.set(user.username, user);
  }

  private remove(username: string): void {
    if (this.users.delete(username)) this.options.onUserChanged?.(username);
  }
}
