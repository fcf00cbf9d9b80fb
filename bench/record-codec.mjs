// The cost of encoding and decoding log entries (src/storage/record-codec.ts): runs one-task
// instances in this process, then re-encodes and decodes the partition's log entries many
// times. Prints ns per record for each direction, the time V8 spent in garbage collection
// meanwhile, and bytes per record. BENCH_ROOT points at another checkout's build, to compare
// two versions of the codec on the same records.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PerformanceObserver } from 'node:perf_hooks';
import pino from 'pino';
import { oneTaskProcess } from './models.mjs';

const root = resolve(process.env.BENCH_ROOT ?? join(import.meta.dirname, '..'));
const { Partition } = await import(join(root, 'dist/partition/partition.js'));
const { ZenNode } = await import(join(root, 'dist/node/zen-node.js'));
const { SqliteStore } = await import(join(root, 'dist/storage/sqlite-store.js'));
const { decodeRecords, encodeRecords } = await import(join(root, 'dist/storage/record-codec.js'));

const instances = Number(process.env.BENCH_INSTANCES ?? 10_000);
const rounds = Number(process.env.BENCH_ROUNDS ?? 10);
const dataDir = mkdtempSync(join(tmpdir(), 'zen-bench-codec-'));
const logger = pino({ level: 'warn' });
const node = new ZenNode({ nodeId: 0, advertisedHost: '127.0.0.1', grpcPort: () => 0, version: 'bench' }, 1, logger);
const partition = new Partition({ partitionId: 1, partitionCount: 1, dataDir, syncMode: 'normal', maxBatchSize: 500, logger, metrics: null, host: node, history: false });
node.addPartition(partition);
await partition.open();
await node.deploy({ resources: [{ name: 'bench.bpmn', content: Buffer.from(oneTaskProcess('bench', 'work')) }], tenantId: '<default>' });
let created = 0;
let completed = 0;
const abort = new AbortController();
async function creator() {
  while (created < instances) {
    if (created - completed >= 2000) { await new Promise((r) => setTimeout(r, 1)); continue; }
    created++;
    await node.createProcessInstance({ bpmnProcessId: 'bench', processDefinitionKey: null, version: -1, variables: { n: created, customer: `c-${created}` }, tenantId: '<default>' });
  }
}
async function worker() {
  while (completed < instances) {
    const jobs = await node.activateJobs({ type: 'work', worker: 'w', timeoutMs: 60_000, maxJobsToActivate: 200, fetchVariables: [], requestTimeoutMs: 100, tenantIds: ['<default>'] }, abort.signal);
    await Promise.all(jobs.map((j) => node.completeJob(j.key, { done: true }).then(() => completed++)));
  }
}
await Promise.all([...Array.from({ length: 64 }, creator), ...Array.from({ length: 4 }, worker)]);
await partition.close();

const source = new SqliteStore({ path: join(dataDir, 'partitions/1/zen.db'), partitionId: 1, partitionCount: 1, syncMode: 'normal', history: false });
const batches = source.readEntries(1, 1_000_000).map((e) => decodeRecords(Buffer.from(e.data), 1));
source.close();
rmSync(dataDir, { recursive: true, force: true });
const records = batches.reduce((n, b) => n + b.length, 0);

let gcMs = 0;
const gc = new PerformanceObserver((list) => { for (const e of list.getEntries()) gcMs += e.duration; });
gc.observe({ entryTypes: ['gc'] });
const flushGc = () => new Promise((r) => setTimeout(r, 10));

function timed(fn) {
  const before = gcMs;
  const t = performance.now();
  fn();
  return { ms: performance.now() - t, gcStart: before };
}

let encoded = batches.map((b) => encodeRecords(b));
const bytes = encoded.reduce((n, b) => n + b.length, 0);
// Warm both directions, then measure.
for (const b of encoded) decodeRecords(b, 1);
await flushGc();
const enc = timed(() => { for (let i = 0; i < rounds; i++) encoded = batches.map((b) => encodeRecords(b)); });
await flushGc();
const encGcMs = gcMs - enc.gcStart;
const dec = timed(() => { for (let i = 0; i < rounds; i++) for (const b of encoded) decodeRecords(b, 1); });
await flushGc();
const decGcMs = gcMs - dec.gcStart;
gc.disconnect();

const perRecord = (ms) => Math.round((ms * 1e6) / (records * rounds));
console.log(JSON.stringify({
  root,
  entries: batches.length,
  recordsPerEntry: Math.round(records / batches.length),
  bytesPerRecord: +(bytes / records).toFixed(1),
  encodeNsPerRecord: perRecord(enc.ms),
  encodeGcNsPerRecord: perRecord(encGcMs),
  decodeNsPerRecord: perRecord(dec.ms),
  decodeGcNsPerRecord: perRecord(decGcMs),
}, null, 2));
