#!/usr/bin/env node
/**
 * The long fuzz run: every target under test/fuzz/ with FUZZ_RUNS runs each (default 10,000,
 * which makes about 110,000 cases over all targets), then cases and time per target. A failure
 * prints fast-check's seed and path; replay it with
 *
 *   FUZZ_SEED=<seed> FUZZ_PATH=<path> npx vitest run test/fuzz/<target>.test.ts -t '<test name>'
 *
 *   npm run fuzz                      # build, then the long run
 *   FUZZ_RUNS=2000 npm run fuzz       # shorter
 *   npm run fuzz -- test/fuzz/feel.test.ts   # one target
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const runs = process.env.FUZZ_RUNS ?? '10000';
const files = process.argv.slice(2);
const dir = mkdtempSync(join(tmpdir(), 'zen-fuzz-'));
const report = join(dir, 'cases.jsonl');

console.log(`fuzzing with FUZZ_RUNS=${runs} per target${files.length > 0 ? ` (${files.join(' ')})` : ''}`);
const started = Date.now();
const vitest = spawnSync(
  process.execPath,
  [join(root, 'node_modules', 'vitest', 'vitest.mjs'), 'run', '--project', 'unit-and-server', ...(files.length > 0 ? files : ['test/fuzz/'])],
  { cwd: root, stdio: 'inherit', env: { ...process.env, FUZZ_RUNS: runs, FUZZ_REPORT: report } },
);

const rows = existsSync(report)
  ? readFileSync(report, 'utf8').trim().split('\n').filter(Boolean).map((line) => JSON.parse(line))
  : [];
rmSync(dir, { recursive: true, force: true });
rows.sort((a, b) => a.target.localeCompare(b.target));
const total = rows.reduce((sum, row) => sum + row.cases, 0);
console.log('\ntarget                 cases      seconds   cases/s');
for (const row of rows) {
  const seconds = row.ms / 1000;
  console.log(`${row.target.padEnd(20)} ${String(row.cases).padStart(8)} ${seconds.toFixed(1).padStart(11)} ${(row.cases / Math.max(seconds, 0.001)).toFixed(0).padStart(9)}`);
}
console.log(`${'total'.padEnd(20)} ${String(total).padStart(8)} ${((Date.now() - started) / 1000).toFixed(1).padStart(11)}  (wall clock)`);
if (files.length === 0 && total < 100_000) console.log(`note: ${total} cases, fewer than the 100,000 the long run is meant to reach (raise FUZZ_RUNS)`);
process.exit(vitest.status ?? 1);
