/**
 * The power-loss shim on small Node programs: what survives a simulated power loss is each
 * file's content as of its last fsync and each directory's entries as of its last fsync —
 * whatever the program wrote, renamed or deleted after that is gone. The programs are killed
 * with SIGKILL first, and the test checks that what they wrote was really there before the
 * power loss, so a difference afterwards is the power loss's doing.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { describeWithPowerLossShim } from '../support/power-loss/build-shim.js';
import { runThenKill } from '../support/power-loss/killed-program.js';
import { PowerLossDisk } from '../support/power-loss/power-loss-disk.js';

const cleanup: Array<() => void> = [];
afterEach(() => {
  for (const task of cleanup.splice(0)) task();
});

function newDisk(files: Record<string, string> = {}): { disk: PowerLossDisk; dir: string } {
  const root = mkdtempSync(join(tmpdir(), 'zen-power-loss-test-'));
  cleanup.push(() => rmSync(root, { recursive: true, force: true }));
  const dir = join(root, 'data');
  mkdirSync(dir);
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  const disk = PowerLossDisk.watch(dir);
  cleanup.push(() => disk.dispose());
  return { disk, dir };
}

/** A program body with `dir` bound and the fs helpers imported; `syncDir(path)` fsyncs a directory. */
const program = (dir: string, body: string) => `
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { open } from 'node:fs/promises';
const dir = ${JSON.stringify(dir)};
const syncDir = (path) => { const fd = openSync(path, 'r'); fsyncSync(fd); closeSync(fd); };
const writeSynced = (path, text) => { const fd = openSync(path, 'w'); writeSync(fd, text); fsyncSync(fd); closeSync(fd); };
${body}
`;

const read = (path: string) => readFileSync(path, 'utf8');

