/**
 * Storage-level determinism: a real partition (SQLite files, group commit) runs a mixed
 * workload; then its log, replayed into empty state, must give exactly the live state, and
 * a restart from the files (checkpoint plus log tail, as after kill -9) must too.
 */
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ModelCache } from '../../src/engine/models.js';
import { EngineState } from '../../src/engine/state/engine-state.js';
import { ZenNode } from '../../src/node/zen-node.js';
import { applyLogEntry } from '../../src/partition/log-applier.js';
import { Partition } from '../../src/partition/partition.js';
import { SqliteStore } from '../../src/storage/sqlite-store.js';
import { deserialize } from 'node:v8';
import { chain, end, message, messageCatch, model, parallelGateway, serviceTask, start, timerCatch, flow } from '../fixtures/bpmn-builder.js';
import { dumpState } from '../support/engine-harness.js';

const logger = pino({ level: 'silent' });
const dirs: string[] = [];

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'zen-replay-'));
  dirs.push(dir);
  return dir;
}

async function openNode(dataDir: string, checkpointIntervalMs: number) {
  const node = new ZenNode({ nodeId: 0, advertisedHost: '127.0.0.1', grpcPort: () => 0, version: 'test' }, 1, logger);
  const partition = new Partition({
    partitionId: 1,
    partitionCount: 1,
    dataDir,
    syncMode: 'normal',
    maxBatchSize: 50,
    logger,
    metrics: null,
    host: node,
    checkpointIntervalMs,
  });
  node.addPartition(partition);
  await partition.open();
  return { node, partition };
}

const MIXED = model(
  'mixed',
  start(),
  parallelGateway('fork'),
  serviceTask('work', 'replay-work'),
  messageCatch('wait', 'msg'),
  timerCatch('sleep', 'duration', 'PT1H'),
  parallelGateway('join'),
  end(),
  message('msg', 'go', '=id'),
  ...chain('start', 'fork'),
  flow('fork', 'work'),
  flow('fork', 'wait'),
  flow('fork', 'sleep'),
  flow('work', 'join'),
  flow('wait', 'join'),
  flow('sleep', 'join'),
  ...chain('join', 'end'),
);

const tenant = '<default>';

async function runWorkload(node: ZenNode): Promise<void> {
  await node.deploy({ resources: [{ name: 'mixed.bpmn', content: Buffer.from(MIXED) }], tenantId: tenant });
  const created = await Promise.all(
    Array.from({ length: 40 }, (_, i) =>
      node.createProcessInstance({ bpmnProcessId: 'mixed', processDefinitionKey: null, version: -1, variables: { id: `k${i}`, n: i }, tenantId: tenant }),
    ),
  );
  expect(created).toHaveLength(40);
  const abort = new AbortController();
  const jobs = await node.activateJobs(
    { type: 'replay-work', worker: 'w', timeoutMs: 60_000, maxJobsToActivate: 25, fetchVariables: [], requestTimeoutMs: 0, tenantIds: [tenant] },
    abort.signal,
  );
  expect(jobs.length).toBeGreaterThan(0);
  await Promise.all(jobs.slice(0, 20).map((job) => node.completeJob(job.key, { result: String(job.key) })));
  await Promise.all(
    Array.from({ length: 30 }, (_, i) =>
      node.publishMessage({ name: 'go', correlationKey: `k${i}`, timeToLiveMs: i % 2 === 0 ? 0 : 60_000, messageId: '', variables: { m: i }, tenantId: tenant }),
    ),
  );
  await node.failJob({ jobKey: jobs[21]!.key, retries: 0, errorMessage: 'boom', retryBackOffMs: 0, variables: {} });
  await node.cancelProcessInstance(created[39]!.processInstanceKey);
}

/** Lets cross-partition loop-backs (subscription confirmations) settle. */
async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
  await new Promise((r) => setTimeout(r, 50));
}

