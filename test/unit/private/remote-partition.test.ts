/** Partitions led elsewhere: following the leader, retrying only what is safe, job hints. */
import { afterEach, describe, expect, it } from 'vitest';
import { ClientPool } from '../../../src/cluster/private/client-pool.js';
import { JobHints } from '../../../src/cluster/private/job-hints.js';
import { NotLeaderError } from '../../../src/cluster/private/remote-errors.js';
import { RemotePartition } from '../../../src/cluster/private/remote-partition.js';
import type { CommandResponse, EngineCommand } from '../../../src/engine/processing/types.js';
import { ZenError } from '../../../src/errors.js';
import { freePort, silent, startNode, until, type RunningNode } from './support.js';

const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

async function node(): Promise<RunningNode> {
  const running = await startNode();
  cleanup.push(() => running.server.close());
  return running;
}

function pool(): ClientPool {
  const created = new ClientPool({ logger: silent, callTimeoutMs: 2000, watchBackoff: { initialMs: 20, maxMs: 100 } });
  cleanup.push(() => created.closeAll());
  return created;
}

const complete = { valueType: 'JOB' as const, intent: 'COMPLETE', key: 5n, value: {} };

function activation(type: string) {
  return {
    valueType: 'JOB_BATCH' as const,
    intent: 'ACTIVATE',
    key: -1n,
    value: { type, worker: 'w', timeout: 1000, maxJobsToActivate: 5, fetchVariables: [], tenantIds: [], jobKeys: [], jobs: [], truncated: false },
  };
}

function batch(count: number): CommandResponse {
  return { ok: true, key: -1n, value: { jobKeys: Array.from({ length: count }, (_, i) => BigInt(i + 1)), jobs: Array.from({ length: count }, () => ({})) } };
}

/** A pool stand-in answering activations from a script, for hint tests without sockets. */
function scriptedPool(answers: Array<() => Promise<CommandResponse>>) {
  return {
    submitted: [] as Array<Omit<EngineCommand, 'requestId'>>,
    submit(_address: string, _partitionId: number, command: Omit<EngineCommand, 'requestId'>) {
      this.submitted.push(command);
      return answers.shift()!();
    },
    deliver: async () => {},
  };
}

