/**
 * Tenants (Camunda 8.8's `/v2/tenants`): kept on partition 1 beside the users (docs/adr/013),
 * read from this node's copy. With `--multi-tenancy` under `--auth basic|oidc`, a caller may use
 * only the tenants it is assigned to: directly, through its groups, roles or mapping rules.
 */
import { ZenError } from '../../../errors.js';
import { MEMBER_KINDS, type MemberKind, type TenantService } from '../../../security/tenants/tenant-service.js';
import { SEARCH_QUERY_REQUEST } from '../history-schemas.js';
import { camundaDocs, type PathParam, type RouteGroup, type RouteSpec } from '../route.js';
import { TENANT_REQUEST_SCHEMAS } from '../tenant-schemas.js';
import type { RestContext } from '../types.js';
import { decodeSearch } from './history.js';

type Body = Record<string, unknown>;

const idSchema = (description: string) => ({ type: 'string', minLength: 1, maxLength: 256, description }) as const;
const tenantId: PathParam = { name: 'tenantId', description: 'The id of the tenant.', schema: idSchema('The id of the tenant.') };

function tenantsOf(ctx: RestContext): TenantService {
  if (!ctx.tenants) throw new ZenError('UNAVAILABLE', 'Tenant management is not available on this node');
  return ctx.tenants;
}

function param(request: { params: unknown }, name: string): string {
  return String((request.params as Body)[name]);
}

/** How Camunda names each member kind's operations and results. */
const MEMBER_ROUTES: ReadonlyArray<{ kind: MemberKind; param: string; noun: string; plural: string; search: string; result: string; docs: string }> = [
  { kind: 'users', param: 'username', noun: 'User', plural: 'Users', search: 'searchUsersForTenant', result: 'TenantUserSearchResult', docs: 'user' },
  { kind: 'clients', param: 'clientId', noun: 'Client', plural: 'Clients', search: 'searchClientsForTenant', result: 'TenantClientSearchResult', docs: 'client' },
  { kind: 'groups', param: 'groupId', noun: 'Group', plural: 'Groups', search: 'searchGroupIdsForTenant', result: 'TenantGroupSearchResult', docs: 'group' },
  { kind: 'roles', param: 'roleId', noun: 'Role', plural: 'Roles', search: 'searchRolesForTenant', result: 'TenantRoleSearchResult', docs: 'role' },
  { kind: 'mapping-rules', param: 'mappingRuleId', noun: 'MappingRule', plural: 'MappingRules', search: 'searchMappingsForTenant', result: 'TenantMappingRuleSearchResult', docs: 'mapping-rule' },
];

function memberRoutes(m: (typeof MEMBER_ROUTES)[number]): RouteSpec[] {
  const entity = MEMBER_KINDS[m.kind].entityType.toLowerCase().replace('_', ' ');
  const memberParam: PathParam = { name: m.param, description: `The id of the ${entity}.`, schema: idSchema(`The id of the ${entity}.`) };
  const path = `/tenants/{tenantId}/${m.kind}/{${m.param}}`;
  const existence = m.kind === 'users' || m.kind === 'clients' ? '' : ` The ${entity} need not exist yet: its id is stored.`;
  return [
    {
      method: 'PUT',
      path,
      operationId: `assign${m.noun}ToTenant`,
      summary: `Assign a ${entity} to a tenant`,
      description: `Assigns a ${entity} to a tenant: principals it stands for may use the tenant (on this node at once, on others within a second).${existence}`,
      tag: 'Tenant',
      camundaDocs: camundaDocs(`assign-${m.docs}-to-tenant`),
      pathParams: [tenantId, memberParam],
      success: { status: 204, description: `The ${entity} was assigned.` },
      errors: [400, 401, 403, 404, 409, 503],
      handler: async (ctx, request) => {
        await tenantsOf(ctx).assign(param(request, 'tenantId'), m.kind, param(request, m.param));
        return undefined;
      },
    },
    {
      method: 'DELETE',
      path,
      operationId: `unassign${m.noun}FromTenant`,
      summary: `Unassign a ${entity} from a tenant`,
      description: `Removes a ${entity} from a tenant's members.`,
      tag: 'Tenant',
      camundaDocs: camundaDocs(`unassign-${m.docs}-from-tenant`),
      pathParams: [tenantId, memberParam],
      success: { status: 204, description: `The ${entity} was unassigned.` },
      errors: [400, 401, 403, 404, 503],
      handler: async (ctx, request) => {
        await tenantsOf(ctx).unassign(param(request, 'tenantId'), m.kind, param(request, m.param));
        return undefined;
      },
    },
    {
      method: 'POST',
      path: `/tenants/{tenantId}/${m.kind}/search`,
      operationId: m.search,
      summary: `Search a tenant's ${m.kind.replace('-', ' ')}`,
      description: `The ${m.kind.replace('-', ' ')} assigned to a tenant, by id, sorted by ${m.param}.`,
      tag: 'Tenant',
      camundaDocs: camundaDocs(`search-${m.docs}s-for-tenant`),
      pathParams: [tenantId],
      body: { contentType: 'application/json', schemaName: 'SearchQueryRequest', schema: SEARCH_QUERY_REQUEST, required: false },
      success: { status: 200, description: `The ${m.kind.replace('-', ' ')} of the tenant.`, schemaName: m.result },
      errors: [400, 401, 403, 404, 503],
      handler: async (ctx, request) => {
        const { filter, sort, page } = decodeSearch(request);
        return tenantsOf(ctx).searchMembers(param(request, 'tenantId'), m.kind, { filter, sort, page });
      },
    },
  ];
}

