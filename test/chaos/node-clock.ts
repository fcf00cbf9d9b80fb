/**
 * A node's own wall clock, moved with libfaketime (Debian's `faketime` package). Every chaos
 * node is started with the library preloaded and a timestamp file of its own; writing an
 * offset in seconds to that file ("+300", "-45", "+0") moves the process's real-time clock
 * (Date.now(), new Date(), gettimeofday) by that much, and its monotonic clock
 * (performance.now(), process.hrtime, libuv's timers) not at all: what a wall clock stepped by
 * NTP or by hand does to one machine. etcd and the test's own process keep the real time, so
 * a jump is skew between that node and everything else.
 *
 * The library re-reads the file at most once a second (FAKETIME_CACHE_DURATION=1: a second
 * boundary after the write, so a change lands within 2 s; FAKETIME_NO_CACHE re-reads it on
 * every call and makes Date.now() cost about 5 µs instead of 0.1). File timestamps are left
 * alone (NO_FAKE_STAT): only the clock moves. The file is replaced by rename, so a read never
 * sees it half written.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Where Debian and a `make install` from source put the library (the first that exists is used). */
const CANDIDATES = [
  `/usr/lib/${process.arch === 'arm64' ? 'aarch64' : 'x86_64'}-linux-gnu/faketime/libfaketime.so.1`,
  '/usr/lib/faketime/libfaketime.so.1',
  '/usr/local/lib/faketime/libfaketime.so.1',
];

/** How far the probe jumps its child's clock, and how long it gives the jump to land. */
const PROBE_JUMP_S = 3_600;
const PROBE_WAIT_MS = 4_000;

export function findFaketimeLibrary(): string | null {
  return CANDIDATES.find((path) => existsSync(path)) ?? null;
}

/** The environment a process needs for its wall clock to follow `timestampFile`. */
export function faketimeEnv(library: string, timestampFile: string): Record<string, string> {
  return {
    LD_PRELOAD: [library, process.env.LD_PRELOAD].filter(Boolean).join(':'),
    FAKETIME_TIMESTAMP_FILE: timestampFile,
    FAKETIME_CACHE_DURATION: '1',
    FAKETIME_DONT_FAKE_MONOTONIC: '1',
    NO_FAKE_STAT: '1',
  };
}

/** libfaketime's relative offset: whole seconds with a sign ("+0", "+300", "-45"). */
export function offsetText(offsetMs: number): string {
  const seconds = Math.round(offsetMs / 1000);
  return seconds < 0 ? String(seconds) : `+${seconds}`;
}

/** Writes the offset atomically: a temporary file beside it, renamed over it. */
export function writeClockOffset(timestampFile: string, offsetMs: number): void {
  const temporary = `${timestampFile}.${process.pid}.tmp`;
  writeFileSync(temporary, `${offsetText(offsetMs)}\n`);
  renameSync(temporary, timestampFile);
}

/**
 * true when a node's wall clock can be jumped here, else why not: the library exists, and a
 * child node process started with it sees its Date.now() jump an hour when its timestamp file
 * says so, while its monotonic clock does not. `ZEN_CHAOS_FAKETIME=0` turns it off.
 */
export function probeFaketime(): { library: string } | string {
  if (process.env.ZEN_CHAOS_FAKETIME === '0') return 'ZEN_CHAOS_FAKETIME=0';
  if (process.platform !== 'linux') return `platform ${process.platform}`;
  const library = findFaketimeLibrary();
  if (!library) return `libfaketime not found (${CANDIDATES.join(', ')}; Debian package faketime)`;
  const dir = mkdtempSync(join(tmpdir(), 'zen-chaos-faketime-probe-'));
  const file = join(dir, 'clock');
  try {
    writeClockOffset(file, 0);
    // The child moves its own clock (the same atomic write), then watches wall minus monotonic time.
    const script = `
      const { renameSync, writeFileSync } = require('node:fs');
      const file = process.env.FAKETIME_TIMESTAMP_FILE;
      const skew = () => Date.now() - performance.now();
      const before = skew();
      const startedOff = Date.now() - Number(process.argv[1]);
      writeFileSync(file + '.child', '+${PROBE_JUMP_S}\\n');
      renameSync(file + '.child', file);
      const t0 = performance.now();
      const nap = new Int32Array(new SharedArrayBuffer(4));
      let seenAfterMs = -1;
      while (performance.now() - t0 < ${PROBE_WAIT_MS}) {
        if (Math.abs(skew() - before - ${PROBE_JUMP_S * 1000}) < 1000) { seenAfterMs = Math.round(performance.now() - t0); break; }
        Atomics.wait(nap, 0, 0, 20);
      }
      console.log(JSON.stringify({ startedOff, seenAfterMs, monotonicMs: Math.round(performance.now() - t0), jumpedBy: Math.round(skew() - before) }));
    `;
    const env: NodeJS.ProcessEnv = { ...process.env, ...faketimeEnv(library, file) };
    const out = execFileSync(process.execPath, ['-e', script, String(Date.now())], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: PROBE_WAIT_MS + 10_000 });
    const result = JSON.parse(out.trim().split('\n').pop()!) as { startedOff: number; seenAfterMs: number; monotonicMs: number; jumpedBy: number };
    if (Math.abs(result.startedOff) > 5_000) return `a preloaded process started ${result.startedOff} ms off the real time at offset +0`;
    if (result.seenAfterMs < 0) return `a preloaded process did not see its clock jump within ${PROBE_WAIT_MS} ms (wall minus monotonic moved ${result.jumpedBy} ms)`;
    if (result.monotonicMs > PROBE_WAIT_MS + 2_000) return `the monotonic clock jumped too (${result.monotonicMs} ms)`;
    return { library };
  } catch (err) {
    const stderr = (err as { stderr?: Buffer | string }).stderr;
    return String(stderr && String(stderr).trim() ? stderr : (err as Error).message).trim().split('\n')[0]!.slice(0, 160);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
