/**
 * `npx zen` runs bin/zen.js through its `#!/usr/bin/env -S node …` line, which is where the
 * node's V8 flags are given: V8 sizes its heap before any script runs, so the launcher cannot
 * set them itself.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/server-process.js';

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

describe('bin/zen.js run as a program', () => {
  it('starts node with the young generation capped at 4 MB', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'zen-launcher-'));
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('ZEN_')));
    // Executed directly, as npm's bin link is: the kernel reads the first line.
    const child = spawn(join(REPO_ROOT, 'bin/zen.js'), ['start', '--data-dir', dataDir, '--host', '127.0.0.1', '--grpc-port', '0', '--rest-port', '0', '--system-port', '0'], { env, stdio: 'ignore' });
    cleanups.push(() => {
      child.kill('SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
    });
    // `env` execs node in the same process: its command line becomes node's.
    let argv: string[] = [];
    for (let i = 0; i < 100 && !argv.some((arg) => arg.endsWith('zen.js')); i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      argv = readFileSync(`/proc/${child.pid}/cmdline`, 'utf8').split('\0');
    }
    const script = argv.findIndex((arg) => arg.endsWith('zen.js'));
    expect(script).toBeGreaterThan(0);
    expect(argv.slice(0, script)).toContain('--max-semi-space-size=4');
  });
});
