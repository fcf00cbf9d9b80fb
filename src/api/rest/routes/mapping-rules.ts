/**
 * Mapping rules (Camunda 8.8's `/v2/mapping-rules`): a claim of an OIDC token that makes its
 * bearer a member of the groups and roles the rule is in, and the owner of the rule's
 * authorizations (docs/adr/014). Kept on partition 1, read from this node's copy.
 */
import { SEARCH_QUERY_REQUEST } from '../history-schemas.js';
import { MEMBERSHIP_REQUEST_SCHEMAS } from '../membership-schemas.js';
import { camundaDocs, type RouteGroup } from '../route.js';
import { decodeSearch } from './history.js';
import { membershipOf, stringParam } from './member-sets.js';

type Body = Record<string, unknown>;

const mappingRuleId = stringParam('mappingRuleId', 'The id of the mapping rule.');

function idOf(request: { params: unknown }): string {
  return String((request.params as Body).mappingRuleId);
}

export const mappingRuleRoutes: RouteGroup = {
  name: 'mapping-rules',
  routes: [
    {
      method: 'POST',
      path: '/mapping-rules',
      operationId: 'createMappingRule',
      summary: 'Create mapping rule',
      description: 'Creates a mapping rule: tokens whose claim claimName is claimValue (or, an array, contains it) match it.',
      tag: 'Mapping rule',
      camundaDocs: camundaDocs('create-mapping-rule'),
      body: { contentType: 'application/json', schemaName: 'MappingRuleCreateRequest', schema: MEMBERSHIP_REQUEST_SCHEMAS.MappingRuleCreateRequest, required: true },
      success: { status: 201, description: 'The mapping rule was created.', schemaName: 'MappingRuleCreateResult' },
      errors: [400, 401, 403, 409, 503],
      handler: (ctx, request) => membershipOf(ctx).mappingRules.create(request.body as Body),
    },
    {
      method: 'POST',
      path: '/mapping-rules/search',
      operationId: 'searchMappingRule',
      summary: 'Search mapping rules',
      description: 'Searches the mapping rules by mappingRuleId, claimName, claimValue and name, sorted by any of them.',
      tag: 'Mapping rule',
      camundaDocs: camundaDocs('search-mapping-rules'),
      body: { contentType: 'application/json', schemaName: 'SearchQueryRequest', schema: SEARCH_QUERY_REQUEST, required: false },
      success: { status: 200, description: 'The matching mapping rules.', schemaName: 'MappingRuleSearchQueryResult' },
      errors: [400, 401, 403, 503],
      handler: async (ctx, request) => membershipOf(ctx).mappingRules.search(decodeSearch(request)),
    },
    {
      method: 'GET',
      path: '/mapping-rules/{mappingRuleId}',
      operationId: 'getMappingRule',
      summary: 'Get mapping rule',
      description: 'Returns a mapping rule by id.',
      tag: 'Mapping rule',
      camundaDocs: camundaDocs('get-mapping-rule'),
      pathParams: [mappingRuleId],
      success: { status: 200, description: 'The mapping rule.', schemaName: 'MappingRuleResult' },
      errors: [401, 403, 404, 503],
      handler: async (ctx, request) => membershipOf(ctx).mappingRules.get(idOf(request)),
    },
    {
      method: 'PUT',
      path: '/mapping-rules/{mappingRuleId}',
      operationId: 'updateMappingRule',
      summary: 'Update mapping rule',
      description: 'Replaces the claim and name of a mapping rule.',
      tag: 'Mapping rule',
      camundaDocs: camundaDocs('update-mapping-rule'),
      pathParams: [mappingRuleId],
      body: { contentType: 'application/json', schemaName: 'MappingRuleUpdateRequest', schema: MEMBERSHIP_REQUEST_SCHEMAS.MappingRuleUpdateRequest, required: true },
      success: { status: 200, description: 'The mapping rule as it is now.', schemaName: 'MappingRuleUpdateResult' },
      errors: [400, 401, 403, 404, 409, 503],
      handler: (ctx, request) => membershipOf(ctx).mappingRules.update(idOf(request), request.body as Body),
    },
    {
      method: 'DELETE',
      path: '/mapping-rules/{mappingRuleId}',
      operationId: 'deleteMappingRule',
      summary: 'Delete mapping rule',
      description: 'Deletes a mapping rule, its memberships and the authorizations it owns.',
      tag: 'Mapping rule',
      camundaDocs: camundaDocs('delete-mapping-rule'),
      pathParams: [mappingRuleId],
      success: { status: 204, description: 'The mapping rule was deleted.' },
      errors: [400, 401, 403, 404, 503],
      handler: async (ctx, request) => {
        await membershipOf(ctx).mappingRules.delete(idOf(request));
        return undefined;
      },
    },
  ],
};
