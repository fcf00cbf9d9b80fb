// Soak run (`npm run soak`, not in CI): steady load for a long time, to show memory stays flat.
//  1. starts a cluster — 3 etcd members, 3 Zen nodes, 3 partitions with replication factor 3, as
//     bench/cluster.mjs does — or one node alone (SOAK_MODE=single);
//  2. measures the rate (completed one-task instances per second, bench/phases.mjs's throughput
//     phase, SOAK_MEASURE_SECONDS, default 30), unless SOAK_RATE gives it;
//  3. drives CreateProcessInstanceWithResult open loop at half that rate for SOAK_MINUTES
//     (default 30), jobs completed by the benchmark worker process, and prints every
//     SOAK_SAMPLE_SECONDS (default 60): each node's RSS and V8 heap (its /metrics), etcd's
//     database size (or, alone, the data directory's), instances/s, p50/p99 latency, errors;
//  4. ends with a verdict on memory — the slope of each node's RSS and heap (the lowest heap
//     reading of each window, polled every 5 s: what survives collections) over the last two
//     thirds of the samples, in MB/hour, flat when every slope is within SOAK_FLAT_MB_PER_HOUR
//     (default 50) — and a JSON report on stdout (also written to SOAK_REPORT when set).
// Progress goes to stderr, so `npm run soak > soak.json` keeps the report alone.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { gatewayClient } from './grpc-client.mjs';
import { oneTaskProcess } from './models.mjs';
import { freePort, metric, percentile, sleep, startNode, startWorker, stopWorker, throughputPhase } from './phases.mjs';

const MODE = process.env.SOAK_MODE ?? 'cluster';
const MINUTES = Number(process.env.SOAK_MINUTES ?? 30);
const SAMPLE_SECONDS = Number(process.env.SOAK_SAMPLE_SECONDS ?? 60);
const MEASURE_SECONDS = Number(process.env.SOAK_MEASURE_SECONDS ?? 30);
const FLAT_MB_PER_HOUR = Number(process.env.SOAK_FLAT_MB_PER_HOUR ?? 50);
const INFLIGHT = Number(process.env.SOAK_INFLIGHT ?? 100);
const PARTITIONS = 3;
const log = (...args) => console.error('[soak]', ...args);

if (!['cluster', 'single'].includes(MODE)) throw new Error(`SOAK_MODE must be cluster or single, not ${MODE}`);
if (!(MINUTES > 0) || !(SAMPLE_SECONDS > 0)) throw new Error('SOAK_MINUTES and SOAK_SAMPLE_SECONDS must be positive numbers');

const root = mkdtempSync(join(tmpdir(), 'zen-soak-'));
const children = [];

function cleanup() {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  rmSync(root, { recursive: true, force: true });
}
process.on('SIGINT', () => {
  cleanup();
  process.exit(130);
});

// ---- etcd and nodes (the shape of bench/cluster.mjs) ----------------------------------------

async function startEtcd(size) {
  const members = [];
  for (let i = 0; i < size; i++) members.push({ name: `etcd${i}`, clientPort: await freePort(), peerPort: await freePort(), dataDir: join(root, `etcd${i}`) });
  const initialCluster = members.map((m) => `${m.name}=http://127.0.0.1:${m.peerPort}`).join(',');
  for (const m of members) {
    m.child = spawn('etcd', [
      '--name', m.name, '--data-dir', m.dataDir,
      '--listen-client-urls', `http://127.0.0.1:${m.clientPort}`, '--advertise-client-urls', `http://127.0.0.1:${m.clientPort}`,
      '--listen-peer-urls', `http://127.0.0.1:${m.peerPort}`, '--initial-advertise-peer-urls', `http://127.0.0.1:${m.peerPort}`,
      '--initial-cluster', initialCluster, '--initial-cluster-state', 'new', '--initial-cluster-token', 'zen-soak',
      '--auto-compaction-mode', 'revision', '--auto-compaction-retention', '10000',
      '--log-level', 'error', '--logger', 'zap',
    ], { stdio: ['ignore', 'ignore', 'inherit'] });
    children.push(m.child);
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
  return members;
}

async function startNodes(members) {
  if (MODE === 'single') {
    const dataDir = join(root, 'node0');
    mkdirSync(dataDir, { recursive: true });
    const node = await startNode(dataDir, ['--partitions', String(PARTITIONS)]);
    children.push(node.child);
    return [{ ...node, dataDir }];
  }
  return Promise.all(
    [0, 1, 2].map(async (i) => {
      const dataDir = join(root, `node${i}`);
      mkdirSync(dataDir, { recursive: true });
      const endpoints = [members[i], ...members.filter((_, j) => j !== i)].map((m) => `http://127.0.0.1:${m.clientPort}`).join(',');
      const node = await startNode(dataDir, [
        '--node-id', String(i), '--zone', `zone-${i}`, '--etcd-endpoints', endpoints,
        '--partitions', String(PARTITIONS), '--replication-factor', '3',
        '--advertise-host', '127.0.0.1', '--private-port', String(await freePort()),
      ], { readyTimeoutMs: 60_000 });
      children.push(node.child);
      return { ...node, dataDir };
    }),
  );
}

/** One leader per partition, seen through the first client. */
async function waitForLeaders(client) {
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      const topology = await client.topology({});
      const led = new Set(topology.brokers.flatMap((b) => b.partitions.filter((p) => p.role === 'LEADER').map((p) => p.partitionId)));
      if (led.size === PARTITIONS) return;
    } catch {}
    if (Date.now() > deadline) throw new Error('the nodes did not settle on one leader per partition');
    await sleep(200);
  }
}

