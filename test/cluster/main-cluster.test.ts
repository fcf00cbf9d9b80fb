/**
 * The main cluster on a real 3-member etcd, with several MainCluster instances in one
 * process (each with its own etcd client, as separate nodes would have): bootstrap, one
 * folded state everywhere, the controller's assignments, failover, DOWN marking, replacement
 * after the rebalance delay, rejoining, and appends with an etcd member killed.
 *
 * The lifecycle steps share one cluster and run in order; TTLs and delays are short so the
 * whole file stays well under a minute.
 */
import { Writable } from 'node:stream';
import type { Etcd3 } from 'etcd3';
import pino, { type Logger } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEtcdClient } from '../../src/cluster/etcd/client.js';
import { MainCluster, type MainClusterOptions } from '../../src/cluster/main/main-cluster.js';
import { type ClusterState, leaderOf } from '../../src/cluster/main/types.js';
import { ZenError } from '../../src/errors.js';
import { describeWithEtcd, EtcdCluster } from '../support/etcd.js';
import { eventually } from '../support/eventually.js';

const logger = pino({ level: process.env.ZEN_TEST_LOG ? 'debug' : 'silent' });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const TTL_SECONDS = 2;
const REBALANCE_DELAY_MS = 3000;

/** Plain-object view, so states from different instances compare with toEqual and print well. */
function view(state: ClusterState) {
  return {
    version: state.version,
    config: state.config,
    nodes: Object.fromEntries([...state.nodes].sort((a, b) => a[0] - b[0])),
    partitions: Object.fromEntries(
      [...state.partitions].sort((a, b) => a[0] - b[0]).map(([p, members]) => [p, Object.fromEntries([...members].sort((a, b) => a[0] - b[0]))]),
    ),
  };
}

function groups(state: ClusterState): Record<number, number[]> {
  return Object.fromEntries([...state.partitions].sort((a, b) => a[0] - b[0]).map(([p, m]) => [p, [...m.keys()].sort((a, b) => a - b)]));
}

/** A logger whose warnings the test can read. */
function capturingLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { logger: pino({ level: 'warn' }, sink), lines };
}

