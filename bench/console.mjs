// The console's instance list under load (`npm run bench:console`): a real node holding
// BENCH_CONSOLE_FINISHED (default 100,000) finished instances and BENCH_CONSOLE_ACTIVE (1,000)
// instances waiting at a service task nobody works. The finished ones are the quickest way the
// API allows: parents whose parallel multi-instance call activity starts 999 start→end children
// each (one gRPC request per 1,000 finished instances, each child with its number as `item`). Then Debian's
// chromium (playwright-core) opens /ui/instances in a fresh browser context and we print:
//  - first paint with rows: from navigation start to the moment the first row is in the page,
//    and painted (the next animation frame), with first-contentful-paint beside it;
//  - filter changes: from the select's change until the new rows are in the page and painted,
//    for each filter in FILTERS, and the same searches timed on the API alone.
// Targets (issue 13): first paint < 1 s, a filter change < 300 ms. Timings are printed as JSON.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { gatewayClient } from './grpc-client.mjs';
import { fanOutProcess, instantProcess, oneTaskProcess } from './models.mjs';
import { metric, sleep, startNode } from './phases.mjs';

const finished = Number(process.env.BENCH_CONSOLE_FINISHED ?? 100_000);
const active = Number(process.env.BENCH_CONSOLE_ACTIVE ?? 1_000);
const inflight = Number(process.env.BENCH_FILL_INFLIGHT ?? 200);
/** Children per parent; with the parent, each request finishes FAN_OUT + 1 instances. */
const FAN_OUT = 999;
const chromiumPath = process.env.ZEN_CHROMIUM_PATH ?? '/usr/bin/chromium';
const runs = Number(process.env.BENCH_CONSOLE_RUNS ?? 3);

/** Each filter: how to set it in the page, and the API filter it becomes (for the API-only timing). */
const FILTERS = [
  { name: 'state = Active', select: ['#filter-state', 'ACTIVE'], api: { state: 'ACTIVE' } },
  { name: 'state = Completed', select: ['#filter-state', 'COMPLETED'], api: { state: 'COMPLETED' } },
  { name: 'process = console-bench-wait', select: ['#filter-process', 'console-bench-wait'], api: { processDefinitionId: 'console-bench-wait' } },
  { name: 'with incidents only', check: '#filter-incidents', api: { hasIncident: true } },
  // One child per parent has item 1: 100 of 101,000 match, and each row is checked for it.
  { name: 'variable item = 1', variable: ['item', '1'], api: { variables: [{ name: 'item', value: '1' }] } },
];

if (!existsSync(chromiumPath)) {
  console.error(`chromium is missing at ${chromiumPath} (set ZEN_CHROMIUM_PATH)`);
  process.exit(1);
}

const dataDir = mkdtempSync(join(tmpdir(), 'zen-bench-console-'));
// The data is scaffolding: fsync at checkpoints only (safe against a crash of the process) fills it faster.
const node = await startNode(dataDir, ['--sync-mode', 'normal']);
const result = { finished, active };
let base = '';
try {
  const client = gatewayClient(`127.0.0.1:${node.grpcPort}`);
  await client.deployResource({
    resources: [
      { name: 'instant.bpmn', content: Buffer.from(instantProcess('console-bench-instant')) },
      { name: 'wait.bpmn', content: Buffer.from(oneTaskProcess('console-bench-wait', 'console-bench-nobody')) },
      { name: 'fan.bpmn', content: Buffer.from(fanOutProcess('console-bench-fan', 'console-bench-instant', FAN_OUT)) },
    ],
  });
  const setupStarted = performance.now();
  const parents = Math.floor(finished / (FAN_OUT + 1));
  const singles = finished - parents * (FAN_OUT + 1);
  let sent = 0;
  // A few parents at a time: each is 1,000 instances of work for the partition.
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      while (sent < parents) {
        sent++;
        await client.createProcessInstance({ bpmnProcessId: 'console-bench-fan', version: -1, variables: '{}' });
      }
    }),
  );
  for (let i = 0; i < singles; i++) await client.createProcessInstance({ bpmnProcessId: 'console-bench-instant', version: -1, variables: '{"n":1}' });
  for (;;) {
    const done = await metric(node.systemPort, 'zen_process_instances_completed_total');
    if (done >= finished) break;
    await sleep(200);
  }
  result.fillSeconds = +((performance.now() - setupStarted) / 1000).toFixed(1);
  let created = 0;
  await Promise.all(
    Array.from({ length: Math.min(inflight, active) }, async () => {
      while (created < active) {
        created++;
        await client.createProcessInstance({ bpmnProcessId: 'console-bench-wait', version: -1, variables: '{"n":2}' });
      }
    }),
  );
  result.setupSeconds = +((performance.now() - setupStarted) / 1000).toFixed(1);
  console.error(`set-up: ${finished} finished + ${active} active instances in ${result.setupSeconds} s`);

  base = `http://127.0.0.1:${node.restPort}`;
  result.api = {};
  for (const f of [{ name: 'no filter', api: {} }, ...FILTERS]) result.api[f.name] = await apiSearchMs(base, f.api);

  const browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: ['--no-sandbox', '--disable-gpu', '--no-first-run'] });
  try {
    result.firstPaint = [];
    result.filterChange = Object.fromEntries(FILTERS.map((f) => [f.name, []]));
    for (let run = 0; run < runs; run++) {
      // A fresh context each run: nothing cached, as a first visit.
      const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
      const page = await context.newPage();
      await page.addInitScript(() => {
        const w = window;
        w.__bench = { fcp: null, rows: null };
        new PerformanceObserver((list) => {
          for (const e of list.getEntries()) if (e.name === 'first-contentful-paint') w.__bench.fcp = e.startTime;
        }).observe({ type: 'paint', buffered: true });
        const seen = () => {
          if (w.__bench.rows === null && document.querySelector('tr[data-instance-key]')) {
            w.__bench.rows = -1;
            requestAnimationFrame(() => (w.__bench.rows = performance.now()));
          }
        };
        new MutationObserver(seen).observe(document, { subtree: true, childList: true });
      });
      await page.goto(`${base}/ui/instances`);
      await page.waitForFunction(() => window.__bench.rows > 0, null, { timeout: 30_000 });
      const paint = await page.evaluate(() => ({ fcpMs: Math.round(window.__bench.fcp ?? -1), rowsMs: Math.round(window.__bench.rows) }));
      result.firstPaint.push(paint);
      for (const f of FILTERS) {
        result.filterChange[f.name].push(await filterChangeMs(page, f));
        console.error(`run ${run + 1}: ${f.name}: ${result.filterChange[f.name].at(-1)} ms (${await page.locator('.summary').textContent()})`);
        await clearFilters(page);
      }
      await context.close();
    }
  } finally {
    await browser.close();
  }
  result.summary = {
    firstRowsPaintMs: median(result.firstPaint.map((p) => p.rowsMs)),
    firstContentfulPaintMs: median(result.firstPaint.map((p) => p.fcpMs)),
    filterChangeMs: Object.fromEntries(Object.entries(result.filterChange).map(([name, values]) => [name, median(values)])),
    targets: 'first rows painted < 1000 ms, a filter change < 300 ms',
  };
} finally {
  node.child.kill('SIGTERM');
  await new Promise((r) => (node.child.exitCode !== null ? r() : node.child.on('exit', r)));
  rmSync(dataDir, { recursive: true, force: true });
}
console.log(JSON.stringify(result, null, 2));

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** The median of 5 searches as the list makes them (first page, newest first, with a count). */
async function apiSearchMs(base, filter) {
  const times = [];
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    const r = await fetch(`${base}/v2/process-instances/search`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ filter, sort: [{ field: 'startDate', order: 'DESC' }], page: { limit: 50 } }),
    });
    await r.json();
    times.push(performance.now() - t);
  }
  return Math.round(median(times));
}