// ---- what a sample reads --------------------------------------------------------------------

const mb = (bytes) => +(bytes / 2 ** 20).toFixed(1);

function rssMb(pid) {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? +(Number(match[1]) / 1024).toFixed(1) : null;
  } catch {
    return null;
  }
}

function directoryBytes(dir) {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    total += entry.isDirectory() ? directoryBytes(path) : statSync(path).size;
  }
  return total;
}

async function storageMb(members, nodes) {
  if (members.length === 0) return { dataDirMb: mb(directoryBytes(nodes[0].dataDir)) };
  const sizes = await Promise.all(
    members.map(async (m) => {
      const text = await fetch(`http://127.0.0.1:${m.clientPort}/metrics`).then((r) => r.text()).catch(() => '');
      const line = text.split('\n').find((l) => l.startsWith('etcd_mvcc_db_total_size_in_bytes '));
      return line ? Number(line.split(' ').pop()) : 0;
    }),
  );
  return { etcdDbMb: mb(Math.max(...sizes)) };
}

async function nodeMemory(nodes) {
  return Promise.all(
    nodes.map(async (node, i) => ({
      node: i,
      rssMb: rssMb(node.child.pid),
      heapMb: mb(await metric(node.systemPort, 'zen_process_heap_used_bytes').catch(() => 0)),
    })),
  );
}

/** Least-squares slope of y over x (hours), in y's unit per hour. */
function slopePerHour(points) {
  if (points.length < 2) return null;
  const n = points.length;
  const mx = points.reduce((s, p) => s + p.x, 0) / n;
  const my = points.reduce((s, p) => s + p.y, 0) / n;
  const sxx = points.reduce((s, p) => s + (p.x - mx) ** 2, 0);
  if (sxx === 0) return null;
  return +(points.reduce((s, p) => s + (p.x - mx) * (p.y - my), 0) / sxx).toFixed(1);
}

// ---- the run --------------------------------------------------------------------------------