describeWithPowerLossShim('power-loss shim', () => {
  it('keeps a file as of its last fsync: later writes, and files never synced, are lost', async () => {
    const { disk, dir } = newDisk();
    const outside = mkdtempSync(join(tmpdir(), 'zen-power-loss-outside-'));
    cleanup.push(() => rmSync(outside, { recursive: true, force: true }));
    await runThenKill(
      program(
        dir,
        `
        const fd = openSync(dir + '/synced.txt', 'w');
        writeSync(fd, 'first');
        fsyncSync(fd);
        writeSync(fd, ' second');
        closeSync(fd);
        writeFileSync(dir + '/unsynced.txt', 'never synced');
        writeSynced(${JSON.stringify(join(outside, 'other.txt'))}, 'elsewhere');
        syncDir(dir);
        `,
      ),
      disk.env,
    );
    expect(read(join(dir, 'synced.txt')), 'written before the power loss').toBe('first second');
    expect(read(join(dir, 'unsynced.txt'))).toBe('never synced');
    expect(disk.events().every((e) => e.path.startsWith(dir)), 'only files under the watched directory are recorded').toBe(true);

    disk.simulatePowerLoss();
    expect(read(join(dir, 'synced.txt'))).toBe('first');
    // Its name was durable (the directory was synced), its content never was.
    expect(read(join(dir, 'unsynced.txt'))).toBe('');
    expect(read(join(outside, 'other.txt'))).toBe('elsewhere');
  });

  it('keeps a new name only once its directory was synced, a directory included', async () => {
    const { disk, dir } = newDisk();
    await runThenKill(
      program(
        dir,
        `
        writeSynced(dir + '/named-late.txt', 'content synced, name not');
        mkdirSync(dir + '/sub');
        writeSynced(dir + '/sub/inner.txt', 'inner');
        syncDir(dir + '/sub');
        `,
      ),
      disk.env,
    );
    expect(disk.listing()).toEqual(['named-late.txt', 'sub/', 'sub/inner.txt']);
    disk.simulatePowerLoss();
    // Neither the file's name nor 'sub' was in a synced directory.
    expect(disk.listing()).toEqual([]);

    await runThenKill(
      program(
        dir,
        `
        writeSynced(dir + '/named.txt', 'named');
        mkdirSync(dir + '/sub');
        writeSynced(dir + '/sub/inner.txt', 'inner');
        syncDir(dir + '/sub');
        syncDir(dir);
        `,
      ),
      disk.env,
    );
    disk.simulatePowerLoss();
    expect(disk.listing()).toEqual(['named.txt', 'sub/', 'sub/inner.txt']);
    expect(read(join(dir, 'sub', 'inner.txt'))).toBe('inner');
  });

  it('undoes renames and unlinks whose directory was not synced, even when the inode number is reused', async () => {
    const { disk, dir } = newDisk({ 'current.txt': 'old', 'gone.txt': 'gone' });
    const body = `
      writeSynced(dir + '/next.txt', 'new');
      renameSync(dir + '/next.txt', dir + '/current.txt');
      unlinkSync(dir + '/gone.txt');
      // New files may get the inode number gone.txt had: its record must not be overwritten.
      for (let i = 0; i < 20; i++) writeSynced(dir + '/reuse' + i + '.txt', 'reuse ' + i);
      for (let i = 0; i < 20; i++) unlinkSync(dir + '/reuse' + i + '.txt');
    `;
    await runThenKill(program(dir, body), disk.env);
    expect(disk.listing()).toEqual(['current.txt']);
    expect(read(join(dir, 'current.txt'))).toBe('new');
    expect(disk.events().filter((e) => e.op === 'retire').map((e) => e.path)).toContain(join(dir, 'gone.txt'));
    disk.simulatePowerLoss();
    expect(disk.listing()).toEqual(['current.txt', 'gone.txt']);
    expect(read(join(dir, 'current.txt'))).toBe('old');
    expect(read(join(dir, 'gone.txt'))).toBe('gone');

    await runThenKill(program(dir, `${body}\nsyncDir(dir);`), disk.env);
    disk.simulatePowerLoss();
    expect(disk.listing()).toEqual(['current.txt']);
    expect(read(join(dir, 'current.txt'))).toBe('new');
  });

  it('records fsync and fdatasync from the libuv thread pool and from worker threads', async () => {
    const { disk, dir } = newDisk();
    await runThenKill(
      program(
        dir,
        `
        import { Worker } from 'node:worker_threads';
        const writes = Array.from({ length: 16 }, async (_, i) => {
          const handle = await open(dir + '/pool' + i + '.txt', 'w');
          await handle.writeFile('pool ' + i);
          await (i % 2 ? handle.datasync() : handle.sync());
          await handle.close();
        });
        const worker = new Worker(
          "import('node:fs').then((fs) => { for (let i = 0; i < 8; i++) { const fd = fs.openSync(" + JSON.stringify(dir) + " + '/worker' + i + '.txt', 'w'); fs.writeSync(fd, 'worker ' + i); fs.fsyncSync(fd); fs.closeSync(fd); } })",
          { eval: true },
        );
        await Promise.all([...writes, new Promise((resolve, reject) => worker.once('exit', resolve).once('error', reject))]);
        syncDir(dir);
        `,
      ),
      disk.env,
    );
    const ops = disk.events().map((e) => e.op);
    expect(ops.filter((op) => op === 'datasync')).toHaveLength(8);
    expect(ops.filter((op) => op === 'sync')).toHaveLength(16);
    disk.simulatePowerLoss();
    for (let i = 0; i < 16; i++) expect(read(join(dir, `pool${i}.txt`))).toBe(`pool ${i}`);
    for (let i = 0; i < 8; i++) expect(read(join(dir, `worker${i}.txt`))).toBe(`worker ${i}`);
  });

  it('refuses to simulate a power loss while a process under the shim still runs', async () => {
    const { disk, dir } = newDisk();
    const child = spawn(process.execPath, ['-e', `require('node:fs').writeFileSync(${JSON.stringify(join(dir, 'x'))}, 'x'); console.log('ready'); setInterval(() => {}, 1000);`], {
      env: { ...process.env, ...disk.env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exited = new Promise((resolve) => child.once('close', resolve));
    await new Promise((resolve) => child.stdout.once('data', resolve));
    expect(() => disk.simulatePowerLoss()).toThrow(`process ${child.pid} still runs under the power-loss shim`);
    child.kill('SIGKILL');
    await exited;
    disk.simulatePowerLoss();
    expect(disk.listing()).toEqual([]);
  });

  it('wraps every durability call Node and better-sqlite3 import (a new one would escape the model)', () => {
    const sqlite = join(dirname(createRequire(import.meta.url).resolve('better-sqlite3/package.json')), 'build', 'Release', 'better_sqlite3.node');
    // Calls that make data or names durable, or change names. A new name (link) needs no
    // wrapper: it is recorded with its directory. msync only matters for files written through
    // a shared mapping, which neither Node's fs nor SQLite (without SQLITE_MMAP_READWRITE) does.
    const relevant = /^(fsync|fdatasync|sync|syncfs|sync_file_range|msync|unlink|unlinkat|rmdir|remove|rename|renameat|renameat2|link|linkat)$/;
    const modelled = new Set(['fsync', 'fdatasync', 'unlink', 'unlinkat', 'rmdir', 'remove', 'rename', 'renameat', 'renameat2', 'link', 'linkat', 'msync']);
    for (const binary of [process.execPath, sqlite]) {
      const nm = spawnSync('nm', ['-D', '--undefined-only', binary], { encoding: 'utf8' });
      expect(nm.status, `nm -D ${binary}: ${nm.stderr}`).toBe(0);
      const imported = nm.stdout
        .split('\n')
        .map((line) => line.trim().split(/\s+/).pop()!.split('@')[0]!)
        .filter((name) => relevant.test(name));
      expect(imported, binary).toContain('fsync');
      expect(imported.filter((name) => !modelled.has(name)), `${binary} imports calls the shim does not model`).toEqual([]);
    }
  });
});
