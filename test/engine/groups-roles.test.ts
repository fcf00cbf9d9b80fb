/**
 * GROUP, ROLE and MAPPING_RULE commands on partition 1 (docs/adr/014): records in Zeebe's shape,
 * membership, the cascades of a delete, the shared identity version, replay.
 */
import { describe, expect, it } from 'vitest';
import type { MemberSetCommandResult } from '../../src/engine/processors/commands/member-set.js';
import type { MappingRuleCommandResult } from '../../src/engine/processors/commands/mapping-rule.js';
import { runRead, type UsersView } from '../../src/engine/read-views.js';
import type { GroupValue, MappingRuleValue, RoleValue } from '../../src/engine/records.js';
import { EngineHarness, expectRejected, expectReplayable } from '../support/engine-harness.js';

function group(h: EngineHarness, intent: string, fields: Partial<GroupValue>, partitionId = 1) {
  const value: GroupValue = { groupKey: -1n, groupId: 'ops', name: 'Ops', description: '', entityType: '', entityId: '', ...fields };
  return h.process(partitionId, { valueType: 'GROUP', intent, key: -1n, value });
}

function role(h: EngineHarness, intent: string, fields: Partial<RoleValue>) {
  const value: RoleValue = { roleKey: -1n, roleId: 'auditor', name: 'Auditor', description: '', entityType: '', entityId: '', ...fields };
  return h.process(1, { valueType: 'ROLE', intent, key: -1n, value });
}

function rule(h: EngineHarness, intent: string, fields: Partial<MappingRuleValue>) {
  const value: MappingRuleValue = { mappingRuleKey: -1n, mappingRuleId: 'eng', claimName: 'dept', claimValue: 'engineering', name: 'Engineering', ...fields };
  return h.process(1, { valueType: 'MAPPING_RULE', intent, key: -1n, value });
}

