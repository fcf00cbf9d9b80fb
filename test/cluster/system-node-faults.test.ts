/**
 * A real cluster on loopback — 3 etcd members, 3 `zen start` processes, 3 partitions with
 * replication factor 3 — driven through the Zeebe gRPC API by the real SDK, and the node
 * faults it must survive. One cluster for the whole file; the tests run in order and each
 * starts from what the previous one left:
 * 1. the topology over gRPC: every node, its gRPC address, one LEADER per partition, sizes;
 * 2. kill -9 of the node leading the most partitions while clients create instances through
 *    the other two: every partition has a leader again within 10 s; every acknowledged
 *    instance is there and completes; no completed job is handed out again;
 * 3. the killed node restarts on its data dir, catches up and is a member again, and gets back
 *    the leadership of the partition that prefers it (--rebalance-delay 5);
 * 4. a --controller-only node joins: listed with no partitions, it still serves requests;
 * 5. a clean stop, then deterministic replay: on every partition, all members' databases
 *    hold the same log and the same state.
 */
import pino from 'pino';
import { expect, it } from 'vitest';
import { createEtcdClient } from '../../src/cluster/etcd/client.js';
import { ReplicatedLog } from '../../src/cluster/partition/replicated-log.js';
import { ClusterLoad } from '../support/cluster-load.js';
import { clusterForFile, rolesOf } from '../support/cluster-process.js';
import { compareReplicas } from '../support/cluster-replicas.js';
import { describeWithEtcd } from '../support/etcd.js';
import { sleep, waitFor } from '../support/server-client.js';

const PROCESS = 'server-one-task';
const TYPE = 'server-work';
const PARTITIONS = [1, 2, 3];
const partitionOf = (key: string) => Number(BigInt(key) >> 51n);

