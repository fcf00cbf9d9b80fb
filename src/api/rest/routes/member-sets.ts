/**
 * Groups and roles (Camunda 8.8's `/v2/groups`, `/v2/roles`): kept on partition 1 with their
 * members (docs/adr/014), read from this node's copy. Both are built from one description:
 * they differ in names, and roles also hold groups.
 */
import { ZenError } from '../../../errors.js';
import type { MemberSetService } from '../../../security/membership/member-set-service.js';
import { SEARCH_QUERY_REQUEST } from '../history-schemas.js';
import { MEMBERSHIP_REQUEST_SCHEMAS } from '../membership-schemas.js';
import { camundaDocs, type PathParam, type RouteGroup, type RouteSpec } from '../route.js';
import type { MembershipServices, RestContext } from '../types.js';
import { decodeSearch } from './history.js';

type Body = Record<string, unknown>;

export function stringParam(name: string, description: string): PathParam {
  return { name, description, schema: { type: 'string', minLength: 1, maxLength: 256, description } };
}

export function membershipOf(ctx: RestContext): MembershipServices {
  if (!ctx.membership) throw new ZenError('UNAVAILABLE', 'Group, role and mapping rule management is not available on this node');
  return ctx.membership;
}

function params(request: { params: unknown }): Record<string, string> {
  return request.params as Record<string, string>;
}

function kebab(text: string): string {
  return text.toLowerCase().replace(/ /g, '-');
}

const SEARCH_BODY = { contentType: 'application/json', schemaName: 'SearchQueryRequest', schema: SEARCH_QUERY_REQUEST, required: false } as const;

interface MemberKind {
  readonly entityType: 'USER' | 'CLIENT' | 'GROUP' | 'MAPPING_RULE';
  readonly segment: string;
  readonly param: PathParam;
  readonly singular: string;
  readonly plural: string;
}

const MEMBER_KINDS: readonly MemberKind[] = [
  { entityType: 'USER', segment: 'users', param: stringParam('username', 'The username of the user.'), singular: 'User', plural: 'Users' },
  { entityType: 'CLIENT', segment: 'clients', param: stringParam('clientId', 'The id of the client.'), singular: 'Client', plural: 'Clients' },
  { entityType: 'GROUP', segment: 'groups', param: stringParam('groupId', 'The id of the group.'), singular: 'Group', plural: 'Groups' },
  { entityType: 'MAPPING_RULE', segment: 'mapping-rules', param: stringParam('mappingRuleId', 'The id of the mapping rule.'), singular: 'MappingRule', plural: 'MappingRules' },
];

interface SetDescription {
  readonly name: 'groups' | 'roles';
  readonly Kind: 'Group' | 'Role';
  readonly idParam: PathParam;
  readonly members: readonly MemberKind[];
  readonly assignId: (member: MemberKind) => string;
  readonly unassignId: (member: MemberKind) => string;
  readonly service: (ctx: RestContext) => MemberSetService;
}

function words(operationId: string): string {
  const spaced = operationId.replace(/([A-Z])/g, ' $1').toLowerCase();
  return spaced.charAt(0).toUpperCase() + spaced.slice(1);
}

