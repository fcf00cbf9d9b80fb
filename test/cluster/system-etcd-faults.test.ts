/**
 * A real cluster on loopback — 3 etcd members, 3 `zen start` processes, 3 partitions with
 * replication factor 3 — and the faults between the nodes and etcd. One cluster for the
 * whole file; the tests run in order:
 * 1. kill -9 of the etcd raft leader while instances are created and completed through every
 *    node: commands keep succeeding while the member is down and after it returns, and no
 *    acknowledged instance is lost;
 * 2. a partition leader frozen (SIGSTOP) for several lease TTLs: the others elect new leaders
 *    within 10 s, which have every acknowledged instance; thawed (SIGCONT), the old leader
 *    steps down without appending anything, commands sent to it are proxied or rejected —
 *    none is committed twice — and it serves as a follower; while it is frozen, reads of its
 *    partitions' instances are served by the other members' replicas;
 * 3. a clean stop, then deterministic replay: every member of a partition holds the same log
 *    (entry by entry: nothing the old leader did while deposed forked it) and the same state.
 */
import { expect, it, onTestFinished } from 'vitest';
import { ClusterLoad } from '../support/cluster-load.js';
import { clusterForFile, etcdLeaderIndex } from '../support/cluster-process.js';
import { compareReplicas } from '../support/cluster-replicas.js';
import { describeWithEtcd } from '../support/etcd.js';
import { sleep, waitFor } from '../support/server-client.js';

const PROCESS = 'server-one-task';
const TYPE = 'server-work';
const PARTITIONS = [1, 2, 3];
const LEASE_TTL_S = 2;
const partitionOf = (key: string) => Number(BigInt(key) >> 51n);
const within = <T>(promise: Promise<T>, ms: number) => Promise.race([promise, sleep(ms).then(() => undefined)]);