// Cluster tests need etcd (Debian's etcd-server); .ci/run installs it.
describeWithEtcd('cluster of real processes: node faults', () => {
  /** The node killed in test 2 and restarted in test 3. */
  let victim = -1;
  /** Partition log heads once the restarted node reported itself caught up (test 3). */
  let headsWhenCaughtUp = new Map<number, number>();

    // A short rebalance delay: the restarted node gets its preferred leadership back within the test.
  const cluster = clusterForFile({ nodes: 3, etcdMembers: 3, partitions: 3, replicationFactor: 3, leaseTtl: 2, args: ['--rebalance-delay', '5'] }, ['server-one-task.bpmn']);

  it('reports the topology over gRPC: every node at its gRPC port, one healthy leader per partition', async () => {
    const c = cluster();
    for (const via of [0, 1, 2]) {
      const topology = await c.topology(via);
      expect(topology.clusterSize).toBe(3);
      expect(topology.partitionsCount).toBe(3);
      expect(topology.replicationFactor).toBe(3);
      expect(topology.brokers.map((b) => b.nodeId).sort()).toEqual([0, 1, 2]);
      for (const broker of topology.brokers) {
        expect(broker.host).toBe('127.0.0.1');
        expect(broker.port, `node ${broker.nodeId}'s port as seen by node ${via}`).toBe(c.node(broker.nodeId).server.grpcPort);
        expect(broker.partitions.map((p) => p.partitionId).sort()).toEqual(PARTITIONS);
        for (const partition of broker.partitions) {
          expect(['LEADER', 'FOLLOWER']).toContain(partition.role);
          expect(partition.health).toBe('HEALTHY');
        }
      }
      for (const [partitionId, roles] of rolesOf(topology)) {
        expect(roles.leaders, `leaders of partition ${partitionId} as seen by node ${via}`).toHaveLength(1);
        expect(roles.followers).toHaveLength(2);
      }
    }
  });

  it('fails over within 10 s when the node leading the most partitions is killed, losing no acknowledged instance', async () => {
    const c = cluster();
    const { leaders } = await c.waitForLeaders();
    const led = new Map<number, number[]>();
    for (const [partitionId, nodeId] of leaders) led.set(nodeId, [...(led.get(nodeId) ?? []), partitionId]);
    victim = [...led].sort((a, b) => b[1].length - a[1].length || a[0] - b[0])[0]![0];
    const affected = led.get(victim)!;
    const survivors = [0, 1, 2].filter((n) => n !== victim);

    // Until the kill, creates go through every node: a node puts new instances on the partitions
    // it leads, so the victim's own creates are what its partitions hold when it dies.
    let createVia = [0, 1, 2];
    const load = new ClusterLoad(c, { bpmnProcessId: PROCESS, jobType: TYPE, createVia: () => createVia, workVia: () => survivors });
    load.startCreating();
    load.startWorking();
    await waitFor(
      'load under way, on the partitions the victim leads too',
      () => (load.acked.size >= 60 && load.completedJobs.size >= 20 && [...load.acked.values()].some((a) => affected.includes(partitionOf(a.instanceKey))) ? true : undefined),
      30_000,
    );
    expect(load.failures, 'nothing fails before the fault').toEqual([]);

    const killedAt = Date.now();
    createVia = survivors;
    await c.kill9(victim);
    const failover = await c.waitForLeaders({ viaNodeIds: survivors, leaderAmong: survivors, timeoutMs: 10_000 });
    expect(Date.now() - killedAt, 'every partition has a leader again within 10 s').toBeLessThanOrEqual(10_000);
    for (const partitionId of affected) expect(survivors).toContain(failover.leaders.get(partitionId));

    // The survivors take new instances on every partition, the victim's included.
    await waitFor(
      'acknowledged creates on every partition after the failover',
      () => {
        const after = [...load.acked.values()].filter((a) => a.at > killedAt).map((a) => partitionOf(a.instanceKey));
        return PARTITIONS.every((p) => after.includes(p)) ? true : undefined;
      },
      20_000,
    );
    await load.stopCreating();
    await load.drain();
    await load.stopWorking();

    expect(load.violations(), load.summary()).toEqual([]);
    expect(await load.instancesNotCompleted(survivors[0]!), load.summary()).toEqual([]);
    const ackedOnAffected = [...load.acked.values()].filter((a) => a.at < killedAt && affected.includes(partitionOf(a.instanceKey)));
    expect(ackedOnAffected.length, 'instances acknowledged by the killed leader before the kill were checked').toBeGreaterThan(0);
    console.info(
      `kill -9 of node ${victim} (led partitions ${affected.join(',')}): leaders again after ${failover.elapsedMs} ms; ` +
        `${load.acked.size} acknowledged instances all completed; ${load.failures.length} calls failed around the kill: ${load.summary()}`,
    );
  }, 120_000);

  it('takes the killed node back: restarted on its data dir it catches up and holds its roles again', async () => {
    const c = cluster();
    expect(victim).toBeGreaterThanOrEqual(0);
    await c.restart(victim);
    expect((await c.node(victim).server.get('/ready')).status).toBe(200);
    // Listed with a role in every partition by every node, itself included.
    await c.waitForLeaders({ members: [0, 1, 2], timeoutMs: 30_000 });

    // New work through every node, the restarted one included, then quiet.
    const load = new ClusterLoad(c, { bpmnProcessId: PROCESS, jobType: TYPE, createVia: () => [0, 1, 2], workVia: () => [0, 1, 2] });
    load.startCreating();
    load.startWorking();
    await waitFor('load through every node', () => ([0, 1, 2].every((n) => [...load.acked.values()].some((a) => a.via === n)) && load.acked.size >= 30 ? true : undefined), 30_000);
    await load.stopCreating();
    await load.drain();
    await load.stopWorking();
    expect(load.violations(), load.summary()).toEqual([]);
    expect(load.failures.filter((f) => f.what.startsWith('create')), 'creates through a restarted member succeed').toEqual([]);

    // Caught up: it reports every partition healthy (its replica at the log head it knows),
    // and the head it knows is etcd's.
    const etcd = createEtcdClient({ endpoints: c.etcd.endpoints });
    try {
      headsWhenCaughtUp = await waitFor(
        `node ${victim} caught up on every partition`,
        async () => {
          const topology = await c.topology(victim);
          const self = topology.brokers.find((b) => b.nodeId === victim);
          if (!self || self.partitions.length !== 3 || self.partitions.some((p) => p.health !== 'HEALTHY')) return undefined;
          const heads = new Map<number, number>();
          for (const p of PARTITIONS) heads.set(p, await new ReplicatedLog(etcd, 'zen', p, pino({ level: 'silent' })).head());
          return heads;
        },
        30_000,
      );
    } finally {
      etcd.close();
    }
    const roles = rolesOf(await c.topology(victim));
    for (const p of PARTITIONS) expect([...roles.get(p)!.leaders, ...roles.get(p)!.followers]).toContain(victim);

    // Partition p prefers node p - 1: the leader that took it over hands it back.
    const preferredPartition = victim + 1;
    await waitFor(
      `node ${victim} leading partition ${preferredPartition} again`,
      async () => (rolesOf(await c.topology(victim)).get(preferredPartition)?.leaders.includes(victim) ? true : undefined),
      30_000,
    );
    expect(c.logsOf(victim, 'leading the partition').some((line) => line.partition === preferredPartition)).toBe(true);
    const handedOver = [0, 1, 2].filter((n) => n !== victim).flatMap((n) => c.logsOf(n, 'handing the partition over to its preferred leader'));
    expect(handedOver.map((line) => [line.partition, line.to])).toContainEqual([preferredPartition, victim]);
    // Work goes on through every node after the hand-over.
    const after = new ClusterLoad(c, { bpmnProcessId: PROCESS, jobType: TYPE, createVia: () => [0, 1, 2], workVia: () => [0, 1, 2] });
    for (let i = 0; i < 9; i++) expect((await after.createOnce(i % 3)).ok, after.summary()).toBe(true);
    await after.drain();
    await after.stopWorking();
    expect(after.violations(), after.summary()).toEqual([]);
  }, 120_000);

  it('lists a --controller-only node with no partitions; it still serves requests', async () => {
    const c = cluster();
    const node = await c.addNode(3, { controllerOnly: true });
    const topology = await waitFor('the controller-only node in the topology', async () => {
      const t = await c.topology(3);
      return t.brokers.some((b) => b.nodeId === 3) && t.clusterSize === 4 ? t : undefined;
    });
    const broker = topology.brokers.find((b) => b.nodeId === 3)!;
    expect(broker.port).toBe(node.server.grpcPort);
    expect(broker.partitions).toEqual([]);
    for (const [partitionId, roles] of rolesOf(topology)) {
      expect(roles.leaders, `partition ${partitionId}`).toHaveLength(1);
      expect([...roles.leaders, ...roles.followers, ...roles.other]).not.toContain(3);
    }
    // A gateway without partitions: commands are proxied to the leaders.
    const load = new ClusterLoad(c, { bpmnProcessId: PROCESS, jobType: TYPE, createVia: () => [3], workVia: () => [3] });
    for (let i = 0; i < 6; i++) expect((await load.createOnce(3)).ok, load.summary()).toBe(true);
    await load.drain();
    await load.stopWorking();
    expect(load.violations()).toEqual([]);
    // Still none after the controller had time to plan.
    await sleep(1_500);
    expect((await c.topology(0)).brokers.find((b) => b.nodeId === 3)?.partitions).toEqual([]);
  }, 60_000);

  it('replays deterministically: after a clean stop every member of a partition has the same log and state', async () => {
    const c = cluster();
    expect(headsWhenCaughtUp.size, 'the restart test ran to its end').toBe(PARTITIONS.length);
    const exits = await c.stopAll();
    for (const [nodeId, exit] of exits) expect(exit, `node ${nodeId} exits cleanly on SIGTERM`).toEqual({ code: 0, signal: null });
    for (const partitionId of PARTITIONS) {
      const result = await compareReplicas(c, partitionId, [0, 1, 2]);
      expect(result.problems, JSON.stringify(result)).toEqual([]);
      expect(result.entriesCompared).toBeGreaterThan(0);
      // The restarted node had converged: its database held the whole log when it reported so.
      expect(result.stoppedAt[victim]).toBeGreaterThanOrEqual(headsWhenCaughtUp.get(partitionId)!);
    }
  }, 90_000);
});
