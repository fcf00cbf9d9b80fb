// Cluster benchmark (`npm run bench:cluster`): 3 etcd members and 3 Zen nodes on this machine
// (node i lists etcd member i first), 3 partitions with replication factor 3.
//  1. single node, for comparison, measured in the same run: throughput and latency at half
//     that rate (the phases of bench/single-node.mjs, from bench/phases.mjs);
//  2. cluster throughput: completed one-task instances per second, instances created through
//     gRPC with the clients spread over the three nodes, jobs completed by a separate worker
//     process polling all three; and the CPU seconds the nodes and etcd used per 1,000 of them;
//  3. cluster latency: CreateProcessInstanceWithResult at half the cluster's rate, open loop;
//  4. failover: kill -9 of the node leading the most partitions; per partition it led, the time
//     from the kill to the first successful command on that partition (PublishMessage with a
//     correlation key that hashes to it, sent through the surviving nodes every 25 ms), and
//     the maximum over them;
//  5. etcd's database size (and key count under the cluster's prefix) after the throughput
//     phase and at the end: the partition logs are compacted, so it stays small;
//  6. what the cluster throughput phase cost etcd (bench/etcd-load.mjs), over a steady-state
//     window (from BENCH_WINDOW_FROM seconds, default min(5, a quarter of the phase), to its end):
//     partition-log bytes per completed instance before compression and as written to etcd
//     (the nodes' counters), and etcd's write rates (request bytes it received, per member
//     WAL fsyncs and backend commits from its /metrics, and disk writes from /proc/<pid>/io);
//  7. etcd's write capacity (BENCH_ETCD_CAPACITY, default on; 0 skips it), with the nodes idle
//     at the end of the run: writers appending transactions shaped like partition-log appends
//     as fast as etcd takes them for BENCH_ETCD_CAPACITY_SECONDS (default 10); and the ceiling
//     it implies: request bytes/s etcd took ÷ request bytes the nodes sent etcd per completed
//     instance (etcd_network_client_grpc_received_bytes_total; why not the WAL's byte counter:
//     bench/etcd-load.mjs).
// BENCH_LATENCY_RATES=20,100 adds latency phases at those rates; BENCH_ETCD_METRICS=1 adds what etcd
// measured in each phase (Txn handling, WAL fsync, backend commit: runs etcd with --metrics extensive).
// After the latency phases, the history of the instances they finished is searched through node 0,
// each partition answered by a follower (followerSearch: p50/p99 of a page of 50 and of the page after it; BENCH_SKIP_SEARCH=1 skips it;
// BENCH_SEARCH_FILL=N first finishes instances until the history holds at least N).
// Durations: BENCH_SECONDS (throughput phases, default 30), BENCH_LATENCY_SECONDS (default 20).
// BENCH_SKIP_FAILOVER=1 skips 4. BENCH_LEASE_TTL sets --lease-ttl (default: the node default, 3 s). BENCH_SKIP_SINGLE=1 skips 1.
// Shape: BENCH_NODES (default 3), BENCH_PARTITIONS (default 3), BENCH_REPLICATION (default
// min(3, nodes)), BENCH_ETCD_MEMBERS (default 3). Capacity shape: BENCH_ETCD_WRITERS (default
// 8), BENCH_ETCD_VALUES_PER_TXN (default 3), BENCH_ETCD_VALUE_KB (default 10-30).
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Etcd3 } from 'etcd3';
import { subscriptionPartition } from '../dist/engine/behaviors/subscription-partition.js';
import { gatewayClient } from './grpc-client.mjs';
import { oneTaskProcess } from './models.mjs';
import { etcdCapacity, etcdCeiling, idleEtcdLoad, loadSample, phaseCost } from './etcd-load.mjs';
import { freePort, histogram, latencyPhase, peakRssMb, sleep, startNode, throughputPhase, workDone } from './phases.mjs';
import { searchLatencyPhase } from './history-phases.mjs';

