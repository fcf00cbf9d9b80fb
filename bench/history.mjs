// The cost of the history projection (docs/adr/010): runs one-task instances in this process
// with history off, then projects the partition's log into a fresh database the way the storage
// worker does (one transaction per batch of entries), and compares that with decoding alone.
// Prints records/s and the projection's CPU time per completed instance.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pino from 'pino';
import { Partition } from '../dist/partition/partition.js';
import { ZenNode } from '../dist/node/zen-node.js';
import { SqliteStore } from '../dist/storage/sqlite-store.js';
import { decodeRecords } from '../dist/storage/record-codec.js';
import { HistoryProjector } from '../dist/history/projector.js';
import { hasExpiredInstances } from '../dist/history/projectors/history-cleanup.js';
import { HISTORY_CLEANUP_LIMIT } from '../dist/partition/history-retention.js';
import { oneTaskProcess } from './models.mjs';

const instances = Number(process.env.BENCH_INSTANCES ?? 20_000);
const dataDir = mkdtempSync(join(tmpdir(), 'zen-bench-history-'));
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
const entries = source.readEntries(1, 1_000_000);
source.close();

let records = 0;
let t = performance.now();
for (const e of entries) records += decodeRecords(Buffer.from(e.data), 1).length;
const decodeMs = performance.now() - t;

const db = new Database(join(dataDir, 'history.db'));
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
db.defaultSafeIntegers(true);
const projector = new HistoryProjector(db);
t = performance.now();
for (let i = 0; i < entries.length; i += 50) {
  db.transaction(() => {
    for (const e of entries.slice(i, i + 50)) projector.project(decodeRecords(Buffer.from(e.data), 1));
  })();
}
const projectMs = performance.now() - t;

// Retention: every instance past the cutoff, deleted as CLEANED_UP entries do, one round per entry.
const cutoff = Date.now() + 86_400_000;
const cleanup = { position: 0, sourceRecordPosition: 0, key: -1n, timestamp: cutoff, partitionId: 1, recordType: 'EVENT', valueType: 'HISTORY', intent: 'CLEANED_UP', value: { cutoff, limit: HISTORY_CLEANUP_LIMIT } };
let rounds = 0;
let slowestRoundMs = 0;
t = performance.now();
while (hasExpiredInstances(db, cutoff)) {
  const start = performance.now();
  db.transaction(() => projector.project([cleanup]))();
  slowestRoundMs = Math.max(slowestRoundMs, performance.now() - start);
  rounds++;
}
const cleanupMs = performance.now() - t;
db.close();
rmSync(dataDir, { recursive: true, force: true });
console.log(JSON.stringify({
  benchmark: 'history-projection',
  instances: completed,
  entries: entries.length,
  records,
  decodeRecordsPerSecond: Math.round(records / (decodeMs / 1000)),
  projectRecordsPerSecond: Math.round(records / (projectMs / 1000)),
  projectionMsPerThousandInstances: +((projectMs - decodeMs) / (completed / 1000)).toFixed(1),
  cleanupRounds: rounds,
  cleanupMsPerRound: +(cleanupMs / rounds).toFixed(1),
  cleanupSlowestRoundMs: +slowestRoundMs.toFixed(1),
  cleanupMsPerThousandInstances: +(cleanupMs / (completed / 1000)).toFixed(1),
}, null, 2));
