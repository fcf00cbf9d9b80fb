/**
 * What a user may do, decided from the authorizations it, its groups and its roles own, as the
 * node decides it (`*` or the resource's own id). No imports: the tests use it as it is.
 */

/** Who holds grants: the signed-in user as GET /v2/authentication/me tells it. */
export interface GrantHolder {
  readonly username: string | null;
  readonly groups?: readonly string[];
  readonly roles?: readonly string[];
}

export type Grant = { readonly ok: true } | { readonly ok: false; readonly known: boolean; readonly reason: string };

export interface Permissions {
  can(resourceType: string, permission: string, resourceId?: string): Grant;
  /** Held on at least one resource id (or `*`). */
  canAny(resourceType: string, permission: string): Grant;
}

export interface Authorization {
  readonly ownerId: string;
  readonly ownerType: string;
  readonly resourceType: string;
  readonly resourceId: string;
  readonly permissionTypes: readonly string[];
}

const OK: Grant = { ok: true };

export const EVERYTHING: Permissions = { can: () => OK, canAny: () => OK };

/** Authorizations read per request while collecting the user's grants. */
export const GRANTS_PAGE_SIZE = 1000;

export const needs = (resourceType: string, permission: string) => `It needs the ${permission} permission on ${resourceType}`;

export function fromAuthorizations(user: GrantHolder, authorizations: readonly Authorization[]): Permissions {
  const owns = (a: Authorization) =>
    ((a.ownerType === 'USER' || a.ownerType === 'CLIENT') && a.ownerId === user.username) ||
    (a.ownerType === 'GROUP' && (user.groups ?? []).includes(a.ownerId)) ||
    (a.ownerType === 'ROLE' && (user.roles ?? []).includes(a.ownerId));
  const mine = authorizations.filter(owns);
  const holds = (resourceType: string, permission: string, resourceId: string | null) =>
    mine.some((a) => a.resourceType === resourceType && a.permissionTypes.includes(permission) && (resourceId === null || a.resourceId === '*' || a.resourceId === resourceId));
  const missing = (resourceType: string, permission: string): Grant => ({ ok: false, known: true, reason: `${needs(resourceType, permission)}, which you do not hold.` });
  return {
    can: (resourceType, permission, resourceId = '*') => (holds(resourceType, permission, resourceId) ? OK : missing(resourceType, permission)),
    canAny: (resourceType, permission) => (holds(resourceType, permission, null) ? OK : missing(resourceType, permission)),
  };
}
