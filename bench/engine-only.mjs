// Engine-only throughput: a node in this process (partition driver, engine, SQLite with
// fsync per group commit), no gRPC. Creates one-task instances, activates and completes
// their jobs through the node API, for a fixed duration.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { Partition } from '../dist/partition/partition.js';
import { ZenNode } from '../dist/node/zen-node.js';
import { oneTaskProcess } from './models.mjs';

const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const inflight = Number(process.env.BENCH_INFLIGHT ?? 2000);
const syncMode = process.env.BENCH_SYNC ?? 'full';
const dataDir = mkdtempSync(join(tmpdir(), 'zen-bench-'));
const logger = pino({ level: 'warn' });
const node = new ZenNode({ nodeId: 0, advertisedHost: '127.0.0.1', grpcPort: () => 0, version: 'bench' }, 1, logger);
const partition = new Partition({ partitionId: 1, partitionCount: 1, dataDir, syncMode, maxBatchSize: 500, logger, metrics: null, host: node, logRetentionEntries: 10_000 });
node.addPartition(partition);
await partition.open();
await node.deploy({ resources: [{ name: 'bench.bpmn', content: Buffer.from(oneTaskProcess('bench', 'work')) }], tenantId: '<default>' });

let created = 0;
let completed = 0;
let stop = false;
const until = Date.now() + seconds * 1000;
const abort = new AbortController();

async function creator() {
  while (!stop) {
    if (created - completed >= inflight) { await new Promise((r) => setTimeout(r, 1)); continue; }
    created++;
    await node.createProcessInstance({ bpmnProcessId: 'bench', processDefinitionKey: null, version: -1, variables: { n: created }, tenantId: '<default>' });
  }
}

async function worker() {
  while (!stop) {
    const jobs = await node.activateJobs({ type: 'work', worker: 'w', timeoutMs: 60_000, maxJobsToActivate: 200, fetchVariables: [], requestTimeoutMs: 100, tenantIds: ['<default>'] }, abort.signal);
    await Promise.all(jobs.map((j) => node.completeJob(j.key, { done: true }).then(() => completed++)));
  }
}

const started = performance.now();
const cpu0 = process.cpuUsage();
setTimeout(() => { stop = true; abort.abort(); }, until - Date.now());
await Promise.all([...Array.from({ length: Number(process.env.BENCH_CREATORS ?? 64) }, creator), ...Array.from({ length: 4 }, worker)]);
const elapsed = (performance.now() - started) / 1000;
const cpu = process.cpuUsage(cpu0);
await partition.close();
if (!process.env.BENCH_KEEP) rmSync(dataDir, { recursive: true, force: true });
console.log(JSON.stringify({
  benchmark: 'engine-only',
  syncMode,
  seconds: +elapsed.toFixed(1),
  created,
  completed,
  completedPerSecond: Math.round(completed / elapsed),
  cpuSecondsPerCompleted_us: Math.round(((cpu.user + cpu.system) / completed)),
  peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
}));
