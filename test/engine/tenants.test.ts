/**
 * TENANT CREATE / UPDATE / DELETE / ADD_ENTITY / REMOVE_ENTITY on partition 1 (docs/adr/013): the
 * records in Zeebe 8.8's shape, the implicit default tenant, the shared identity version nodes
 * mirror by, replay.
 */
import { describe, expect, it } from 'vitest';
import type { TenantCommandResult } from '../../src/engine/processors/commands/tenant.js';
import { runRead, type UsersView } from '../../src/engine/read-views.js';
import type { TenantValue } from '../../src/engine/records.js';
import { EngineHarness, expectRejected, expectReplayable } from '../support/engine-harness.js';

type Intent = 'CREATE' | 'UPDATE' | 'DELETE' | 'ADD_ENTITY' | 'REMOVE_ENTITY';

function tenant(fields: Partial<TenantValue> = {}): TenantValue {
  return { tenantKey: -1n, tenantId: 'tenant-a', name: 'Tenant A', description: '', entityId: '', entityType: 'UNSPECIFIED', ...fields };
}

function command(h: EngineHarness, intent: Intent, value: TenantValue, partitionId = 1) {
  return h.process(partitionId, { valueType: 'TENANT', intent, key: -1n, value });
}

function resultOf(response: unknown): TenantCommandResult {
  return (response as { value: TenantCommandResult }).value;
}

describe('TENANT commands', () => {
  it('CREATE writes CREATED with a new key; the default tenant is there without being created', async () => {
    const h = new EngineHarness();
    const before = runRead(h.partition(1).state, { kind: 'users', since: -1 }) as UsersView & { tenants: unknown[] };
    expect(before.tenants).toEqual([expect.objectContaining({ tenantId: '<default>', name: 'Default' })]);
    const response = command(h, 'CREATE', tenant({ description: 'first' }));
    const [created] = h.events<TenantValue>('TENANT', 'CREATED');
    expect(created!.value).toEqual(tenant({ tenantKey: created!.key, description: 'first' }));
    expect(resultOf(response)).toMatchObject({ tenant: { tenantId: 'tenant-a', tenantKey: created!.key }, identityVersion: 1 });
    const view = runRead(h.partition(1).state, { kind: 'users', since: 0 }) as UsersView;
    expect(view.changed && view.tenants?.map((t) => t.tenantId)).toEqual(['<default>', 'tenant-a']);
    await expectReplayable(h);
  });

  it('refuses bad ids and names, duplicates, the default tenant as new, unknown tenants and other partitions', () => {
    const h = new EngineHarness(2);
    expectRejected(command(h, 'CREATE', tenant({ tenantId: 'a b' })), 'INVALID_ARGUMENT', 'illegal characters');
    expectRejected(command(h, 'CREATE', tenant({ tenantId: 'x'.repeat(32) })), 'INVALID_ARGUMENT', '31');
    expectRejected(command(h, 'CREATE', tenant({ name: ' ' })), 'INVALID_ARGUMENT', 'No name');
    expectRejected(command(h, 'CREATE', tenant({ tenantId: '<default>' })), 'ALREADY_EXISTS', '<default>');
    command(h, 'CREATE', tenant());
    expectRejected(command(h, 'CREATE', tenant()), 'ALREADY_EXISTS', "'tenant-a'");
    expectRejected(command(h, 'CREATE', tenant({ tenantId: 'b' }), 2), 'INVALID_ARGUMENT', 'partition 1');
    expectRejected(command(h, 'UPDATE', tenant({ tenantId: 'nope' })), 'NOT_FOUND', "'nope'");
    expectRejected(command(h, 'DELETE', tenant({ tenantId: '<default>' })), 'INVALID_ARGUMENT', 'cannot be deleted');
    expectRejected(command(h, 'ADD_ENTITY', tenant({ entityType: 'ROBOT' as never, entityId: 'r' })), 'INVALID_ARGUMENT', 'entityType');
    expectRejected(command(h, 'ADD_ENTITY', tenant({ entityType: 'USER', entityId: '' })), 'INVALID_ARGUMENT', 'No user id');
    expectRejected(command(h, 'ADD_ENTITY', tenant({ tenantId: 'nope', entityType: 'USER', entityId: 'alice' })), 'NOT_FOUND', "'nope'");
    expect(h.events('TENANT', 'CREATED')).toHaveLength(1);
  });

  it('ADD_ENTITY and REMOVE_ENTITY keep members by type; twice is ALREADY_EXISTS, absent is NOT_FOUND', async () => {
    const h = new EngineHarness();
    command(h, 'CREATE', tenant());
    for (const [entityType, entityId] of [['USER', 'alice'], ['CLIENT', 'worker-app'], ['GROUP', 'ops'], ['MAPPING_RULE', 'rule-1'], ['ROLE', 'r']] as const) {
      const response = command(h, 'ADD_ENTITY', tenant({ entityType, entityId }));
      expect(resultOf(response).tenant.members[entityType]).toEqual([entityId]);
    }
    const [added] = h.events<TenantValue>('TENANT', 'ENTITY_ADDED');
    expect(added!.value).toMatchObject({ tenantId: 'tenant-a', entityType: 'USER', entityId: 'alice' });
    expectRejected(command(h, 'ADD_ENTITY', tenant({ entityType: 'USER', entityId: 'alice' })), 'ALREADY_EXISTS', "'alice'");
    command(h, 'REMOVE_ENTITY', tenant({ entityType: 'USER', entityId: 'alice' }));
    expectRejected(command(h, 'REMOVE_ENTITY', tenant({ entityType: 'USER', entityId: 'alice' })), 'NOT_FOUND', 'not assigned');
    expect(h.partition(1).state.tenants.get('tenant-a')!.members).toEqual({ USER: [], CLIENT: ['worker-app'], GROUP: ['ops'], ROLE: ['r'], MAPPING_RULE: ['rule-1'] });
    await expectReplayable(h);
  });

  it('members are added to the default tenant, which then gets a key; UPDATE renames; DELETE removes', async () => {
    const h = new EngineHarness();
    command(h, 'ADD_ENTITY', tenant({ tenantId: '<default>', entityType: 'USER', entityId: 'alice' }));
    const stored = h.partition(1).state.tenants.get('<default>')!;
    expect(stored.members.USER).toEqual(['alice']);
    expect(stored.tenantKey).toBeGreaterThan(0n);
    command(h, 'CREATE', tenant());
    command(h, 'UPDATE', tenant({ name: 'Renamed', description: 'now' }));
    expect(h.partition(1).state.tenants.get('tenant-a')).toMatchObject({ name: 'Renamed', description: 'now' });
    const deleted = command(h, 'DELETE', tenant());
    expect(resultOf(deleted).tenant.name).toBe('Renamed');
    expect(h.partition(1).state.tenants.get('tenant-a')).toBeUndefined();
    expect(h.partition(1).state.users.version).toBe(4);
    await expectReplayable(h);
  });
});