describe('GROUP commands', () => {
  it('CREATE writes CREATED in Zeebe shape with a new key and answers the row and identity version', async () => {
    const h = new EngineHarness();
    const response = group(h, 'CREATE', { description: 'operators' });
    const [created] = h.events<GroupValue>('GROUP', 'CREATED');
    expect(created!.value).toEqual({ groupKey: created!.key, groupId: 'ops', name: 'Ops', description: 'operators', entityType: '', entityId: '' });
    const result = (response as { value: MemberSetCommandResult }).value;
    expect(result).toEqual({ row: { key: created!.key, id: 'ops', name: 'Ops', description: 'operators', members: [] }, identityVersion: 1 });
    const view = runRead(h.partition(1).state, { kind: 'users', since: 0 }) as UsersView;
    expect(view).toMatchObject({ version: 1, changed: true, groups: [result.row], roles: [], mappingRules: [] });
    await expectReplayable(h);
  });

  it('refuses bad ids, a missing name, duplicates and other partitions', () => {
    const h = new EngineHarness(2);
    expectRejected(group(h, 'CREATE', { groupId: 'a b' }), 'INVALID_ARGUMENT', 'illegal characters');
    expectRejected(group(h, 'CREATE', { groupId: 'x'.repeat(257) }), 'INVALID_ARGUMENT', '256');
    expectRejected(group(h, 'CREATE', { name: ' ' }), 'INVALID_ARGUMENT', 'No name');
    group(h, 'CREATE', {});
    expectRejected(group(h, 'CREATE', {}), 'ALREADY_EXISTS', "'ops'");
    expectRejected(group(h, 'CREATE', { groupId: 'other' }, 2), 'INVALID_ARGUMENT', 'partition 1');
    expectRejected(group(h, 'UPDATE', { groupId: 'nope' }), 'NOT_FOUND', "'nope'");
    expect(h.events('GROUP', 'CREATED')).toHaveLength(1);
  });

  it('adds and removes members: ENTITY_ADDED / ENTITY_REMOVED; twice is ALREADY_EXISTS, absent NOT_FOUND; ROLE is no group member', async () => {
    const h = new EngineHarness();
    group(h, 'CREATE', {});
    group(h, 'ADD_ENTITY', { entityType: 'USER', entityId: 'ann' });
    group(h, 'ADD_ENTITY', { entityType: 'CLIENT', entityId: 'worker-1' });
    expectRejected(group(h, 'ADD_ENTITY', { entityType: 'USER', entityId: 'ann' }), 'ALREADY_EXISTS', 'already assigned');
    expectRejected(group(h, 'ADD_ENTITY', { entityType: 'GROUP', entityId: 'ops' }), 'INVALID_ARGUMENT', 'USER, CLIENT, MAPPING_RULE');
    expectRejected(group(h, 'ADD_ENTITY', { entityType: 'MAPPING_RULE', entityId: 'nope' }), 'NOT_FOUND', "doesn't exist");
    const [added] = h.events<GroupValue>('GROUP', 'ENTITY_ADDED');
    expect(added!.value).toMatchObject({ groupId: 'ops', entityType: 'USER', entityId: 'ann' });
    expect(h.partition(1).state.groups.get('ops')!.members).toEqual([
      { entityType: 'USER', entityId: 'ann' },
      { entityType: 'CLIENT', entityId: 'worker-1' },
    ]);
    group(h, 'REMOVE_ENTITY', { entityType: 'USER', entityId: 'ann' });
    expectRejected(group(h, 'REMOVE_ENTITY', { entityType: 'USER', entityId: 'ann' }), 'NOT_FOUND', 'not assigned');
    expect(h.partition(1).state.groups.get('ops')!.members).toEqual([{ entityType: 'CLIENT', entityId: 'worker-1' }]);
    group(h, 'UPDATE', { name: 'Operations', description: 'new' });
    expect(h.partition(1).state.groups.get('ops')).toMatchObject({ name: 'Operations', description: 'new', members: [{ entityType: 'CLIENT', entityId: 'worker-1' }] });
    await expectReplayable(h);
  });

  it('DELETE takes the group out of roles and deletes the authorizations it owns', async () => {
    const h = new EngineHarness();
    group(h, 'CREATE', {});
    role(h, 'CREATE', {});
    role(h, 'ADD_ENTITY', { entityType: 'GROUP', entityId: 'ops' });
    h.process(1, {
      valueType: 'AUTHORIZATION',
      intent: 'CREATE',
      key: -1n,
      value: { authorizationKey: -1n, ownerId: 'ops', ownerType: 'GROUP', resourceMatcher: 'ANY', resourceId: '*', resourceType: 'USER', permissionTypes: ['READ'] },
    });
    expect(h.partition(1).state.authorizations.all()).toHaveLength(1);
    group(h, 'DELETE', {});
    expect(h.partition(1).state.groups.all()).toEqual([]);
    expect(h.partition(1).state.roles.get('auditor')!.members).toEqual([]);
    expect(h.partition(1).state.authorizations.all()).toEqual([]);
    expect(h.events('ROLE', 'ENTITY_REMOVED')).toHaveLength(1);
    expectRejected(group(h, 'DELETE', {}), 'NOT_FOUND', 'does not exist');
    await expectReplayable(h);
  });
});

describe('ROLE commands', () => {
  it('hold users, clients, groups and mapping rules; a group member must exist', async () => {
    const h = new EngineHarness();
    role(h, 'CREATE', {});
    expectRejected(role(h, 'ADD_ENTITY', { entityType: 'GROUP', entityId: 'ops' }), 'NOT_FOUND', "doesn't exist");
    group(h, 'CREATE', {});
    rule(h, 'CREATE', {});
    for (const [entityType, entityId] of [['USER', 'ann'], ['CLIENT', 'c1'], ['GROUP', 'ops'], ['MAPPING_RULE', 'eng']] as const) {
      role(h, 'ADD_ENTITY', { entityType, entityId });
    }
    expect(h.partition(1).state.roles.get('auditor')!.members.map((m) => m.entityType)).toEqual(['USER', 'CLIENT', 'GROUP', 'MAPPING_RULE']);
    expectRejected(role(h, 'ADD_ENTITY', { entityType: 'ROLE', entityId: 'x' }), 'INVALID_ARGUMENT', 'entity type');
    role(h, 'DELETE', {});
    expect(h.events<RoleValue>('ROLE', 'DELETED')[0]!.value).toMatchObject({ roleId: 'auditor', name: 'Auditor' });
    expect(h.partition(1).state.roles.all()).toEqual([]);
    await expectReplayable(h);
  });
});

