/**
 * A local write that fails (a full disk, injected through the store's fault hook) poisons the
 * store: every write behind it is refused with the same error, none of them reaches the disk.
 * A replica reopened from disk has exactly the state of the last durable entry — the same as a
 * replica that never failed — and follows new entries again. A single-node partition refuses
 * the failed batch (UNAVAILABLE, certainly not written), refuses new work while the disk is
 * broken, and processes again once its store is reopened.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { isZenError } from '../../src/errors.js';
import type { CommandResponse } from '../../src/engine/processing/types.js';
import { Partition } from '../../src/partition/partition.js';
import { partitionDbPath, Replica } from '../../src/partition/replica.js';
import type { RawLogEntry } from '../../src/storage/log-entry.js';
import { SqliteStore } from '../../src/storage/sqlite-store.js';
import { dumpState } from '../support/engine-harness.js';
import { committedLog as writeCommittedLog, publish, standalonePartition } from '../support/committed-log.js';

const logger = pino({ level: 'silent' });
const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'zen-diskfull-'));
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function standalone(dataDir: string): Partition {
  const partition = standalonePartition(dataDir);
  cleanup.push(() => partition.close().catch(() => {}));
  return partition;
}

/** A committed log of `count` entries (one message each), as a leader wrote it. */
function committedLog(count: number): Promise<RawLogEntry[]> {
  return writeCommittedLog(tempDir(), count);
}

async function replica(dataDir = tempDir()): Promise<Replica> {
  const opened = await Replica.open({ dataDir, partitionId: 1, partitionCount: 1, syncMode: 'normal', logger, checkpointIntervalMs: 60_000 });
  cleanup.push(() => opened.close().catch(() => {}));
  return opened;
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a rejection');
}

describe('a store whose write failed', () => {
  it('refuses every later write with the original error, in the worker itself', async () => {
    const log = await committedLog(4);
    const path = partitionDbPath(tempDir(), 1);
    const store = new SqliteStore({ path, partitionId: 1, partitionCount: 1, syncMode: 'normal' });
    cleanup.push(() => store.close());
    store.appendEntries(log.slice(0, 2));
    store.writeCheckpoint(2, []);
    store.injectFault('append');
    let original: unknown;
    try {
      store.appendEntries([log[2]!]);
    } catch (err) {
      original = err;
    }
    expect(isZenError(original) && original.code).toBe('RESOURCE_EXHAUSTED');
    expect(store.failed).toBe(original);
    // A checkpoint at the durable index would be accepted by a healthy store: not by this one.
    expect(() => store.writeCheckpoint(2, [['messages', 'x', new Uint8Array([1])]])).toThrow((original as Error).message);
    expect(() => store.appendEntries([log[2]!])).toThrow((original as Error).message);
    expect(() => store.compact(2)).toThrow((original as Error).message);
    expect(() => store.snapshotTo(`${path}.snap`)).toThrow((original as Error).message);
    await expect(store.backupTo(`${path}.bak`)).rejects.toThrow((original as Error).message);
    expect(store.info()).toMatchObject({ lastIndex: 2, checkpointIndex: 2 });
    store.close();

    const reopened = new SqliteStore({ path, partitionId: 1, partitionCount: 1, syncMode: 'normal' });
    cleanup.push(() => reopened.close());
    expect(reopened.failed).toBeNull();
    expect(reopened.stateRows()).toEqual([]);
    expect(reopened.readEntries(1, 100).map((e) => e.index)).toEqual([1, 2]);
    reopened.appendEntries(log.slice(2));
    expect(reopened.info().lastIndex).toBe(4);
  });

  it('refuses the writes queued behind a failed append, and new ones at once', async () => {
    const log = await committedLog(5);
    const r = await replica();
    await r.applyCommittedRaw(log.slice(0, 2));
    await r.store.injectFault('append');
    // All posted before the failure is known: pipelined as a follower or leader does.
    const failing = r.store.appendRawMany([log[2]!]);
    const behind = r.store.appendRawMany([log[3]!]);
    const checkpoint = r.store.checkpoint(r.state, true);
    const compaction = r.store.compact(3);
    const original = await rejection(failing);
    expect(isZenError(original) && original.code).toBe('RESOURCE_EXHAUSTED');
    expect(original.message).toMatch(/disk full/);
    for (const refused of [behind, checkpoint, compaction]) expect((await rejection(refused)).message).toBe(original.message);
    expect(r.failed).toBe(r.store.failed);
    expect(r.store.failed?.message).toBe(original.message);
    expect((await rejection(r.store.appendRawMany([log[4]!]))).message).toBe(original.message);
    expect((await rejection(r.store.snapshot(join(tempDir(), 'snap.db')))).message).toBe(original.message);
    // Nothing behind the failure was written: the durable log still ends at 2.
    await r.store.refresh();
    expect(r.store.lastIndex).toBe(2);
    expect(r.store.checkpointIndex).toBe(0);
  });
});

