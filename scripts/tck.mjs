#!/usr/bin/env node
/**
 * The DMN TCK against Zen's DMN engine (dist/dmn): every `*-test-NN.xml` under DIR is run against
 * the model beside it, one line per test case, then `N passed, N failed`; `tck_results.csv` is
 * written in the TCK's format. Cases run in a worker thread, so a crash or a case that runs past
 * the timeout is that case's ERROR and the run goes on with the next case.
 *
 *   npm run tck -- DIR [--csv=tck_results.csv] [--timeout=10000] [--quiet] [--verbose]
 */
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { root, testFiles } from './tck-common.mjs';

const args = process.argv.slice(2);
const option = (name, fallback) => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
const quiet = args.includes('--quiet');
const verbose = args.includes('--verbose');
const tckDir = resolve(args.find((a) => !a.startsWith('--')) ?? join(root, '../shared/dmn-tck'));
const csvPath = resolve(option('csv', 'tck_results.csv'));
const timeoutMs = Number(option('timeout', '10000'));

const files = testFiles(tckDir);
const results = []; // { folder, file, id, status, detail, level }

function record(r) {
  results.push(r);
  if (!quiet) console.log(`${r.status.padEnd(7)} ${r.folder}/${r.file}#${r.id}${r.status === 'SUCCESS' ? '' : `: ${r.detail}`}`);
}

/** Runs files[from..] in a fresh worker; resolves with the index to resume from after a timeout or crash, or -1 when done. */
function runWorker(from, skip) {
  return new Promise((done) => {
    const worker = new Worker(new URL('./tck-worker.mjs', import.meta.url), { workerData: { files: files.slice(from), tckDir, verbose, skip: [...skip] } });
    let fileIndex = from;
    let current = null;
    let timer = null;
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        finish(`timed out after ${timeoutMs} ms`);
      }, timeoutMs);
    };
    const finish = (why) => {
      clearTimeout(timer);
      worker.removeAllListeners();
      void worker.terminate();
      if (current) {
        record({ ...current, status: 'ERROR', detail: why });
        done(fileIndex);
      } else done(fileIndex + 1);
    };
    arm();
    worker.on('message', (m) => {
      if (m.type === 'start') {
        fileIndex = from + m.fileIndex;
        current = m.case;
        arm();
      } else if (m.type === 'result') {
        current = null;
        record(m.result);
        arm();
      } else if (m.type === 'end') {
        clearTimeout(timer);
        void worker.terminate();
        done(-1);
      }
    });
    worker.on('error', (e) => finish(`crashed: ${e.message}`));
    worker.on('exit', (code) => {
      if (code !== 0) finish(`worker exited with ${code}`);
    });
  });
}

// After a timeout or crash the worker restarts at the same file, skipping the cases recorded.
let next = 0;
while (next >= 0 && next < files.length) next = await runWorker(next, new Set(results.map((r) => `${r.path}#${r.id}`)));

const csv = (s) => `"${String(s).replace(/"/g, '""').replace(/\s+/g, ' ')}"`;
writeFileSync(csvPath, results.map((r) => [r.folder, r.file, r.id, r.status, r.detail].map(csv).join(',')).join('\n') + '\n');
const byLevel = {};
for (const r of results) {
  const l = (byLevel[r.level] ??= { passed: 0, failed: 0 });
  if (r.status === 'SUCCESS') l.passed++;
  else l.failed++;
}
for (const [level, l] of Object.entries(byLevel).sort()) console.log(`level ${level}: ${l.passed} passed, ${l.failed} failed`);
const passed = results.filter((r) => r.status === 'SUCCESS').length;
console.log(`${passed} passed, ${results.length - passed} failed`);
