/**
 * Partition logs on further etcd clusters (--partition-etcd-endpoints), with real processes:
 * a main etcd (membership, cluster log), two partition etcd clusters A and B of two members
 * each, 3 `zen start` nodes, 4 partitions with replication factor 3. The nodes list A and B
 * in different orders and through different members, so only the etcd cluster id can tell
 * them apart. One cluster for the whole file; the tests run in order:
 * 1. the controller places two logs on each partition etcd cluster, and every key of a
 *    partition (head, entries, election, applied) is in its cluster and in no other;
 * 2. instances created through every node complete, and the entries land in those clusters;
 * 3. a node killed with -9 and started again on its data dir without the endpoints of one
 *    partition etcd cluster names the partitions it cannot reach and is not ready; restarted
 *    with them, it follows and leads its partitions again on the same clusters, with leases
 *    granted there; its etcd latency metric is labelled with those clusters' ids.
 */
import pino from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Etcd3 } from 'etcd3';
import { createEtcdClient } from '../../src/cluster/etcd/client.js';
import { etcdClusterId } from '../../src/cluster/etcd/cluster-id.js';
import { ClusterLog } from '../../src/cluster/main/cluster-log.js';
import { clusterKeys } from '../../src/cluster/main/keys.js';
import type { ClusterState } from '../../src/cluster/main/types.js';
import { ClusterLoad } from '../support/cluster-load.js';
import { rolesOf, showClusterOutputOnFailure, ZenCluster } from '../support/cluster-process.js';
import { describeWithEtcd } from '../support/etcd.js';
import { ZenServer } from '../support/server-process.js';
import { deployFixtures, muteSdkStreamCancellations, waitFor } from '../support/server-client.js';

const PROCESS = 'server-one-task';
const TYPE = 'server-work';
const PARTITIONS = [1, 2, 3, 4];
const NODES = [0, 1, 2];
const partitionOf = (key: string) => Number(BigInt(key) >> 51n);

interface Etcds {
  main: { id: string; client: Etcd3 };
  /** The partition etcd clusters, by id. */
  partition: Map<string, Etcd3>;
  /** Ids of cluster.partitionEtcds, in order. */
  ids: string[];
}