describe('partition log replay', () => {
  it('rebuilds identical state from the log alone', async () => {
    const dir = tempDir();
    const { node, partition } = await openNode(dir, 60_000);
    await runWorkload(node);
    await settle();
    const live = dumpState(partition.state);
    expect(live.timers!.length).toBeGreaterThan(0);
    expect(live.incidents!.length).toBe(1);

    const replayed = new EngineState(1);
    const models = new ModelCache();
    let entries = 0;
    for await (const entry of partition.readLog(1)) {
      await applyLogEntry(replayed, models, entry);
      entries++;
    }
    expect(entries).toBeGreaterThan(5);
    expect(dumpState(replayed)).toEqual(live);

    // The checkpointed rows written at close are the same state again.
    await partition.close();
    const store = new SqliteStore({ path: join(dir, 'partitions/1/zen.db'), partitionId: 1, partitionCount: 1, syncMode: 'normal' });
    const loaded = new EngineState(1);
    const tables = new Map(loaded.tables().map((t) => [t.name, t]));
    for (const [cf, key, value] of store.stateRows()) tables.get(cf)!.loadRow(key, deserialize(value));
    store.close();
    expect(dumpState(loaded)).toEqual(live);
  });

  it('restarts from an old checkpoint plus the log tail, as after kill -9', async () => {
    const dir = tempDir();
    const { node, partition } = await openNode(dir, 60 * 60_000);
    await runWorkload(node);
    await settle();
    const live = dumpState(partition.state);
    const keyCounter = partition.state.keyCounter;
    expect(partition.checkpointIndex).toBeLessThan(partition.lastLogIndex);

    // Copy the files of the running partition: what a crash would leave behind.
    const crashed = tempDir();
    const from = join(dir, 'partitions/1');
    const to = join(crashed, 'partitions/1');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(to, { recursive: true });
    for (const file of ['zen.db', 'zen.db-wal']) if (existsSync(join(from, file))) copyFileSync(join(from, file), join(to, file));
    await partition.close();

    const restarted = await openNode(crashed, 60 * 60_000);
    expect(dumpState(restarted.partition.state)).toEqual(live);
    expect(restarted.partition.state.keyCounter).toBe(keyCounter);
    const next = await restarted.node.createProcessInstance({ bpmnProcessId: 'mixed', processDefinitionKey: null, version: -1, variables: { id: 'x' }, tenantId: tenant });
    expect(next.processInstanceKey > (1n << 51n) + keyCounter).toBe(true);
    await restarted.partition.close();
  });

  it('after a failed checkpoint, refuses writes until reopened from disk, and rows deleted meanwhile do not come back', async () => {
    const dir = tempDir();
    const { node, partition } = await openNode(dir, 60 * 60_000);
    await runWorkload(node);
    await settle();
    const replica = partition.localReplica!;
    await replica.checkpoint();
    // Delete rows after that checkpoint: complete the jobs still open.
    const jobs = await node.activateJobs(
      { type: 'replay-work', worker: 'w', timeoutMs: 60_000, maxJobsToActivate: 50, fetchVariables: [], requestTimeoutMs: 0, tenantIds: [tenant] },
      new AbortController().signal,
    );
    expect(jobs.length).toBeGreaterThan(0);
    await Promise.all(jobs.map((job) => node.completeJob(job.key, {})));
    await settle();
    const live = dumpState(partition.state);

    const store = replica.store as unknown as { request: (message: unknown) => Promise<unknown> };
    vi.spyOn(store, 'request').mockRejectedValueOnce(new Error('disk full'));
    await expect(replica.checkpoint()).rejects.toThrow('disk full');
    // The store is poisoned: the next checkpoint is refused with the same error, not written.
    await expect(replica.checkpoint()).rejects.toThrow('disk full');
    await replica.reopen();
    expect(dumpState(partition.state)).toEqual(live);
    await replica.checkpoint();

    // Restart from the files alone (as after kill -9): checkpoint plus log tail.
    const crashed = tempDir();
    const { mkdirSync } = await import('node:fs');
    mkdirSync(join(crashed, 'partitions/1'), { recursive: true });
    for (const file of ['zen.db', 'zen.db-wal']) {
      if (existsSync(join(dir, 'partitions/1', file))) copyFileSync(join(dir, 'partitions/1', file), join(crashed, 'partitions/1', file));
    }
    await partition.close();
    const restarted = await openNode(crashed, 60 * 60_000);
    expect(dumpState(restarted.partition.state)).toEqual(live);
    await restarted.partition.close();
  });
});
