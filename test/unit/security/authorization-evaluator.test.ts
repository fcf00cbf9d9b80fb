import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ADMIN_ROLE, evaluate, forbiddenMessage, type Grant, permittedIds, type Subject } from '../../../src/security/authorization/evaluator.js';
import { OWNER_TYPES, RESOURCE_PERMISSIONS, RESOURCE_TYPES } from '../../../src/engine/identity/authorization-rules.js';

const ids = fc.constantFrom('alice', 'bob', 'carol', 'order', 'invoice', 'ops', 'admin');
const resourceType = fc.constantFrom(...RESOURCE_TYPES);
const permission = fc.constantFrom(...new Set(Object.values(RESOURCE_PERMISSIONS).flat()));
const grant: fc.Arbitrary<Grant> = fc.record({
  ownerId: ids,
  ownerType: fc.constantFrom(...OWNER_TYPES),
  resourceType,
  resourceId: fc.oneof(ids, fc.constant('*')),
  permissionTypes: fc.uniqueArray(permission, { minLength: 1, maxLength: 4 }),
});
const subject: fc.Arbitrary<Subject> = fc.record({
  kind: fc.constantFrom('user' as const, 'client' as const, 'anonymous' as const),
  id: ids,
  groups: fc.uniqueArray(ids, { maxLength: 2 }),
  roles: fc.uniqueArray(ids.filter((r) => r !== ADMIN_ROLE), { maxLength: 2 }),
});
const ask = fc.record({ resourceType, permission, resourceIds: fc.uniqueArray(ids, { maxLength: 2 }) });

describe('authorization evaluator (properties)', () => {
  it('adding an authorization never removes access', () => {
    fc.assert(
      fc.property(subject, fc.array(grant, { maxLength: 8 }), grant, ask, (s, grants, extra, q) => {
        if (!evaluate(s, grants, q.resourceType, q.permission, q.resourceIds).allowed) return;
        expect(evaluate(s, [...grants, extra], q.resourceType, q.permission, q.resourceIds).allowed).toBe(true);
      }),
    );
  });

  it('the admin role is always allowed', () => {
    fc.assert(
      fc.property(subject, fc.array(grant, { maxLength: 8 }), ask, (s, grants, q) => {
        const admin = { ...s, roles: [...s.roles, ADMIN_ROLE] };
        expect(evaluate(admin, grants, q.resourceType, q.permission, q.resourceIds)).toEqual({ allowed: true });
        expect(permittedIds(admin, grants, q.resourceType, q.permission)).toBe('*');
      }),
    );
  });

  it('without an authorization for that resource type and permission, everything is denied', () => {
    fc.assert(
      fc.property(subject, fc.array(grant, { maxLength: 8 }), ask, (s, grants, q) => {
        const others = grants.filter((g) => !(g.resourceType === q.resourceType && g.permissionTypes.includes(q.permission)));
        const decision = evaluate(s, others, q.resourceType, q.permission, q.resourceIds);
        expect(decision.allowed).toBe(false);
        if (!decision.allowed) expect(decision.missing).toMatchObject({ permissionType: q.permission, resourceType: q.resourceType });
      }),
    );
  });

  it('owner kinds do not leak into each other: a grant to a user never serves a client, group or role of that name', () => {
    fc.assert(
      fc.property(subject, grant, ask, (s, g, q) => {
        const exact = { ...g, resourceType: q.resourceType, permissionTypes: [q.permission], resourceId: '*' };
        const allowed = evaluate(s, [exact], q.resourceType, q.permission, q.resourceIds).allowed;
        const owns =
          (g.ownerType === 'USER' && s.kind === 'user' && s.id === g.ownerId) ||
          (g.ownerType === 'CLIENT' && s.kind === 'client' && s.id === g.ownerId) ||
          (g.ownerType === 'GROUP' && s.kind !== 'anonymous' && s.groups.includes(g.ownerId)) ||
          (g.ownerType === 'ROLE' && s.kind !== 'anonymous' && s.roles.includes(g.ownerId));
        expect(allowed).toBe(owns);
      }),
    );
  });

  it('a decision agrees with the permitted ids', () => {
    fc.assert(
      fc.property(subject, fc.array(grant, { maxLength: 8 }), ask, ids, (s, grants, q, id) => {
        const permitted = permittedIds(s, grants, q.resourceType, q.permission);
        const allowed = evaluate(s, grants, q.resourceType, q.permission, [id]).allowed;
        expect(allowed).toBe(permitted === '*' || permitted.has(id));
      }),
    );
  });
});

describe('authorization evaluator (examples)', () => {
  const alice: Subject = { kind: 'user', id: 'alice', groups: ['ops'], roles: [] };
  const create: Grant = { ownerId: 'alice', ownerType: 'USER', resourceType: 'PROCESS_DEFINITION', resourceId: 'order', permissionTypes: ['CREATE_PROCESS_INSTANCE'] };

  it('grants by id, by wildcard, through a group', () => {
    expect(evaluate(alice, [create], 'PROCESS_DEFINITION', 'CREATE_PROCESS_INSTANCE', ['order']).allowed).toBe(true);
    expect(evaluate(alice, [create], 'PROCESS_DEFINITION', 'CREATE_PROCESS_INSTANCE', ['invoice']).allowed).toBe(false);
    expect(evaluate(alice, [{ ...create, ownerType: 'GROUP', ownerId: 'ops', resourceId: '*' }], 'PROCESS_DEFINITION', 'CREATE_PROCESS_INSTANCE', ['x']).allowed).toBe(true);
    expect(evaluate(alice, [create], 'PROCESS_DEFINITION', 'READ_PROCESS_INSTANCE', ['order']).allowed).toBe(false);
  });

  it('names what is missing in Camunda’s words', () => {
    const decision = evaluate(alice, [], 'PROCESS_DEFINITION', 'CREATE_PROCESS_INSTANCE', ['order']);
    expect(decision.allowed).toBe(false);
    if (decision.allowed) return;
    expect(forbiddenMessage(decision.missing)).toBe(
      "Insufficient permissions to perform operation 'CREATE_PROCESS_INSTANCE' on resource 'PROCESS_DEFINITION', required resource identifiers are one of '[*, order]'",
    );
  });
});
