/**
 * The leader's side of history retention on a real partition (SQLite files, storage worker):
 * it writes HISTORY CLEAN_UP with the cutoff of the engine's clock (pinned here), only when its
 * history has something to delete, and again at once while a round left some.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import type { HistoryCleanupValue, ZenRecord } from '../../src/engine/records.js';
import { ZenNode } from '../../src/node/zen-node.js';
import { HISTORY_CLEANUP_LIMIT } from '../../src/partition/history-retention.js';
import { Partition, type PartitionOptions } from '../../src/partition/partition.js';
import { chain, end, model, start } from '../fixtures/bpmn-builder.js';

const logger = pino({ level: 'silent' });
const DAY = 86_400_000;
const tenant = '<default>';
const dirs: string[] = [];
const open: Partition[] = [];

afterEach(async () => {
  for (const partition of open.splice(0)) await partition.close().catch(() => {});
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function openNode(dataDir: string, options: Partial<PartitionOptions>) {
  const node = new ZenNode({ nodeId: 0, advertisedHost: '127.0.0.1', grpcPort: () => 0, version: 'test' }, 1, logger);
  const partition = new Partition({ partitionId: 1, partitionCount: 1, dataDir, syncMode: 'normal', maxBatchSize: 50, logger, metrics: null, host: node, ...options });
  node.addPartition(partition);
  await partition.open();
  open.push(partition);
  return { node, partition };
}

async function endInstances(node: ZenNode, count: number): Promise<bigint[]> {
  const keys: bigint[] = [];
  for (let i = 0; i < count; i++) {
    const created = await node.createProcessInstance({ bpmnProcessId: 'quick', processDefinitionKey: null, version: -1, variables: { i }, tenantId: tenant });
    keys.push(created.processInstanceKey);
  }
  return keys;
}

async function records(partition: Partition): Promise<ZenRecord[]> {
  const out: ZenRecord[] = [];
  for await (const entry of partition.readLog(1)) out.push(...entry.records);
  return out;
}

const cleanups = async (partition: Partition) =>
  (await records(partition)).filter((r) => r.valueType === 'HISTORY' && r.recordType === 'EVENT').map((r) => r.value as HistoryCleanupValue);

async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const QUICK = model('quick', start(), end(), ...chain('start', 'end'));

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'zen-retention-'));
  dirs.push(dir);
  return dir;
}

describe('history retention on the leader', () => {
  it('writes a cleanup with the cutoff of the pinned clock once history is past retention, and none while nothing is', async () => {
    const { node, partition } = await openNode(tempDir(), { historyRetentionMs: DAY, historyCleanupIntervalMs: 20 });
    await node.deploy({ resources: [{ name: 'quick.bpmn', content: Buffer.from(QUICK) }], tenantId: tenant });
    const [old] = await endInstances(node, 1);
    await new Promise((r) => setTimeout(r, 100));
    // Ended, but not a day ago: several intervals went by without a cleanup.
    expect(await cleanups(partition)).toEqual([]);

    const pinned = Date.now() + 2 * DAY;
    await node.pinClock(pinned);
    const [recent] = await endInstances(node, 1);
    await until(async () => (await cleanups(partition)).length > 0, 'a cleanup');
    expect(await cleanups(partition)).toEqual([{ cutoff: pinned - DAY, limit: HISTORY_CLEANUP_LIMIT }]);

    const remaining = await partition.store.searchHistory({ resource: 'processInstances', filter: {}, sort: [], limit: 10 });
    expect(remaining.items.map(({ item }) => item.processInstanceKey)).toEqual([String(recent)]);
    expect(old).not.toBe(recent);
    await new Promise((r) => setTimeout(r, 100));
    expect(await cleanups(partition)).toHaveLength(1);
  });

  it('a new leader takes over a backlog at once, one limited round after another', async () => {
    const dir = tempDir();
    const first = await openNode(dir, {});
    await first.node.deploy({ resources: [{ name: 'quick.bpmn', content: Buffer.from(QUICK) }], tenantId: tenant });
    await endInstances(first.node, 5);
    await first.node.pinClock(Date.now() + 2 * DAY);
    await first.partition.close();
    open.splice(0);

    const { partition } = await openNode(dir, { historyRetentionMs: DAY, historyCleanupIntervalMs: 3_600_000, historyCleanupLimit: 2 });
    await until(async () => (await cleanups(partition)).length === 3, 'three cleanups');
    expect((await cleanups(partition)).map((c) => c.limit)).toEqual([2, 2, 2]);
    expect(await partition.store.historyExpired(Date.now() + DAY)).toBe(false);
  });

  it('writes nothing when retention is off', async () => {
    const { node, partition } = await openNode(tempDir(), { historyRetentionMs: 0, historyCleanupIntervalMs: 10 });
    await node.deploy({ resources: [{ name: 'quick.bpmn', content: Buffer.from(QUICK) }], tenantId: tenant });
    await endInstances(node, 1);
    await node.pinClock(Date.now() + 30 * DAY);
    await new Promise((r) => setTimeout(r, 100));
    expect(await cleanups(partition)).toEqual([]);
  });
});