async function main() {
  log(`mode ${MODE}, ${MINUTES} min, a sample every ${SAMPLE_SECONDS} s`);
  const members = MODE === 'cluster' ? await startEtcd(3) : [];
  const nodes = await startNodes(members);
  const clients = nodes.map((n) => gatewayClient(`127.0.0.1:${n.grpcPort}`));
  const addresses = nodes.map((n) => `127.0.0.1:${n.grpcPort}`);
  const systemPorts = nodes.map((n) => n.systemPort);
  await waitForLeaders(clients[0]);
  await clients[0].deployResource({ resources: [{ name: 'soak.bpmn', content: Buffer.from(oneTaskProcess('soak', 'soak-work')) }] });
  await sleep(1000);

  let measuredRate = null;
  let rate = Number(process.env.SOAK_RATE);
  if (!(rate > 0)) {
    log(`measuring the rate for ${MEASURE_SECONDS} s`);
    const measured = await throughputPhase({ clients, systemPorts, workerAddresses: addresses, seconds: MEASURE_SECONDS, inflight: INFLIGHT, bpmnProcessId: 'soak', jobType: 'soak-work' });
    measuredRate = measured.completedPerSecond;
    rate = Math.max(1, Math.round(measuredRate / 2));
    log(`measured ${measuredRate} instances/s; soaking at ${rate}/s`);
    await sleep(5000); // let the backlog of the measurement drain
  }

  const worker = startWorker(addresses, 'soak-work', 4);
  // V8's heap in use saws up and down with every collection; its lowest reading in a sample
  // window (polled every 5 s) follows what is really retained, so the verdict uses that.
  let heapFloors = nodes.map(() => Infinity);
  const heapPoller = setInterval(async () => {
    const readings = await Promise.all(systemPorts.map((port) => metric(port, 'zen_process_heap_used_bytes').catch(() => null)));
    readings.forEach((bytes, i) => {
      if (bytes !== null && bytes > 0) heapFloors[i] = Math.min(heapFloors[i], mb(bytes));
    });
  }, 5000);
  const samples = [];
  const started = performance.now();
  const end = started + MINUTES * 60_000;
  let window = { latencies: [], errors: 0, completed: 0 };
  let sent = 0;
  const pending = new Set();
  const interval = 1000 / rate;
  let nextSample = started + SAMPLE_SECONDS * 1000;

  let windowStarted = started;
  const takeSample = async () => {
    const current = window;
    window = { latencies: [], errors: 0, completed: 0 };
    const windowSeconds = (performance.now() - windowStarted) / 1000;
    windowStarted = performance.now();
    const floors = heapFloors;
    heapFloors = nodes.map(() => Infinity);
    current.latencies.sort((a, b) => a - b);
    const sample = {
      minute: +((performance.now() - started) / 60_000).toFixed(2),
      instancesPerSecond: +(current.completed / windowSeconds).toFixed(1),
      completed: current.completed,
      p50Ms: current.latencies.length ? +percentile(current.latencies, 50).toFixed(1) : null,
      p99Ms: current.latencies.length ? +percentile(current.latencies, 99).toFixed(1) : null,
      errors: current.errors,
      // Other work on the machine shows in the rate and latency; the 1-minute load average says how much.
      loadAverage: +loadavg()[0].toFixed(2),
      nodes: (await nodeMemory(nodes)).map((n, i) => ({ ...n, heapFloorMb: Number.isFinite(floors[i]) ? Math.min(floors[i], n.heapMb) : n.heapMb })),
      ...(await storageMb(members, nodes)),
    };
    samples.push(sample);
    const memory = sample.nodes.map((n) => `n${n.node} rss ${n.rssMb} heap ${n.heapMb} (floor ${n.heapFloorMb})`).join(', ');
    const storage = sample.etcdDbMb !== undefined ? `etcd db ${sample.etcdDbMb} MB` : `data dir ${sample.dataDirMb} MB`;
    log(`${sample.minute.toFixed(1)} min: ${sample.instancesPerSecond}/s, p50 ${sample.p50Ms} ms, p99 ${sample.p99Ms} ms, errors ${sample.errors}, load ${sample.loadAverage}; ${memory} (MB); ${storage}`);
  };

  while (performance.now() < end) {
    const now = performance.now();
    if (now >= nextSample) {
      nextSample += SAMPLE_SECONDS * 1000;
      await takeSample();
      continue;
    }
    const due = started + sent * interval;
    if (due > now) {
      await sleep(Math.min(due - now, nextSample - now));
      continue;
    }
    const client = clients[sent % clients.length];
    sent++;
    const t0 = performance.now();
    const counted = window;
    const call = client
      .createProcessInstanceWithResult({ request: { bpmnProcessId: 'soak', version: -1, variables: '{"n":1}' }, requestTimeout: 60_000 }, { deadline: Date.now() + 70_000 })
      .then(
        () => {
          counted.completed++;
          counted.latencies.push(performance.now() - t0);
        },
        () => counted.errors++,
      );
    pending.add(call);
    call.finally(() => pending.delete(call));
  }
  await Promise.all(pending);
  await takeSample(); // the last window, however long
  clearInterval(heapPoller);
  await stopWorker(worker);

  // The verdict: growth over the last two thirds (the first third is warm-up: caches, JIT, WAL).
  const tail = samples.slice(Math.floor(samples.length / 3));
  const slopes = nodes.map((_, i) => ({
    node: i,
    rssMbPerHour: slopePerHour(tail.map((s) => ({ x: s.minute / 60, y: s.nodes[i].rssMb }))),
    heapMbPerHour: slopePerHour(tail.map((s) => ({ x: s.minute / 60, y: s.nodes[i].heapFloorMb }))),
  }));
  const worst = Math.max(...slopes.flatMap((s) => [s.rssMbPerHour ?? 0, s.heapMbPerHour ?? 0]));
  // Fewer points than this make a slope of noise: GC and allocator swings are tens of MB.
  const verdict = tail.length < 5 ? `too short to tell (${tail.length} samples in the last two thirds; 5 are needed)` : worst <= FLAT_MB_PER_HOUR ? `flat (no slope above ${FLAT_MB_PER_HOUR} MB/hour)` : `growing (up to ${worst} MB/hour, above ${FLAT_MB_PER_HOUR})`;
  const report = {
    mode: MODE,
    minutes: MINUTES,
    measuredRate,
    rate,
    sent,
    completed: samples.reduce((n, s) => n + s.completed, 0),
    errors: samples.reduce((n, s) => n + s.errors, 0),
    slopes,
    verdict,
    samples,
  };
  log(`memory: ${verdict}`);
  for (const s of slopes) log(`  node ${s.node}: rss ${s.rssMbPerHour} MB/h, heap ${s.heapMbPerHour} MB/h`);
  const json = JSON.stringify(report, null, 2);
  if (process.env.SOAK_REPORT) writeFileSync(process.env.SOAK_REPORT, json);
  console.log(json);
  for (const client of clients) client.close();
}

main()
  .then(() => {
    cleanup();
    process.exit(0);
  })
  .catch((err) => {
    log('failed:', err);
    cleanup();
    process.exit(1);
  });
