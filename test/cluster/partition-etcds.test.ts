/**
 * Partition etcd clusters in process, on real etcd: a main etcd and two further single-member
 * clusters. How a node tells etcd clusters apart (PartitionEtcds), and what the controller
 * does with them: places partition logs (evenly, where keys already are, not before every
 * cluster is identified) and compacts the history of every one of them.
 */
import pino from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Etcd3 } from 'etcd3';
import { createEtcdClient } from '../../src/cluster/etcd/client.js';
import { etcdClusterId } from '../../src/cluster/etcd/cluster-id.js';
import { PartitionEtcds } from '../../src/cluster/etcd/partition-etcds.js';
import { MainCluster } from '../../src/cluster/main/main-cluster.js';
import { EtcdCluster, describeWithEtcd, freePort } from '../support/etcd.js';
import { eventually } from '../support/eventually.js';

const logger = pino({ level: process.env.ZEN_TEST_LOG ? 'debug' : 'silent' });

describeWithEtcd('partition etcd clusters', () => {
  let main: EtcdCluster;
  let a: EtcdCluster;
  let b: EtcdCluster;
  const clients: Etcd3[] = [];
  const closers: Array<() => Promise<void> | void> = [];
  let ids: { main: string; a: string; b: string };
  let prefixCounter = 0;

  beforeAll(async () => {
    [main, a, b] = await Promise.all([EtcdCluster.start(1), EtcdCluster.start(1), EtcdCluster.start(1)]);
    ids = { main: await etcdClusterId(client(main), 3000), a: await etcdClusterId(client(a), 3000), b: await etcdClusterId(client(b), 3000) };
  }, 60_000);

  afterAll(async () => {
    for (const close of closers.reverse()) await close();
    for (const c of clients) c.close();
    await Promise.all([main, a, b].map((e) => e?.stop()));
  });

  function client(etcd: EtcdCluster): Etcd3 {
    const c = createEtcdClient({ endpoints: etcd.endpoints, callTimeoutMs: 1000 });
    clients.push(c);
    return c;
  }

  async function etcds(groups: string[][], retryMs = 200): Promise<PartitionEtcds> {
    const result = new PartitionEtcds({ main: client(main), mainEndpoints: main.endpoints, groups, logger, callTimeoutMs: 1000, retryMs });
    closers.push(() => result.close());
    await result.start();
    return result;
  }

  function nextPrefix(): string {
    return `partition-etcds-${++prefixCounter}`;
  }

  async function join(
    stores: PartitionEtcds,
    partitionCount: number,
    overrides: { prefix?: string; compactIntervalMs?: number; compactRetainRevisions?: number } = {},
  ): Promise<MainCluster> {
    const cluster = await MainCluster.join({
      etcd: stores.known().find((k) => k.main)!.etcd,
      prefix: overrides.prefix ?? nextPrefix(),
      node: { nodeId: 1, zone: 'a', addresses: { host: 'n1', grpcPort: 1, restPort: 2, systemPort: 3, privatePort: 4 }, controllerOnly: false, version: '0.1.0' },
      config: { partitionCount, replicationFactor: 1 },
      leaseTtlSeconds: 2,
      controllerIntervalMs: 200,
      pollIntervalMs: 300,
      logger,
      logStores: stores,
      ...overrides,
    });
    closers.push(() => cluster.close());
    return cluster;
  }

  it('tells the clusters apart by id, whichever endpoints and order a node lists', async () => {
    const one = await etcds([a.endpoints, b.endpoints]);
    const other = await etcds([b.endpoints, [...a.endpoints]]);
    expect(one.mainId).toBe(ids.main);
    expect([...one.eligible()!].sort()).toEqual([ids.a, ids.b].sort());
    expect([...other.eligible()!].sort()).toEqual([...one.eligible()!].sort());
    expect(one.known().map((k) => k.id).sort()).toEqual([ids.main, ids.a, ids.b].sort());
    expect(one.known().find((k) => k.id === ids.b)?.endpoints).toEqual(b.endpoints);
    expect(new Set([ids.main, ids.a, ids.b]).size).toBe(3);
  });

  it('takes the main etcd, listed as a partition etcd cluster, as eligible through the main client; a cluster listed twice counts once', async () => {
    const stores = await etcds([main.endpoints, a.endpoints, a.endpoints]);
    expect([...stores.eligible()!].sort()).toEqual([ids.main, ids.a].sort());
    expect(stores.clientFor(ids.main)).toBe(stores.known().find((k) => k.main)!.etcd);
    expect(stores.known()).toHaveLength(2);
  });

  it('refuses a group whose endpoints belong to two clusters, and is not settled on any cluster while one does not answer', async () => {
    const mixed = await etcds([[...a.endpoints, ...b.endpoints]]);
    expect(mixed.eligible()).toBeNull();
    expect(mixed.pendingReason()).toMatch(/partition etcd cluster 1 .*belong to different etcd clusters/);

    const dead = `http://127.0.0.1:${await freePort()}`;
    const waiting = await etcds([a.endpoints, [dead]]);
    expect(waiting.eligible()).toBeNull();
    expect(waiting.settled).toBe(false);
    expect(waiting.pendingReason()).toMatch(/partition etcd cluster 2 \(http:\/\/127\.0\.0\.1:\d+\): no endpoint answered/);
    expect(waiting.clientFor(ids.a)).not.toBeNull();
  });

  it('identifies a cluster that was down at start once it answers', async () => {
    const late = await EtcdCluster.start(1);
    closers.push(() => late.stop());
    const endpoint = late.memberEndpoint(0);
    late.kill9(0);
    await eventually('the member is down', async () => {
      try {
        await fetch(`${endpoint}/health`);
        return false;
      } catch {
        return true;
      }
    });
    const stores = await etcds([a.endpoints, [endpoint]]);
    expect(stores.eligible()).toBeNull();
    const identified = new Promise<string>((resolve) => stores.once('identified', resolve));
    await late.restart(0);
    const id = await identified;
    expect(stores.eligible()).toContain(id);
    expect(stores.settled).toBe(true);
  }, 30_000);

  it('has the controller place logs evenly on the partition etcd clusters, and a log whose keys are on the main etcd there', async () => {
    const stores = await etcds([b.endpoints, a.endpoints]);
    const prefix = nextPrefix();
    // Partition 3 ran on the main etcd before partition etcd clusters were configured.
    await client(main).put(`/${prefix}/p/3/head`).value('7:7');
    const cluster = await join(stores, 5, { prefix });
    const placed = await eventually('every log placed', () => (cluster.state.partitionLogs.size === 5 ? cluster.state.partitionLogs : null));
    expect(placed.get(3)).toBe(ids.main);
    const others = [1, 2, 4, 5].map((p) => placed.get(p));
    expect(others.filter((id) => id === ids.a)).toHaveLength(2);
    expect(others.filter((id) => id === ids.b)).toHaveLength(2);
    // Stable: the controller's next runs leave them be.
    const version = cluster.state.version;
    await new Promise((r) => setTimeout(r, 600));
    expect(cluster.state.partitionLogs).toEqual(placed);
    expect(cluster.state.version).toBe(version);
  });

  it('places nothing while a partition etcd cluster is not identified', async () => {
    const dead = `http://127.0.0.1:${await freePort()}`;
    const stores = await etcds([a.endpoints, [dead]], 60_000);
    const cluster = await join(stores, 2);
    await eventually('controller', () => cluster.isController);
    // Members are assigned meanwhile; logs are not placed.
    await eventually('members assigned', () => cluster.state.partitions.size === 2);
    await new Promise((r) => setTimeout(r, 600));
    expect(cluster.state.partitionLogs.size).toBe(0);
  });

  it('compacts the history of every partition etcd cluster while controller', async () => {
    const stores = await etcds([a.endpoints, b.endpoints]);
    const cluster = await join(stores, 1, { compactIntervalMs: 200, compactRetainRevisions: 5 });
    await eventually('controller', () => cluster.isController);
    for (const etcd of [a, b]) {
      const c = client(etcd);
      for (let i = 0; i < 20; i++) await c.put('/scratch').value(String(i));
      const { header } = await c.get('/scratch').exec();
      const old = String(Number(header.revision) - 15);
      await eventually('history compacted', async () => {
        try {
          await c.get('/scratch').revision(old).exec();
          return false;
        } catch (err) {
          return /compacted/.test(String(err));
        }
      }, 5000);
    }
  }, 30_000);
});
