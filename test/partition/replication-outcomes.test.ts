/**
 * What a leader answers while its batches are being replicated, with the group log scripted:
 * a batch that is durable is answered as committed even when a later one is fenced; a batch
 * with no records (an activation that found nothing) is answered only after the batches
 * before it are durable; an append whose outcome is unknown is answered UNKNOWN_OUTCOME.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import type { CommandResponse, OutboundCommand } from '../../src/engine/processing/types.js';
import { Partition } from '../../src/partition/partition.js';
import type { RawLogEntry } from '../../src/storage/log-entry.js';

const logger = pino({ level: 'silent' });
const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

interface ReplicateCall {
  readonly entry: RawLogEntry;
  resolve(): void;
  reject(err: unknown): void;
}

const fenced = (outcomeUnknown = false) => Object.assign(new Error('fenced'), { fenced: true, outcomeUnknown });

/** `refuse(n)` returning an error: the n-th append (from 0) fails the moment it is made. */
async function leader(refuse: (n: number) => unknown = () => null, extra: { maxBatchSize?: number; maxQueuedCommands?: number; appendHoldMs?: () => number } = {}) {
  const dataDir = mkdtempSync(join(tmpdir(), 'zen-outcomes-'));
  const calls: ReplicateCall[] = [];
  const routed: OutboundCommand[] = [];
  const fencedWith: unknown[] = [];
  const partition = new Partition({
    partitionId: 1,
    partitionCount: 1,
    dataDir,
    syncMode: 'normal',
    maxBatchSize: extra.maxBatchSize ?? 50,
    maxQueuedCommands: extra.maxQueuedCommands,
    ...(extra.appendHoldMs ? { appendHoldMs: extra.appendHoldMs } : {}),
    logger,
    metrics: null,
    host: { route: (c) => routed.push(c), jobsAvailable: () => {} },
    replicate: (entry) =>
      new Promise<void>((resolve, reject) => {
        const refusal = refuse(calls.length);
        calls.push({ entry, resolve, reject });
        if (refusal) reject(refusal);
      }),
    onFenced: (err) => fencedWith.push(err),
  });
  await partition.open();
  cleanup.push(async () => {
    for (const call of calls) call.reject(fenced());
    await partition.stop().catch(() => {});
    rmSync(dataDir, { recursive: true, force: true });
  });
  return { partition, calls, fencedWith };
}

