/**
 * A worker already waiting for jobs of a type takes a new job in the very batch that creates
 * it (Partition.activateInBatch): one commit between the command and the worker, not two. The
 * log shows it: the job's creation and its activation are in the same entry. A worker that
 * starts polling after the job exists activates it in an entry of its own.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, expect, it } from 'vitest';
import { ZenNode } from '../../src/node/zen-node.js';
import { Partition } from '../../src/partition/partition.js';
import { partitionDbPath } from '../../src/partition/replica.js';
import { decodeEntry } from '../../src/storage/log-entry.js';
import { SqliteStore } from '../../src/storage/sqlite-store.js';
import { oneTask } from '../fixtures/bpmn-builder.js';

const logger = pino({ level: 'silent' });
const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

async function singlePartitionNode() {
  const dir = mkdtempSync(join(tmpdir(), 'zen-in-batch-'));
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  const node = new ZenNode({ nodeId: 0, advertisedHost: '127.0.0.1', grpcPort: () => 0, version: 'test' }, 1, logger);
  const partition = new Partition({ partitionId: 1, partitionCount: 1, dataDir: dir, syncMode: 'normal', maxBatchSize: 50, logger, metrics: null, host: node });
  node.addPartition(partition);
  await partition.open();
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    node.jobs.closeAll();
    await partition.close();
  };
  cleanup.push(close);
  await node.deploy({ resources: [{ name: 'p.bpmn', content: Buffer.from(oneTask('p', 'work')) }], tenantId: '<default>' });
  return { node, dir, close };
}

const poll = (node: ZenNode, requestTimeoutMs: number) =>
  node.activateJobs({ type: 'work', worker: 'w', timeoutMs: 60_000, maxJobsToActivate: 10, fetchVariables: [], requestTimeoutMs, tenantIds: ['<default>'] }, new AbortController().signal);

/** For each job key: the log index of the entry that created it and of the one that activated it. */
function whereInLog(dir: string, jobKey: bigint): { created: number | null; activated: number | null } {
  const store = new SqliteStore({ path: partitionDbPath(dir, 1), partitionId: 1, partitionCount: 1, syncMode: 'normal' });
  try {
    let created: number | null = null;
    let activated: number | null = null;
    for (const raw of store.readEntries(1, 10_000)) {
      for (const record of decodeEntry(raw, 1).records) {
        if (record.recordType !== 'EVENT') continue;
        if (record.valueType === 'JOB' && record.intent === 'CREATED' && record.key === jobKey) created = raw.index;
        const keys = (record.value as { jobKeys?: bigint[] }).jobKeys;
        if (record.valueType === 'JOB_BATCH' && record.intent === 'ACTIVATED' && keys?.includes(jobKey)) activated = raw.index;
      }
    }
    return { created, activated };
  } finally {
    store.close();
  }
}

it('activates a job for a waiting worker in the entry that creates it', async () => {
  const { node, dir, close } = await singlePartitionNode();
  const waiting = poll(node, 10_000);
  // The poll found nothing and waits.
  await new Promise((resolve) => setTimeout(resolve, 50));
  await node.createProcessInstance({ bpmnProcessId: 'p', processDefinitionKey: null, version: -1, variables: {}, tenantId: '<default>' });
  const jobs = await waiting;
  expect(jobs).toHaveLength(1);
  await close();
  const where = whereInLog(dir, jobs[0]!.key);
  expect(where.created).not.toBeNull();
  expect(where.activated).toBe(where.created);
});

it('activates a job that was there before the poll in an entry of its own', async () => {
  const { node, dir, close } = await singlePartitionNode();
  await node.createProcessInstance({ bpmnProcessId: 'p', processDefinitionKey: null, version: -1, variables: {}, tenantId: '<default>' });
  const jobs = await poll(node, 0);
  expect(jobs).toHaveLength(1);
  await close();
  const where = whereInLog(dir, jobs[0]!.key);
  expect(where.created).not.toBeNull();
  expect(where.activated).toBeGreaterThan(where.created!);
});
