/**
 * Users and the current principal, in the shapes of Camunda 8.8's Orchestration Cluster API
 * (`UserRequest`, `UserUpdateRequest`, `UserResult`, `CamundaUserResult`). A password is
 * `format: password`: a message about it never shows what was sent (problem.ts).
 */
import type { JsonSchema } from './schemas.js';

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
} as const satisfies Record<string, JsonSchema>;

const userProperties = { username: str, name: str, email: str };

export const IDENTITY_RESPONSE_SCHEMAS: Record<string, JsonSchema> = {
  UserCreateResult: { type: 'object', properties: userProperties },
  UserUpdateResult: { type: 'object', properties: userProperties },
  UserResult: { type: 'object', properties: userProperties },
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
