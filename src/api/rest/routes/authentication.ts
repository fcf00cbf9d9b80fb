/** `GET /v2/authentication/me`: who the caller is, in the shape of Camunda's CamundaUserResult. */
import { principalOf } from '../../../security/call-context.js';
import { membershipOf, NO_MEMBERSHIP } from '../../../security/membership/resolution.js';
import { camundaDocs, type RouteGroup } from '../route.js';

export const authenticationRoutes: RouteGroup = {
  name: 'authentication',
  routes: [
    {
      method: 'GET',
      path: '/authentication/me',
      operationId: 'getAuthentication',
      summary: 'Get current user',
      description:
        'The caller as authentication established it: a user (username, name and email from the user table, or from the ' +
        "token's name and email claims under OIDC), a " +
        'machine client (its client id as username), or, under --auth none, nobody (username null); with its groups ' +
        '(token groups claim, memberships, mapping rules) and roles. Components are not restricted, so every one is authorized.',
      tag: 'Authentication',
      camundaDocs: camundaDocs('get-authentication'),
      success: { status: 200, description: 'The current principal.', schemaName: 'CamundaUserResult' },
      errors: [],
      handler: async (ctx, request) => {
        const principal = principalOf(request);
        // An OIDC user is in no user table: the token's standard profile claims name them.
        const claim = (name: string) => (typeof principal.claims?.[name] === 'string' ? (principal.claims[name] as string) : '');
        const user = principal.kind === 'user' ? ctx.users?.directory.get(principal.id) : undefined;
        const anonymous = principal.kind === 'anonymous';
        const directory = ctx.users?.directory;
        const membership = directory && !anonymous ? membershipOf(principal, directory) : { ...NO_MEMBERSHIP, groups: principal.groups };
        return {
          username: anonymous ? null : principal.id,
          displayName: anonymous ? null : user?.name || claim('name') || principal.id,
          email: user?.email || claim('email') || null,
          authorizedComponents: ['*'],
          // With multi-tenancy: the tenants the caller may use, as Camunda lists them here.
          tenants: ctx.multiTenancy && ctx.tenants ? ctx.tenants.usableBy(principal) : [],
          groups: [...membership.groups],
          roles: [...membership.roles],
          salesPlanType: '',
          c8Links: {},
          canLogout: false,
        };
      },
    },
  ],
};