export const tenantRoutes: RouteGroup = {
  name: 'tenants',
  routes: [
    {
      method: 'POST',
      path: '/tenants',
      operationId: 'createTenant',
      summary: 'Create tenant',
      description: 'Creates a tenant on partition 1. The default tenant (<default>) always exists.',
      tag: 'Tenant',
      camundaDocs: camundaDocs('create-tenant'),
      body: { contentType: 'application/json', schemaName: 'TenantCreateRequest', schema: TENANT_REQUEST_SCHEMAS.TenantCreateRequest, required: true },
      success: { status: 201, description: 'The tenant was created.', schemaName: 'TenantCreateResult' },
      errors: [400, 401, 403, 409, 503],
      handler: (ctx, request) => tenantsOf(ctx).create(request.body as Body),
    },
    {
      method: 'POST',
      path: '/tenants/search',
      operationId: 'searchTenants',
      summary: 'Search tenants',
      description: 'Searches the tenants by tenantId and name (exact values), sorted by any of key, name, tenantId.',
      tag: 'Tenant',
      camundaDocs: camundaDocs('search-tenants'),
      body: { contentType: 'application/json', schemaName: 'SearchQueryRequest', schema: SEARCH_QUERY_REQUEST, required: false },
      success: { status: 200, description: 'The matching tenants.', schemaName: 'TenantSearchQueryResult' },
      errors: [400, 401, 403, 503],
      handler: async (ctx, request) => {
        const { filter, sort, page } = decodeSearch(request);
        return tenantsOf(ctx).search({ filter, sort, page });
      },
    },
    {
      method: 'GET',
      path: '/tenants/{tenantId}',
      operationId: 'getTenant',
      summary: 'Get tenant',
      description: 'Returns a tenant by id.',
      tag: 'Tenant',
      camundaDocs: camundaDocs('get-tenant'),
      pathParams: [tenantId],
      success: { status: 200, description: 'The tenant.', schemaName: 'TenantResult' },
      errors: [400, 401, 403, 404, 503],
      handler: async (ctx, request) => tenantsOf(ctx).get(param(request, 'tenantId')),
    },
    {
      method: 'PUT',
      path: '/tenants/{tenantId}',
      operationId: 'updateTenant',
      summary: 'Update tenant',
      description: 'Changes the name and description of a tenant.',
      tag: 'Tenant',
      camundaDocs: camundaDocs('update-tenant'),
      pathParams: [tenantId],
      body: { contentType: 'application/json', schemaName: 'TenantUpdateRequest', schema: TENANT_REQUEST_SCHEMAS.TenantUpdateRequest, required: true },
      success: { status: 200, description: 'The tenant as it is now.', schemaName: 'TenantUpdateResult' },
      errors: [400, 401, 403, 404, 503],
      handler: (ctx, request) => tenantsOf(ctx).update(param(request, 'tenantId'), request.body as Body),
    },
    {
      method: 'DELETE',
      path: '/tenants/{tenantId}',
      operationId: 'deleteTenant',
      summary: 'Delete tenant',
      description: 'Deletes a tenant and its assignments (not what was deployed or started in it). The default tenant cannot be deleted.',
      tag: 'Tenant',
      camundaDocs: camundaDocs('delete-tenant'),
      pathParams: [tenantId],
      success: { status: 204, description: 'The tenant was deleted.' },
      errors: [400, 401, 403, 404, 503],
      handler: async (ctx, request) => {
        await tenantsOf(ctx).delete(param(request, 'tenantId'));
        return undefined;
      },
    },
    ...MEMBER_ROUTES.flatMap(memberRoutes),
  ],
};