function setRoutes(d: SetDescription): RouteSpec[] {
  const noun = d.Kind.toLowerCase();
  const idName = d.idParam.name;
  const base = `/${d.name}`;
  const one = `${base}/{${idName}}`;
  const routes: RouteSpec[] = [
    {
      method: 'POST',
      path: base,
      operationId: `create${d.Kind}`,
      summary: `Create ${noun}`,
      description: `Creates a ${noun} on partition 1; members and authorizations can then be given to it.`,
      tag: d.Kind,
      camundaDocs: camundaDocs(`create-${noun}`),
      body: { contentType: 'application/json', schemaName: `${d.Kind}CreateRequest`, schema: MEMBERSHIP_REQUEST_SCHEMAS[`${d.Kind}CreateRequest`], required: true },
      success: { status: 201, description: `The ${noun} was created.`, schemaName: `${d.Kind}CreateResult` },
      errors: [400, 401, 403, 409, 503],
      handler: (ctx, request) => d.service(ctx).create(request.body as Body),
    },
    {
      method: 'POST',
      path: `${base}/search`,
      operationId: `search${d.Kind}s`,
      summary: `Search ${noun}s`,
      description: `Searches the ${noun}s by ${idName} and name, sorted by either.`,
      tag: d.Kind,
      camundaDocs: camundaDocs(`search-${noun}s`),
      body: SEARCH_BODY,
      success: { status: 200, description: `The matching ${noun}s.`, schemaName: `${d.Kind}SearchQueryResult` },
      errors: [400, 401, 403, 503],
      handler: async (ctx, request) => d.service(ctx).search(decodeSearch(request)),
    },
    {
      method: 'GET',
      path: one,
      operationId: `get${d.Kind}`,
      summary: `Get ${noun}`,
      description: `Returns a ${noun} by id.`,
      tag: d.Kind,
      camundaDocs: camundaDocs(`get-${noun}`),
      pathParams: [d.idParam],
      success: { status: 200, description: `The ${noun}.`, schemaName: `${d.Kind}Result` },
      errors: [401, 403, 404, 503],
      handler: async (ctx, request) => d.service(ctx).get(params(request)[idName]!),
    },
    {
      method: 'PUT',
      path: one,
      operationId: `update${d.Kind}`,
      summary: `Update ${noun}`,
      description: `Replaces the name and description of a ${noun}.`,
      tag: d.Kind,
      camundaDocs: camundaDocs(`update-${noun}`),
      pathParams: [d.idParam],
      body: { contentType: 'application/json', schemaName: `${d.Kind}UpdateRequest`, schema: MEMBERSHIP_REQUEST_SCHEMAS[`${d.Kind}UpdateRequest`], required: true },
      success: { status: 200, description: `The ${noun} as it is now.`, schemaName: `${d.Kind}UpdateResult` },
      errors: [400, 401, 403, 404, 503],
      handler: (ctx, request) => d.service(ctx).update(params(request)[idName]!, request.body as Body),
    },
    {
      method: 'DELETE',
      path: one,
      operationId: `delete${d.Kind}`,
      summary: `Delete ${noun}`,
      description: `Deletes a ${noun}, its memberships and the authorizations it owns.`,
      tag: d.Kind,
      camundaDocs: camundaDocs(`delete-${noun}`),
      pathParams: [d.idParam],
      success: { status: 204, description: `The ${noun} was deleted.` },
      errors: [400, 401, 403, 404, 503],
      handler: async (ctx, request) => {
        await d.service(ctx).delete(params(request)[idName]!);
        return undefined;
      },
    },
  ];
  for (const member of d.members) {
    const memberName = member.param.name;
    const searchId = `search${member.plural}For${d.Kind}`;
    const searchSchema = member.entityType === 'MAPPING_RULE' ? 'MappingRuleSearchQueryResult' : `${d.Kind}${member.singular}SearchResult`;
    routes.push({
      method: 'POST',
      path: `${one}/${member.segment}/search`,
      operationId: searchId,
      summary: words(searchId),
      description: `The ${member.segment.replace('-', ' ')} that are members of the ${noun}.`,
      tag: d.Kind,
      camundaDocs: camundaDocs(kebab(words(searchId))),
      pathParams: [d.idParam],
      body: SEARCH_BODY,
      success: { status: 200, description: `The ${noun}'s ${member.segment.replace('-', ' ')}.`, schemaName: searchSchema },
      errors: [400, 401, 403, 404, 503],
      handler: async (ctx, request) => {
        const id = params(request)[idName]!;
        const search = decodeSearch(request);
        if (member.entityType !== 'MAPPING_RULE') return d.service(ctx).searchMembers(id, member.entityType, search);
        return membershipOf(ctx).mappingRules.searchAmong(d.service(ctx).mappingRuleIdsOf(id), search);
      },
    });
    for (const [method, operationId, verb] of [
      ['PUT', d.assignId(member), 'assign'],
      ['DELETE', d.unassignId(member), 'unassign'],
    ] as const) {
      routes.push({
        method,
        path: `${one}/${member.segment}/{${memberName}}`,
        operationId,
        summary: words(operationId),
        description:
          verb === 'assign'
            ? `Makes the ${member.singular.replace('MappingRule', 'mapping rule').toLowerCase()} a member of the ${noun}: it holds what the ${noun} is authorized for.`
            : `Takes the ${member.singular.replace('MappingRule', 'mapping rule').toLowerCase()} out of the ${noun}.`,
        tag: d.Kind,
        camundaDocs: camundaDocs(kebab(words(operationId))),
        pathParams: [d.idParam, member.param],
        success: { status: 204, description: verb === 'assign' ? 'The member was added.' : 'The member was removed.' },
        errors: verb === 'assign' ? [400, 401, 403, 404, 409, 503] : [400, 401, 403, 404, 503],
        handler: async (ctx, request) => {
          const p = params(request);
          const service = d.service(ctx);
          if (verb === 'assign') await service.assign(p[idName]!, member.entityType, p[memberName]!);
          else await service.unassign(p[idName]!, member.entityType, p[memberName]!);
          return undefined;
        },
      });
    }
  }
  return routes;
}

const groupRouteList = setRoutes({
  name: 'groups',
  Kind: 'Group',
  idParam: stringParam('groupId', 'The id of the group.'),
  members: MEMBER_KINDS.filter((m) => m.entityType !== 'GROUP'),
  assignId: (m) => `assign${m.singular}ToGroup`,
  unassignId: (m) => `unassign${m.singular}FromGroup`,
  service: (ctx) => membershipOf(ctx).groups,
});

// A group's roles: listed under the group, answered by the roles.
groupRouteList.push({
  method: 'POST',
  path: '/groups/{groupId}/roles/search',
  operationId: 'searchRolesForGroup',
  summary: 'Search roles for group',
  description: 'The roles the group is a member of.',
  tag: 'Group',
  camundaDocs: camundaDocs('search-roles-for-group'),
  pathParams: [stringParam('groupId', 'The id of the group.')],
  body: SEARCH_BODY,
  success: { status: 200, description: "The group's roles.", schemaName: 'RoleSearchQueryResult' },
  errors: [400, 401, 403, 404, 503],
  handler: async (ctx, request) => {
    const groupId = params(request).groupId!;
    membershipOf(ctx).groups.get(groupId);
    return membershipOf(ctx).roles.searchHolding('GROUP', groupId, decodeSearch(request));
  },
});

export const groupRoutes: RouteGroup = { name: 'groups', routes: groupRouteList };

export const roleRoutes: RouteGroup = {
  name: 'roles',
  routes: setRoutes({
    name: 'roles',
    Kind: 'Role',
    idParam: stringParam('roleId', 'The id of the role.'),
    members: MEMBER_KINDS,
    assignId: (m) => `assignRoleTo${m.singular}`,
    unassignId: (m) => `unassignRoleFrom${m.singular}`,
    service: (ctx) => membershipOf(ctx).roles,
  }),
};
