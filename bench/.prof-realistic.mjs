import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { Partition } from '../dist/partition/partition.js';
import { ZenNode } from '../dist/node/zen-node.js';
import { realisticProcess } from './models.mjs';
const seconds = Number(process.env.S ?? 10);
const dataDir = mkdtempSync(join(tmpdir(), 'zen-prof-'));
const logger = pino({ level: 'warn' });
const node = new ZenNode({ nodeId: 0, advertisedHost: '127.0.0.1', grpcPort: () => 0, version: 'bench' }, 1, logger);
const partition = new Partition({ partitionId: 1, partitionCount: 1, dataDir, syncMode: 'full', maxBatchSize: 500, logger, metrics: null, host: node, logRetentionEntries: 10_000 });
node.addPartition(partition);
await partition.open();
await node.deploy({ resources: [{ name: 'r.bpmn', content: Buffer.from(realisticProcess('realistic', 'w')) }], tenantId: '<default>' });
let created = 0, completed = 0, stop = false;
const abort = new AbortController();
const items = Array.from({ length: 10 }, (_, i) => i + 1);
async function creator() {
  while (!stop) {
    const i = created++;
    const orderId = `order-${i}`;
    await node.publishMessage({ name: 'payment', correlationKey: orderId, timeToLiveMs: 120000, messageId: '', variables: {}, tenantId: '<default>' });
    await node.createProcessInstanceWithResult({ bpmnProcessId: 'realistic', processDefinitionKey: null, version: -1, variables: { orderId, amount: i % 2 ? 150 : 50, items }, tenantId: '<default>', requestTimeoutMs: 60000, fetchVariables: [] });
    completed++;
  }
}
async function worker() {
  while (!stop) {
    const jobs = await node.activateJobs({ type: 'w', worker: 'w', timeoutMs: 60_000, maxJobsToActivate: 200, fetchVariables: [], requestTimeoutMs: 100, tenantIds: ['<default>'] }, abort.signal).catch(() => []);
    await Promise.all(jobs.map((j) => node.completeJob(j.key, { done: true })));
  }
}
const t0 = performance.now();
setTimeout(() => { stop = true; abort.abort(); }, seconds * 1000);
await Promise.all([...Array.from({ length: 100 }, creator), ...Array.from({ length: 4 }, worker)]);
const el = (performance.now() - t0) / 1000;
console.log(JSON.stringify({ completed, perSecond: Math.round(completed / el) }));
await partition.close();
rmSync(dataDir, { recursive: true, force: true });
