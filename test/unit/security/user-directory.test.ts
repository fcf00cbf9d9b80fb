import { describe, expect, it } from 'vitest';
import type { UsersView } from '../../../src/engine/read-views.js';
import type { UserValue } from '../../../src/engine/records.js';
import { UserDirectory } from '../../../src/security/users/user-directory.js';
import { RecordingLogger } from '../../support/recording-logger.js';

const row = (username: string, password = `hash-${username}`): UserValue => ({ userKey: 1n, username, name: '', email: '', password });

/** A partition 1 whose answers the test sets, recording what it was asked. */
class FakeSource {
  asked: number[] = [];
  answer: UsersView | Error = { version: 0, changed: true, users: [] };
  async readUsers(since: number): Promise<UsersView> {
    this.asked.push(since);
    if (this.answer instanceof Error) throw this.answer;
    if (this.answer.version === since) return { version: since, changed: false };
    return this.answer;
  }
}

function directory(source: FakeSource) {
  const changed: string[] = [];
  const d = new UserDirectory(source, { logger: new RecordingLogger(), onUserChanged: (u) => changed.push(u) });
  return { d, changed };
}

describe('UserDirectory', () => {
  it('is not loaded until a read succeeded; then answers by username and asks with its version', async () => {
    const source = new FakeSource();
    const { d } = directory(source);
    source.answer = new Error('partition 1 is not readable');
    await d.refresh();
    expect(d.loaded).toBe(false);
    source.answer = { version: 3, changed: true, users: [row('ann')] };
    await d.refresh();
    expect(d.loaded).toBe(true);
    expect(d.passwordHashOf('ann')).toBe('hash-ann');
    expect(d.passwordHashOf('bob')).toBeUndefined();
    await d.refresh();
    expect(source.asked).toEqual([-1, -1, 3]);
  });

  it("shows this node's own change at once and keeps it against a replica that lags", async () => {
    const source = new FakeSource();
    const { d } = directory(source);
    source.answer = { version: 1, changed: true, users: [row('ann')] };
    await d.refresh();
    d.applyChange('CREATE', { user: row('bob'), identityVersion: 2 });
    expect(d.passwordHashOf('bob')).toBe('hash-bob');
    // A follower still at version 1 has nothing newer to say; one at an older full table is ignored.
    await d.refresh();
    source.answer = { version: 0, changed: true, users: [] };
    await d.refresh();
    expect(d.all().map((u) => u.username).sort()).toEqual(['ann', 'bob']);
  });

  it('fills a gap from the next full read when a change skipped versions', async () => {
    const source = new FakeSource();
    const { d } = directory(source);
    source.answer = { version: 1, changed: true, users: [row('ann')] };
    await d.refresh();
    // Version 2 (another node's change) was never seen here.
    d.applyChange('CREATE', { user: row('carl'), identityVersion: 3 });
    source.answer = { version: 3, changed: true, users: [row('ann'), row('bob'), row('carl')] };
    await d.refresh();
    expect(source.asked.at(-1)).toBe(1);
    expect(d.all().map((u) => u.username).sort()).toEqual(['ann', 'bob', 'carl']);
  });

  it('reports users whose password changed or who are gone (their cached logins must go)', async () => {
    const source = new FakeSource();
    const { d, changed } = directory(source);
    source.answer = { version: 1, changed: true, users: [row('ann'), row('bob'), row('cid')] };
    await d.refresh();
    source.answer = { version: 3, changed: true, users: [row('ann'), row('bob', 'new-hash')] };
    await d.refresh();
    d.applyChange('DELETE', { user: row('ann', ''), identityVersion: 4 });
    d.applyChange('UPDATE', { user: row('bob', 'newer-hash'), identityVersion: 5 });
    expect(changed).toEqual(['bob', 'cid', 'ann', 'bob']);
    expect(d.get('ann')).toBeUndefined();
  });

  it('polls by itself once started, and resolves whenLoaded', async () => {
    const source = new FakeSource();
    const d = new UserDirectory(source, { logger: new RecordingLogger(), pollMs: 10 });
    d.start();
    await d.whenLoaded();
    source.answer = { version: 1, changed: true, users: [row('ann')] };
    const deadline = Date.now() + 2_000;
    while (!d.get('ann') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    d.stop();
    expect(d.get('ann')).toBeDefined();
  });
});
