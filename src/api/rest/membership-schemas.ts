/**
 * Groups, roles and mapping rules in the shapes of Camunda 8.8's Orchestration Cluster API
 * (`GroupCreateRequest`, `RoleUpdateRequest`, `MappingRuleCreateRequest`, their results and
 * member searches).
 */
import type { JsonSchema } from './schemas.js';

const str = { type: 'string' } as const;
const ref = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` });
const id = (what: string): JsonSchema => ({ type: 'string', description: `The ${what}: letters, digits and _~@.+- only, at most 256 characters.` });

const setCreate = (idField: string, what: string): JsonSchema => ({
  type: 'object',
  required: [idField, 'name'],
  additionalProperties: false,
  properties: { [idField]: id(what), name: str, description: str },
});

const setUpdate: JsonSchema = {
  type: 'object',
  required: ['name'],
  additionalProperties: false,
  properties: { name: str, description: { type: 'string', description: 'Absent: empty.' } },
};

const mappingRuleFields = {
  claimName: { type: 'string', description: 'The claim to read; `$.a.b` is a path into nested claims.' },
  claimValue: { type: 'string', description: 'The value the claim must be, or (an array claim) contain.' },
  name: str,
} as const;

export const MEMBERSHIP_REQUEST_SCHEMAS = {
  GroupCreateRequest: setCreate('groupId', 'group id'),
  GroupUpdateRequest: setUpdate,
  RoleCreateRequest: setCreate('roleId', 'role id'),
  RoleUpdateRequest: setUpdate,
  MappingRuleCreateRequest: {
    type: 'object',
    required: ['mappingRuleId', 'claimName', 'claimValue', 'name'],
    additionalProperties: false,
    properties: { mappingRuleId: id('mapping rule id'), ...mappingRuleFields },
  },
  MappingRuleUpdateRequest: {
    type: 'object',
    required: ['claimName', 'claimValue', 'name'],
    additionalProperties: false,
    properties: mappingRuleFields,
  },
} as const satisfies Record<string, JsonSchema>;

const searchResult = (item: string): JsonSchema => ({
  type: 'object',
  required: ['items', 'page'],
  properties: { items: { type: 'array', items: ref(item) }, page: ref('SearchQueryPageResponse') },
});

const memberSearch = (field: string): JsonSchema => ({
  type: 'object',
  required: ['items', 'page'],
  properties: { items: { type: 'array', items: { type: 'object', properties: { [field]: str } } }, page: ref('SearchQueryPageResponse') },
});

const group = { type: 'object', properties: { groupId: str, name: str, description: str } } as const;
const role = { type: 'object', properties: { roleId: str, name: str, description: str } } as const;
const mappingRule = { type: 'object', properties: { mappingRuleId: str, claimName: str, claimValue: str, name: str } } as const;

export const MEMBERSHIP_RESPONSE_SCHEMAS: Record<string, JsonSchema> = {
  GroupCreateResult: group,
  GroupUpdateResult: group,
  GroupResult: group,
  GroupSearchQueryResult: searchResult('GroupResult'),
  GroupUserSearchResult: memberSearch('username'),
  GroupClientSearchResult: memberSearch('clientId'),
  RoleCreateResult: role,
  RoleUpdateResult: role,
  RoleResult: role,
  RoleSearchQueryResult: searchResult('RoleResult'),
  RoleUserSearchResult: memberSearch('username'),
  RoleClientSearchResult: memberSearch('clientId'),
  RoleGroupSearchResult: memberSearch('groupId'),
  MappingRuleCreateResult: mappingRule,
  MappingRuleUpdateResult: mappingRule,
  MappingRuleResult: mappingRule,
  MappingRuleSearchQueryResult: searchResult('MappingRuleResult'),
};
