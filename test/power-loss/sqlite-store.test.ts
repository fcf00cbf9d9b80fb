/**
 * What a partition database (SqliteStore, as a cluster replica runs it: synchronous=NORMAL)
 * keeps through a power loss, under the power-loss shim. A member reports its checkpoint index
 * to etcd, and etcd's log is compacted below it, so the reported checkpoint must survive:
 * - a checkpoint, once written, is durable, and with it the log up to it; log appends on
 *   their own are not synced (they stay cheap: etcd holds the durable copy);
 * - the same for a database in directories the store created itself;
 * - a database renamed or copied into place (an installed snapshot) is durable once the store
 *   opened it.
 * The programs are killed with SIGKILL after printing what the store reported.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, expect, it } from 'vitest';
import { SqliteStore, type StoreInfo } from '../../src/storage/sqlite-store.js';
import { describeWithPowerLossShim } from '../support/power-loss/build-shim.js';
import { runThenKill } from '../support/power-loss/killed-program.js';
import { PowerLossDisk } from '../support/power-loss/power-loss-disk.js';
import { REPO_ROOT } from '../support/server-process.js';

const STORE_MODULE = pathToFileURL(join(REPO_ROOT, 'dist', 'storage', 'sqlite-store.js')).href;

const cleanup: Array<() => void> = [];
afterEach(() => {
  for (const task of cleanup.splice(0)) task();
});

function newDisk(...dirs: string[]): { disk: PowerLossDisk; dir: string } {
  const root = mkdtempSync(join(tmpdir(), 'zen-power-loss-store-'));
  cleanup.push(() => rmSync(root, { recursive: true, force: true }));
  const dir = join(root, 'data');
  for (const sub of dirs) mkdirSync(join(dir, sub), { recursive: true });
  const disk = PowerLossDisk.watch(dir);
  cleanup.push(() => disk.dispose());
  return { disk, dir };
}

/** A program with SqliteStore and helpers: `open(path)`, `append(store, from, to)`, `report(store)`. */
const program = (body: string) => `
import { closeSync, fsyncSync, openSync, renameSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { SqliteStore } from ${JSON.stringify(STORE_MODULE)};
const open = (path) => new SqliteStore({ path, partitionId: 1, partitionCount: 1, syncMode: 'normal', history: false });
const append = (store, from, to) => {
  for (let i = from; i <= to; i++) {
    store.appendEntries([{ index: i, firstPosition: i, lastPosition: i, keyCounter: BigInt(i), data: Buffer.from('entry ' + i) }]);
  }
};
const row = (i) => ['t', 'k' + i, Buffer.from('row ' + i)];
const report = (store) => console.log(JSON.stringify(store.info()));
const syncPath = (path) => { const fd = openSync(path, 'r'); fsyncSync(fd); closeSync(fd); };
${body}
`;

