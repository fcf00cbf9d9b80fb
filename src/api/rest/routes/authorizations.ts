/**
 * Authorizations (Camunda 8.8's `/v2/authorizations`): kept on partition 1 beside the users
 * (docs/adr/013), read from this node's copy. Under `--authorizations` they are what every
 * operation is checked against.
 */
import { ZenError } from '../../../errors.js';
import { type AuthorizationService, authorizationKeyOf } from '../../../security/authorization/authorization-service.js';
import { SEARCH_QUERY_REQUEST } from '../history-schemas.js';
import { IDENTITY_REQUEST_SCHEMAS } from '../identity-schemas.js';
import { camundaDocs, type PathParam, type RouteGroup } from '../route.js';
import type { RestContext } from '../types.js';
import { decodeSearch } from './history.js';

type Body = Record<string, unknown>;

const authorizationKey: PathParam = { name: 'authorizationKey', description: 'The key of the authorization.' };

function authorizationsOf(ctx: RestContext): AuthorizationService {
  if (!ctx.authorizations) throw new ZenError('UNAVAILABLE', 'Authorization management is not available on this node');
  return ctx.authorizations;
}

function keyParam(request: { params: unknown }): bigint {
  return authorizationKeyOf(String((request.params as Body).authorizationKey));
}

export const authorizationRoutes: RouteGroup = {
  name: 'authorizations',
  routes: [
    {
      method: 'POST',
      path: '/authorizations',
      operationId: 'createAuthorization',
      summary: 'Create authorization',
      description:
        'Grants an owner (user, client, group, role or mapping rule) permissions on a resource id, or on every resource of the type with *. ' +
        'Kept on partition 1; enforced on this node at once, on the others within a second.',
      tag: 'Authorization',
      camundaDocs: camundaDocs('create-authorization'),
      body: { contentType: 'application/json', schemaName: 'AuthorizationRequest', schema: IDENTITY_REQUEST_SCHEMAS.AuthorizationRequest, required: true },
      success: { status: 201, description: 'The authorization was created.', schemaName: 'AuthorizationCreateResult' },
      errors: [400, 401, 403, 409, 503],
      handler: (ctx, request) => authorizationsOf(ctx).create(request.body as Body),
    },
    {
      method: 'POST',
      path: '/authorizations/search',
      operationId: 'searchAuthorizations',
      summary: 'Search authorizations',
      description: 'Searches the authorizations by ownerId, ownerType, resourceIds (any of) and resourceType, sorted by any of ownerId, ownerType, resourceId, resourceType.',
      tag: 'Authorization',
      camundaDocs: camundaDocs('search-authorizations'),
      body: { contentType: 'application/json', schemaName: 'SearchQueryRequest', schema: SEARCH_QUERY_REQUEST, required: false },
      success: { status: 200, description: 'The matching authorizations.', schemaName: 'AuthorizationSearchResult' },
      errors: [400, 401, 403, 503],
      handler: async (ctx, request) => {
        const { filter, sort, page } = decodeSearch(request);
        return authorizationsOf(ctx).search({ filter, sort, page });
      },
    },
    {
      method: 'GET',
      path: '/authorizations/{authorizationKey}',
      operationId: 'getAuthorization',
      summary: 'Get authorization',
      description: 'Returns an authorization by key.',
      tag: 'Authorization',
      camundaDocs: camundaDocs('get-authorization'),
      pathParams: [authorizationKey],
      success: { status: 200, description: 'The authorization.', schemaName: 'AuthorizationResult' },
      errors: [400, 401, 403, 404, 503],
      handler: async (ctx, request) => authorizationsOf(ctx).get(keyParam(request)),
    },
    {
      method: 'PUT',
      path: '/authorizations/{authorizationKey}',
      operationId: 'updateAuthorization',
      summary: 'Update authorization',
      description: 'Replaces the owner, resource and permissions of an authorization.',
      tag: 'Authorization',
      camundaDocs: camundaDocs('update-authorization'),
      pathParams: [authorizationKey],
      body: { contentType: 'application/json', schemaName: 'AuthorizationRequest', schema: IDENTITY_REQUEST_SCHEMAS.AuthorizationRequest, required: true },
      success: { status: 204, description: 'The authorization was updated.' },
      errors: [400, 401, 403, 404, 409, 503],
      handler: async (ctx, request) => {
        await authorizationsOf(ctx).update(keyParam(request), request.body as Body);
        return undefined;
      },
    },
    {
      method: 'DELETE',
      path: '/authorizations/{authorizationKey}',
      operationId: 'deleteAuthorization',
      summary: 'Delete authorization',
      description: 'Deletes an authorization: the permissions it granted are gone on this node at once, on the others within a second.',
      tag: 'Authorization',
      camundaDocs: camundaDocs('delete-authorization'),
      pathParams: [authorizationKey],
      success: { status: 204, description: 'The authorization was deleted.' },
      errors: [400, 401, 403, 404, 503],
      handler: async (ctx, request) => {
        await authorizationsOf(ctx).delete(keyParam(request));
        return undefined;
      },
    },
  ],
};
