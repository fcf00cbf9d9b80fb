/**
 * Users (Camunda 8.8's `/v2/users`): kept on partition 1 (docs/adr/012), read from this node's
 * copy of the table. Passwords go in, hashed here; they never come out.
 */
import { ZenError } from '../../../errors.js';
import type { UserService } from '../../../security/users/user-service.js';
import { SEARCH_QUERY_REQUEST } from '../history-schemas.js';
import { IDENTITY_REQUEST_SCHEMAS } from '../identity-schemas.js';
import { camundaDocs, type PathParam, type RouteGroup } from '../route.js';
import type { RestContext } from '../types.js';
import { decodeSearch } from './history.js';

type Body = Record<string, unknown>;

const username: PathParam = {
  name: 'username',
  description: 'The username of the user.',
  schema: { type: 'string', minLength: 1, maxLength: 256, description: 'The username of the user.' },
};

function usersOf(ctx: RestContext): UserService {
  if (!ctx.users) throw new ZenError('UNAVAILABLE', 'User management is not available on this node');
  return ctx.users;
}

function param(request: { params: unknown }): string {
  return String((request.params as Body).username);
}

export const userRoutes: RouteGroup = {
  name: 'users',
  routes: [
    {
      method: 'POST',
      path: '/users',
      operationId: 'createUser',
      summary: 'Create user',
      description:
        'Creates a user of basic authentication on partition 1. The password is hashed (scrypt) by the node that takes ' +
        'the request; only the hash is stored and replicated. The user can log in on this node at once, on others within a second.',
      tag: 'User',
      camundaDocs: camundaDocs('create-user'),
      body: { contentType: 'application/json', schemaName: 'UserRequest', schema: IDENTITY_REQUEST_SCHEMAS.UserRequest, required: true },
      success: { status: 201, description: 'The user was created.', schemaName: 'UserCreateResult' },
      errors: [400, 409, 503],
      handler: (ctx, request) => usersOf(ctx).create(request.body as Body as { username: unknown; password: unknown }),
    },
    {
      method: 'POST',
      path: '/users/search',
      operationId: 'searchUsers',
      summary: 'Search users',
      description: 'Searches the users by username, name and email ($eq, $neq, $exists, $in, $notIn, $like), sorted by any of them.',
      tag: 'User',
      camundaDocs: camundaDocs('search-users'),
      body: { contentType: 'application/json', schemaName: 'SearchQueryRequest', schema: SEARCH_QUERY_REQUEST, required: false },
      success: { status: 200, description: 'The matching users.', schemaName: 'UserSearchResult' },
      errors: [400, 503],
      handler: async (ctx, request) => {
        const { filter, sort, page } = decodeSearch(request);
        return usersOf(ctx).search({ filter, sort, page });
      },
    },
    {
      method: 'GET',
      path: '/users/{username}',
      operationId: 'getUser',
      summary: 'Get user',
      description: 'Returns a user by username.',
      tag: 'User',
      camundaDocs: camundaDocs('get-user'),
      pathParams: [username],
      success: { status: 200, description: 'The user.', schemaName: 'UserResult' },
      errors: [404, 503],
      handler: async (ctx, request) => usersOf(ctx).get(param(request)),
    },
    {
      method: 'PUT',
      path: '/users/{username}',
      operationId: 'updateUser',
      summary: 'Update user',
      description: 'Changes the name, email or password of a user; what is absent or empty stays as it is.',
      tag: 'User',
      camundaDocs: camundaDocs('update-user'),
      pathParams: [username],
      body: { contentType: 'application/json', schemaName: 'UserUpdateRequest', schema: IDENTITY_REQUEST_SCHEMAS.UserUpdateRequest, required: true },
      success: { status: 200, description: 'The user as it is now.', schemaName: 'UserUpdateResult' },
      errors: [400, 404, 503],
      handler: (ctx, request) => usersOf(ctx).update(param(request), request.body as Body),
    },
    {
      method: 'DELETE',
      path: '/users/{username}',
      operationId: 'deleteUser',
      summary: 'Delete user',
      description: 'Deletes a user: it cannot log in any more (on every node within a second).',
      tag: 'User',
      camundaDocs: camundaDocs('delete-user'),
      pathParams: [username],
      success: { status: 204, description: 'The user was deleted.' },
      errors: [400, 404, 503],
      handler: async (ctx, request) => {
        await usersOf(ctx).delete(param(request));
        return undefined;
      },
    },
  ],
};
