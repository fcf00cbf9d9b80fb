/**
 * The DMN TCK as a regression gate: runs scripts/tck.mjs (over dist/, built by `npm test`) on
 * ../shared/dmn-tck and fails if fewer cases pass than test/dmn/tck-baseline.json records.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect, it } from 'vitest';
import { describeRequiring } from '../support/requires.js';

const root = resolve(__dirname, '../..');
// Beside the checkout (../shared), wherever the checkout is cloned, or where ZEN_DMN_TCK says.
const tck = [process.env.ZEN_DMN_TCK, resolve(root, '../shared/dmn-tck'), '/work/shared/dmn-tck'].find((dir) => dir && existsSync(dir)) ?? resolve(root, '../shared/dmn-tck');
const baseline = JSON.parse(readFileSync(join(root, 'test/dmn/tck-baseline.json'), 'utf8')) as { passed: number };

describeRequiring(existsSync(tck) && existsSync(join(root, 'dist/dmn/index.js')), 'the DMN TCK in ../shared/dmn-tck and a build (dist/)', 'DMN TCK', () => {
  it(`passes at least ${baseline.passed} cases`, () => {
    const csv = join(mkdtempSync(join(tmpdir(), 'zen-tck-')), 'tck_results.csv');
    // A case's own timeout is generous: on a loaded CI machine a worker's first case also loads the engine.
    const out = execFileSync(process.execPath, [join(root, 'scripts/tck.mjs'), tck, '--quiet', '--timeout=30000', `--csv=${csv}`], { encoding: 'utf8', timeout: 170_000 });
    const m = /^(\d+) passed, (\d+) failed$/m.exec(out);
    expect(m, out).not.toBeNull();
    const rows = readFileSync(csv, 'utf8').trim().split('\n');
    const notPassed = rows.filter((row) => !row.includes('"SUCCESS"')).slice(0, 10).join('\n');
    expect(Number(m![1]), notPassed).toBeGreaterThanOrEqual(baseline.passed);
    expect(rows.length).toBe(Number(m![1]) + Number(m![2]));
    expect(rows[0]).toMatch(/^"[^"]+","[^"]+-test-\d+\.xml","[^"]*","(SUCCESS|FAILURE|ERROR)",".*"$/);
  }, 180_000);
});