/** The list's summary line once it shows `total` instances (the page's own wording). */
function summaryFor(total, filtered) {
  if (total === 0) return filtered ? 'No instance matches these filters.' : 'No process instance has started yet.';
  return `1–${Math.min(50, total)} of ${total.toLocaleString('en-US')} instances`;
}

async function apiTotal(filter) {
  const r = await fetch(`${base}/v2/process-instances/search`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ filter, page: { limit: 1 } }),
  });
  return (await r.json()).page.totalItems;
}

/**
 * Starts watching the summary for `expected` (the answer the API gives for the new filter):
 * `window.__changed` becomes the time the page painted it, and `window.__seen` lists every
 * summary shown meanwhile (a stale or wrong one would show there).
 */
async function watchFor(page, expected, startEvent) {
  await page.evaluate(
    ([want, event]) => {
      window.__changed = null;
      window.__startedAt = null;
      window.__seen = [document.querySelector('.summary')?.textContent];
      if (event) document.addEventListener(event, () => (window.__startedAt ??= performance.now()), { capture: true, once: true });
      const observer = new MutationObserver(() => {
        const text = document.querySelector('.summary')?.textContent;
        if (text !== window.__seen.at(-1)) window.__seen.push(text);
        const busy = document.querySelector('.instance-table')?.getAttribute('aria-busy') === 'true';
        if (text === want && !busy && window.__changed === null) {
          window.__changed = -1;
          observer.disconnect();
          requestAnimationFrame(() => (window.__changed = performance.now()));
        }
      });
      observer.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
    },
    [expected, startEvent],
  );
}

async function waitForSummary(page, expected, what) {
  await page.waitForFunction(() => window.__changed > 0, null, { timeout: 30_000 }).catch(async (err) => {
    throw new Error(`${what}: the list never showed '${expected}' (it showed ${JSON.stringify(await page.evaluate(() => window.__seen))}): ${err.message}`);
  });
  return page.evaluate(() => ({ changed: window.__changed, startedAt: window.__startedAt, seen: window.__seen }));
}

/** Changes one filter in the page and resolves with the ms from its event until the new rows are painted. */
async function filterChangeMs(page, f) {
  const expected = summaryFor(await apiTotal(f.api), true);
  // The change starts with the event the page acts on: a select's or checkbox's change, or the
  // form's submit for the variable (typing is not searching).
  await watchFor(page, expected, f.variable ? 'submit' : 'change');
  if (f.select) await page.selectOption(f.select[0], f.select[1]);
  else if (f.check) await page.check(f.check);
  else {
    await page.fill('#filter-var-name', f.variable[0]);
    await page.fill('#filter-var-value', f.variable[1]);
    await page.press('#filter-var-value', 'Enter');
  }
  const { changed, startedAt, seen } = await waitForSummary(page, expected, f.name);
  // The old summary first, the new one last; anything between is a list the page showed wrongly.
  if (seen.length > 2) console.error(`  ${f.name}: the summary passed through ${JSON.stringify(seen.slice(1, -1))}`);
  return Math.round(changed - startedAt);
}

async function clearFilters(page) {
  const expected = summaryFor(finished + active, false);
  await watchFor(page, expected, null);
  await page.getByRole('button', { name: 'Clear filters' }).click();
  await waitForSummary(page, expected, 'clearing the filters');
}
