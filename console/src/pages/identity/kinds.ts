/**
 * The identity resources the pages show, described once: their /v2 path, id field, columns,
 * what creating one asks for, and which members they hold (Camunda 8.8's shapes).
 */
export interface Field {
  readonly name: string;
  readonly label: string;
  readonly type?: 'text' | 'password' | 'email';
  readonly required?: boolean;
  /** Editing: not filled in from the row (a password is never read back). */
  readonly blank?: boolean;
}

export interface MemberKind {
  /** Path segment under the set: users, groups, … */
  readonly segment: string;
  readonly label: string;
  /** The id field of a member in the set's member search. */
  readonly idField: string;
}

export interface Kind {
  readonly tab: string;
  readonly title: string;
  readonly singular: string;
  readonly path: string;
  readonly idField: string;
  /** Authorization resource type guarding it. */
  readonly resourceType: string;
  readonly columns: readonly Field[];
  readonly create: readonly Field[];
  /** What `PUT {path}/{id}` changes, filled in from the row. */
  readonly update: readonly Field[];
  readonly members: readonly MemberKind[];
}

const USERS: MemberKind = { segment: 'users', label: 'Users', idField: 'username' };
const GROUPS: MemberKind = { segment: 'groups', label: 'Groups', idField: 'groupId' };
const ROLES: MemberKind = { segment: 'roles', label: 'Roles', idField: 'roleId' };
const MAPPING_RULES: MemberKind = { segment: 'mapping-rules', label: 'Mapping rules', idField: 'mappingRuleId' };

/** Groups, roles and tenants: a name and a description, both replaced by an update. */
const SET_UPDATE: readonly Field[] = [
  { name: 'name', label: 'Name', required: true },
  { name: 'description', label: 'Description' },
];

export const KINDS: readonly Kind[] = [
  {
    tab: 'users',
    title: 'Users',
    singular: 'user',
    path: '/users',
    idField: 'username',
    resourceType: 'USER',
    columns: [
      { name: 'username', label: 'Username' },
      { name: 'name', label: 'Name' },
      { name: 'email', label: 'Email' },
    ],
    create: [
      { name: 'username', label: 'Username', required: true },
      { name: 'name', label: 'Name' },
      { name: 'email', label: 'Email', type: 'email' },
      { name: 'password', label: 'Password', type: 'password', required: true },
    ],
    // The API leaves what is empty as it is: an empty password keeps the old one.
    update: [
      { name: 'name', label: 'Name' },
      { name: 'email', label: 'Email', type: 'email' },
      { name: 'password', label: 'New password (empty: unchanged)', type: 'password', blank: true },
    ],
    members: [],
  },
  {
    tab: 'groups',
    title: 'Groups',
    singular: 'group',
    path: '/groups',
    idField: 'groupId',
    resourceType: 'GROUP',
    columns: [
      { name: 'groupId', label: 'Id' },
      { name: 'name', label: 'Name' },
      { name: 'description', label: 'Description' },
    ],
    create: [
      { name: 'groupId', label: 'Id', required: true },
      { name: 'name', label: 'Name', required: true },
      { name: 'description', label: 'Description' },
    ],
    update: SET_UPDATE,
    members: [USERS, MAPPING_RULES],
  },
  {
    tab: 'roles',
    title: 'Roles',
    singular: 'role',
    path: '/roles',
    idField: 'roleId',
    resourceType: 'ROLE',
    columns: [
      { name: 'roleId', label: 'Id' },
      { name: 'name', label: 'Name' },
      { name: 'description', label: 'Description' },
    ],
    create: [
      { name: 'roleId', label: 'Id', required: true },
      { name: 'name', label: 'Name', required: true },
      { name: 'description', label: 'Description' },
    ],
    update: SET_UPDATE,
    members: [USERS, GROUPS, MAPPING_RULES],
  },
  {
    tab: 'tenants',
    title: 'Tenants',
    singular: 'tenant',
    path: '/tenants',
    idField: 'tenantId',
    resourceType: 'TENANT',
    columns: [
      { name: 'tenantId', label: 'Id' },
      { name: 'name', label: 'Name' },
      { name: 'description', label: 'Description' },
    ],
    create: [
      { name: 'tenantId', label: 'Id', required: true },
      { name: 'name', label: 'Name', required: true },
      { name: 'description', label: 'Description' },
    ],
    update: SET_UPDATE,
    members: [USERS, GROUPS, ROLES, MAPPING_RULES],
  },
  {
    // A claim of an OIDC token that makes its bearer a member of the rule's groups, roles and tenants.
    tab: 'mapping-rules',
    title: 'Mapping rules',
    singular: 'mapping rule',
    path: '/mapping-rules',
    idField: 'mappingRuleId',
    resourceType: 'MAPPING_RULE',
    columns: [
      { name: 'mappingRuleId', label: 'Id' },
      { name: 'name', label: 'Name' },
      { name: 'claimName', label: 'Claim name' },
      { name: 'claimValue', label: 'Claim value' },
    ],
    create: [
      { name: 'mappingRuleId', label: 'Id', required: true },
      { name: 'name', label: 'Name', required: true },
      { name: 'claimName', label: 'Claim name', required: true },
      { name: 'claimValue', label: 'Claim value', required: true },
    ],
    update: [
      { name: 'name', label: 'Name', required: true },
      { name: 'claimName', label: 'Claim name', required: true },
      { name: 'claimValue', label: 'Claim value', required: true },
    ],
    members: [],
  },
];

export const kindOf = (tab: string): Kind | undefined => KINDS.find((k) => k.tab === tab);