const seconds = Number(process.env.BENCH_SECONDS ?? 30);
const latencySeconds = Number(process.env.BENCH_LATENCY_SECONDS ?? 20);
const inflight = Number(process.env.BENCH_INFLIGHT ?? 100);
const workerLoops = Number(process.env.BENCH_WORKER_LOOPS ?? 6);
const leaseTtl = process.env.BENCH_LEASE_TTL;
const NODES = Number(process.env.BENCH_NODES ?? 3);
const PARTITIONS = Number(process.env.BENCH_PARTITIONS ?? 3);
const REPLICATION = Number(process.env.BENCH_REPLICATION ?? Math.min(3, NODES));
const ETCD_MEMBERS = Number(process.env.BENCH_ETCD_MEMBERS ?? 3);
const NODE_IDS = Array.from({ length: NODES }, (_, i) => i);
const capacityOn = process.env.BENCH_ETCD_CAPACITY !== '0';
const capacitySeconds = Number(process.env.BENCH_ETCD_CAPACITY_SECONDS ?? 10);
// BENCH_WARMUP_SECONDS=N: load the cluster for N s before the throughput phase, unmeasured.
// Each node runs a main thread and a storage worker per partition, each a V8 isolate that
// compiles the hot code for itself; cold, the first tens of seconds measure the JIT too.
const warmupSeconds = Number(process.env.BENCH_WARMUP_SECONDS ?? 20);
const windowFrom = Number(process.env.BENCH_WINDOW_FROM ?? Math.min(5, seconds / 4));
/** '10-30' (KB) → the capacity phase's value sizes in bytes. */
const valueSizes = (spec) => {
  const [min, max = min] = spec.split('-').map((kb) => Math.round(Number(kb) * 1024));
  return { minValueBytes: min, maxValueBytes: max };
};
const partitionOfKey = (key) => Number(BigInt(key) >> 51n);
const log = (...args) => console.error('[bench:cluster]', ...args);

const etcdMetrics = process.env.BENCH_ETCD_METRICS === '1';
/** The etcd members' client ports (their /metrics too), once started. */
let etcdClientPorts = [];

const root = mkdtempSync(join(tmpdir(), 'zen-bench-cluster-'));
const children = [];
const clients = [];

// ---- what the nodes measured ------------------------------------------------------------------

/** Means over a phase: etcd append latency, batch commit time (process → durable) and batch size. */
async function measured(systemPorts, phase) {
  const names = [
    ['etcdAppendMeanMs', 'zen_etcd_request_duration_seconds', 'op="append"', 1000],
    ['batchCommitMeanMs', 'zen_batch_commit_duration_seconds', '', 1000],
    ['commandsPerBatch', 'zen_batch_size_commands', '', 1],
  ];
  // BENCH_ETCD_METRICS=1: the same means as etcd sees them (its members run with --metrics
  // extensive), to tell time spent in etcd from time spent waiting in the nodes.
  const etcdNames = etcdMetrics
    ? [
        ['txnMeanMs', 'grpc_server_handling_seconds', 'grpc_method="Txn"', 1000],
        ['walFsyncMeanMs', 'etcd_disk_wal_fsync_duration_seconds', '', 1000],
        ['backendCommitMeanMs', 'etcd_disk_backend_commit_duration_seconds', '', 1000],
      ]
    : [];
  const scrape = () =>
    Promise.all([
      ...names.map(([, name, labels]) => histogram(systemPorts, name, labels)),
      ...etcdNames.map(([, name, labels]) => histogram(etcdClientPorts, name, labels)),
    ]);
  const before = await scrape();
  const result = await phase();
  const after = await scrape();
  const mean = (i, scale) => {
    const count = after[i].count - before[i].count;
    return count > 0 ? +(((after[i].sum - before[i].sum) / count) * scale).toFixed(1) : null;
  };
  const means = Object.fromEntries(names.map(([key, , , scale], i) => [key, mean(i, scale)]));
  const etcd = Object.fromEntries(etcdNames.map(([key, , , scale], i) => [key, mean(names.length + i, scale)]));
  // How late each node's event loop ran over the phase's last 10 s (timers sampled every 10 ms).
  // And the gap each node's leaders left between appends at the phase's end (partitionAppendGap).
  for (const [key, name] of [
    ['eventLoopDelayMeanMs', 'zen_event_loop_delay_mean_seconds'],
    ['eventLoopDelayP99Ms', 'zen_event_loop_delay_p99_seconds'],
    ['appendGapMs', 'zen_partition_append_gap_seconds'],
  ]) {
    means[key] = await Promise.all(systemPorts.map(async (port) => +((await gauge(port, name)) * 1000).toFixed(1)));
  }
  return { ...result, nodes: means, ...(etcdMetrics ? { etcd } : {}) };
}