async function until(what: string, condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

function track(promise: Promise<CommandResponse>) {
  const state: { response: CommandResponse | null } = { response: null };
  void promise.then((r) => (state.response = r));
  return state;
}

const publish = (name: string) => ({
  valueType: 'MESSAGE' as const,
  intent: 'PUBLISH',
  key: -1n,
  value: { name, correlationKey: 'k', timeToLive: 60_000, messageId: '', variables: {}, deadline: -1, tenantId: '<default>' },
});

const activateNothing = {
  valueType: 'JOB_BATCH' as const,
  intent: 'ACTIVATE',
  key: -1n,
  value: { type: 'nobody', worker: 'w', timeout: 1000, maxJobsToActivate: 1, fetchVariables: [], tenantIds: ['<default>'], jobKeys: [], jobs: [], truncated: false },
};

describe('leader answers while replicating', () => {
  it('answers a durable batch as committed although the batch after it was fenced', async () => {
    // The second append starts as soon as the first returns, and is refused at once: before
    // the first batch is even written locally.
    const { partition, calls } = await leader((n) => (n === 1 ? fenced() : null));
    const first = track(partition.submit(publish('one')));
    await until('the first append', () => calls.length === 1);
    const second = track(partition.submit(publish('two')));
    await new Promise((r) => setTimeout(r, 20));
    calls[0]!.resolve();
    await until('both answered', () => first.response !== null && second.response !== null);
    expect(first.response).toMatchObject({ ok: true });
    expect(second.response).toMatchObject({ ok: false, rejectionType: 'NOT_LEADER' });
  });

  it('answers a batch without records only after the batches before it are durable', async () => {
    const { partition, calls } = await leader();
    const published = track(partition.submit(publish('one')));
    await until('the append', () => calls.length === 1);
    const activation = track(partition.submit(activateNothing));
    await new Promise((r) => setTimeout(r, 50));
    expect(activation.response, 'not answered while the publish is uncommitted').toBeNull();
    calls[0]!.resolve();
    await until('both answered', () => published.response !== null && activation.response !== null);
    expect(activation.response).toMatchObject({ ok: true, value: { jobKeys: [] } });
  });

  it('answers NOT_LEADER for a batch without records behind one that was fenced', async () => {
    const { partition, calls } = await leader();
    const published = track(partition.submit(publish('one')));
    await until('the append', () => calls.length === 1);
    const activation = track(partition.submit(activateNothing));
    await new Promise((r) => setTimeout(r, 20));
    calls[0]!.reject(fenced());
    await until('both answered', () => published.response !== null && activation.response !== null);
    expect(published.response).toMatchObject({ ok: false, rejectionType: 'NOT_LEADER' });
    expect(activation.response).toMatchObject({ ok: false, rejectionType: 'NOT_LEADER' });
  });

  it('answers UNKNOWN_OUTCOME when the append may have committed, NOT_LEADER for the entries behind it, and stops leading', async () => {
    const { partition, calls, fencedWith } = await leader();
    const first = track(partition.submit(publish('one')));
    await until('the first append', () => calls.length === 1);
    const second = track(partition.submit(publish('two')));
    await until('the second append', () => calls.length === 2);
    calls[0]!.reject(fenced(true));
    calls[1]!.reject(fenced(false));
    await until('both answered', () => first.response !== null && second.response !== null);
    expect(first.response).toMatchObject({ ok: false, rejectionType: 'UNKNOWN_OUTCOME' });
    expect(second.response).toMatchObject({ ok: false, rejectionType: 'NOT_LEADER' });
    expect(fencedWith).toHaveLength(1);
    expect(partition.isReady).toBe(false);
    await expect(partition.submit(publish('three'))).rejects.toMatchObject({ code: 'UNAVAILABLE' });
  });

  it('answers a batch committed in the group as committed although its local write failed, and stops leading', async () => {
    const { partition, calls, fencedWith } = await leader();
    const store = partition.localReplica!.store;
    store.appendRaw = () => Promise.reject(new Error('disk I/O error'));
    const published = track(partition.submit(publish('one')));
    await until('the append', () => calls.length === 1);
    calls[0]!.resolve();
    await until('answered', () => published.response !== null);
    expect(published.response).toMatchObject({ ok: true });
    await until('fenced', () => fencedWith.length === 1);
    expect(String(fencedWith[0])).toContain('committed in the partition group, but writing it locally failed');
  });

  it('after a failed commit, rebuilds its state once a batch still being written locally is done, and goes on processing', async () => {
    // Batch one is durable in the group and its local write is still pending when batch two
    // fails: the rebuild must wait for batch one, and then happen.
    const { partition, calls, fencedWith } = await leader();
    const one = track(partition.submit(publish('one')));
    await until('the first append', () => calls.length === 1);
    const two = track(partition.submit(publish('two')));
    await until('the second append', () => calls.length === 2);
    calls[0]!.resolve();
    calls[1]!.reject(new Error('disk full'));
    await until('both answered', () => one.response !== null && two.response !== null);
    expect(one.response).toMatchObject({ ok: true });
    expect(two.response).toMatchObject({ ok: false, rejectionType: 'PROCESSING_ERROR' });
    await until('ready again', () => partition.isReady);
    const three = track(partition.submit(publish('three')));
    await until('the third append', () => calls.length === 3);
    // Rebuilt on the durable log: the third batch follows batch one, where batch two was.
    expect(calls[2]!.entry.index).toBe(calls[1]!.entry.index);
    calls[2]!.resolve();
    await until('the third answered', () => three.response !== null);
    expect(three.response).toMatchObject({ ok: true });
    expect(fencedWith).toEqual([]);
  });

  it('while the log holds its next append back, keeps the commands queued and processes them together, as one entry', async () => {
    const hold = { ms: 0 };
    const { partition, calls } = await leader(() => null, { appendHoldMs: () => hold.ms });
    const first = track(partition.submit(publish('first')));
    await until('the first append', () => calls.length === 1);
    calls[0]!.resolve();
    await until('the first answered', () => first.response !== null);
    hold.ms = 40;
    const held = ['a', 'b', 'c'].map((name) => track(partition.submit(publish(name))));
    await new Promise((r) => setTimeout(r, 15));
    expect(calls, 'nothing processed during the hold').toHaveLength(1);
    hold.ms = 0;
    await until('the second append', () => calls.length === 2);
    calls[1]!.resolve();
    await until('the held commands answered', () => held.every((h) => h.response !== null));
    for (const h of held) expect(h.response).toMatchObject({ ok: true });
    expect(calls, 'the three commands went in one entry').toHaveLength(2);
    expect(calls[1]!.entry.lastPosition - calls[1]!.entry.firstPosition).toBeGreaterThan(calls[0]!.entry.lastPosition - calls[0]!.entry.firstPosition);
  });

  it('refuses new work with RESOURCE_EXHAUSTED while the queue is full, but still takes commands that finish work', async () => {
    const { partition, calls } = await leader(() => null, { maxBatchSize: 1, maxQueuedCommands: 4 });
    // Appends do not return: four batches go in flight, then commands queue up.
    const accepted = Array.from({ length: 4 }, (_, i) => track(partition.submit(publish(`m${i}`))));
    await until('four appends', () => calls.length === 4);
    await new Promise((r) => setTimeout(r, 20));
    for (let i = 4; i < 8; i++) accepted.push(track(partition.submit(publish(`m${i}`))));
    await new Promise((r) => setTimeout(r, 20));
    await expect(partition.submit(publish('one too many'))).rejects.toMatchObject({ code: 'RESOURCE_EXHAUSTED', message: expect.stringContaining('backpressure') });
    // Completing a job is always taken (here it is queued; the job does not exist, which the engine will say).
    const completion = track(partition.submit({ valueType: 'JOB', intent: 'COMPLETE', key: 5n, value: { variables: {} } }));
    calls[0]!.resolve();
    await until('the first publish answered', () => accepted[0]!.response !== null);
    expect(accepted[0]!.response).toMatchObject({ ok: true });
    expect(completion.response).toBeNull();
  });

  it('answers a batch once the group committed it, without waiting for the local write; reads that settle wait for that write', async () => {
    const { partition, calls } = await leader();
    const store = partition.localReplica!.store;
    const local: Array<() => void> = [];
    const appendRaw = store.appendRaw.bind(store);
    store.appendRaw = (raw) => new Promise<void>((resolve, reject) => local.push(() => appendRaw(raw).then(resolve, reject)));
    const published = track(partition.submit(publish('one')));
    await until('the append', () => calls.length === 1);
    calls[0]!.resolve();
    await until('the answer', () => published.response !== null);
    expect(published.response).toMatchObject({ ok: true });
    expect(local, 'the local write is still pending').toHaveLength(1);
    let settled = false;
    void partition.settled().then(() => (settled = true));
    await new Promise((r) => setTimeout(r, 20));
    expect(settled, 'settled() waits for the local write').toBe(false);
    local[0]!();
    await until('settled', () => settled);
    expect(partition.lastLogIndex).toBe(calls[0]!.entry.index);
  });
});