// Cluster tests need etcd (Debian's etcd-server); .ci/run installs it.
describeWithEtcd('main cluster on etcd', () => {
  let etcd: EtcdCluster;
  const clients: Etcd3[] = [];
  const running = new Map<string, MainCluster>();
  let prefixCounter = 0;

  beforeAll(async () => {
    etcd = await EtcdCluster.start(3);
  });

  afterAll(async () => {
    for (const cluster of running.values()) await cluster.close().catch(() => {});
    for (const client of clients) client.close();
    await etcd?.stop();
  });

  function client(): Etcd3 {
    const c = createEtcdClient({ endpoints: etcd.endpoints, callTimeoutMs: 1000 });
    clients.push(c);
    return c;
  }

  function options(prefix: string, nodeId: number, zone: string, overrides: Partial<MainClusterOptions> = {}): MainClusterOptions {
    return {
      etcd: client(),
      prefix,
      node: {
        nodeId,
        zone,
        addresses: { host: `node-${nodeId}`, grpcPort: 26500 + nodeId, restPort: 8080, systemPort: 9600, privatePort: 26502 },
        controllerOnly: false,
        version: '0.1.0',
      },
      config: { partitionCount: 3, replicationFactor: 3 },
      leaseTtlSeconds: TTL_SECONDS,
      rebalanceDelayMs: REBALANCE_DELAY_MS,
      controllerIntervalMs: 200,
      pollIntervalMs: 300,
      logger,
      ...overrides,
    };
  }

  async function join(prefix: string, nodeId: number, zone: string, overrides: Partial<MainClusterOptions> = {}): Promise<MainCluster> {
    const cluster = await MainCluster.join(options(prefix, nodeId, zone, overrides));
    running.set(`${prefix}/${nodeId}`, cluster);
    return cluster;
  }

  async function stop(prefix: string, cluster: MainCluster, how: 'close' | 'leave'): Promise<void> {
    if (how === 'close') await cluster.close();
    else await cluster.leave();
    running.delete(`${prefix}/${cluster.nodeId}`);
  }

  function nextPrefix(): string {
    return `zen-test-${process.pid}-${++prefixCounter}`;
  }

  /** Waits until every instance has folded the same state, and returns it. */
  async function converged(
    instances: readonly MainCluster[],
    what: string,
    predicate: (state: ClusterState) => boolean,
    timeoutMs?: number,
  ): Promise<ClusterState> {
    return eventually(what, () => {
      const first = instances[0]!.state;
      if (!predicate(first)) return null;
      const same = instances.every((i) => i.state.version === first.version);
      return same ? first : null;
    }, timeoutMs);
  }

  describe('lifecycle', () => {
    const prefix = `zen-life-${process.pid}`;
    const nodes = new Map<number, MainCluster>();
    const live = () => [...nodes.values()];

    it('bootstraps with the first node, folds one state everywhere and assigns R = 3 members to each of 3 partitions', async () => {
      const joined = await Promise.all([join(prefix, 1, 'a'), join(prefix, 2, 'b'), join(prefix, 3, 'c')]);
      for (const n of joined) nodes.set(n.nodeId, n);

      const state = await converged(live(), 'initial assignment', (s) =>
        [1, 2, 3].every((p) => s.partitions.get(p)?.size === 3) && [1, 2, 3].every((id) => s.nodes.get(id)?.state === 'ACTIVE'),
      );
      expect(state.config).toEqual({ partitionCount: 3, replicationFactor: 3 });
      expect(groups(state)).toEqual({ 1: [1, 2, 3], 2: [1, 2, 3], 3: [1, 2, 3] });
      for (const n of live()) {
        expect(view(n.state)).toEqual(view(state));
        expect(n.assignedPartitions()).toEqual([1, 2, 3]);
      }
      expect(state.nodes.get(2)).toMatchObject({ zone: 'b', addresses: { host: 'node-2', grpcPort: 26502 }, version: '0.1.0' });

      const controllers = await eventually('one controller', () => {
        const c = live().filter((n) => n.isController);
        return c.length === 1 ? c : null;
      });
      expect(await controllers[0]!.controllerId()).toBe(controllers[0]!.nodeId);

      const raw = await clients[0]!.get(`/${prefix}/config`).json();
      expect(raw).toEqual({ partitionCount: 3, replicationFactor: 3 });
    });

    it('keeps appends from every node in one order that all nodes fold alike', async () => {
      await Promise.all(
        live().map((n, i) => n.append({ type: 'ClusterNodePartitionChange', nodeId: n.nodeId, partitionId: 1, role: 'LEADER', term: 100 + i })),
      );
      const state = await converged(live(), 'leader announcements', (s) => leaderOf(s, 1) !== null && s.version >= 10);
      expect(leaderOf(state, 1)?.term).toBe(102);
      for (const n of live()) expect(view(n.state)).toEqual(view(state));
    });

    it('adds a fourth node without moving any member to it', async () => {
      const fourth = await join(prefix, 4, 'a');
      nodes.set(4, fourth);
      await converged(live(), 'node 4 ACTIVE', (s) => s.nodes.get(4)?.state === 'ACTIVE');
      await sleep(500);
      expect(groups(fourth.state)).toEqual({ 1: [1, 2, 3], 2: [1, 2, 3], 3: [1, 2, 3] });
      expect(fourth.assignedPartitions()).toEqual([]);
    });

    let crashed = 0;
    it('fails the controller over when it crashes (its lease expires)', async () => {
      const controller = await eventually('a controller', () => live().find((n) => n.isController));
      crashed = controller.nodeId;
      const crashedAt = Date.now();
      await stop(prefix, controller, 'close');
      nodes.delete(crashed);
      expect(controller.isController).toBe(false);

      const next = await eventually('a new controller', () => live().find((n) => n.isController), 10_000);
      const failover = Date.now() - crashedAt;
      expect(next.nodeId).not.toBe(crashed);
      // Lease expiry plus a watch round trip.
      expect(failover).toBeLessThan(TTL_SECONDS * 1000 + 3000);
      expect(live().filter((n) => n.isController)).toHaveLength(1);
    });

    it('marks the crashed node DOWN and keeps its memberships (INACTIVE) for the rebalance delay', async () => {
      const state = await converged(live(), 'crashed node DOWN', (s) => s.nodes.get(crashed)?.state === 'DOWN');
      for (const p of [1, 2, 3]) {
        const member = state.partitions.get(p)?.get(crashed);
        expect(member, `partition ${p}`).toBeDefined();
        expect(member!.role).toBe('INACTIVE');
      }
    });

    it('replaces the crashed node by the fourth after the rebalance delay', async () => {
      const state = await converged(live(), 'replacement', (s) => [1, 2, 3].every((p) => s.partitions.get(p)?.has(4) && !s.partitions.get(p)?.has(crashed)), REBALANCE_DELAY_MS + 10_000);
      const survivors = [1, 2, 3, 4].filter((id) => id !== crashed);
      expect(groups(state)).toEqual({ 1: survivors, 2: survivors, 3: survivors });
      for (const n of live()) expect(view(n.state)).toEqual(view(state));
    });

    it('lets the crashed node rejoin with its id, without taking members back', async () => {
      const back = await join(prefix, crashed, crashed === 4 ? 'a' : ['a', 'b', 'c'][crashed - 1]!);
      nodes.set(crashed, back);
      const state = await converged(live(), 'rejoined node ACTIVE', (s) => s.nodes.get(crashed)?.state === 'ACTIVE');
      await sleep(500);
      expect(back.assignedPartitions()).toEqual([]);
      expect(groups(back.state)).toEqual(groups(state));
    });

    it('keeps the memberships of a node that leaves gracefully and returns within the delay', async () => {
      const leaving = live().find((n) => !n.isController && n.assignedPartitions().length === 3)!;
      const id = leaving.nodeId;
      const zone = leaving.state.nodes.get(id)!.zone;
      await stop(prefix, leaving, 'leave');
      nodes.delete(id);
      // A revoked lease is noticed at once, not after the TTL.
      await converged(live(), 'left node DOWN', (s) => s.nodes.get(id)?.state === 'DOWN');
      const back = await join(prefix, id, zone);
      nodes.set(id, back);
      await converged(live(), 'returned node ACTIVE', (s) => s.nodes.get(id)?.state === 'ACTIVE');
      await sleep(REBALANCE_DELAY_MS);
      expect(back.assignedPartitions()).toEqual([1, 2, 3]);
    });

    it('keeps appending with one etcd member killed', async () => {
      etcd.kill9(0);
      try {
        // Re-stating the configuration changes nothing but the version: a pure append probe.
        for (const n of live()) await n.append({ type: 'ClusterConfigChange', partitionCount: 3, replicationFactor: 3 });
        const version = live()[0]!.state.version;
        const state = await converged(live(), 'appends with a dead etcd member', (s) => s.version >= version);
        for (const n of live()) expect(view(n.state)).toEqual(view(state));
      } finally {
        await etcd.restart(0);
      }
    });

    it('reassigns the members of a node that leaves permanently at once', async () => {
      const leaving = live().find((n) => !n.isController && n.assignedPartitions().length > 0)!;
      const id = leaving.nodeId;
      await leaving.leave({ permanently: true });
      running.delete(`${prefix}/${id}`);
      nodes.delete(id);
      const state = await converged(live(), 'LEFT node replaced', (s) => s.nodes.get(id)?.state === 'LEFT' && ![...s.partitions.values()].some((m) => m.has(id)), 5000);
      expect(Object.values(groups(state)).every((g) => g.length === 3)).toBe(true);
      // Nothing flips it back (no ACTIVE re-appended behind the LEFT, no DOWN mark).
      await sleep(500);
      expect(live()[0]!.state.nodes.get(id)?.state).toBe('LEFT');
    });
  });

  it('rejects a node started with a different partition count, naming both values', async () => {
    const prefix = nextPrefix();
    await join(prefix, 1, 'a');
    const error = await MainCluster.join(options(prefix, 2, 'b', { config: { partitionCount: 4, replicationFactor: 3 } })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ZenError);
    expect((error as ZenError).code).toBe('FAILED_PRECONDITION');
    expect((error as ZenError).message).toMatch(/partition count 3.*partition count 4/);
  });

  it('lets a node started with another replication factor join with a warning, using the cluster\'s', async () => {
    const prefix = nextPrefix();
    const first = await join(prefix, 1, 'a');
    const { logger: warnLogger, lines } = capturingLogger();
    const second = await join(prefix, 2, 'b', { config: { partitionCount: 3, replicationFactor: 1 }, logger: warnLogger });
    expect(second.state.config).toEqual({ partitionCount: 3, replicationFactor: 3 });
    expect(lines.join('')).toMatch(/replication factor 3; ignoring the 1/);
    expect(first.state.config?.replicationFactor).toBe(3);
  });

  it('distributes a replication-factor update, and the controller re-plans for it', async () => {
    const prefix = nextPrefix();
    const all = await Promise.all([join(prefix, 1, 'a'), join(prefix, 2, 'b'), join(prefix, 3, 'c')]);
    await converged(all, 'initial assignment', (s) => [1, 2, 3].every((p) => s.partitions.get(p)?.size === 3));
    await all[0]!.updateConfig({ partitionCount: 3, replicationFactor: 2 });
    const state = await converged(all, 'groups of 2', (s) => [1, 2, 3].every((p) => s.partitions.get(p)?.size === 2));
    expect(state.config?.replicationFactor).toBe(2);
    await expect(all[0]!.updateConfig({ partitionCount: 5, replicationFactor: 2 })).rejects.toThrow(/cannot change/);
  });

  it('never assigns partitions to a controller-only node, which may still be the controller', async () => {
    const prefix = nextPrefix();
    const controllerOnly = await join(prefix, 10, 'a', { node: { ...options(prefix, 10, 'a').node, controllerOnly: true }, config: { partitionCount: 2, replicationFactor: 1 } });
    await eventually('controller-only node leads', () => controllerOnly.isController);
    const worker = await join(prefix, 11, 'b', { config: { partitionCount: 2, replicationFactor: 1 } });
    const state = await converged([controllerOnly, worker], 'assignment', (s) => [1, 2].every((p) => s.partitions.get(p)?.size === 1));
    expect(groups(state)).toEqual({ 1: [11], 2: [11] });
    expect(controllerOnly.assignedPartitions()).toEqual([]);
  });

  it('refuses a second live node with the same id', async () => {
    const prefix = nextPrefix();
    await join(prefix, 1, 'a', { leaseTtlSeconds: 1 });
    const error = await MainCluster.join(options(prefix, 1, 'a', { leaseTtlSeconds: 1 })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ZenError);
    expect((error as ZenError).code).toBe('ALREADY_EXISTS');
  });

  it('registers again after losing its lease, and tells the node', async () => {
    const prefix = nextPrefix();
    const [first, second] = await Promise.all([join(prefix, 1, 'a'), join(prefix, 2, 'b')]);
    const controller = await eventually('a controller', () => [first, second].find((n) => n.isController));
    const events: string[] = [];
    controller.on('leaseLost', () => events.push('leaseLost'));
    controller.on('registered', () => events.push('registered'));
    controller.on('deposed', () => events.push('deposed'));
    const oldLease = controller.leaseId!;
    // What etcd does to a node that was cut off for longer than its TTL.
    await clients[0]!.leaseClient.leaseRevoke({ ID: oldLease });
    await eventually('re-registration', () => events.includes('registered'), 10_000);
    expect(events.slice(0, 2).sort()).toEqual(['deposed', 'leaseLost']);
    expect(controller.leaseId).not.toBe(oldLease);
    const state = await converged([first, second], 'both ACTIVE', (s) => [1, 2].every((id) => s.nodes.get(id)?.state === 'ACTIVE'));
    expect(state.nodes.size).toBe(2);
    expect(await clients[0]!.get(`/${prefix}/nodes/${controller.nodeId}`).exec()).toMatchObject({ kvs: [{ lease: controller.leaseId }] });
    await eventually('a controller again', () => [first, second].filter((n) => n.isController).length === 1);
  });

  it('compacts etcd history while controller', async () => {
    const prefix = nextPrefix();
    const only = await join(prefix, 1, 'a', { compactIntervalMs: 200, compactRetainRevisions: 5, config: { partitionCount: 1, replicationFactor: 1 } });
    await eventually('controller', () => only.isController);
    const c = clients[0]!;
    for (let i = 0; i < 20; i++) await c.put(`/${prefix}/scratch`).value(String(i));
    const { header } = await c.get(`/${prefix}/scratch`).exec();
    const old = String(Number(header.revision) - 15);
    await eventually('history compacted', async () => {
      try {
        await c.get(`/${prefix}/scratch`).revision(old).exec();
        return false;
      } catch (err) {
        return /compacted/.test(String(err));
      }
    }, 5000);
  });

  it('compacts the cluster log below a snapshot; a node that starts afterwards loads it', async () => {
    const prefix = nextPrefix();
    const first = await join(prefix, 1, 'a', { compactIntervalMs: 200, clusterLogKeep: 3, config: { partitionCount: 2, replicationFactor: 1 } });
    await eventually('controller', () => first.isController);
    // Each leave and rejoin of node 2 appends entries; enough of them and compaction is due.
    for (let round = 0; round < 3; round++) {
      const second = await join(prefix, 2, 'b', { campaign: false, config: { partitionCount: 2, replicationFactor: 1 } });
      await stop(prefix, second, 'leave');
    }
    const c = clients[0]!;
    await eventually('log entry 1 deleted', async () => (await c.get(`/${prefix}/cluster/log/${'1'.padStart(16, '0')}`).exec()).kvs.length === 0, 10_000);
    expect((await c.get(`/${prefix}/cluster/snapshot`).exec()).kvs).toHaveLength(1);

    const late = await join(prefix, 3, 'c', { campaign: false, config: { partitionCount: 2, replicationFactor: 1 } });
    const state = await converged([first, late], 'the late node folded the same state', (s) => s.nodes.get(3)?.state === 'ACTIVE');
    expect(view(late.state)).toEqual(view(first.state));
    expect(state.nodes.get(2)?.state).not.toBe('ACTIVE');
    expect(state.config).toEqual({ partitionCount: 2, replicationFactor: 1 });
  });
});