describeWithEtcd('cluster of real processes: partition logs on two further etcd clusters', () => {
  let cluster: ZenCluster | undefined;
  let etcds: Etcds | undefined;
  let state: ClusterState | undefined;
  let victim = -1;

  beforeAll(async () => {
    cluster = await ZenCluster.start({
      nodes: 3,
      etcdMembers: 1,
      partitions: 4,
      replicationFactor: 3,
      leaseTtl: 2,
      partitionEtcdClusters: 2,
      partitionEtcdMembers: 2,
      // Node 0: both clusters, all members; node 1: B first, each through its second member;
      // node 2: A through its first member, B's members reversed.
      partitionEtcdEndpoints: (nodeId, [a, b]) =>
        [
          `${a!.endpoints.join(',')};${b!.endpoints.join(',')}`,
          `${b!.memberEndpoint(1)};${a!.memberEndpoint(1)}`,
          `${a!.memberEndpoint(0)};${[...b!.endpoints].reverse().join(',')}`,
        ][nodeId]!,
      // The restarted node gets its preferred leadership back within the test.
      args: ['--rebalance-delay', '5'],
    });
    const main = createEtcdClient({ endpoints: cluster.etcd.endpoints });
    etcds = { main: { id: await etcdClusterId(main, 3000), client: main }, partition: new Map(), ids: [] };
    for (const c of cluster.partitionEtcds) {
      const client = createEtcdClient({ endpoints: c.endpoints });
      const id = await etcdClusterId(client, 3000);
      etcds.partition.set(id, client);
      etcds.ids.push(id);
    }
    await cluster.waitForLeaders({ members: NODES, timeoutMs: 30_000 });
    await deployFixtures(cluster.client(0), 'server-one-task.bpmn');
  }, 90_000);

  afterAll(async () => {
    etcds?.main.client.close();
    for (const client of etcds?.partition.values() ?? []) client.close();
    await cluster?.dispose();
  }, 60_000);

  showClusterOutputOnFailure(() => cluster);
  muteSdkStreamCancellations();

  /** The cluster state as every node folds it, read from the main etcd. */
  async function clusterState(): Promise<ClusterState> {
    const log = new ClusterLog(etcds!.main.client, clusterKeys('zen'), pino({ level: 'silent' }));
    try {
      return await log.catchUp();
    } finally {
      await log.close();
    }
  }

  /** Keys under `/zen/p/<p>/` in each etcd cluster, by cluster id (the main one included). */
  async function partitionKeys(partitionId: number): Promise<Map<string, string[]>> {
    const all: [string, Etcd3][] = [[etcds!.main.id, etcds!.main.client], ...etcds!.partition];
    const result = new Map<string, string[]>();
    for (const [id, client] of all) result.set(id, await client.getAll().prefix(`/zen/p/${partitionId}/`).keys());
    return result;
  }

  /** Every key of every partition is in the cluster its log is placed on, and in no other. */
  async function expectKeysOnlyWherePlaced(): Promise<void> {
    for (const p of PARTITIONS) {
      const placedOn = state!.partitionLogs.get(p)!;
      for (const [id, keys] of await partitionKeys(p)) {
        if (id === placedOn) expect(keys.length, `keys of partition ${p} in its etcd cluster ${id}`).toBeGreaterThan(0);
        else expect(keys, `keys of partition ${p} in etcd cluster ${id} (placed on ${placedOn})`).toEqual([]);
      }
    }
  }

  it('places two partition logs on each partition etcd cluster; each partition\'s keys are there and nowhere else', async () => {
    const c = cluster!;
    state = await clusterState();
    const ids = [...etcds!.partition.keys()];
    expect(new Set(ids).size, 'the two partition etcd clusters have different ids').toBe(2);
    expect(ids).not.toContain(etcds!.main.id);
    expect([...state.partitionLogs.keys()].sort()).toEqual(PARTITIONS);
    for (const id of ids) expect([...state.partitionLogs.values()].filter((v) => v === id), `logs on ${id}`).toHaveLength(2);

    for (const p of PARTITIONS) {
      const client = etcds!.partition.get(state.partitionLogs.get(p)!)!;
      // Every member's candidacy, bound to a lease of this etcd (a put with a lease another
      // etcd granted would have been refused), and every member's applied index.
      // (Members that the partition does not prefer enter its election a little later.)
      const candidates = await waitFor(`every member is a candidate in partition ${p}`, async () => {
        const response = await client.getAll().prefix(`/zen/p/${p}/election/`).exec();
        return response.kvs.length === 3 ? response : undefined;
      });
      expect(candidates.kvs.map((kv) => kv.value.toString()).sort(), `candidates of partition ${p}`).toEqual(['0', '1', '2']);
      for (const kv of candidates.kvs) expect(kv.lease, `lease of ${kv.key.toString()}`).not.toBe('0');
      await waitFor(`every member reported its applied index of partition ${p}`, async () =>
        (await client.getAll().prefix(`/zen/p/${p}/applied/`).keys()).length === 3 ? true : undefined,
      );
      expect(await client.get(`/zen/p/${p}/head`).string(), `head of partition ${p}`).not.toBeNull();
    }
    await expectKeysOnlyWherePlaced();
    // The main etcd holds the cluster, not its partitions.
    expect(await etcds!.main.client.getAll().prefix('/zen/p/').keys()).toEqual([]);
    expect(await etcds!.main.client.getAll().prefix('/zen/cluster/log/').count()).toBeGreaterThan(0);
    for (const nodeId of NODES) expect((await c.node(nodeId).server.get('/ready')).status, `node ${nodeId} ready`).toBe(200);
  });

  it('completes instances created through every node, with the entries in the partition etcd clusters', async () => {
    const c = cluster!;
    const headsBefore = await heads();
    const load = new ClusterLoad(c, { bpmnProcessId: PROCESS, jobType: TYPE, createVia: () => NODES, workVia: () => NODES });
    load.startCreating();
    load.startWorking();
    await waitFor(
      'instances created through every node, on every partition',
      () => {
        const acked = [...load.acked.values()];
        const viaAll = NODES.every((n) => acked.some((a) => a.via === n));
        const onAll = PARTITIONS.every((p) => acked.some((a) => partitionOf(a.instanceKey) === p));
        return viaAll && onAll && acked.length >= 40 ? true : undefined;
      },
      30_000,
    );
    await load.stopCreating();
    await load.drain();
    await load.stopWorking();
    expect(load.failures, load.summary()).toEqual([]);
    expect(load.violations(), load.summary()).toEqual([]);
    expect(await load.instancesNotCompleted(0), load.summary()).toEqual([]);
    const headsAfter = await heads();
    for (const p of PARTITIONS) expect(headsAfter.get(p)!, `log head of partition ${p} in its etcd cluster`).toBeGreaterThan(headsBefore.get(p)!);
    await expectKeysOnlyWherePlaced();
  }, 60_000);

  it('a node killed with -9 and restarted: without one cluster\'s endpoints it is not ready, with them it follows and leads on the same clusters', async () => {
    const c = cluster!;
    const { leaders } = await c.waitForLeaders();
    const led = new Map<number, number[]>();
    for (const [p, nodeId] of leaders) led.set(nodeId, [...(led.get(nodeId) ?? []), p]);
    victim = [...led].sort((a, b) => b[1].length - a[1].length || a[0] - b[0])[0]![0];
    const survivors = NODES.filter((n) => n !== victim);
    const candidaciesBefore = await candidaciesOf(victim);

    await c.kill9(victim);
    await c.waitForLeaders({ viaNodeIds: survivors, leaderAmong: survivors, timeoutMs: 15_000 });

    // Started on its data dir with the endpoints of cluster A only: the partitions on B are
    // named in its log and it never reports ready (the start gives up waiting for /ready).
    const [a, b] = etcds!.ids as [string, string];
    const args = c.argsFor(victim);
    args[args.indexOf('--partition-etcd-endpoints') + 1] = c.partitionEtcds[0]!.endpoints.join(',');
    const onB = PARTITIONS.filter((p) => state!.partitionLogs.get(p) === b);
    const refused = await ZenServer.start({ args, dataDir: c.dataDirOf(victim), startTimeoutMs: 8_000 }).then(
      async (server) => {
        await server.kill9();
        return 'it became ready';
      },
      (err: Error) => err.message,
    );
    expect(refused).toContain('/ready did not answer 200');
    for (const p of onB) {
      expect(refused).toContain(`partition ${p}'s log is on etcd cluster ${b}, which none of this node's --etcd-endpoints or --partition-etcd-endpoints reach`);
    }
    for (const p of PARTITIONS.filter((p) => state!.partitionLogs.get(p) === a)) expect(refused).not.toContain(`partition ${p}'s log is on`);

    await c.restart(victim);
    expect((await c.node(victim).server.get('/ready')).status).toBe(200);
    await c.waitForLeaders({ members: NODES, timeoutMs: 30_000 });

    // New candidacies, under new leases, in the etcd cluster of each partition's log.
    const candidaciesAfter = await waitFor('the restarted node is a candidate in every partition', async () => {
      const now = await candidaciesOf(victim);
      return PARTITIONS.every((p) => now.get(p) && now.get(p) !== candidaciesBefore.get(p)) ? now : undefined;
    });
    expect(candidaciesAfter.size).toBe(PARTITIONS.length);

    // Partition p prefers the ((p - 1) mod 3)-th member: the node that took over hands it back.
    const preferred = PARTITIONS.filter((p) => (p - 1) % 3 === victim);
    await waitFor(
      `node ${victim} leading partitions ${preferred.join(',')} again`,
      async () => {
        const roles = rolesOf(await c.topology(victim));
        return preferred.every((p) => roles.get(p)?.leaders.includes(victim)) ? true : undefined;
      },
      30_000,
    );
    // It commits as leader on that partition's etcd cluster: creates through it land there.
    const headsBefore = await heads();
    const after = new ClusterLoad(c, { bpmnProcessId: PROCESS, jobType: TYPE, createVia: () => [victim], workVia: () => NODES });
    for (let i = 0; i < 12; i++) expect((await after.createOnce(victim)).ok, after.summary()).toBe(true);
    await after.drain();
    await after.stopWorking();
    expect(after.violations(), after.summary()).toEqual([]);
    const headsAfter = await heads();
    for (const p of preferred) expect(headsAfter.get(p)!, `partition ${p}, led by the restarted node`).toBeGreaterThan(headsBefore.get(p)!);
    await expectKeysOnlyWherePlaced();

    // Its etcd latency is reported per partition etcd cluster, and none for the main one.
    const metrics = (await c.node(victim).server.get('/metrics')).body;
    for (const id of etcds!.partition.keys()) expect(metrics).toMatch(new RegExp(`zen_etcd_request_duration_seconds_count\\{[^}]*etcd_cluster="${id}"`));
    // Partition-log requests go only to the partition etcd clusters (the main etcd shows up in the space gauges only).
    expect(metrics).not.toMatch(new RegExp(`zen_etcd_request_duration_seconds_count\\{[^}]*etcd_cluster="${etcds!.main.id}"`));
    expect(metrics).toMatch(new RegExp(`zen_etcd_db_size_bytes\\{[^}]*etcd_cluster="${etcds!.main.id}"`));
  }, 90_000);

  /** Log head index of each partition, read from the etcd cluster its log is placed on. */
  async function heads(): Promise<Map<number, number>> {
    const result = new Map<number, number>();
    for (const p of PARTITIONS) {
      const value = await etcds!.partition.get(state!.partitionLogs.get(p)!)!.get(`/zen/p/${p}/head`).string();
      result.set(p, Number((value ?? '0').split(':')[0]));
    }
    return result;
  }

  /** partition → key of `nodeId`'s candidacy in the partition's election, in the etcd cluster of its log. */
  async function candidaciesOf(nodeId: number): Promise<Map<number, string>> {
    const result = new Map<number, string>();
    for (const p of PARTITIONS) {
      const response = await etcds!.partition.get(state!.partitionLogs.get(p)!)!.getAll().prefix(`/zen/p/${p}/election/`).exec();
      const mine = response.kvs.find((kv) => kv.value.toString() === String(nodeId));
      if (mine) result.set(p, mine.key.toString());
    }
    return result;
  }
});