/** The store on the power-loss image: what it holds, read in this (unshimmed) process. */
function afterPowerLoss(path: string): { info: StoreInfo; indexes: number[]; rows: string[] } {
  const store = new SqliteStore({ path, partitionId: 1, partitionCount: 1, syncMode: 'normal', history: false });
  try {
    return {
      info: store.info(),
      indexes: store.readEntries(1, 1000).map((e) => e.index),
      rows: store.stateRows().map(([, key]) => key),
    };
  } finally {
    store.close();
  }
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describeWithPowerLossShim('a partition database through a power loss', () => {
  it('keeps the last checkpoint it reported and the log up to it; appends after it are not synced', async () => {
    const { disk, dir } = newDisk('partitions/1');
    const path = join(dir, 'partitions', '1', 'zen.db');
    const reported = await runThenKill(
      program(`
        const store = open(${JSON.stringify(path)});
        append(store, 1, 10);
        store.writeCheckpoint(10, [row(1), row(2)]);
        report(store);
        append(store, 11, 15);
        report(store);
      `),
      disk.env,
    );
    const [atCheckpoint, atEnd] = reported.map((line) => JSON.parse(line) as StoreInfo);
    expect(atCheckpoint!.checkpointIndex).toBe(10);
    expect(atEnd!.lastIndex, 'the program appended after the checkpoint').toBe(15);

    disk.simulatePowerLoss();
    const image = afterPowerLoss(path);
    expect(image.info.checkpointIndex, 'the reported checkpoint survives').toBe(atCheckpoint!.checkpointIndex);
    expect(image.rows).toEqual(['k1', 'k2']);
    expect(image.indexes, 'the log up to the checkpoint survives').toEqual(range(1, atCheckpoint!.checkpointIndex));
    // Nothing synced them: appends run at synchronous=NORMAL.
    expect(image.info.lastIndex, 'appends after the checkpoint were not synced').toBe(atCheckpoint!.lastIndex);
  });

  it('keeps a checkpoint of a database in directories the store created', async () => {
    const { disk, dir } = newDisk();
    const path = join(dir, 'partitions', '1', 'zen.db');
    const [line] = await runThenKill(
      program(`
        const store = open(${JSON.stringify(path)});
        append(store, 1, 5);
        store.writeCheckpoint(5, [row(1)]);
        report(store);
      `),
      disk.env,
    );
    const reported = JSON.parse(line!) as StoreInfo;
    expect(reported.checkpointIndex).toBe(5);
    disk.simulatePowerLoss();
    expect(disk.listing()).toEqual(['partitions/', 'partitions/1/', 'partitions/1/zen.db', 'partitions/1/zen.db-wal']);
    expect(afterPowerLoss(path).info.checkpointIndex).toBe(reported.checkpointIndex);
  });

  it('keeps a database renamed into place (an installed snapshot) once the store opened it', async () => {
    const { disk, dir } = newDisk('partitions/1');
    const path = join(dir, 'partitions', '1', 'zen.db');
    const source = join(mkdtempSync(join(tmpdir(), 'zen-power-loss-source-')), 'zen.db');
    cleanup.push(() => rmSync(join(source, '..'), { recursive: true, force: true }));
    const [line] = await runThenKill(
      program(`
        const path = ${JSON.stringify(path)};
        const old = open(path);
        append(old, 1, 3);
        old.writeCheckpoint(3, [row(1)]);
        old.close();
        // Another node's replica, further ahead, sent as a snapshot: received like
        // snapshot-transfer.ts does (synced, renamed, directory synced) ...
        const peer = open(${JSON.stringify(source)});
        append(peer, 1, 8);
        peer.writeCheckpoint(8, [row(1), row(8)]);
        peer.snapshotTo(path + '.snapshot.part');
        peer.close();
        syncPath(path + '.snapshot.part');
        renameSync(path + '.snapshot.part', path + '.snapshot');
        syncPath(dirname(path));
        // ... and installed like partition-member.ts does.
        rmSync(path + '-wal', { force: true });
        rmSync(path + '-shm', { force: true });
        renameSync(path + '.snapshot', path);
        report(open(path));
      `),
      disk.env,
    );
    const reported = JSON.parse(line!) as StoreInfo;
    expect(reported.checkpointIndex, 'the store reports the snapshot').toBe(8);
    disk.simulatePowerLoss();
    const image = afterPowerLoss(path);
    expect(image.info.checkpointIndex).toBe(reported.checkpointIndex);
    expect(image.rows).toEqual(['k1', 'k8']);
  });

  it('keeps a database file put in place unsynced once the store opened it', async () => {
    const { disk, dir } = newDisk('partitions/1');
    const path = join(dir, 'partitions', '1', 'zen.db');
    const source = join(mkdtempSync(join(tmpdir(), 'zen-power-loss-source-')), 'zen.db');
    cleanup.push(() => rmSync(join(source, '..'), { recursive: true, force: true }));
    const peer = new SqliteStore({ path: source, partitionId: 1, partitionCount: 1, syncMode: 'normal', history: false });
    peer.appendEntries([{ index: 1, firstPosition: 1, lastPosition: 1, keyCounter: 1n, data: Buffer.from('entry 1') }]);
    peer.writeCheckpoint(1, [['t', 'k1', Buffer.from('row 1')]]);
    peer.close();
    const [line] = await runThenKill(
      program(`
        import { copyFileSync } from 'node:fs';
        copyFileSync(${JSON.stringify(source)}, ${JSON.stringify(path)});
        report(open(${JSON.stringify(path)}));
      `),
      disk.env,
    );
    expect((JSON.parse(line!) as StoreInfo).checkpointIndex).toBe(1);
    disk.simulatePowerLoss();
    expect(afterPowerLoss(path).rows).toEqual(['k1']);
  });
});
