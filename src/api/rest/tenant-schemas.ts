/**
 * Tenants in the shapes of Camunda 8.8's Orchestration Cluster API (`TenantCreateRequest`,
 * `TenantUpdateRequest`, `TenantResult`, `TenantSearchQueryResult` and the member results).
 */
import type { JsonSchema } from './schemas.js';

const str = { type: 'string' } as const;
const ref = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` });
const tenantProperties = { tenantId: str, name: str, description: str };

export const TENANT_REQUEST_SCHEMAS = {
  TenantCreateRequest: {
    type: 'object',
    required: ['tenantId', 'name'],
    additionalProperties: false,
    properties: {
      tenantId: { type: 'string', description: "Letters, digits, '_', '.' and '-', at most 31 characters (what requests may name)." },
      name: { type: 'string' },
      description: { type: 'string', nullable: true },
    },
  },
  TenantUpdateRequest: {
    type: 'object',
    required: ['name'],
    additionalProperties: false,
    properties: { name: { type: 'string' }, description: { type: 'string', nullable: true } },
  },
} as const satisfies Record<string, JsonSchema>;

function page(item: string): JsonSchema {
  return { type: 'object', required: ['items', 'page'], properties: { items: { type: 'array', items: ref(item) }, page: ref('SearchQueryPageResponse') } };
}

export const TENANT_RESPONSE_SCHEMAS: Record<string, JsonSchema> = {
  TenantCreateResult: { type: 'object', properties: tenantProperties },
  TenantUpdateResult: { type: 'object', properties: tenantProperties },
  TenantResult: { type: 'object', properties: tenantProperties },
  TenantSearchQueryResult: page('TenantResult'),
  TenantUserResult: { type: 'object', properties: { username: str } },
  TenantUserSearchResult: page('TenantUserResult'),
  TenantClientResult: { type: 'object', properties: { clientId: str } },
  TenantClientSearchResult: page('TenantClientResult'),
  TenantGroupResult: { type: 'object', properties: { groupId: str } },
  TenantGroupSearchResult: page('TenantGroupResult'),
  TenantRoleResult: { type: 'object', description: 'The role id only (roles are kept by another resource).', properties: { roleId: str } },
  TenantRoleSearchResult: page('TenantRoleResult'),
  TenantMappingRuleResult: { type: 'object', description: 'The mapping rule id only (mapping rules are kept by another resource).', properties: { mappingRuleId: str } },
  TenantMappingRuleSearchResult: page('TenantMappingRuleResult'),
};
