/**
 * Users and the current principal, in the shapes of Camunda 8.8's Orchestration Cluster API
 * (`UserRequest`, `UserUpdateRequest`, `UserResult`, `CamundaUserResult`). A password is
 * `format: password`: a message about it never shows what was sent (problem.ts).
 */
import type { JsonSchema } from './schemas.js';
import { OWNER_TYPES, PERMISSION_TYPES, RESOURCE_TYPES } from '../../engine/identity/authorization-rules.js';

const str = { type: 'string' } as const;
const ref = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` });

const password: JsonSchema = { type: 'string', format: 'password', description: 'Stored only as a scrypt hash; never returned.' };

export const IDENTITY_REQUEST_SCHEMAS = {
  UserRequest: {
    type: 'object',
    required: ['username', 'password'],
    additionalProperties: false,
    properties: {
      username: { type: 'string', description: 'Letters, digits and _~@.+- only, at most 256 characters.' },
      password,
      name: { type: 'string', nullable: true },
      email: { type: 'string', nullable: true },
    },
  },
  UserUpdateRequest: {
    type: 'object',
    additionalProperties: false,
    properties: {
      password: { ...password, nullable: true, description: 'A new password; absent or blank leaves it as it is.' },
      name: { type: 'string', nullable: true, description: 'Absent or empty leaves it as it is.' },
      email: { type: 'string', nullable: true, description: 'Absent or empty leaves it as it is.' },
    },
  },
  AuthorizationRequest: {
    type: 'object',
    required: ['ownerId', 'ownerType', 'resourceId', 'resourceType', 'permissionTypes'],
    additionalProperties: false,
    properties: {
      ownerId: { type: 'string', description: 'The user, client, group, role or mapping rule that holds the permissions.' },
      ownerType: { type: 'string', enum: [...OWNER_TYPES] },
      resourceId: { type: 'string', description: 'The resource id, or * for every resource of the type.' },
      resourceType: { type: 'string', enum: [...RESOURCE_TYPES] },
      permissionTypes: { type: 'array', items: { type: 'string', enum: [...PERMISSION_TYPES] }, description: 'Only those the resource type supports.' },
    },
  },
} as const satisfies Record<string, JsonSchema>;

const authorizationProperties = {
  authorizationKey: str,
  ownerId: str,
  ownerType: str,
  resourceType: str,
  resourceId: str,
  permissionTypes: { type: 'array', items: str },
} as const;

const userProperties = { username: str, name: str, email: str };

export const IDENTITY_RESPONSE_SCHEMAS: Record<string, JsonSchema> = {
  UserCreateResult: { type: 'object', properties: userProperties },
  UserUpdateResult: { type: 'object', properties: userProperties },
  UserResult: { type: 'object', properties: userProperties },
  AuthorizationCreateResult: { type: 'object', properties: { authorizationKey: str } },
  AuthorizationResult: { type: 'object', properties: authorizationProperties },
  AuthorizationSearchResult: {
    type: 'object',
    required: ['items', 'page'],
    properties: { items: { type: 'array', items: ref('AuthorizationResult') }, page: ref('SearchQueryPageResponse') },
  },
  UserSearchResult: {
    type: 'object',
    required: ['items', 'page'],
    properties: { items: { type: 'array', items: ref('UserResult') }, page: ref('SearchQueryPageResponse') },
  },
  CamundaUserResult: {
    type: 'object',
    required: ['tenants', 'groups', 'roles', 'salesPlanType', 'c8Links', 'canLogout'],
    properties: {
      username: { type: 'string', nullable: true, description: 'The username, or the client id of a machine client; null when anonymous.' },
      displayName: { type: 'string', nullable: true },
      email: { type: 'string', nullable: true },
      authorizedComponents: { type: 'array', items: str },
      tenants: { type: 'array', items: { type: 'object', properties: { tenantId: str, name: str, description: str } } },
      groups: { type: 'array', items: str },
      roles: { type: 'array', items: str },
      salesPlanType: str,
      c8Links: { type: 'object', additionalProperties: str },
      canLogout: { type: 'boolean' },
    },
  },
};
