/**
 * The authorization decision, as a pure function: who asks (a subject: principal kind and id,
 * its groups and roles), what the authorizations grant, and what is asked (a permission on a
 * resource type, for one of some resource ids) → allowed, or what is missing. No I/O and no
 * state: the enforcement (`access.ts`) feeds it the node's copy of the authorizations.
 *
 * Rules: an authorization applies to the subject when its owner is the subject itself (USER for
 * a user, CLIENT for a machine client, by id), one of its groups (GROUP) or roles (ROLE); owner
 * kinds never stand in for each other (a user and a client of the same id are different owners).
 * It grants its permissions on `resourceId`, or on every resource of the type when that is `*`.
 * The built-in `admin` role may do everything. Nothing else grants anything: no matching
 * authorization, no access. A MAPPING_RULE owner applies to a subject whose token matches the rule.
 */
import { WILDCARD } from '../../engine/identity/authorization-rules.js';

export const ADMIN_ROLE = 'admin';

export interface Subject {
  readonly kind: 'user' | 'client' | 'anonymous';
  readonly id: string;
  readonly groups: readonly string[];
  readonly roles: readonly string[];
  /** The mapping rules the subject's token claims match (membership/resolution.ts). */
  readonly mappingRules?: readonly string[];
}

/** The fields of an authorization the decision reads. */
export interface Grant {
  readonly ownerId: string;
  readonly ownerType: string;
  readonly resourceType: string;
  readonly resourceId: string;
  readonly permissionTypes: readonly string[];
}

export interface Missing {
  readonly permissionType: string;
  readonly resourceType: string;
  /** The ids any one of which would have done, `*` first. */
  readonly resourceIds: readonly string[];
}

export type Decision = { readonly allowed: true } | { readonly allowed: false; readonly missing: Missing };

export function isAdmin(subject: Subject): boolean {
  return subject.roles.includes(ADMIN_ROLE);
}

export function ownedBy(grant: Grant, subject: Subject): boolean {
  switch (grant.ownerType) {
    case 'USER':
      return subject.kind === 'user' && grant.ownerId === subject.id;
    case 'CLIENT':
      return subject.kind === 'client' && grant.ownerId === subject.id;
    case 'GROUP':
      return subject.kind !== 'anonymous' && subject.groups.includes(grant.ownerId);
    case 'ROLE':
      return subject.kind !== 'anonymous' && subject.roles.includes(grant.ownerId);
    case 'MAPPING_RULE':
      return subject.kind !== 'anonymous' && (subject.mappingRules ?? []).includes(grant.ownerId);
    default:
      return false;
  }
}

function grantsPermission(grant: Grant, resourceType: string, permissionType: string): boolean {
  return grant.resourceType === resourceType && grant.permissionTypes.includes(permissionType);
}

/**
 * May the subject do `permissionType` on a resource of `resourceType` named by any of
 * `resourceIds`? (Several ids: Camunda checks, e.g., a process by its id; `*` is always enough.)
 */
export function evaluate(
  subject: Subject,
  grants: Iterable<Grant>,
  resourceType: string,
  permissionType: string,
  resourceIds: readonly string[] = [],
): Decision {
  if (isAdmin(subject)) return { allowed: true };
  for (const grant of grants) {
    if (!grantsPermission(grant, resourceType, permissionType) || !ownedBy(grant, subject)) continue;
    if (grant.resourceId === WILDCARD || resourceIds.includes(grant.resourceId)) return { allowed: true };
  }
  const ids = [WILDCARD, ...new Set(resourceIds.filter((id) => id !== WILDCARD))];
  return { allowed: false, missing: { permissionType, resourceType, resourceIds: ids } };
}

/** Which resource ids of a type the subject holds a permission on: `*` for all of them (searches filter by it). */
export function permittedIds(subject: Subject, grants: Iterable<Grant>, resourceType: string, permissionType: string): typeof WILDCARD | ReadonlySet<string> {
  if (isAdmin(subject)) return WILDCARD;
  const ids = new Set<string>();
  for (const grant of grants) {
    if (!grantsPermission(grant, resourceType, permissionType) || !ownedBy(grant, subject)) continue;
    if (grant.resourceId === WILDCARD) return WILDCARD;
    ids.add(grant.resourceId);
  }
  return ids;
}

/** Camunda's refusal text; it names the permission, the resource type and ids, never the caller's credentials. */
export function forbiddenMessage(missing: Missing): string {
  return (
    `Insufficient permissions to perform operation '${missing.permissionType}' on resource '${missing.resourceType}'` +
    (missing.resourceIds.length > 1 ? `, required resource identifiers are one of '[${missing.resourceIds.join(', ')}]'` : '')
  );
}
