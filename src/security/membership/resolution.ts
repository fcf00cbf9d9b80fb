/**
 * Who a principal is beyond its id, as pure functions over this node's identity copy (docs/adr/014):
 * - its mapping rules: those whose claim its token carries with the rule's value (a string
 *   claim equal to it, or an array claim containing it; names as the OIDC settings read them,
 *   `$.a.b` a path into nested objects);
 * - its groups: the OIDC groups claim, the groups it is a member of (as a user or client), and
 *   the groups of its mapping rules;
 * - its roles: those of itself, of its groups and of its mapping rules.
 * Membership does not nest further (a group in a role gives the role; groups hold no groups).
 * Anonymous callers have none of these.
 */
import { readClaim } from '../oidc/principal-claims.js';
import type { Principal } from '../../node/principal.js';
import type { Member, MemberSetRow } from '../../engine/state/member-sets.js';

export interface MappingRuleLike {
  readonly mappingRuleId: string;
  readonly claimName: string;
  readonly claimValue: string;
}

/** The parts of the identity copy (`UserDirectory`) resolution reads. */
export interface IdentityCopy {
  allGroups(): readonly MemberSetRow[];
  allRoles(): readonly MemberSetRow[];
  allMappingRules(): readonly MappingRuleLike[];
}

export interface Membership {
  readonly groups: readonly string[];
  readonly roles: readonly string[];
  readonly mappingRules: readonly string[];
}

export const NO_MEMBERSHIP: Membership = Object.freeze({ groups: [], roles: [], mappingRules: [] });

function scalarEquals(value: unknown, wanted: string): boolean {
  if (typeof value === 'string') return value === wanted;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value) === wanted;
  return false;
}

/** Does a token with these claims satisfy the rule's claim? */
export function claimMatches(claims: Readonly<Record<string, unknown>>, claimName: string, claimValue: string): boolean {
  const value = readClaim(claims, claimName);
  if (Array.isArray(value)) return value.some((v) => scalarEquals(v, claimValue));
  return scalarEquals(value, claimValue);
}

/** The ids of the mapping rules the principal's token claims match (none without claims: basic users, anonymous). */
export function mappingRulesOf(principal: Principal, copy: Pick<IdentityCopy, 'allMappingRules'>): string[] {
  const claims = principal.claims;
  if (principal.kind === 'anonymous' || !claims) return [];
  return copy
    .allMappingRules()
    .filter((rule) => claimMatches(claims, rule.claimName, rule.claimValue))
    .map((rule) => rule.mappingRuleId);
}

function selfEntity(principal: Principal): Member | null {
  if (principal.kind === 'user') return { entityType: 'USER', entityId: principal.id };
  if (principal.kind === 'client') return { entityType: 'CLIENT', entityId: principal.id };
  return null;
}

function holdsAny(row: MemberSetRow, entities: readonly Member[]): boolean {
  return row.members.some((m) => entities.some((e) => e.entityType === m.entityType && e.entityId === m.entityId));
}

export function membershipOf(principal: Principal, copy: IdentityCopy): Membership {
  const self = selfEntity(principal);
  if (!self) return NO_MEMBERSHIP;
  const mappingRules = mappingRulesOf(principal, copy);
  const direct: Member[] = [self, ...mappingRules.map((id) => ({ entityType: 'MAPPING_RULE', entityId: id }))];
  const groups = new Set(principal.groups);
  for (const group of copy.allGroups()) if (holdsAny(group, direct)) groups.add(group.id);
  const viaGroups: Member[] = [...direct, ...[...groups].map((id) => ({ entityType: 'GROUP', entityId: id }))];
  const roles = copy
    .allRoles()
    .filter((role) => holdsAny(role, viaGroups))
    .map((role) => role.id);
  return { groups: [...groups], roles, mappingRules };
}
