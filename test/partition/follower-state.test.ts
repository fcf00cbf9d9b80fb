/**
 * A follower's state held in its storage worker (src/partition/follower-state.ts): it is what a
 * replica applying the same entries on the main thread has, it is rebuilt from the checkpoint
 * and the log when reopened, it answers reads (declining keys it has not reached), and it is
 * handed to the engine on election and taken back after.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { Replica } from '../../src/partition/replica.js';
import { committedLog } from '../support/committed-log.js';
import { dumpState } from '../support/engine-harness.js';

const logger = pino({ level: 'silent' });
const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'zen-follower-'));
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function replica(dataDir: string, following: boolean, checkpointIntervalMs = 60_000): Promise<Replica> {
  const opened = await Replica.open({ dataDir, partitionId: 1, partitionCount: 1, syncMode: 'normal', logger, checkpointIntervalMs, following });
  cleanup.push(() => opened.close().catch(() => {}));
  return opened;
}

describe('a followed state in the storage worker', () => {
  it('is what the main thread builds from the same entries, before and after reopening, and after the engine takes it', async () => {
    const log = await committedLog(tempDir(), 8);
    const reference = await replica(tempDir(), false);
    await reference.applyCommittedRaw(log);
    const expected = dumpState(reference.state);
    expect(expected.messages?.length, 'the entries hold state to compare').toBeGreaterThan(0);

    const dataDir = tempDir();
    const follower = await replica(dataDir, true);
    await follower.applyCommittedRaw(log.slice(0, 3));
    await follower.applyCommittedRaw(log.slice(3));
    expect(follower.lastIndex).toBe(8);
    expect(await follower.dump()).toEqual(expected);
    expect(dumpState(follower.state), 'nothing of it on the main thread').toEqual(dumpState((await replica(tempDir(), false)).state));
    await follower.close();

    // No checkpoint was due (60 s): the reopened worker replays the log after the last one.
    const reopened = await replica(dataDir, true);
    expect(reopened.lastIndex).toBe(8);
    expect(await reopened.dump()).toEqual(expected);

    // Elected: the engine's state is loaded from the worker's checkpoint.
    await reopened.lead();
    expect(dumpState(reopened.state)).toEqual(expected);
    expect(await reopened.read({ kind: 'users', since: -1 }), 'reads go through the leader now').toBeNull();

    // Back to following: the worker holds it again, the main thread nothing.
    await reopened.follow();
    expect(await reopened.dump()).toEqual(expected);
    expect(Object.values(dumpState(reopened.state)).every((rows) => rows.length === 0)).toBe(true);
  });

  it('checkpoints by itself once the interval has passed', async () => {
    const log = await committedLog(tempDir(), 4);
    const follower = await replica(tempDir(), true, 0);
    expect(follower.store.checkpointIndex).toBe(0);
    await follower.applyCommittedRaw(log.slice(0, 2));
    expect(follower.store.checkpointIndex).toBe(2);
    await follower.applyCommittedRaw(log.slice(2));
    expect(follower.store.checkpointIndex).toBe(4);
  });

  it('answers a read only for keys it has reached', async () => {
    const log = await committedLog(tempDir(), 3);
    const follower = await replica(tempDir(), true);
    await follower.applyCommittedRaw(log.slice(0, 1));
    const counter = log[0]!.keyCounter;
    // A key it has handed out (of an instance that does not exist): an honest "not found".
    expect(await follower.read({ kind: 'processInstance', key: (1n << 51n) + counter })).toEqual({ reached: true, value: null });
    // A key created by entries it has not applied: it declines, another member answers.
    expect(await follower.read({ kind: 'processInstance', key: (1n << 51n) + counter + 1n })).toEqual({ reached: false });
    await follower.applyCommittedRaw(log.slice(1));
    expect(await follower.read({ kind: 'processInstance', key: (1n << 51n) + counter + 1n })).toEqual({ reached: true, value: null });
  });

  it('refuses an entry that does not follow its log, and is rebuilt from disk after', async () => {
    const log = await committedLog(tempDir(), 4);
    const follower = await replica(tempDir(), true);
    await follower.applyCommittedRaw(log.slice(0, 2));
    await expect(follower.applyCommittedRaw(log.slice(3))).rejects.toThrow(/does not follow/);
    expect(follower.failed).not.toBeNull();
    await follower.reopen();
    expect(follower.lastIndex).toBe(2);
    await follower.applyCommittedRaw(log.slice(2));
    expect(follower.lastIndex).toBe(4);
  });
});
