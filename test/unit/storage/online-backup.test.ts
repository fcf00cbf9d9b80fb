/**
 * A backup's copy of a partition (PartitionStore.backup, SQLite's online backup in slices):
 * appends go on while it is made, and the copy opens as a store at the index it reports.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PartitionStore } from '../../../src/storage/partition-store.js';
import { SqliteStore } from '../../../src/storage/sqlite-store.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const entry = (i: number) => ({ index: i, firstPosition: 2 * i - 1, lastPosition: 2 * i, keyCounter: BigInt(i), data: new Uint8Array(16 * 1024).fill(i % 251) });

describe('online backup of a partition database', () => {
  it('lets appends through while it copies, and the copy is the database at the index it reports', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'zen-online-backup-'));
    dirs.push(dir);
    const options = { path: join(dir, 'zen.db'), partitionId: 1, partitionCount: 1, syncMode: 'normal' as const, history: false };
    const seed = new SqliteStore(options);
    for (let i = 1; i <= 3000; i += 100) seed.appendEntries(Array.from({ length: 100 }, (_, k) => entry(i + k)));
    seed.writeCheckpoint(3000, [['jobs', 'a', new Uint8Array([1])]]);
    seed.close();

    const store = await PartitionStore.open(options);
    let next = 3001;
    let finished = false;
    const copy = store.backup(join(dir, 'copy.db')).finally(() => {
      finished = true;
    });
    let appendedDuring = 0;
    while (!finished) {
      await store.appendRaw(entry(next++));
      appendedDuring++;
    }
    const { index, position } = await copy;
    await store.close();
    // ~48 MB in slices of 1 MiB: appends are served between them, not after the whole copy.
    expect(appendedDuring).toBeGreaterThan(1);
    expect(index).toBeGreaterThanOrEqual(3000);
    expect(index).toBeLessThan(next);
    expect(position).toBe(2 * index);

    const restored = new SqliteStore({ ...options, path: join(dir, 'copy.db') });
    try {
      expect(restored.info()).toEqual({ lastIndex: index, lastPosition: 2 * index, checkpointIndex: 3000 });
      expect(restored.readEntries(index, 10).map((e) => e.index)).toEqual([index]);
      expect(restored.stateRows().map(([cf, k]) => [cf, k])).toEqual([['jobs', 'a']]);
    } finally {
      restored.close();
    }
  });
});
