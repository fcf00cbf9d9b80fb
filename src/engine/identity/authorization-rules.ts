/**
 * Camunda 8.8's authorization vocabulary (`@camunda8/orchestration-cluster-api`: OwnerTypeEnum,
 * ResourceTypeEnum, PermissionTypeEnum) and which permission types each resource type supports,
 * as Camunda's AuthorizationResourceType lists them: an authorization naming a permission its
 * resource type does not have is refused, as Camunda refuses it.
 */
export const OWNER_TYPES = ['USER', 'CLIENT', 'ROLE', 'GROUP', 'MAPPING_RULE'] as const;
export type OwnerType = (typeof OWNER_TYPES)[number];

export const RESOURCE_PERMISSIONS = {
  AUTHORIZATION: ['CREATE', 'READ', 'UPDATE', 'DELETE'],
  BATCH: [
    'CREATE',
    'CREATE_BATCH_OPERATION_CANCEL_PROCESS_INSTANCE',
    'CREATE_BATCH_OPERATION_DELETE_PROCESS_INSTANCE',
    'CREATE_BATCH_OPERATION_MIGRATE_PROCESS_INSTANCE',
    'CREATE_BATCH_OPERATION_MODIFY_PROCESS_INSTANCE',
    'CREATE_BATCH_OPERATION_RESOLVE_INCIDENT',
    'CREATE_BATCH_OPERATION_DELETE_DECISION_INSTANCE',
    'CREATE_BATCH_OPERATION_DELETE_DECISION_DEFINITION',
    'CREATE_BATCH_OPERATION_DELETE_PROCESS_DEFINITION',
    'READ',
    'UPDATE',
  ],
  COMPONENT: ['ACCESS'],
  DECISION_DEFINITION: ['CREATE_DECISION_INSTANCE', 'READ_DECISION_DEFINITION', 'READ_DECISION_INSTANCE', 'DELETE_DECISION_INSTANCE'],
  DECISION_REQUIREMENTS_DEFINITION: ['READ'],
  DOCUMENT: ['CREATE', 'READ', 'DELETE'],
  GROUP: ['CREATE', 'READ', 'UPDATE', 'DELETE'],
  MAPPING_RULE: ['CREATE', 'READ', 'UPDATE', 'DELETE'],
  MESSAGE: ['CREATE', 'READ'],
  PROCESS_DEFINITION: [
    'CREATE_PROCESS_INSTANCE',
    'READ_PROCESS_DEFINITION',
    'READ_PROCESS_INSTANCE',
    'READ_USER_TASK',
    'UPDATE_PROCESS_INSTANCE',
    'UPDATE_USER_TASK',
    'MODIFY_PROCESS_INSTANCE',
    'CANCEL_PROCESS_INSTANCE',
    'DELETE_PROCESS_INSTANCE',
  ],
  RESOURCE: ['CREATE', 'READ', 'DELETE_DRD', 'DELETE_FORM', 'DELETE_PROCESS', 'DELETE_RESOURCE'],
  ROLE: ['CREATE', 'READ', 'UPDATE', 'DELETE'],
  SYSTEM: ['READ', 'READ_USAGE_METRIC', 'UPDATE'],
  TENANT: ['CREATE', 'READ', 'UPDATE', 'DELETE'],
  USER: ['CREATE', 'READ', 'UPDATE', 'DELETE'],
} as const satisfies Record<string, readonly string[]>;

export type ResourceType = keyof typeof RESOURCE_PERMISSIONS;
export type PermissionType = (typeof RESOURCE_PERMISSIONS)[ResourceType][number];

export const RESOURCE_TYPES = Object.keys(RESOURCE_PERMISSIONS) as ResourceType[];
export const PERMISSION_TYPES: readonly PermissionType[] = [...new Set(Object.values(RESOURCE_PERMISSIONS).flat())] as PermissionType[];

/** `*`: every resource of the type (Zeebe's resourceMatcher ANY). */
export const WILDCARD = '*';

export function isOwnerType(value: unknown): value is OwnerType {
  return typeof value === 'string' && (OWNER_TYPES as readonly string[]).includes(value);
}

export function isResourceType(value: unknown): value is ResourceType {
  return typeof value === 'string' && Object.hasOwn(RESOURCE_PERMISSIONS, value);
}

export function supportedPermissions(resourceType: ResourceType): readonly string[] {
  return RESOURCE_PERMISSIONS[resourceType];
}

/**
 * What is wrong with an authorization's owner, resource and permissions, in Camunda's words, or
 * null. Shared by the REST edge (400 before anything is sent) and the engine (which must not
 * trust its callers).
 */
export function authorizationProblem(value: {
  readonly ownerId?: unknown;
  readonly ownerType?: unknown;
  readonly resourceId?: unknown;
  readonly resourceType?: unknown;
  readonly permissionTypes?: unknown;
}, action: 'create' | 'update'): string | null {
  if (typeof value.ownerId !== 'string' || value.ownerId.trim() === '') return 'No ownerId provided';
  if (!isOwnerType(value.ownerType)) return `Expected ownerType to be one of ${OWNER_TYPES.join(', ')}, but was '${String(value.ownerType)}'`;
  if (typeof value.resourceId !== 'string' || value.resourceId.trim() === '') return 'No resourceId provided';
  if (!isResourceType(value.resourceType)) return `Expected resourceType to be one of ${RESOURCE_TYPES.join(', ')}, but was '${String(value.resourceType)}'`;
  const permissions = value.permissionTypes;
  if (!Array.isArray(permissions) || permissions.length === 0) return 'No permissionTypes provided';
  const supported = supportedPermissions(value.resourceType);
  const unsupported = permissions.filter((p) => typeof p !== 'string' || !supported.includes(p));
  if (unsupported.length > 0) {
    return (
      `Expected to ${action} authorization with permission types '[${unsupported.map(String).join(', ')}]' and resource type '${value.resourceType}', ` +
      `but these permissions are not supported. Supported permission types are: '[${supported.join(', ')}]'`
    );
  }
  return null;
}
