/**
 * A directory whose processes run under the power-loss shim (power-loss-shim.c), and the power
 * loss itself: after the processes were killed with SIGKILL, `simulatePowerLoss()` replaces the
 * directory's content with what the shim recorded as durable. What was in the directory when
 * it was armed counts as durable (the machine had time to write it back before the process
 * started); so does the directory itself.
 */
import { copyFileSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { powerLossShim } from './build-shim.js';

export interface ShimEvent {
  readonly op: 'sync' | 'datasync' | 'dirsync' | 'retire';
  /** Inode and generation ("<inode>.<generation>"). */
  readonly key: string;
  readonly path: string;
}

const keyOf = (path: string) => `${lstatSync(path, { bigint: true }).ino}.0`;

export class PowerLossDisk {
  private constructor(
    readonly dir: string,
    private readonly shadow: string,
  ) {}

  /** Arms the shim for `dir` (created if missing): from now on only what its processes sync survives. */
  static watch(dir: string): PowerLossDisk {
    powerLossShim(); // fails here, with the compiler's output, rather than when a process starts
    mkdirSync(dir, { recursive: true });
    const disk = new PowerLossDisk(resolve(dir), mkdtempSync(join(tmpdir(), 'zen-power-loss-record-')));
    disk.arm();
    return disk;
  }

  /**
   * For a process to run under the shim. libuv's io_uring would send fsync past libc (and the
   * shim) where it is enabled; UV_USE_IO_URING=0 keeps fsync on the thread pool.
   */
  get env(): Record<string, string> {
    const preload = [powerLossShim(), process.env.LD_PRELOAD].filter(Boolean).join(':');
    return { LD_PRELOAD: preload, POWER_LOSS_WATCH: this.dir, POWER_LOSS_SHADOW: this.shadow, UV_USE_IO_URING: '0' };
  }

  /** What the shim recorded since the directory was (re-)armed, in order. */
  events(): ShimEvent[] {
    const file = join(this.shadow, 'events');
    if (!existsSync(file)) return [];
    return readFileSync(file, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => {
        const [op, key, ...path] = line.split(' ');
        return { op: op as ShimEvent['op'], key: key!, path: path.join(' ') };
      });
  }

  /**
   * The power loss: the directory's content becomes what was durable — each directory's entries
   * as of its last fsync, each file's content as of its last fsync — and the shim is armed
   * again on that. Every process that ran under the shim must be gone (kill -9 it first).
   */
  simulatePowerLoss(): void {
    for (const pid of readdirSync(join(this.shadow, 'pids')).map(Number)) {
      if (alive(pid)) throw new Error(`process ${pid} still runs under the power-loss shim: kill it (SIGKILL) before the power loss`);
    }
    for (const entry of readdirSync(this.dir)) rmSync(join(this.dir, entry), { recursive: true, force: true });
    this.rebuild(readFileSync(join(this.shadow, 'root'), 'utf8').trim(), this.dir);
    this.arm();
  }

  /** Paths (relative to the directory) of every file and directory in it now. */
  listing(): string[] {
    const out: string[] = [];
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
        const path = join(dir, entry.name);
        out.push(relative(this.dir, path) + (entry.isDirectory() ? '/' : ''));
        if (entry.isDirectory()) walk(path);
      }
    };
    walk(this.dir);
    return out;
  }

  dispose(): void {
    rmSync(this.shadow, { recursive: true, force: true });
  }

  /** A fresh record whose durable state is the directory as it is now. */
  private arm(): void {
    for (const entry of readdirSync(this.shadow)) rmSync(join(this.shadow, entry), { recursive: true, force: true });
    for (const sub of ['nodes', 'gens', 'pids', 'tmp']) mkdirSync(join(this.shadow, sub));
    const record = (dir: string): string => {
      const key = keyOf(dir);
      const lines: string[] = [];
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) lines.push(`d ${record(path)} ${entry.name}`);
        else if (entry.isFile()) {
          const fileKey = keyOf(path);
          copyFileSync(path, join(this.shadow, 'nodes', fileKey));
          lines.push(`f ${fileKey} ${entry.name}`);
        }
      }
      writeFileSync(join(this.shadow, 'nodes', `${key}.dir`), lines.map((l) => `${l}\n`).join(''));
      return key;
    };
    writeFileSync(join(this.shadow, 'root'), record(this.dir));
  }

  /** Writes the durable image of directory `key` into `into` (which exists and is empty). */
  private rebuild(key: string, into: string): void {
    const listing = join(this.shadow, 'nodes', `${key}.dir`);
    // A directory whose own entries were never synced is empty after the power loss.
    if (!existsSync(listing)) return;
    for (const line of readFileSync(listing, 'utf8').split('\n').filter(Boolean)) {
      const [type, childKey, ...rest] = line.split(' ');
      const path = join(into, rest.join(' '));
      if (type === 'd') {
        mkdirSync(path);
        this.rebuild(childKey!, path);
      } else {
        const content = join(this.shadow, 'nodes', childKey!);
        // Named by a synced directory, but its content never synced: nothing of it reached the disk.
        if (existsSync(content)) copyFileSync(content, path);
        else writeFileSync(path, '');
      }
    }
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
