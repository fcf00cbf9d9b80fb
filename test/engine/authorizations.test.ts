/**
 * AUTHORIZATION CREATE / UPDATE / DELETE on partition 1 (docs/adr/013): the records, the checks
 * against Camunda's enums, the shared identity version that nodes mirror by, replay.
 */
import { describe, expect, it } from 'vitest';
import type { AuthorizationCommandResult } from '../../src/engine/processors/commands/authorization.js';
import { runRead, type UsersView } from '../../src/engine/read-views.js';
import type { AuthorizationValue } from '../../src/engine/records.js';
import { EngineHarness, expectRejected, expectReplayable } from '../support/engine-harness.js';

function authorization(fields: Partial<AuthorizationValue> = {}): AuthorizationValue {
  return {
    authorizationKey: -1n,
    ownerId: 'ann',
    ownerType: 'USER',
    resourceMatcher: 'ID',
    resourceId: 'order',
    resourceType: 'PROCESS_DEFINITION',
    permissionTypes: ['CREATE_PROCESS_INSTANCE'],
    ...fields,
  };
}

function command(h: EngineHarness, intent: 'CREATE' | 'UPDATE' | 'DELETE', value: AuthorizationValue, partitionId = 1) {
  return h.process(partitionId, { valueType: 'AUTHORIZATION', intent, key: -1n, value });
}

describe('AUTHORIZATION commands', () => {
  it('CREATE writes CREATED with a new key, the matcher from the id, and bumps the identity version the users share', async () => {
    const h = new EngineHarness();
    const response = command(h, 'CREATE', authorization({ resourceId: '*', permissionTypes: ['CREATE_PROCESS_INSTANCE', 'CREATE_PROCESS_INSTANCE'] }));
    const [created] = h.events<AuthorizationValue>('AUTHORIZATION', 'CREATED');
    expect(created!.value).toEqual(authorization({ authorizationKey: created!.key, resourceId: '*', resourceMatcher: 'ANY' }));
    const result = (response as { value: AuthorizationCommandResult }).value;
    expect(result).toEqual({ authorization: created!.value, identityVersion: 1 });
    const view = runRead(h.partition(1).state, { kind: 'users', since: 0 }) as UsersView;
    expect(view).toMatchObject({ version: 1, changed: true, users: [], authorizations: [created!.value] });
    await expectReplayable(h);
  });

  it("refuses unknown owner and resource types, a permission the resource type lacks, a duplicate, and other partitions", () => {
    const h = new EngineHarness(2);
    expectRejected(command(h, 'CREATE', authorization({ ownerType: 'ROBOT' })), 'INVALID_ARGUMENT', 'ownerType');
    expectRejected(command(h, 'CREATE', authorization({ resourceType: 'PLANET' })), 'INVALID_ARGUMENT', 'resourceType');
    expectRejected(command(h, 'CREATE', authorization({ permissionTypes: ['READ_USER_TASK', 'DELETE_FORM'] })), 'INVALID_ARGUMENT', 'DELETE_FORM', 'not supported');
    expectRejected(command(h, 'CREATE', authorization({ permissionTypes: [] })), 'INVALID_ARGUMENT', 'permissionTypes');
    command(h, 'CREATE', authorization());
    expectRejected(command(h, 'CREATE', authorization({ permissionTypes: ['READ_PROCESS_INSTANCE', 'CREATE_PROCESS_INSTANCE'] })), 'ALREADY_EXISTS', "'order'");
    expectRejected(command(h, 'CREATE', authorization(), 2), 'INVALID_ARGUMENT', 'partition 1');
    expect(h.events('AUTHORIZATION', 'CREATED')).toHaveLength(1);
  });

  it('UPDATE replaces the fields under the same key; DELETE removes it; unknown keys are NOT_FOUND', async () => {
    const h = new EngineHarness();
    command(h, 'CREATE', authorization());
    const key = h.events('AUTHORIZATION', 'CREATED')[0]!.key;
    command(h, 'UPDATE', authorization({ authorizationKey: key, permissionTypes: ['READ_PROCESS_INSTANCE'] }));
    expect(h.partition(1).state.authorizations.get(key)?.permissionTypes).toEqual(['READ_PROCESS_INSTANCE']);
    expectRejected(command(h, 'UPDATE', authorization({ authorizationKey: key + 100n })), 'NOT_FOUND', 'does not exist');
    command(h, 'DELETE', authorization({ authorizationKey: key }));
    expect(h.partition(1).state.authorizations.all()).toEqual([]);
    expectRejected(command(h, 'DELETE', authorization({ authorizationKey: key })), 'NOT_FOUND', 'does not exist');
    expect(h.partition(1).state.users.version).toBe(3);
    await expectReplayable(h);
  });
});
