/**
 * Groups, roles and mapping rules of a principal over an identity copy (membership/resolution.ts),
 * and what the evaluator makes of them (Access): mapping-rule matching, membership through
 * groups and rules, and properties of adding members.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { MemberSetRow } from '../../../src/engine/state/member-sets.js';
import { Access } from '../../../src/security/authorization/access.js';
import { OWNER_TYPES, RESOURCE_PERMISSIONS, RESOURCE_TYPES } from '../../../src/engine/identity/authorization-rules.js';
import { evaluate, type Grant } from '../../../src/security/authorization/evaluator.js';
import { claimMatches, type IdentityCopy, type MappingRuleLike, mappingRulesOf, membershipOf } from '../../../src/security/membership/resolution.js';
import { ANONYMOUS, type Principal, userPrincipal } from '../../../src/node/principal.js';
import { AssignedTenants } from '../../../src/security/tenants/assigned-tenants.js';
import { defaultTenantRow, NO_MEMBERS } from '../../../src/engine/state/tenant-rows.js';

function set(id: string, members: Array<[string, string]>): MemberSetRow {
  return { key: 1n, id, name: id, description: '', members: members.map(([entityType, entityId]) => ({ entityType, entityId })) };
}

function copy(groups: MemberSetRow[], roles: MemberSetRow[], rules: MappingRuleLike[] = []): IdentityCopy & { loaded: boolean; allAuthorizations(): Grant[] } {
  return { allGroups: () => groups, allRoles: () => roles, allMappingRules: () => rules, loaded: true, allAuthorizations: () => [] };
}

function oidc(kind: 'user' | 'client', id: string, claims: Record<string, unknown>, groups: string[] = []): Principal {
  return { kind, id, groups, claims };
}

const finance: MappingRuleLike = { mappingRuleId: 'finance', claimName: 'department', claimValue: 'finance' };

describe('mapping rule matching', () => {
  it('matches a string claim equal to the value, or an array claim containing it; paths with $.', () => {
    expect(claimMatches({ department: 'finance' }, 'department', 'finance')).toBe(true);
    expect(claimMatches({ department: 'Finance' }, 'department', 'finance')).toBe(false);
    expect(claimMatches({ department: ['sales', 'finance'] }, 'department', 'finance')).toBe(true);
    expect(claimMatches({ department: ['sales'] }, 'department', 'finance')).toBe(false);
    expect(claimMatches({ realm_access: { roles: ['ops', 'dev'] } }, '$.realm_access.roles', 'dev')).toBe(true);
    expect(claimMatches({ 'realm_access.roles': 'dev' }, 'realm_access.roles', 'dev')).toBe(true);
    expect(claimMatches({ level: 3 }, 'level', '3')).toBe(true);
    expect(claimMatches({ nested: { department: 'finance' } }, 'department', 'finance')).toBe(false);
    expect(claimMatches({}, 'department', 'finance')).toBe(false);
  });

  it('mappingRulesOf: only principals with token claims; basic users and anonymous match none', () => {
    const rules = { allMappingRules: () => [finance, { mappingRuleId: 'eng', claimName: 'department', claimValue: 'eng' }] };
    expect(mappingRulesOf(oidc('user', 'ann', { department: ['finance', 'eng'] }), rules)).toEqual(['finance', 'eng']);
    expect(mappingRulesOf(oidc('client', 'c1', { department: 'finance' }), rules)).toEqual(['finance']);
    expect(mappingRulesOf(userPrincipal('department'), rules)).toEqual([]);
    expect(mappingRulesOf(ANONYMOUS, rules)).toEqual([]);
  });
});

describe('membership resolution', () => {
  const identity = copy(
    [set('ops', [['USER', 'ann'], ['CLIENT', 'worker']]), set('fin', [['MAPPING_RULE', 'finance']]), set('idle', [])],
    [set('auditor', [['GROUP', 'fin']]), set('operator', [['GROUP', 'ops']]), set('direct', [['USER', 'bob'], ['MAPPING_RULE', 'finance']]), set('token-group', [['GROUP', 'from-token']])],
    [finance],
  );

  it('a user: its groups, the roles of itself and of its groups', () => {
    expect(membershipOf(userPrincipal('ann'), identity)).toEqual({ groups: ['ops'], roles: ['operator'], mappingRules: [] });
    expect(membershipOf(userPrincipal('bob'), identity)).toEqual({ groups: [], roles: ['direct'], mappingRules: [] });
  });

  it('a client is a member as CLIENT, never as USER of the same id', () => {
    expect(membershipOf({ kind: 'client', id: 'worker', groups: [] }, identity).groups).toEqual(['ops']);
    expect(membershipOf(userPrincipal('worker'), identity).groups).toEqual([]);
  });

  it('mapping rules give groups and roles; the token groups claim gives the roles of those groups', () => {
    const m = membershipOf(oidc('user', 'zoe', { department: 'finance' }, ['from-token']), identity);
    expect(m.mappingRules).toEqual(['finance']);
    expect([...m.groups].sort()).toEqual(['fin', 'from-token']);
    expect([...m.roles].sort()).toEqual(['auditor', 'direct', 'token-group']);
  });

  it('anonymous has nothing', () => {
    expect(membershipOf(ANONYMOUS, identity)).toEqual({ groups: [], roles: [], mappingRules: [] });
  });

  it('Access: mapping-rule owners grant, the configured administrator holds admin, others do not', () => {
    const grants: Grant[] = [{ ownerId: 'finance', ownerType: 'MAPPING_RULE', resourceType: 'USER', resourceId: '*', permissionTypes: ['READ'] }];
    const directory = { ...identity, allAuthorizations: () => grants };
    const access = new Access({ directory, adminUser: 'root' });
    expect(access.allowed(oidc('user', 'zoe', { department: 'finance' }), 'USER', 'READ', 'x')).toBe(true);
    expect(access.allowed(oidc('user', 'zoe', { department: 'sales' }), 'USER', 'READ', 'x')).toBe(false);
    expect(access.rolesOf(userPrincipal('root'))).toEqual(['admin']);
    expect(access.allowed(userPrincipal('root'), 'SYSTEM', 'UPDATE', '*')).toBe(true);
    expect(access.rolesOf(userPrincipal('ann'))).toEqual(['operator']);
    expect(() => access.check(userPrincipal('ann'), 'USER', 'READ', ['x'])).toThrow(/Insufficient permissions to perform operation 'READ' on resource 'USER'/);
  });
});

describe('tenants through resolved membership', () => {
  it('a tenant assigned to a group, a role or a mapping rule is usable by their members', () => {
    const identity = copy([set('ops', [['USER', 'ann']])], [set('auditor', [['MAPPING_RULE', 'finance']])], [finance]);
    const access = new Access({ directory: identity, adminUser: '' });
    const tenants = [
      defaultTenantRow(),
      { tenantKey: 2n, tenantId: 'by-group', name: '', description: '', members: { ...NO_MEMBERS, GROUP: ['ops'] } },
      { tenantKey: 3n, tenantId: 'by-role', name: '', description: '', members: { ...NO_MEMBERS, ROLE: ['auditor'] } },
      { tenantKey: 4n, tenantId: 'by-rule', name: '', description: '', members: { ...NO_MEMBERS, MAPPING_RULE: ['finance'] } },
    ];
    const assigned = new AssignedTenants({
      directory: { loaded: true, allTenants: () => tenants },
      adminUser: '',
      groupsOf: (p) => access.membershipOf(p).groups,
      rolesOf: (p) => access.rolesOf(p),
      mappingRulesOf: (p) => access.membershipOf(p).mappingRules,
    });
    expect(assigned.allowedTenants(userPrincipal('ann'))).toEqual(['by-group']);
    expect(assigned.allowedTenants(oidc('user', 'zoe', { department: 'finance' }))).toEqual(['by-role', 'by-rule']);
    expect(assigned.allowedTenants(userPrincipal('bob'))).toEqual([]);
  });
});

describe('membership resolution (properties)', () => {
  const names = fc.constantFrom('ann', 'bob', 'ops', 'fin', 'finance', 'eng', 'c1');
  const member = fc.tuple(fc.constantFrom('USER', 'CLIENT', 'GROUP', 'MAPPING_RULE'), names);
  const groupMember = fc.tuple(fc.constantFrom('USER', 'CLIENT', 'MAPPING_RULE'), names);
  const sets = (m: fc.Arbitrary<[string, string]>) =>
    fc.uniqueArray(fc.tuple(names, fc.array(m, { maxLength: 4 })), { selector: ([id]) => id, maxLength: 4 }).map((rows) => rows.map(([id, ms]) => set(id, ms)));
  const rules = fc.uniqueArray(
    fc.record({ mappingRuleId: names, claimName: fc.constant('dept'), claimValue: fc.constantFrom('finance', 'eng') }),
    { selector: (r) => r.mappingRuleId, maxLength: 3 },
  );
  const principal: fc.Arbitrary<Principal> = fc.oneof(
    names.map((n) => userPrincipal(n)),
    fc.tuple(fc.constantFrom('user' as const, 'client' as const), names, fc.constantFrom('finance', 'eng', 'none')).map(([kind, id, dept]) => oidc(kind, id, { dept })),
  );
  const grant: fc.Arbitrary<Grant> = fc.record({
    ownerId: names,
    ownerType: fc.constantFrom(...OWNER_TYPES),
    resourceType: fc.constantFrom(...RESOURCE_TYPES),
    resourceId: fc.oneof(names, fc.constant('*')),
    permissionTypes: fc.uniqueArray(fc.constantFrom(...new Set(Object.values(RESOURCE_PERMISSIONS).flat())), { minLength: 1, maxLength: 3 }),
  });

  function allowed(p: Principal, identity: IdentityCopy, grants: Grant[], g: Grant): boolean {
    const { groups, roles, mappingRules } = membershipOf(p, identity);
    return evaluate({ kind: p.kind, id: p.id, groups, roles, mappingRules }, grants, g.resourceType, g.permissionTypes[0]!, [g.resourceId]).allowed;
  }

  it('adding a member to a group (or role) never removes access', () => {
    fc.assert(
      fc.property(principal, sets(groupMember), sets(member), rules, fc.array(grant, { maxLength: 6 }), grant, fc.nat(), groupMember, fc.boolean(), (p, groups, roles, rs, grants, ask, pick, extra, toRole) => {
        const before = allowed(p, copy(groups, roles, rs), grants, ask);
        const target = toRole ? roles : groups;
        if (!before || target.length === 0) return;
        const i = pick % target.length;
        const grown = target.map((row, j) => (j === i ? set(row.id, [...row.members.map((m) => [m.entityType, m.entityId] as [string, string]), extra]) : row));
        const after = toRole ? allowed(p, copy(groups, grown, rs), grants, ask) : allowed(p, copy(grown, roles, rs), grants, ask);
        expect(after).toBe(true);
      }),
    );
  });

  it('a member of a group that holds the authorization is allowed', () => {
    fc.assert(
      fc.property(principal, sets(groupMember), grant, (p, groups, g) => {
        const entity: [string, string] = p.kind === 'client' ? ['CLIENT', p.id] : ['USER', p.id];
        const withMember = [...groups.filter((r) => r.id !== 'holders'), set('holders', [entity])];
        const holderGrant = { ...g, ownerType: 'GROUP', ownerId: 'holders' };
        expect(allowed(p, copy(withMember, []), [holderGrant], g)).toBe(true);
        expect(allowed(p, copy(groups.filter((r) => r.id !== 'holders'), []), [holderGrant], g)).toBe(false);
      }),
    );
  });
});