describe('MAPPING_RULE commands', () => {
  it('CREATE, UPDATE, DELETE; one rule per claim; DELETE takes it out of groups and roles', async () => {
    const h = new EngineHarness();
    const response = rule(h, 'CREATE', {});
    const [created] = h.events<MappingRuleValue>('MAPPING_RULE', 'CREATED');
    expect(created!.value).toEqual({ mappingRuleKey: created!.key, mappingRuleId: 'eng', claimName: 'dept', claimValue: 'engineering', name: 'Engineering' });
    expect((response as { value: MappingRuleCommandResult }).value).toEqual({ mappingRule: created!.value, identityVersion: 1 });
    expectRejected(rule(h, 'CREATE', {}), 'ALREADY_EXISTS', "'eng'");
    expectRejected(rule(h, 'CREATE', { mappingRuleId: 'eng2' }), 'ALREADY_EXISTS', "claimName 'dept'");
    expectRejected(rule(h, 'CREATE', { mappingRuleId: 'x', claimValue: '' }), 'INVALID_ARGUMENT', 'claimValue');
    rule(h, 'UPDATE', { claimValue: 'eng', name: 'Eng' });
    expect(h.partition(1).state.mappingRules.get('eng')).toMatchObject({ claimValue: 'eng', name: 'Eng', mappingRuleKey: created!.key });
    expectRejected(rule(h, 'UPDATE', { mappingRuleId: 'nope' }), 'NOT_FOUND', "'nope'");
    group(h, 'CREATE', {});
    group(h, 'ADD_ENTITY', { entityType: 'MAPPING_RULE', entityId: 'eng' });
    role(h, 'CREATE', {});
    role(h, 'ADD_ENTITY', { entityType: 'MAPPING_RULE', entityId: 'eng' });
    rule(h, 'DELETE', {});
    expect(h.partition(1).state.mappingRules.all()).toEqual([]);
    expect(h.partition(1).state.groups.get('ops')!.members).toEqual([]);
    expect(h.partition(1).state.roles.get('auditor')!.members).toEqual([]);
    await expectReplayable(h);
  });
});

describe('USER DELETE and memberships', () => {
  it('a deleted user leaves its groups and roles, and its authorizations go', async () => {
    const h = new EngineHarness();
    h.process(1, { valueType: 'USER', intent: 'CREATE', key: -1n, value: { userKey: -1n, username: 'ann', name: '', email: '', password: '$scrypt$ln=15,r=8,p=3$c2FsdA$aGFzaA' } });
    group(h, 'CREATE', {});
    group(h, 'ADD_ENTITY', { entityType: 'USER', entityId: 'ann' });
    group(h, 'ADD_ENTITY', { entityType: 'CLIENT', entityId: 'ann' });
    role(h, 'CREATE', {});
    role(h, 'ADD_ENTITY', { entityType: 'USER', entityId: 'ann' });
    h.process(1, {
      valueType: 'AUTHORIZATION',
      intent: 'CREATE',
      key: -1n,
      value: { authorizationKey: -1n, ownerId: 'ann', ownerType: 'USER', resourceMatcher: 'ANY', resourceId: '*', resourceType: 'USER', permissionTypes: ['READ'] },
    });
    h.process(1, { valueType: 'USER', intent: 'DELETE', key: -1n, value: { userKey: -1n, username: 'ann', name: '', email: '', password: '' } });
    expect(h.partition(1).state.groups.get('ops')!.members).toEqual([{ entityType: 'CLIENT', entityId: 'ann' }]);
    expect(h.partition(1).state.roles.get('auditor')!.members).toEqual([]);
    expect(h.partition(1).state.authorizations.all()).toEqual([]);
    await expectReplayable(h);
  });
});