// Cluster tests need etcd (Debian's etcd-server); .ci/run installs it.
describeWithEtcd('cluster of real processes: etcd faults and a frozen leader', () => {

    // With a cluster secret: every proxied command, job watch and read below presents it.
  const cluster = clusterForFile({ nodes: 3, etcdMembers: 3, partitions: 3, replicationFactor: 3, leaseTtl: LEASE_TTL_S, args: ['--cluster-secret', 'etcd-faults-secret'] }, ['server-one-task.bpmn', 'server-message-catch.bpmn']);

  it('keeps accepting commands while an etcd member (the raft leader) is down and after it returns', async () => {
    const c = cluster();
    const all = [0, 1, 2];
    const load = new ClusterLoad(c, { bpmnProcessId: PROCESS, jobType: TYPE, createVia: () => all, workVia: () => all });
    load.startCreating();
    load.startWorking();
    await waitFor('load under way', () => (load.acked.size >= 60 && load.completedJobs.size >= 20 ? true : undefined), 30_000);
    expect(load.failures, 'nothing fails before the fault').toEqual([]);

    const member = await etcdLeaderIndex(c.etcd, 3);
    const downAt = Date.now();
    c.etcd.kill9(member);
    // Longer than two lease TTLs: every lease must be kept alive through the other members.
    await sleep(3 * LEASE_TTL_S * 1000);
    const upAt = Date.now();
    const late = downAt + 2 * LEASE_TTL_S * 1000;
    const whileDown = {
      creates: load.countSince(load.createdAt, downAt, upAt),
      completions: load.countSince(load.completedAt, downAt, upAt),
      createsLate: load.countSince(load.createdAt, late, upAt),
      completionsLate: load.countSince(load.completedAt, late, upAt),
    };
    expect(whileDown.createsLate, `creates succeed while etcd member ${member} is down ${JSON.stringify(whileDown)} ${load.summary()}`).toBeGreaterThan(0);
    expect(whileDown.completionsLate, `completions succeed while etcd member ${member} is down ${JSON.stringify(whileDown)} ${load.summary()}`).toBeGreaterThan(0);

    await c.etcd.restart(member);
    const backAt = Date.now();
    await waitFor(
      'creates and completions after the etcd member returned',
      () => (load.countSince(load.createdAt, backAt) >= 30 && load.countSince(load.completedAt, backAt) >= 30 ? true : undefined),
      20_000,
    );
    await load.stopCreating();
    await load.drain();
    await load.stopWorking();
    await c.waitForLeaders({ members: all });

    expect(load.violations(), load.summary()).toEqual([]);
    expect(await load.instancesNotCompleted(0), load.summary()).toEqual([]);
    const failedWhileDown = load.failures.filter((f) => f.at >= downAt && f.at <= upAt).length;
    console.info(
      `etcd member ${member} (raft leader) down for ${upAt - downAt} ms: ${whileDown.creates} creates and ${whileDown.completions} completions ` +
        `succeeded meanwhile, ${failedWhileDown} calls failed; ${load.acked.size} acknowledged instances all completed: ${load.summary()}`,
    );
  }, 120_000);

  it('deposes a frozen leader: the others lead with every acknowledged instance; thawed, it steps down and commits nothing twice', async () => {
    const c = cluster();
    const { leaders } = await c.waitForLeaders({ members: [0, 1, 2] });
    const led = new Map<number, number[]>();
    for (const [partitionId, nodeId] of leaders) led.set(nodeId, [...(led.get(nodeId) ?? []), partitionId]);
    const frozen = [...led].sort((a, b) => b[1].length - a[1].length || a[0] - b[0])[0]![0];
    const deposedFrom = led.get(frozen)!;
    const others = [0, 1, 2].filter((n) => n !== frozen);

    // Before the freeze, the frozen-to-be node serves too: what it acknowledged must survive.
    let createVia = [0, 1, 2];
    let workVia = [0, 1, 2];
    const load = new ClusterLoad(c, { bpmnProcessId: PROCESS, jobType: TYPE, createVia: () => createVia, workVia: () => workVia, callTimeoutMs: 4_000 });
    load.startCreating();
    load.startWorking();
    await waitFor(
      'load under way through every node',
      () => (load.acked.size >= 60 && load.completedJobs.size >= 20 && [...load.acked.values()].some((a) => a.via === frozen) ? true : undefined),
      30_000,
    );
    expect(load.failures, 'nothing fails before the fault').toEqual([]);

    // Instances that wait for a message (nobody sends it), to read while the leader is frozen.
    const parked: string[] = [];
    for (let i = 0; i < 9; i++) {
      const created = await c.client(others[i % 2]!).createProcessInstance({ bpmnProcessId: 'server-message-catch', variables: { orderId: `parked-${i}` } });
      parked.push(created.processInstanceKey);
    }

    const frozenAt = Date.now();
    c.freeze(frozen);
    // A failed assertion below must not leave the node stopped for the tests after this one.
    onTestFinished(() => {
      if (c.node(frozen).server.running) c.thaw(frozen);
    });
    createVia = others;
    workVia = others;
    const servedBy: string[] = [];
    for (const key of parked) {
      for (const via of others) {
        const response = await fetch(`http://127.0.0.1:${c.node(via).server.restPort}/v2/process-instances/${key}`);
        const body = (await response.json()) as { processInstanceKey?: string; activeElements?: { elementId: string }[] };
        expect(response.status, `reading ${key} via node ${via}: ${JSON.stringify(body)}`).toBe(200);
        expect(body.processInstanceKey).toBe(key);
        expect(body.activeElements?.map((e) => e.elementId)).toEqual(['waitForPayment']);
        servedBy.push(response.headers.get('zen-served-by') ?? '');
      }
    }
    expect(servedBy.filter((s) => s.startsWith(`${frozen}/`)), 'the frozen node served no read').toEqual([]);
    expect(servedBy.some((s) => s.endsWith('/FOLLOWER')), `followers served reads: ${servedBy.join(', ')}`).toBe(true);
    // Sent to the frozen node: they wait in its sockets and are read once it runs again.
    const sentWhileFrozen = Array.from({ length: 4 }, () => load.createOnce(frozen));

    const failover = await c.waitForLeaders({ viaNodeIds: others, leaderAmong: others, timeoutMs: 10_000 });
    expect(Date.now() - frozenAt, 'the other nodes lead every partition within 10 s').toBeLessThanOrEqual(10_000);
    for (const p of deposedFrom) expect(others).toContain(failover.leaders.get(p));
    await waitFor(
      'acknowledged creates on every partition while the old leader is frozen',
      () => {
        const after = [...load.acked.values()].filter((a) => a.at > frozenAt && a.via !== frozen).map((a) => partitionOf(a.instanceKey));
        return PARTITIONS.every((p) => after.includes(p)) ? true : undefined;
      },
      20_000,
    );
    // Still frozen: the new leaders must have every acknowledged instance, including those the
    // frozen node acknowledged as leader just before it stopped.
    await load.stopCreating();
    await load.drain();
    const ackedBeforeFreezeOnDeposed = [...load.acked.values()].filter((a) => a.at < frozenAt && deposedFrom.includes(partitionOf(a.instanceKey))).length;
    expect(ackedBeforeFreezeOnDeposed).toBeGreaterThan(0);
    // Frozen for at least three lease TTLs, however fast the above went.
    await sleep(Math.max(0, frozenAt + 3 * LEASE_TTL_S * 1000 - Date.now()));
    const frozenFor = Date.now() - frozenAt;

    const thawedAt = Date.now();
    c.thaw(frozen);
    // Commands arriving the moment it runs again, when it may still believe it leads.
    const sentOnThaw = Array.from({ length: 6 }, () => load.createOnce(frozen));
    const outcomes = await within(Promise.all([...sentWhileFrozen, ...sentOnThaw]), 30_000);
    expect(outcomes, 'calls to the thawed node are answered').toBeDefined();

    // It steps down: every node, itself included, names the new leaders; its log says so.
    await c.waitForLeaders({ viaNodeIds: [0, 1, 2], leaderAmong: others, members: [0, 1, 2], timeoutMs: 20_000 });
    await waitFor('the thawed node logs that it no longer leads', () => {
      const steppedDown = new Set(c.logsOf(frozen, 'no longer leading the partition').map((line) => line.partition));
      return deposedFrom.every((p) => steppedDown.has(p)) ? true : undefined;
    });
    const ledAgain = c.logsOf(frozen, 'leading the partition').filter((line) => line.msg === 'leading the partition' && Number(line.time) > thawedAt);
    expect(ledAgain, 'the thawed node does not lead again').toEqual([]);

    // A follower now, in sync (ready again); what it is sent is proxied to the leaders.
    await waitFor('the thawed node ready again', async () => ((await c.node(frozen).server.get('/ready')).status === 200 ? true : undefined));
    for (let i = 0; i < 6; i++) expect((await load.createOnce(frozen)).ok, load.summary()).toBe(true);
    workVia = [0, 1, 2];
    await load.drain();
    await load.stopWorking();

    expect(load.violations(), load.summary()).toEqual([]);
    expect(await load.instancesNotCompleted(frozen), load.summary()).toEqual([]);
    const answered = outcomes!.filter((o) => o.ok).length;
    console.info(
      `node ${frozen} (led partitions ${deposedFrom.join(',')}) frozen for ${frozenFor} ms: new leaders after ${failover.elapsedMs} ms; ` +
        `of ${outcomes!.length} creates sent to it while frozen or on thaw ${answered} succeeded, none twice; ${load.acked.size} acknowledged instances all completed: ${load.summary()}`,
    );
  }, 120_000);

  it('exposes the cluster metrics on every node: roles, leader changes, lag in records, snapshot age, etcd latency', async () => {
    const c = cluster();
    const texts = await Promise.all([0, 1, 2].map(async (n) => (await c.node(n).server.get('/metrics')).body));
    const value = (text: string, metric: string, partition: number) => {
      const line = text.split('\n').find((l) => l.startsWith(`${metric}{`) && l.includes(`partition="${partition}"`));
      return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
    };
    for (const text of texts) {
      for (const p of PARTITIONS) {
        expect(value(text, 'zen_partition_role', p), `role of partition ${p}`).toBeDefined();
        expect(value(text, 'zen_partition_replication_lag_records', p)).toBeGreaterThanOrEqual(0);
        expect(value(text, 'zen_partition_snapshot_age_seconds', p)).toBeGreaterThanOrEqual(0);
        expect(value(text, 'zen_partition_leader_changes', p)).toBeGreaterThanOrEqual(0);
      }
      expect(text).toMatch(/^zen_etcd_request_duration_seconds_count\{[^}]*op="append"[^}]*\} [1-9]/m);
    }
    // Each partition has been led (and its leader changed at least once, by the frozen leader) somewhere.
    for (const p of PARTITIONS) {
      const changes = texts.map((t) => value(t, 'zen_partition_leader_changes', p) ?? 0).reduce((a, b) => a + b, 0);
      expect(changes, `leader changes of partition ${p}`).toBeGreaterThanOrEqual(1);
    }
    // The cluster secret is in no log line (the start-up line says only that one is set).
    for (const n of [0, 1, 2]) {
      expect(c.node(n).server.rawStdout().some((line) => line.includes('etcd-faults-secret'))).toBe(false);
      expect(c.node(n).server.rawStdout().some((line) => line.includes('"clusterSecret":"(set)"'))).toBe(true);
    }
    // Only the controller reports under-replicated groups; with three nodes and RF 3 there are none.
    const underReplicated = texts.flatMap((t) => t.split('\n').filter((l) => l.startsWith('zen_cluster_partitions_under_replicated')));
    expect(underReplicated.map((l) => Number(l.slice(l.lastIndexOf(' ') + 1)))).toEqual([0]);
  });

  it('replays deterministically: after a clean stop every member of a partition has the same log and state', async () => {
    const c = cluster();
    const exits = await c.stopAll();
    for (const [nodeId, exit] of exits) expect(exit, `node ${nodeId} exits cleanly on SIGTERM`).toEqual({ code: 0, signal: null });
    for (const partitionId of PARTITIONS) {
      const result = await compareReplicas(c, partitionId, [0, 1, 2]);
      expect(result.problems, JSON.stringify(result)).toEqual([]);
      expect(result.entriesCompared).toBeGreaterThan(0);
    }
  }, 90_000);
});
