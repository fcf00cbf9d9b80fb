import { describe, expect, it } from 'vitest';
import { ZenError } from '../../../src/errors.js';
import type { UserCommandResult } from '../../../src/engine/processors/commands/user.js';
import type { UserValue } from '../../../src/engine/records.js';
import { verifyPassword } from '../../../src/security/password-hash.js';
import { UserDirectory } from '../../../src/security/users/user-directory.js';
import { UserService, type UserIntent } from '../../../src/security/users/user-service.js';
import { RecordingLogger } from '../../support/recording-logger.js';

const FAST = { ln: 4, r: 8, p: 1 };

/** Partition 1 in miniature: a table and a version, as the engine keeps them. */
class FakePartitionOne {
  readonly users = new Map<string, UserValue>();
  readonly sent: Array<{ intent: UserIntent; value: UserValue }> = [];
  version = 0;

  async submitUserCommand(intent: UserIntent, value: UserValue): Promise<UserCommandResult> {
    this.sent.push({ intent, value });
    const stored = this.users.get(value.username);
    if (intent === 'CREATE') {
      if (stored) throw new ZenError('ALREADY_EXISTS', 'exists');
      this.users.set(value.username, { ...value, userKey: BigInt(this.users.size + 1) });
    } else if (!stored) {
      throw new ZenError('NOT_FOUND', 'missing');
    } else if (intent === 'UPDATE') {
      this.users.set(value.username, { ...stored, name: value.name || stored.name, email: value.email || stored.email, password: value.password || stored.password });
    } else {
      this.users.delete(value.username);
    }
    this.version++;
    return { user: this.users.get(value.username) ?? { ...stored!, password: '' }, identityVersion: this.version };
  }

  async readUsers(since: number) {
    return since === this.version ? { version: since, changed: false as const } : { version: this.version, changed: true as const, users: [...this.users.values()] };
  }
}

async function setup() {
  const partition = new FakePartitionOne();
  const directory = new UserDirectory(partition, { logger: new RecordingLogger() });
  await directory.refresh();
  return { partition, directory, service: new UserService(partition, directory, FAST) };
}

async function refusal(promise: Promise<unknown> | (() => unknown)): Promise<ZenError> {
  try {
    await (typeof promise === 'function' ? promise() : promise);
  } catch (err) {
    return err as ZenError;
  }
  return expect.fail('expected a refusal');
}

describe('UserService', () => {
  it('creates a user with a hash made here, and shows it at once without the hash', async () => {
    const { partition, service, directory } = await setup();
    const created = await service.create({ username: 'ann', password: 'pa55word', name: 'Ann', email: 'ann@example.com' });
    expect(created).toEqual({ username: 'ann', name: 'Ann', email: 'ann@example.com' });
    const sent = partition.sent[0]!.value.password;
    expect(sent).not.toContain('pa55word');
    expect(await verifyPassword('pa55word', sent)).toBe(true);
    expect(directory.passwordHashOf('ann')).toBe(sent);
    expect(service.get('ann')).toEqual(created);
  });

  it("checks fields as Camunda does, and never repeats a password", async () => {
    const { service, partition } = await setup();
    expect((await refusal(service.create({ username: 'a:b', password: 'x' }))).message).toContain('illegal characters');
    expect((await refusal(service.create({ username: '', password: 'x' }))).message).toBe('No username provided');
    expect((await refusal(service.create({ username: 'x'.repeat(257), password: 'x' }))).message).toContain('longer than 256');
    expect((await refusal(service.create({ username: 'ann', password: '   ' }))).message).toBe('No password provided');
    expect((await refusal(service.create({ username: 'ann', password: 'secret-1', email: 'not-an-email' }))).message).toContain("email 'not-an-email'");
    expect(partition.sent).toEqual([]);
  });

  it('updates what is given; a blank password stays; a new one is hashed', async () => {
    const { service, partition, directory } = await setup();
    await service.create({ username: 'ann', password: 'first-pw' });
    const first = directory.passwordHashOf('ann')!;
    expect(await service.update('ann', { name: 'Ann', password: '' })).toMatchObject({ name: 'Ann' });
    expect(partition.sent[1]!.value.password).toBe('');
    expect(directory.passwordHashOf('ann')).toBe(first);
    await service.update('ann', { password: 'second-pw' });
    expect(await verifyPassword('second-pw', directory.passwordHashOf('ann')!)).toBe(true);
  });

  it('deletes; then the user is not found', async () => {
    const { service } = await setup();
    await service.create({ username: 'ann', password: 'pw-pw-pw' });
    await service.delete('ann');
    const err = await refusal(() => service.get('ann'));
    expect(err).toMatchObject({ code: 'NOT_FOUND', message: "Expected to find user with username 'ann', but none was found" });
    expect(service.search({ filter: {}, sort: [], page: { limit: 10 } }).items).toEqual([]);
  });

  it('answers UNAVAILABLE for reads while the users are not loaded', async () => {
    const partition = new FakePartitionOne();
    const service = new UserService(partition, new UserDirectory(partition, { logger: new RecordingLogger() }), FAST);
    expect((await refusal(() => service.get('ann'))).code).toBe('UNAVAILABLE');
  });
});
