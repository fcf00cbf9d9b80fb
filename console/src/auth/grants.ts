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
  /** Equal for equal answers: a re-read that changed nothing need not re-render anything. */
  readonly signature: string;
}

export interface Authorization {
  readonly ownerId: string;
  readonly ownerType: string;
  readonly resourceType: string;
  readonly resourceId: string;
  readonly permissionTypes: readonly string[];
}

const OK: Grant = { ok: true };

export const EVERYTHING: Permissions = { can: () => OK, canAny: () => OK, signature: 'everything' };

/** Authorizations read per request while collecting the user's grants. */
export const GRANTS_PAGE_SIZE = 1000;

export const needs = (resourceType: string, permission: string) => `It needs the ${permission} permission on ${resourceType}`;

export function fromAuthorizations(user: GrantHolder, authorizations: readonly Authorization[]): Permissions {
  const owns = (a: Authorization) =>
    ((a.ownerType === 'USER' || a.ownerType === 'CLIENT') && a.ownerId === user.username) ||
    (a.ownerType === 'GROUP' && (user.groups ?? []).includes(a.ownerId)) ||
    (a.ownerType === 'ROLE' && (user.roles ?? []).includes(a.ownerId));
  const mine = authorizations.filter(owns);
  // A mapping rule owns grants for whoever's token matches it, which /authentication/me does not
  // tell: such a grant makes the answer "cannot tell", never "you do not hold it".
  const byRule = authorizations.filter((a) => a.ownerType === 'MAPPING_RULE');
  const grants = (among: readonly Authorization[], resourceType: string, permission: string, resourceId: string | null) =>
    among.some((a) => a.resourceType === resourceType && a.permissionTypes.includes(permission) && (resourceId === null || a.resourceId === '*' || a.resourceId === resourceId));
  const decide = (resourceType: string, permission: string, resourceId: string | null): Grant => {
    if (grants(mine, resourceType, permission, resourceId)) return OK;
    if (grants(byRule, resourceType, permission, resourceId)) {
      return { ok: false, known: false, reason: `${needs(resourceType, permission)}. A mapping rule grants it; the console cannot tell whether your token matches that rule.` };
    }
    return { ok: false, known: true, reason: `${needs(resourceType, permission)}, which you do not hold.` };
  };
  return {
    can: (resourceType, permission, resourceId = '*') => decide(resourceType, permission, resourceId),
    canAny: (resourceType, permission) => decide(resourceType, permission, null),
    signature: JSON.stringify([mine, byRule].map((list) => list.map((a) => [a.ownerType, a.ownerId, a.resourceType, a.resourceId, a.permissionTypes]))),
  };
}
