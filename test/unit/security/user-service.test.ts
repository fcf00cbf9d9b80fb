import { describe, expect, it } from 'vitest';
import { ZenError } from '../../../src/errors.js';
import { verifyPassword } from '../../../src/security/password-hash.js';
import { UserDirectory } from '../../../src/security/users/user-directory.js';
import { UserService } from '../../../src/security/users/user-service.js';
import { FakePartitionOne } from '../../support/fake-users.js';
import { RecordingLogger } from '../../support/recording-logger.js';

const FAST = { ln: 4, r: 8, p: 1 };

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