/** A gauge's value on one node (0 when absent). */
async function gauge(port, name) {
  const text = await fetch(`http://127.0.0.1:${port}/metrics`).then((res) => res.text()).catch(() => '');
  const line = text.split('\n').find((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`));
  return line ? Number(line.split(' ').pop()) : 0;
}

/** User + system CPU seconds the processes used so far (/proc/<pid>/stat, clock ticks of 1/100 s). */
function cpuSeconds(pids) {
  let ticks = 0;
  for (const pid of pids) {
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {}
  }
  return ticks / 100;
}

// ---- etcd ------------------------------------------------------------------------------------

async function startEtcd(size) {
  const members = [];
  for (let i = 0; i < size; i++) members.push({ name: `etcd${i}`, clientPort: await freePort(), peerPort: await freePort(), dataDir: join(root, `etcd${i}`) });
  const initialCluster = members.map((m) => `${m.name}=http://127.0.0.1:${m.peerPort}`).join(',');
  for (const m of members) {
    // etcd's defaults (fsync on every commit, 100 ms heartbeat, 1 s election), plus the
    // auto-compaction the README asks for.
    const child = spawn('etcd', [
      '--name', m.name, '--data-dir', m.dataDir,
      '--listen-client-urls', `http://127.0.0.1:${m.clientPort}`, '--advertise-client-urls', `http://127.0.0.1:${m.clientPort}`,
      '--listen-peer-urls', `http://127.0.0.1:${m.peerPort}`, '--initial-advertise-peer-urls', `http://127.0.0.1:${m.peerPort}`,
      '--initial-cluster', initialCluster, '--initial-cluster-state', 'new', '--initial-cluster-token', 'zen-bench',
      '--auto-compaction-mode', 'revision', '--auto-compaction-retention', '10000',
      '--log-level', 'error', '--logger', 'zap',
      ...(etcdMetrics ? ['--metrics', 'extensive'] : []),
    ], { stdio: ['ignore', 'ignore', 'inherit'] });
    children.push(child);
    m.child = child;
  }
  const deadline = Date.now() + 30_000;
  for (const m of members) {
    for (;;) {
      try {
        const res = await fetch(`http://127.0.0.1:${m.clientPort}/health`);
        if (res.ok && (await res.json()).health === 'true') break;
      } catch {}
      if (Date.now() > deadline) throw new Error(`etcd member ${m.name} did not become healthy`);
      await sleep(100);
    }
  }
  etcdClientPorts = members.map((m) => m.clientPort);
  return members;
}

async function etcdMetric(member, name) {
  const text = await (await fetch(`http://127.0.0.1:${member.clientPort}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(name + ' '));
  return line ? Number(line.split(' ').pop()) : null;
}

/** Size of each live member's database (file, and in use) and the cluster's key count. */
async function etcdSize(members) {
  const live = members.filter((m) => m.child.exitCode === null);
  const sizes = await Promise.all(
    live.map(async (m) => ({
      dbBytes: await etcdMetric(m, 'etcd_mvcc_db_total_size_in_bytes'),
      inUseBytes: await etcdMetric(m, 'etcd_mvcc_db_total_size_in_use_in_bytes'),
    })),
  );
  const etcd = new Etcd3({ hosts: live.map((m) => `http://127.0.0.1:${m.clientPort}`), grpcOptions: { 'grpc.max_receive_message_length': 1024 * 2 ** 20 } });
  try {
    const live = await etcd.getAll().prefix('/zen/').buffers();
    const partitionLog = Object.entries(live).filter(([key]) => /^\/zen\/p\/\d+\/log\//.test(key));
    return {
      // The database file, and the part of it in use: live keys plus the MVCC history not yet
      // compacted (the controller compacts it every 60 s, keeping 10,000 revisions).
      maxDbMb: +(Math.max(...sizes.map((s) => s.dbBytes ?? 0)) / 2 ** 20).toFixed(1),
      maxInUseMb: +(Math.max(...sizes.map((s) => s.inUseBytes ?? 0)) / 2 ** 20).toFixed(1),
      // What the cluster keeps now: every key under /zen/, and the partition-log entries among them.
      keys: Object.keys(live).length,
      liveKb: Math.round(Object.values(live).reduce((n, v) => n + v.length, 0) / 1024),
      partitionLogEntries: partitionLog.length,
      partitionLogKb: Math.round(partitionLog.reduce((n, [, v]) => n + v.length, 0) / 1024),
    };
  } finally {
    etcd.close();
  }
}

// ---- cluster -----------------------------------------------------------------------------------

async function startCluster(members) {
  const nodes = await Promise.all(
    Array.from({ length: NODES }, async (_, i) => {
      const dataDir = join(root, `node${i}`);
      mkdirSync(dataDir, { recursive: true });
      // Each node lists one etcd member first (its own, with as many members as nodes), then the others (to fail over to).
      const own = i % members.length;
      const endpoints = [members[own], ...members.filter((_, j) => j !== own)].map((m) => `http://127.0.0.1:${m.clientPort}`).join(',');
      const node = await startNode(dataDir, [
        '--node-id', String(i), '--zone', `zone-${i}`, '--etcd-endpoints', endpoints,
        '--partitions', String(PARTITIONS), '--replication-factor', String(REPLICATION),
        '--advertise-host', '127.0.0.1', '--private-port', String(await freePort()),
        ...(leaseTtl ? ['--lease-ttl', leaseTtl] : []),
      ]);
      children.push(node.child);
      return { ...node, nodeId: i };
    }),
  );
  for (const node of nodes) clients.push(gatewayClient(`127.0.0.1:${node.grpcPort}`));
  await waitForLeaders(clients, NODE_IDS);
  return nodes;
}

/**
 * partition → leader node id, once every partition has one leader among `among` and at least
 * `members` of its members among them (leader or follower).
 */
async function waitForLeaders(viaClients, among, { members = REPLICATION, timeoutMs = 30_000 } = {}) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const topology = await viaClients[0].topology({});
      const leaders = new Map();
      let ok = true;
      for (let p = 1; p <= PARTITIONS; p++) {
        const led = topology.brokers.filter((b) => b.partitions.some((x) => x.partitionId === p && x.role === 'LEADER')).map((b) => b.nodeId);
        if (led.length !== 1 || !among.includes(led[0])) ok = false;
        else leaders.set(p, led[0]);
      }
      for (let p = 1; p <= PARTITIONS; p++) {
        const replicas = topology.brokers.filter((b) => among.includes(b.nodeId) && b.partitions.some((x) => x.partitionId === p && (x.role === 'LEADER' || x.role === 'FOLLOWER')));
        if (replicas.length < members) ok = false;
      }
      if (ok) return leaders;
    } catch {}
    if (Date.now() > deadline) throw new Error('the cluster did not settle on one leader per partition');
    await sleep(100);
  }
}

/** A correlation key whose messages go to `partition`. */
function keyFor(partition, salt) {
  for (let i = 0; ; i++) {
    const key = `probe-${salt}-${i}`;
    if (subscriptionPartition(key, PARTITIONS) === partition) return key;
  }
}

/**
 * kill -9 of the node leading the most partitions. For every partition, probes (PublishMessage
 * routed to it by correlation key) go through the survivors every 25 ms from the kill on; the
 * partition's failover time is when the first of them succeeds. A probe sent to a partition
 * whose leader is gone is retried by the node that received it until a new leader takes it,
 * so the first success marks when the partition accepts commands again.
 */
async function failoverPhase(nodes) {
  const leaders = await waitForLeaders(clients, NODE_IDS);
  const led = new Map();
  for (const [p, n] of leaders) led.set(n, [...(led.get(n) ?? []), p]);
  const [victim, affected] = [...led].sort((a, b) => b[1].length - a[1].length || a[0] - b[0])[0];
  const survivors = NODE_IDS.filter((n) => n !== victim);
  const keys = new Map(Array.from({ length: PARTITIONS }, (_, i) => [i + 1, keyFor(i + 1, 'failover')]));
  let seq = 0;
  const probe = (partition) => {
    const client = clients[survivors[seq++ % survivors.length]];
    return client
      .publishMessage({ name: 'bench-probe', correlationKey: keys.get(partition), messageId: `probe-${seq}`, timeToLive: 0, variables: '{}' }, { deadline: Date.now() + 30_000 })
      .then((response) => {
        if (partitionOfKey(response.key) !== partition) throw new Error(`probe for partition ${partition} landed on ${partitionOfKey(response.key)}`);
      });
  };
  for (let p = 1; p <= PARTITIONS; p++) await probe(p); // warm: every partition answers

  const killedAt = performance.now();
  nodes[victim].child.kill('SIGKILL');
  const firstSuccess = await Promise.all(
    Array.from({ length: PARTITIONS }, (_, i) => i + 1).map(
      (partition) =>
        new Promise((resolve) => {
          let done = false;
          const failures = [];
          const timer = setInterval(() => {
            if (done) return;
            if (performance.now() - killedAt > 60_000) {
              clearInterval(timer);
              done = true;
              resolve({ partition, ms: null, failures: failures.slice(0, 3) });
              return;
            }
            probe(partition).then(
              () => {
                if (done) return;
                done = true;
                clearInterval(timer);
                resolve({ partition, ms: Math.round(performance.now() - killedAt) });
              },
              (err) => failures.push(String(err.details ?? err.message)),
            );
          }, 25);
        }),
    ),
  );
  const perAffected = firstSuccess.filter((r) => affected.includes(r.partition));
  const newLeaders = await waitForLeaders([clients[survivors[0]]], survivors, { members: REPLICATION - 1 }).catch(() => null);
  return {
    killedNode: victim,
    ledPartitions: affected,
    leaseTtlSeconds: Number(leaseTtl ?? 3),
    firstSuccessfulCommandMs: Object.fromEntries(perAffected.map((r) => [`partition${r.partition}`, r.ms])),
    maxMs: perAffected.some((r) => r.ms === null) ? null : Math.max(...perAffected.map((r) => r.ms)),
    otherPartitionsMs: Object.fromEntries(firstSuccess.filter((r) => !affected.includes(r.partition)).map((r) => [`partition${r.partition}`, r.ms])),
    newLeaders: newLeaders ? Object.fromEntries([...newLeaders].map(([p, n]) => [`partition${p}`, n])) : null,
  };
}

// ---- the run -----------------------------------------------------------------------------------

async function singleNode() {
  const dataDir = join(root, 'single');
  mkdirSync(dataDir, { recursive: true });
  const node = await startNode(dataDir);
  children.push(node.child);
  const client = gatewayClient(`127.0.0.1:${node.grpcPort}`);
  const on = { clients: [client], systemPorts: [node.systemPort], workerAddresses: [`127.0.0.1:${node.grpcPort}`] };
  try {
    await client.deployResource({ resources: [{ name: 'bench.bpmn', content: Buffer.from(oneTaskProcess('bench', 'bench-work')) }] });
    const throughput = await throughputPhase({ ...on, seconds, inflight });
    const latencyAtHalfRate = await latencyPhase({ ...on, rate: Math.max(1, Math.round(throughput.completedPerSecond / 2)), seconds: latencySeconds });
    return { throughput, latencyAtHalfRate, nodePeakRssMb: peakRssMb(node.child.pid) };
  } finally {
    client.close();
    node.child.kill('SIGTERM');
    await new Promise((r) => (node.child.exitCode !== null ? r() : node.child.on('exit', r)));
  }
}

try {
  const single = process.env.BENCH_SKIP_SINGLE ? null : (log('single node…'), await singleNode());

  log(`starting ${ETCD_MEMBERS} etcd members and ${NODES} nodes (${PARTITIONS} partitions, replication factor ${REPLICATION})…`);
  const members = await startEtcd(ETCD_MEMBERS);
  const nodes = await startCluster(members);
  await clients[0].deployResource({ resources: [{ name: 'bench.bpmn', content: Buffer.from(oneTaskProcess('bench', 'bench-work')) }] });
  // BENCH_LEADERS_ONLY=1: the load goes only to nodes that lead a partition, so (with
  // BENCH_PARTITIONS=1) the other nodes do nothing but follow: their CPU is the cost of a replica.
  const leadersAtStart = await waitForLeaders(clients, NODE_IDS);
  const loaded = process.env.BENCH_LEADERS_ONLY === '1' ? nodes.filter((n) => [...leadersAtStart.values()].includes(n.nodeId)) : nodes;
  const on = { clients: loaded.map((n) => clients[n.nodeId]), systemPorts: nodes.map((n) => n.systemPort), workerAddresses: loaded.map((n) => `127.0.0.1:${n.grpcPort}`), workerConcurrency: workerLoops };

  // BENCH_IDLE_SECONDS=N: the CPU the idle cluster burns (timers, leases, watches, metrics),
  // a cost every instance/s pays on a shared machine.
  // Sums over the nodes of a counter's series, by one label: etcd requests by operation (from
  // the zen_etcd_request_duration_seconds counts), private-port calls by method.
  const countsBy = async (series, label) => {
    const counts = {};
    const pattern = new RegExp(`^${series}\\{(.*)\\} (\\S+)`);
    for (const n of nodes) {
      const text = await (await fetch(`http://127.0.0.1:${n.systemPort}/metrics`)).text();
      for (const line of text.split('\n')) {
        const m = pattern.exec(line);
        if (m) { const key = new RegExp(`${label}="([^"]*)"`).exec(m[1])?.[1] ?? m[1]; counts[key] = (counts[key] ?? 0) + Number(m[2]); }
      }
    }
    return counts;
  };
  const etcdOps = () => countsBy('zen_etcd_request_duration_seconds_count', 'op');
  const privateCalls = () => countsBy('zen_private_calls_total', 'rpc');
  const perThousandOf = (after, before, completed) => Object.fromEntries(Object.entries(after).map(([k, n]) => [k, Math.round(((n - (before[k] ?? 0)) / Math.max(1, completed)) * 1000)]));
  // What a latency phase's instances cost, per 1,000 measured ones: below saturation batches
  // are small, so every instance pays more appends, pushes and polls than in the throughput phase.
  const costed = async (phase) => {
    const pids = { nodes: nodes.map((n) => n.child.pid), etcd: members.map((m) => m.child.pid) };
    const before = { ops: await etcdOps(), calls: await privateCalls(), work: await workDone(on.systemPorts), nodes: cpuSeconds(pids.nodes), etcd: cpuSeconds(pids.etcd) };
    const result = await phase();
    // Warm-up instances run in the phase too: count them (every request was answered).
    const done = Math.max(1, result.targetRate * (result.warmupSeconds + latencySeconds));
    const work = await workDone(on.systemPorts);
    result.perThousandInstances = {
      nodesCpuSeconds: +(((cpuSeconds(pids.nodes) - before.nodes) / done) * 1000).toFixed(2),
      etcdCpuSeconds: +(((cpuSeconds(pids.etcd) - before.etcd) / done) * 1000).toFixed(2),
      etcdRequests: perThousandOf(await etcdOps(), before.ops, done),
      privateCalls: perThousandOf(await privateCalls(), before.calls, done),
      work: perThousandOf(work, before.work, done),
    };
    return result;
  };
  const idleSeconds = Number(process.env.BENCH_IDLE_SECONDS ?? 0);
  let idle = null;
  if (idleSeconds > 0) {
    log(`idle cluster for ${idleSeconds} s…`);
    const opsBefore = await etcdOps();
    const before = { nodes: cpuSeconds(nodes.map((n) => n.child.pid)), etcd: cpuSeconds(members.map((m) => m.child.pid)) };
    await sleep(idleSeconds * 1000);
    const opsAfter = await etcdOps();
    idle = {
      seconds: idleSeconds,
      nodesCoreShare: +((cpuSeconds(nodes.map((n) => n.child.pid)) - before.nodes) / idleSeconds).toFixed(3),
      etcdCoreShare: +((cpuSeconds(members.map((m) => m.child.pid)) - before.etcd) / idleSeconds).toFixed(3),
      // The nodes' etcd requests per second while idle, by operation.
      etcdRequestsPerSecond: Object.fromEntries(Object.entries(opsAfter).map(([op, n]) => [op, +((n - (opsBefore[op] ?? 0)) / idleSeconds).toFixed(1)]).filter(([, n]) => n > 0)),
    };
    log('idle', JSON.stringify(idle));
  }
  let warmup = null;
  if (warmupSeconds > 0) {
    log(`warm-up: ${warmupSeconds} s of load, not measured…`);
    const cpuBefore = cpuSeconds(nodes.map((n) => n.child.pid));
    const cold = await throughputPhase({ ...on, seconds: warmupSeconds, inflight });
    // What the cold nodes did: compare with the measured phase to see what warming bought.
    warmup = {
      seconds: warmupSeconds,
      completedPerSecond: cold.completedPerSecond,
      nodesCpuSecondsPerThousandInstances: +(((cpuSeconds(nodes.map((n) => n.child.pid)) - cpuBefore) / Math.max(1, cold.completed)) * 1000).toFixed(2),
    };
  }
  log('cluster throughput…');
  const [throughputOpsBefore, privateCallsBefore] = [await etcdOps(), await privateCalls()];
  const cpuBefore = { nodes: cpuSeconds(nodes.map((n) => n.child.pid)), etcd: cpuSeconds(members.map((m) => m.child.pid)), perNode: nodes.map((n) => cpuSeconds([n.child.pid])) };
  const { window, ...throughputResult } = await measured(on.systemPorts, () =>
    throughputPhase({ ...on, seconds, inflight, sample: () => loadSample(on.systemPorts, members), sampleFromSeconds: windowFrom }),
  );
  // CPU per instance: unlike instances/s, barely moved by what else this (shared) machine runs.
  const perThousand = (before, pids) => +(((cpuSeconds(pids) - before) / Math.max(1, throughputResult.completed)) * 1000).toFixed(2);
  const throughput = {
    ...throughputResult,
    cpuSecondsPerThousandInstances: {
      nodes: perThousand(cpuBefore.nodes, nodes.map((n) => n.child.pid)),
      etcd: perThousand(cpuBefore.etcd, members.map((m) => m.child.pid)),
      // The load generators share the machine: creators (this process) and the job worker.
      // lean: gRPC over node:http2, hand-encoded (bench/lean-client.mjs); grpc-js with BENCH_CLIENT=grpc-js.
      loadClient: process.env.BENCH_CLIENT === 'grpc-js' ? 'grpc-js' : 'lean',
      loadGenerators: +(((throughputResult.loadGeneratorCpuSeconds.creators + (throughputResult.loadGeneratorCpuSeconds.worker ?? 0)) / Math.max(1, throughputResult.completed)) * 1000).toFixed(2),
      // Each node, with the partitions it led at the start: leaders and followers cost differently.
      perNode: nodes.map((n, i) => ({
        node: n.nodeId,
        leads: [...leadersAtStart].filter(([, leader]) => leader === n.nodeId).map(([p]) => p),
        loaded: loaded.includes(n),
        cpu: perThousand(cpuBefore.perNode[i], [n.child.pid]),
      })),
    },
  };
  if (warmup) throughput.warmup = warmup;
  throughput.etcdRequestsPerThousandInstances = perThousandOf(await etcdOps(), throughputOpsBefore, throughputResult.completed);
  // Submit: commands a node forwarded to another partition's leader (e.g. completing a job it handed out for another partition).
  throughput.privateCallsPerThousandInstances = perThousandOf(await privateCalls(), privateCallsBefore, throughputResult.completed);
  // At these CPU costs per instance, the rate this machine's cores allow if nothing else limits it.
  const perInstance = throughput.cpuSecondsPerThousandInstances;
  throughput.cpuBoundCeilingPerSecond = Math.round(((await import('node:os')).cpus().length * 1000) / (perInstance.nodes + perInstance.etcd + perInstance.loadGenerators));
  const cost = phaseCost(members, window.first, window.last);
  const etcdCost = { ...cost, window: { fromSecond: +windowFrom.toFixed(1), ...cost.window } };
  const etcdAfterThroughput = await etcdSize(members);
  log('cluster latency…');
  const latencyAtHalfRate = await measured(on.systemPorts, () =>
    latencyPhase({ ...on, rate: Math.max(1, Math.round(throughput.completedPerSecond / 2)), seconds: latencySeconds }),
  );
  // BENCH_LATENCY_RATES=20,100: latency at those rates too (where the floor is, and where queueing starts).
  const latencyAtRates = {};
  for (const rate of (process.env.BENCH_LATENCY_RATES ?? '').split(',').filter(Boolean).map(Number)) {
    log(`cluster latency at ${rate}/s…`);
    latencyAtRates[rate] = await costed(() => measured(on.systemPorts, () => latencyPhase({ ...on, rate, seconds: latencySeconds })));
  }
  // The history of what the phases above finished, searched through node 0: each partition's
  // page comes from a follower (ADR 010), on node 0 or over the private port.
  // BENCH_SEARCH_FILL=N: first finish more instances, until the history holds at least N.
  const fill = Number(process.env.BENCH_SEARCH_FILL ?? 0);
  if (process.env.BENCH_SKIP_SEARCH !== '1' && fill > 0) {
    for (;;) {
      const held = (await searchLatencyPhase({ restPort: nodes[0].restPort, processDefinitionId: 'bench', requests: 1 })).totalItems ?? 0;
      log(`history holds ${held} finished instances (filling to ${fill})…`);
      if (held >= fill) break;
      await throughputPhase({ ...on, seconds: Math.min(60, Math.max(5, Math.ceil((fill - held) / Math.max(50, throughput.completedPerSecond)))), inflight });
    }
    await sleep(2_000); // the last completions reach the followers' projections
  }
  log('history search on followers…');
  const followerSearch = process.env.BENCH_SKIP_SEARCH === '1' ? null : await searchLatencyPhase({ restPort: nodes[0].restPort, processDefinitionId: 'bench', requests: Number(process.env.BENCH_SEARCH_REQUESTS ?? 200) });
  const nodesPeakRssMb = nodes.map((n) => peakRssMb(n.child.pid));
  log('failover…');
  const failover = process.env.BENCH_SKIP_FAILOVER === '1' ? null : await failoverPhase(nodes);
  // Past the leaders' etcd-log compaction (every 5 s) and one controller history compaction.
  await sleep(6_000);
  const etcdAtEnd = await etcdSize(members);
  // Last, so its data (etcd's file grows by what it writes) changes none of the figures above.
  let etcdCapacityResult = null;
  if (capacityOn) {
    log('etcd write capacity (nodes idle)…');
    const idle = await idleEtcdLoad(on.systemPorts, members);
    etcdCapacityResult = {
      ...(await etcdCapacity({
        members,
        systemPorts: on.systemPorts,
        seconds: capacitySeconds,
        writers: Number(process.env.BENCH_ETCD_WRITERS ?? 8),
        valuesPerTxn: Number(process.env.BENCH_ETCD_VALUES_PER_TXN ?? 3),
        ...valueSizes(process.env.BENCH_ETCD_VALUE_KB ?? '10-30'),
      })),
      // What the idle nodes send etcd meanwhile (leases, head polls, applied-index reports): included above.
      idleNodes: { clientBytesReceivedPerSecond: idle.clientBytesReceivedPerSecond, maxDiskWriteBytesPerSecond: idle.maxDiskWriteBytesPerSecond },
    };
  }
  const ceiling = etcdCeiling(etcdCost, etcdCapacityResult);

  const result = {
    cluster: {
      nodes: NODES,
      partitions: PARTITIONS,
      replicationFactor: REPLICATION,
      etcdMembers: members.length,
      throughput,
      latencyAtHalfRate,
      ...(Object.keys(latencyAtRates).length > 0 ? { latencyAtRates } : {}),
      ...(followerSearch ? { followerSearch } : {}),
      failover,
      etcd: { afterThroughput: etcdAfterThroughput, atEnd: etcdAtEnd },
      nodesPeakRssMb,
      // What the throughput phase cost etcd, over its steady-state window.
      etcdCost,
      // What etcd took when written as fast as it would, the nodes idle.
      etcdCapacity: etcdCapacityResult,
      // The throughput etcd's write bandwidth allows.
      etcdCeiling: ceiling,
    },
    singleNode: single,
    machine: { cpus: (await import('node:os')).cpus().length },
  };
  console.log(JSON.stringify(result, null, 2));
  log(
    `etcd ceiling: ${ceiling.instancesPerSecond ?? '—'} instances/s = ${etcdCapacityResult?.etcdWrites.clientBytesReceivedPerSecond ?? '—'} request bytes/s capacity ÷ ` +
      `${etcdCost.etcdWrites.clientBytesPerInstance} request bytes per instance; the throughput phase reached ${etcdCost.window.completedPerSecond}/s ` +
      `(etcd write utilization ${ceiling.utilization ?? '—'}); log bytes per instance ${etcdCost.logBytesPerInstance.records} → ${etcdCost.logBytesPerInstance.writtenToEtcd} in etcd (×${etcdCost.logBytesPerInstance.compressionRatio})`,
  );
} finally {
  for (const client of clients) client.close();
  // SIGTERM first, so nodes run with BENCH_NODE_FLAGS="--cpu-prof …" write their profiles.
  const exited = (child) => (child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((r) => child.once('exit', r)));
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  await Promise.race([Promise.all(children.map(exited)), sleep(10_000)]);
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await sleep(200);
  rmSync(root, { recursive: true, force: true });
}
