/**
 * Where `--authorizations` meets the transports: each REST request and each gRPC call gets the
 * node's services as its caller may use them — the ZenApi behind GuardedApi, the user and
 * authorization services behind their resource permissions (USER, AUTHORIZATION: CREATE, READ,
 * UPDATE, DELETE, as Camunda checks them). Nothing is cached per caller: a change to the
 * authorizations counts from the next call on.
 */
import type { FastifyRequest } from 'fastify';
import type { RestContext, RestGuard } from '../../api/rest/types.js';
import type { ZenApi } from '../../node/api.js';
import { principalOf } from '../call-context.js';
import type { Principal } from '../../node/principal.js';
import type { UserService } from '../users/user-service.js';
import type { Access } from './access.js';
import type { AuthorizationService } from './authorization-service.js';
import { GuardedApi, JobProcesses } from './guarded-api.js';
import type { MembershipServices } from '../../api/rest/types.js';
import type { TenantService } from '../tenants/tenant-service.js';

type Needs = Readonly<Record<string, string>>;

const USER_NEEDS: Needs = { create: 'CREATE', update: 'UPDATE', delete: 'DELETE', get: 'READ', search: 'READ' };
const AUTHORIZATION_NEEDS: Needs = { create: 'CREATE', update: 'UPDATE', delete: 'DELETE', get: 'READ', search: 'READ' };
/** Camunda checks membership changes as UPDATE of the group or role, member lists as READ. */
const MEMBER_SET_NEEDS: Needs = {
  ...USER_NEEDS,
  assign: 'UPDATE',
  unassign: 'UPDATE',
  searchMembers: 'READ',
  mappingRuleIdsOf: 'READ',
  searchHolding: 'READ',
};
const MAPPING_RULE_NEEDS: Needs = { ...USER_NEEDS, searchAmong: 'READ' };
/** The set or rule a method is about; `searchHolding` (a group's roles) is about none, so it needs `*`. */
const firstStringArg = (args: unknown[], method: string): string | undefined => (method !== 'searchHolding' && typeof args[0] === 'string' ? args[0] : undefined);
// Assigning members changes the tenant: Camunda checks TENANT UPDATE for it.
const TENANT_NEEDS: Needs = { create: 'CREATE', update: 'UPDATE', delete: 'DELETE', assign: 'UPDATE', unassign: 'UPDATE', get: 'READ', search: 'READ', searchMembers: 'READ' };

/** Backups are the whole cluster's: system-wide, as Camunda guards its other system reads and changes. */
const BACKUP_NEEDS: Needs = { list: 'READ', take: 'UPDATE' };

/** A service whose listed methods first check `resourceType` with the permission named for them. */
function guardService<T extends object>(service: T, access: Access, principal: Principal, resourceType: string, needs: Needs, idOf?: (args: unknown[], method: string) => string | undefined): T {
  return new Proxy(service, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver) as unknown;
      const permission = typeof property === 'string' ? needs[property] : undefined;
      if (typeof value !== 'function' || permission === undefined) return value;
      return (...args: unknown[]) => {
        const id = idOf?.(args, property as string);
        access.check(principal, resourceType, permission, id ? [id] : []);
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

export class AuthorizationGuard implements RestGuard {
  private readonly jobs = new JobProcesses();

  constructor(private readonly access: Access) {}

  api(api: ZenApi, principal: Principal): ZenApi {
    return new GuardedApi(api, this.access, principal, this.jobs);
  }

  users(users: UserService, principal: Principal): UserService {
    // A user is its own resource id: Camunda checks USER permissions by username.
    return guardService(users, this.access, principal, 'USER', USER_NEEDS, (args) => (typeof args[0] === 'string' ? args[0] : undefined));
  }

  authorizations(authorizations: AuthorizationService, principal: Principal): AuthorizationService {
    return guardService(authorizations, this.access, principal, 'AUTHORIZATION', AUTHORIZATION_NEEDS);
  }

  membership(services: MembershipServices, principal: Principal): MembershipServices {
    // A group, role or mapping rule is its own resource id, as Camunda checks them.
    return {
      groups: guardService(services.groups, this.access, principal, 'GROUP', MEMBER_SET_NEEDS, firstStringArg),
      roles: guardService(services.roles, this.access, principal, 'ROLE', MEMBER_SET_NEEDS, firstStringArg),
      mappingRules: guardService(services.mappingRules, this.access, principal, 'MAPPING_RULE', MAPPING_RULE_NEEDS, firstStringArg),
    };
  }

  tenants(tenants: TenantService, principal: Principal): TenantService {
    // A tenant is its own resource id; creating one names it in the body.
    return guardService(tenants, this.access, principal, 'TENANT', TENANT_NEEDS, (args) => {
      const first = args[0];
      if (typeof first === 'string') return first;
      const id = (first as { tenantId?: unknown } | undefined)?.tenantId;
      return typeof id === 'string' ? id : undefined;
    });
  }

  forRequest(ctx: RestContext, request: FastifyRequest): RestContext {
    const principal = principalOf(request);
    return {
      ...ctx,
      api: this.api(ctx.api, principal),
      users: ctx.users ? this.users(ctx.users, principal) : null,
      authorizations: ctx.authorizations ? this.authorizations(ctx.authorizations, principal) : null,
      membership: ctx.membership ? this.membership(ctx.membership, principal) : null,
      tenants: ctx.tenants ? this.tenants(ctx.tenants, principal) : null,
      // Whether a store is configured is the node's setup, shown only to those who may read it.
      backups: guardService(ctx.backups, this.access, principal, 'SYSTEM', BACKUP_NEEDS),
      guard: null,
    };
  }
}
