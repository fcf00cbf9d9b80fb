/**
 * USER CREATE / UPDATE / DELETE on partition 1 (docs/adr/012): the records, Zeebe's rejections,
 * the table's version that nodes mirror by, and the refusal of anything but a hash.
 */
import { describe, expect, it } from 'vitest';
import type { UserCommandResult } from '../../src/engine/processors/commands/user.js';
import { runRead, type UsersView } from '../../src/engine/read-views.js';
import type { UserValue } from '../../src/engine/records.js';
import { EngineHarness, expectRejected, expectReplayable } from '../support/engine-harness.js';

const HASH = '$scrypt$ln=4,r=8,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaA';
const OTHER_HASH = '$scrypt$ln=4,r=8,p=1$b3RoZXJzYWx0c2FsdA$b3RoZXJoYXNob3RoZXJoYXNob3RoZXJoYXNo';

function user(username: string, fields: Partial<UserValue> = {}): UserValue {
  return { userKey: -1n, username, name: '', email: '', password: '', ...fields };
}

function command(h: EngineHarness, intent: 'CREATE' | 'UPDATE' | 'DELETE', value: UserValue, partitionId = 1) {
  return h.process(partitionId, { valueType: 'USER', intent, key: -1n, value });
}

function usersView(h: EngineHarness, since: number): UsersView {
  return runRead(h.partition(1).state, { kind: 'users', since }) as UsersView;
}

describe('USER commands', () => {
  it('CREATE writes CREATED with a new key and answers with the user and the table version', async () => {
    const h = new EngineHarness();
    const response = command(h, 'CREATE', user('ann', { name: 'Ann', email: 'ann@example.com', password: HASH }));
    const [created] = h.events<UserValue>('USER', 'CREATED');
    expect(created!.value).toEqual({ userKey: created!.key, username: 'ann', name: 'Ann', email: 'ann@example.com', password: HASH });
    expect(response).toMatchObject({ ok: true, key: created!.key });
    const result = (response as { value: UserCommandResult }).value;
    expect(result).toEqual({ user: created!.value, identityVersion: 1 });
    expect(h.partition().state.users.get('ann')).toEqual(created!.value);
    await expectReplayable(h);
  });

  it('refuses a second user of the same name (ALREADY_EXISTS), a missing username, and a password that is not a hash', () => {
    const h = new EngineHarness();
    command(h, 'CREATE', user('ann', { password: HASH }));
    expectRejected(command(h, 'CREATE', user('ann', { password: HASH })), 'ALREADY_EXISTS', "username 'ann'", 'already exists');
    expectRejected(command(h, 'CREATE', user('', { password: HASH })), 'INVALID_ARGUMENT', 'username');
    const plain = command(h, 'CREATE', user('bob', { password: 'hunter2' }));
    expectRejected(plain, 'INVALID_ARGUMENT', 'to arrive hashed');
    expect(plain!.ok ? '' : plain!.reason).not.toContain('hunter2');
    expect(h.events('USER', 'CREATED')).toHaveLength(1);
  });

  it('is taken on partition 1 only', () => {
    const h = new EngineHarness(2);
    expectRejected(command(h, 'CREATE', user('ann', { password: HASH }), 2), 'INVALID_ARGUMENT', 'partition 1');
    expect(h.partition(2).state.users.all()).toEqual([]);
  });

  it('UPDATE overlays what is not empty, keeps the key, and NOT_FOUND for an unknown user', async () => {
    const h = new EngineHarness();
    command(h, 'CREATE', user('ann', { name: 'Ann', email: 'ann@example.com', password: HASH }));
    const key = h.events('USER', 'CREATED')[0]!.key;
    const renamed = command(h, 'UPDATE', user('ann', { name: 'Annie' }));
    expect(renamed).toMatchObject({ ok: true, key });
    expect(h.partition().state.users.get('ann')).toEqual({ userKey: key, username: 'ann', name: 'Annie', email: 'ann@example.com', password: HASH });
    command(h, 'UPDATE', user('ann', { password: OTHER_HASH }));
    const [, second] = h.events<UserValue>('USER', 'UPDATED');
    expect(second).toMatchObject({ key, value: { name: 'Annie', password: OTHER_HASH } });
    expectRejected(command(h, 'UPDATE', user('nobody', { name: 'X' })), 'NOT_FOUND', "username 'nobody'", 'does not exist');
    expectRejected(command(h, 'UPDATE', user('ann', { password: 'plain' })), 'INVALID_ARGUMENT', 'to arrive hashed');
    await expectReplayable(h);
  });

  it('DELETE removes the user (the event without its hash), NOT_FOUND the second time; a new user of that name gets a new key', async () => {
    const h = new EngineHarness();
    command(h, 'CREATE', user('ann', { password: HASH }));
    const key = h.events('USER', 'CREATED')[0]!.key;
    expect(command(h, 'DELETE', user('ann'))).toMatchObject({ ok: true, key });
    const [deleted] = h.events<UserValue>('USER', 'DELETED');
    expect(deleted).toMatchObject({ key, value: { username: 'ann', password: '' } });
    expect(h.partition().state.users.get('ann')).toBeUndefined();
    expectRejected(command(h, 'DELETE', user('ann')), 'NOT_FOUND', "username 'ann'");
    command(h, 'CREATE', user('ann', { password: OTHER_HASH }));
    expect(h.events('USER', 'CREATED')[1]!.key).not.toBe(key);
    await expectReplayable(h);
  });

  it("counts every change in the table's version; a read answers the table only when it moved", () => {
    const h = new EngineHarness();
    expect(usersView(h, -1)).toEqual({
      version: 0,
      changed: true,
      users: [],
      authorizations: [],
      groups: [],
      roles: [],
      mappingRules: [],
      tenants: [expect.objectContaining({ tenantId: '<default>' })],
    });
    command(h, 'CREATE', user('ann', { password: HASH }));
    command(h, 'CREATE', user('bob', { password: HASH }));
    command(h, 'UPDATE', user('ann', { name: 'Ann' }));
    command(h, 'DELETE', user('bob'));
    // Rejections change nothing.
    command(h, 'DELETE', user('bob'));
    const view = usersView(h, 0);
    expect(view).toMatchObject({ version: 4, changed: true });
    expect((view as { users: readonly UserValue[] }).users.map((u) => [u.username, u.name])).toEqual([['ann', 'Ann']]);
    expect(usersView(h, 4)).toEqual({ version: 4, changed: false });
  });
});