describe('a replica whose local append failed', () => {
  it('reopens from disk with the state of a replica that never failed, and follows again', async () => {
    const log = await committedLog(8);
    const healthy = await replica();
    await healthy.applyCommittedRaw(log.slice(0, 4));
    const healthyAt4 = dumpState(healthy.state);
    await healthy.applyCommittedRaw(log.slice(4));

    const broken = await replica();
    await broken.applyCommittedRaw(log.slice(0, 3));
    await broken.checkpoint();
    await broken.applyCommittedRaw([log[3]!]);
    await broken.store.injectFault('append');
    const original = await rejection(broken.applyCommittedRaw(log.slice(4, 6)));
    expect(original.message).toMatch(/disk full/);
    expect(broken.failed).not.toBeNull();
    // The in-memory state ran ahead of the disk (the entries were applied before the write).
    expect(dumpState(broken.state)).not.toEqual(healthyAt4);
    // Later entries are refused with the same error, not "does not follow".
    expect((await rejection(broken.applyCommittedRaw(log.slice(6, 7)))).message).toBe(original.message);

    const stateObject = broken.state;
    await broken.reopen();
    expect(broken.failed).toBeNull();
    expect(broken.state).toBe(stateObject);
    expect(broken.lastIndex).toBe(4);
    expect(broken.lastPosition).toBe(log[3]!.lastPosition);
    expect(dumpState(broken.state)).toEqual(healthyAt4);

    await broken.applyCommittedRaw(log.slice(4));
    expect(broken.lastIndex).toBe(8);
    expect(dumpState(broken.state)).toEqual(dumpState(healthy.state));
    await broken.checkpoint();
    await healthy.checkpoint();
    const rows = async (r: Replica) => {
      const dir = tempDir();
      const snap = join(dir, 'snap.db');
      await r.store.snapshot(snap);
      const copy = new SqliteStore({ path: snap, partitionId: 1, partitionCount: 1, syncMode: 'normal' });
      try {
        return copy.stateRows().map(([cf, k, v]) => [cf, k, Buffer.from(v).toString('hex')]);
      } finally {
        copy.close();
      }
    };
    const brokenRows = await rows(broken);
    expect(brokenRows.length).toBeGreaterThan(0);
    expect(brokenRows).toEqual(await rows(healthy));
  });

  it('recovers from a failed checkpoint the same way', async () => {
    const log = await committedLog(4);
    const r = await replica();
    await r.applyCommittedRaw(log.slice(0, 2));
    await r.store.injectFault('checkpoint');
    await expect(r.checkpoint()).rejects.toThrow(/disk full/);
    expect((await rejection(r.applyCommittedRaw(log.slice(2)))).message).toMatch(/disk full/);
    await r.reopen();
    expect(r.lastIndex).toBe(2);
    await r.applyCommittedRaw(log.slice(2));
    expect(r.lastIndex).toBe(4);
    expect(r.state.messages.table.size).toBe(4);
  });
});

describe('a single-node partition whose local append failed', () => {
  it('refuses the batch as not written, refuses new work while broken, and processes again after reopening', async () => {
    const dataDir = tempDir();
    const partition = standalone(dataDir);
    await partition.open();
    expect(await partition.submit(publish('before'))).toMatchObject({ ok: true });
    await partition.store.injectFault('append');
    const failed: CommandResponse = await partition.submit(publish('lost'));
    expect(failed).toMatchObject({ ok: false, rejectionType: 'NOT_LEADER' });
    expect(failed.ok === false && failed.reason).toMatch(/disk full/);
    // Until the store is reopened (after 1 s), new work is refused with the store's error.
    const refused = await rejection(partition.submit(publish('meanwhile')));
    expect(isZenError(refused) && refused.code).toBe('RESOURCE_EXHAUSTED');
    expect(partition.isReady).toBe(false);
    const deadline = Date.now() + 5000;
    while (!partition.isReady && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(partition.isReady).toBe(true);
    expect(partition.lastLogIndex).toBe(1);
    // The lost message is not in the state the partition goes on from.
    expect([...partition.state.messages.table.values()].map((m) => m.value.name)).toEqual(['before']);
    expect(await partition.submit(publish('after'))).toMatchObject({ ok: true });
    expect(partition.lastLogIndex).toBe(2);
    expect([...partition.state.messages.table.values()].map((m) => m.value.name).sort()).toEqual(['after', 'before']);
  });
});