describe('RemotePartition', () => {
  it('follows the leader when the node it asked is not the leader any more', async () => {
    const old = await node();
    const current = await node();
    let leader = old.address;
    old.node.answer = () => {
      leader = current.address; // the cluster state catches up while the first attempt fails
      throw new NotLeaderError(2);
    };
    current.node.answer = ({ command }) => ({ ok: true, key: command.key, value: { handledBy: 'current' } });
    const partition = new RemotePartition({ partitionId: 2, leaderAddress: () => leader, pool: pool(), logger: silent });
    await expect(partition.submit(complete)).resolves.toEqual({ ok: true, key: 5n, value: { handledBy: 'current' } });
    expect(old.node.submits).toHaveLength(1);
    expect(current.node.submits).toHaveLength(1);
  });

  it('retries a leader it cannot reach until the cluster names another', async () => {
    const current = await node();
    let leader = `127.0.0.1:${await freePort()}`;
    setTimeout(() => (leader = current.address), 150);
    const partition = new RemotePartition({ partitionId: 1, leaderAddress: () => leader, pool: pool(), logger: silent });
    await expect(partition.submit(complete)).resolves.toMatchObject({ ok: true });
    expect(current.node.submits).toHaveLength(1);
  });

  it('waits for a leader to be known', async () => {
    const current = await node();
    let leader: string | null = null;
    const partition = new RemotePartition({ partitionId: 1, leaderAddress: () => leader, pool: pool(), logger: silent });
    expect(partition.isReady).toBe(false);
    setTimeout(() => (leader = current.address), 100);
    await expect(partition.submit(complete)).resolves.toMatchObject({ ok: true });
    expect(partition.isReady).toBe(true);
  });

  it('gives up after its deadline with UNAVAILABLE naming the partition', async () => {
    const stale = await node();
    stale.node.answer = () => {
      throw new NotLeaderError(6);
    };
    const partition = new RemotePartition({ partitionId: 6, leaderAddress: () => stale.address, pool: pool(), logger: silent, retryDeadlineMs: 300 });
    const started = Date.now();
    const err = await partition.submit(complete).catch((e: unknown) => e);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(err).toBeInstanceOf(ZenError);
    expect(err).not.toBeInstanceOf(NotLeaderError);
    expect(err).toMatchObject({
      code: 'UNAVAILABLE',
      message: 'Partition 6 has no leader that takes commands (tried for 300 ms; last: This node is not the leader of partition 6)',
    });
    expect(stale.node.submits.length).toBeGreaterThan(2);

    const none = new RemotePartition({ partitionId: 8, leaderAddress: () => null, pool: pool(), logger: silent, retryDeadlineMs: 50 });
    await expect(none.submit(complete)).rejects.toThrow('Partition 8 has no leader that takes commands (tried for 50 ms; last: no leader is known)');
  });

  it('does not retry a failure after which the command may have run', async () => {
    const leader = await node();
    leader.node.answer = () => {
      throw new ZenError('UNAVAILABLE', 'Partition 1 is shutting down; the process instance was created, but its result will not be awaited');
    };
    const partition = new RemotePartition({ partitionId: 1, leaderAddress: () => leader.address, pool: pool(), logger: silent });
    await expect(partition.submitAwaiting(complete, 1000)).rejects.toThrow(/was created, but its result will not be awaited/);
    expect(leader.node.submits).toHaveLength(1);
  });

  it('forwards submitAwaiting with its timeout', async () => {
    const leader = await node();
    leader.node.answer = ({ awaitTimeoutMs }) => ({ ok: true, key: 1n, value: { awaited: awaitTimeoutMs } });
    const partition = new RemotePartition({ partitionId: 1, leaderAddress: () => leader.address, pool: pool(), logger: silent });
    await expect(partition.submitAwaiting(complete, 1234)).resolves.toEqual({ ok: true, key: 1n, value: { awaited: 1234 } });
  });

  it('delivers cross-partition commands, and swallows failures (the sender re-sends)', async () => {
    const leader = await node();
    let address: string | null = leader.address;
    const partition = new RemotePartition({ partitionId: 3, leaderAddress: () => address, pool: pool(), logger: silent });
    partition.deliver({ valueType: 'MESSAGE_SUBSCRIPTION', intent: 'CORRELATE', key: 2n ** 60n, value: {}, requestId: null });
    await until(() => leader.node.delivered.length === 1);
    expect(leader.node.delivered[0]).toMatchObject({ partitionId: 3, command: { key: 2n ** 60n } });

    address = `127.0.0.1:${await freePort()}`;
    partition.deliver({ valueType: 'MESSAGE_SUBSCRIPTION', intent: 'CORRELATE', key: 1n, value: {} });
    address = null;
    partition.deliver({ valueType: 'MESSAGE_SUBSCRIPTION', intent: 'CORRELATE', key: 1n, value: {} });
    await new Promise((resolve) => setTimeout(resolve, 100));
  });

  describe('job hints', () => {
    it('probes an unknown type, turns it off when empty, on when notified, and re-probes when stale', async () => {
      const fake = scriptedPool([async () => batch(0), async () => batch(2), async () => batch(0)]);
      const partition = new RemotePartition({ partitionId: 2, leaderAddress: () => 'x:1', pool: fake, logger: silent, hintRecheckMs: 100 });
      expect(partition.hasActivatableJobs('pay')).toBe(true);
      await partition.submit(activation('pay'));
      expect(partition.hasActivatableJobs('pay')).toBe(false);
      expect(partition.hasActivatableJobs('ship')).toBe(true);

      partition.markJobsAvailable('pay');
      expect(partition.hasActivatableJobs('pay')).toBe(true);
      await partition.submit(activation('pay'));
      expect(partition.hasActivatableJobs('pay')).toBe(true); // jobs found: maybe more
      await partition.submit(activation('pay'));
      expect(partition.hasActivatableJobs('pay')).toBe(false);

      await new Promise((resolve) => setTimeout(resolve, 120));
      expect(partition.hasActivatableJobs('pay')).toBe(true);
    });

    it('keeps a notification that arrives while an activation is in flight', async () => {
      let finish!: (response: CommandResponse) => void;
      const fake = scriptedPool([() => new Promise((resolve) => (finish = resolve))]);
      const partition = new RemotePartition({ partitionId: 2, leaderAddress: () => 'x:1', pool: fake, logger: silent });
      const pending = partition.submit(activation('pay'));
      partition.markJobsAvailable('pay');
      finish(batch(0));
      await pending;
      expect(partition.hasActivatableJobs('pay')).toBe(true);
    });

    it('keeps one verdict per set of tenants: a tenant found empty says nothing of another', async () => {
      const fake = scriptedPool([async () => batch(0)]);
      const partition = new RemotePartition({ partitionId: 2, leaderAddress: () => 'x:1', pool: fake, logger: silent });
      const forA = activation('pay');
      await partition.submit({ ...forA, value: { ...forA.value, tenantIds: ['a'] } });
      expect(partition.hasActivatableJobs('pay', ['a'])).toBe(false);
      expect(partition.hasActivatableJobs('pay', ['b'])).toBe(true);
      expect(partition.hasActivatableJobs('pay', ['a', 'b'])).toBe(true);
      expect(partition.hasActivatableJobs('pay')).toBe(true);
      partition.markJobsAvailable('pay');
      expect(partition.hasActivatableJobs('pay', ['a'])).toBe(true);
    });

    it('takes activation results reported from outside, and forgets verdicts on resync', () => {
      const partition = new RemotePartition({ partitionId: 2, leaderAddress: () => 'x:1', pool: scriptedPool([]), logger: silent });
      partition.noteActivationResult('pay', 0);
      expect(partition.hasActivatableJobs('pay')).toBe(false);
      expect(partition.knownJobTypes()).toEqual(['pay']);
      partition.invalidateHints();
      expect(partition.hasActivatableJobs('pay')).toBe(true);
    });

    it('counts the leader\'s own workers as serving a type until a notice says otherwise or the last one lapses', async () => {
      const partition = new RemotePartition({ partitionId: 2, leaderAddress: () => 'x:1', pool: scriptedPool([]), logger: silent, servedNoticeMs: 80 });
      expect(partition.servedByOwnWorkers('pay')).toBe(false);
      partition.markJobsAvailable('pay', true);
      expect(partition.servedByOwnWorkers('pay')).toBe(true);
      expect(partition.servedByOwnWorkers('ship')).toBe(false);
      partition.markJobsAvailable('pay', false);
      expect(partition.servedByOwnWorkers('pay')).toBe(false);
      partition.markJobsAvailable('pay', true);
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(partition.servedByOwnWorkers('pay')).toBe(false);
      partition.markJobsAvailable('pay', true);
      partition.invalidateHints();
      expect(partition.servedByOwnWorkers('pay')).toBe(false);
    });

    it('is not ready, and so not asked, without a leader', () => {
      const partition = new RemotePartition({ partitionId: 2, leaderAddress: () => null, pool: scriptedPool([]), logger: silent });
      expect(partition.isReady).toBe(false);
    });
  });
});

describe('JobHints', () => {
  it('watches every peer, reports their notifications, and stops watching peers that left', async () => {
    const a = await node();
    const b = await node();
    const seen: string[] = [];
    const resynced: string[] = [];
    const hints = new JobHints({
      pool: pool(),
      logger: silent,
      onAvailable: (partitionId, type) => seen.push(`${partitionId}:${type}`),
      onResync: (address) => resynced.push(address),
    });
    cleanup.push(() => hints.close());
    hints.setPeers([a.address, b.address]);
    await until(() => a.node.listeners.size === 1 && b.node.listeners.size === 1);
    await until(() => resynced.length === 2);
    expect(resynced.sort()).toEqual([a.address, b.address].sort());

    a.node.notify(1, 'pay');
    b.node.notify(2, 'ship');
    await until(() => seen.length === 2);
    expect(seen.sort()).toEqual(['1:pay', '2:ship']);

    hints.setPeers([b.address]);
    await until(() => a.node.listeners.size === 0);
    expect(hints.peers).toEqual([b.address]);
    hints.close();
    await until(() => b.node.listeners.size === 0);
  });
});
