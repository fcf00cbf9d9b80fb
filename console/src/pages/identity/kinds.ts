/**
 * The identity resources the pages show, described once: their /v2 path, id field, columns,
 * what creating one asks for, and which members they hold (Camunda 8.8's shapes).
 */
export interface Field {
  readonly name: string;
  readonly label: string;
  readonly type?: 'text' | 'password' | 'email';
  readonly required?: boolean;
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
  readonly members: readonly MemberKind[];
}

const USERS: MemberKind = { segment: 'users', label: 'Users', idField: 'username' };
const GROUPS: MemberKind = { segment: 'groups', label: 'Groups', idField: 'groupId' };

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
    members: [USERS],
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
    members: [USERS, GROUPS],
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
    members: [USERS, GROUPS],
  },
];

export const kindOf = (tab: string): Kind | undefined => KINDS.find((k) => k.tab === tab);
