/**
 * A partition snapshot is the checkpointed state and the log after the checkpoint — not the
 * log before it, which can be most of a database — and opens as a store at the same index.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteStore } from '../../../src/storage/sqlite-store.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function store(path: string): SqliteStore {
  return new SqliteStore({ path, partitionId: 1, partitionCount: 1, syncMode: 'normal', history: false });
}

describe('partition snapshot', () => {
  it('holds the checkpointed state and the log after the checkpoint only', () => {
    const dir = mkdtempSync(join(tmpdir(), 'zen-snapshot-'));
    dirs.push(dir);
    const source = store(join(dir, 'source.db'));
    const big = new Uint8Array(64 * 1024).fill(7);
    for (let i = 1; i <= 40; i++) source.appendEntries([{ index: i, firstPosition: 2 * i - 1, lastPosition: 2 * i, keyCounter: BigInt(i), data: big }]);
    source.writeCheckpoint(36, [
      ['jobs', 'a', new Uint8Array([1])],
      ['jobs', 'b', new Uint8Array([2])],
    ]);
    const path = join(dir, 'snapshot.db');
    expect(source.snapshotTo(path)).toEqual({ index: 40, position: 80 });
    source.close();

    const copy = store(path);
    try {
      expect(copy.info()).toEqual({ lastIndex: 40, lastPosition: 80, checkpointIndex: 36 });
      expect(copy.readEntries(1, 100).map((e) => e.index)).toEqual([37, 38, 39, 40]);
      expect(copy.stateRows().map(([cf, k, v]) => [cf, k, [...v]])).toEqual([
        ['jobs', 'a', [1]],
        ['jobs', 'b', [2]],
      ]);
      // It goes on where the source was.
      copy.appendEntries([{ index: 41, firstPosition: 81, lastPosition: 81, keyCounter: 41n, data: new Uint8Array(1) }]);
    } finally {
      copy.close();
    }
    expect(statSync(path).size, 'the log before the checkpoint stayed behind').toBeLessThan(statSync(join(dir, 'source.db')).size / 4);
  });

  it('of a log compacted up to its checkpoint, starts where the source had compacted', () => {
    const dir = mkdtempSync(join(tmpdir(), 'zen-snapshot-'));
    dirs.push(dir);
    const source = store(join(dir, 'source.db'));
    for (let i = 1; i <= 5; i++) source.appendEntries([{ index: i, firstPosition: i, lastPosition: i, keyCounter: BigInt(i), data: new Uint8Array(4) }]);
    source.writeCheckpoint(5, []);
    source.compact(6);
    const path = join(dir, 'snapshot.db');
    source.snapshotTo(path);
    source.close();
    const copy = store(path);
    try {
      expect(copy.info()).toEqual({ lastIndex: 5, lastPosition: 5, checkpointIndex: 5 });
      expect(copy.readEntries(1, 10)).toEqual([]);
    } finally {
      copy.close();
    }
  });
});
