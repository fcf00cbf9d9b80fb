// Phases of `npm run bench` for the history (ADR 010) and the REST API: instances created through
// REST, a node filled with finished instances, search latency on it, and the partitions' disk.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { metric, metricSum, percentile, sleep, startWorker, stopWorker } from './phases.mjs';

/**
 * throughputPhase's twin through REST: `inflight` loops POST /v2/process-instances over
 * keep-alive connections (Node's fetch is undici, which pools and keeps them alive) while the
 * gRPC worker completes the jobs. Created instances are counted from 200 answers, completed
 * ones from the node's metrics.
 */
export async function restCreatePhase({ restPort, systemPorts, workerAddresses, seconds, inflight, bpmnProcessId = 'bench', jobType = 'bench-work', workerConcurrency = 4 }) {
  const worker = startWorker(workerAddresses, jobType, workerConcurrency);
  const url = `http://127.0.0.1:${restPort}/v2/process-instances`;
  const body = JSON.stringify({ processDefinitionId: bpmnProcessId, variables: { n: 1 } });
  let created = 0;
  let failed = 0;
  let stop = false;
  const before = await metricSum(systemPorts, 'zen_process_instances_completed_total');
  const started = performance.now();
  const creator = async () => {
    while (!stop) {
      try {
        const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
        await res.arrayBuffer();
        if (res.status === 200) created++;
        else {
          failed++;
          await sleep(10);
        }
      } catch {
        failed++;
        await sleep(10);
      }
    }
  };
  const creators = Array.from({ length: inflight }, creator);
  await sleep(seconds * 1000);
  const elapsed = (performance.now() - started) / 1000;
  const createdInWindow = created;
  const after = await metricSum(systemPorts, 'zen_process_instances_completed_total');
  stop = true;
  await Promise.all(creators);
  await stopWorker(worker);
  return {
    seconds: +elapsed.toFixed(1),
    inflight,
    created: createdInWindow,
    failed,
    createdPerSecond: Math.round(createdInWindow / elapsed),
    completedPerSecond: Math.round((after - before) / elapsed),
  };
}

/**
 * Creates `count` instances of a process that ends at once (bench/models.mjs instantProcess)
 * through gRPC with `inflight` loops, then waits until the node counts them all completed.
 */
export async function fillPhase({ client, systemPort, count, inflight, bpmnProcessId }) {
  const before = await metric(systemPort, 'zen_process_instances_completed_total');
  let issued = 0;
  let failed = 0;
  const started = performance.now();
  const creator = async () => {
    while (issued < count) {
      issued++;
      try {
        await client.createProcessInstance({ bpmnProcessId, version: -1, variables: '{"n":1}' });
      } catch {
        issued--;
        failed++;
        await sleep(10);
      }
    }
  };
  await Promise.all(Array.from({ length: inflight }, creator));
  let completed = 0;
  for (let i = 0; i < 600; i++) {
    completed = (await metric(systemPort, 'zen_process_instances_completed_total')) - before;
    if (completed >= count) break;
    await sleep(100);
  }
  const elapsed = (performance.now() - started) / 1000;
  return { instances: completed, failed, seconds: +elapsed.toFixed(1), perSecond: Math.round(completed / elapsed) };
}

/** The bytes of every partition's database and WAL under a node's data directory. */
export function databaseBytes(dataDir) {
  const partitions = join(dataDir, 'partitions');
  let db = 0;
  let wal = 0;
  for (const partition of readdirSync(partitions)) {
    const size = (name) => {
      try {
        return statSync(join(partitions, partition, name)).size;
      } catch {
        return 0;
      }
    };
    db += size('zen.db');
    wal += size('zen.db-wal');
  }
  return { db, wal, total: db + wal };
}

/**
 * What the history tables and their indexes take in the partitions' databases (SQLite's dbstat,
 * pages in use), and the free pages (log entries compacted away, reused by later writes).
 * Read from a stopped node: its databases are closed, their WAL folded in.
 */
export function tableBytes(dataDir) {
  const partitions = join(dataDir, 'partitions');
  let history = 0;
  let free = 0;
  for (const partition of readdirSync(partitions)) {
    const db = new Database(join(partitions, partition, 'zen.db'), { readonly: true });
    try {
      for (const row of db.prepare("SELECT name, SUM(pgsize) AS bytes FROM dbstat GROUP BY name").all()) if (row.name.startsWith('h_')) history += row.bytes;
      free += db.pragma('freelist_count', { simple: true }) * db.pragma('page_size', { simple: true });
    } finally {
      db.close();
    }
  }
  return { history, free };
}

const perMillionGb = (bytesPerInstance) => +((bytesPerInstance * 1e6) / 1e9).toFixed(2);

/**
 * Disk figures of a fill: the files while the node ran (`live`, zen.db + WAL) and once it
 * stopped (`stopped`), per finished instance and extrapolated to 1 million instances, and the
 * history tables' share. The rest (the compacted log's last entries, engine state) does not
 * grow with finished instances, so only the history share extrapolates linearly.
 */
export function diskPerInstance(live, stopped, tables, instances) {
  const per = (bytes) => Math.round(bytes / Math.max(1, instances));
  return {
    liveMb: { db: +(live.db / 1e6).toFixed(1), wal: +(live.wal / 1e6).toFixed(1) },
    stoppedMb: { db: +(stopped.db / 1e6).toFixed(1), wal: +(stopped.wal / 1e6).toFixed(1), freePages: +(tables.free / 1e6).toFixed(1) },
    liveBytesPerInstance: per(live.total),
    stoppedBytesPerInstance: per(stopped.total),
    stoppedPerMillionInstancesGb: perMillionGb(per(stopped.total)),
    historyTablesMb: +(tables.history / 1e6).toFixed(1),
    historyBytesPerInstance: per(tables.history),
    historyPerMillionInstancesGb: perMillionGb(per(tables.history)),
  };
}

/**
 * Sequential POST /v2/process-instances/search for the newest completed instances of a process
 * (50 a page, by start date descending), each followed by its second page through the cursor.
 */
export async function searchLatencyPhase({ restPort, processDefinitionId, requests }) {
  const url = `http://127.0.0.1:${restPort}/v2/process-instances/search`;
  const search = (page) =>
    fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ filter: { state: 'COMPLETED', processDefinitionId }, sort: [{ field: 'startDate', order: 'DESC' }], page }),
    });
  const first = [];
  const second = [];
  let errors = 0;
  let totalItems = null;
  const timed = async (page, into) => {
    const t0 = performance.now();
    const res = await search(page);
    const body = await res.json();
    const ms = performance.now() - t0;
    if (res.status !== 200 || body.items.length !== page.limit) {
      errors++;
      return null;
    }
    into.push(ms);
    return body;
  };
  for (let i = 0; i < requests; i++) {
    const page = await timed({ limit: 50 }, first);
    if (!page) continue;
    totalItems = page.page.totalItems;
    await timed({ limit: 50, after: page.page.endCursor }, second);
  }
  const summary = (latencies) => {
    latencies.sort((a, b) => a - b);
    return {
      requests: latencies.length,
      p50Ms: latencies.length ? +percentile(latencies, 50).toFixed(1) : null,
      p99Ms: latencies.length ? +percentile(latencies, 99).toFixed(1) : null,
      maxMs: latencies.length ? +latencies[latencies.length - 1].toFixed(1) : null,
    };
  };
  return { totalItems, errors, firstPage: summary(first), secondPage: summary(second) };
}
