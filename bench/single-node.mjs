// Single-node benchmark (`npm run bench`):
//  1. throughput: a one-service-task process, instances created through gRPC as fast as the
//     node takes them (bounded in flight), jobs completed by a separate worker process;
//  2. latency: CreateProcessInstanceWithResult at half the measured rate and at 500/s, open loop;
//  3. the node's peak RSS;
//  4. engine-only throughput (in-process, no gRPC), from bench/engine-only.mjs.
// Durations: BENCH_SECONDS (throughput phase, default 30), BENCH_LATENCY_SECONDS (default 20).
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gatewayClient } from './grpc-client.mjs';
import { oneTaskProcess } from './models.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const seconds = Number(process.env.BENCH_SECONDS ?? 30);
const latencySeconds = Number(process.env.BENCH_LATENCY_SECONDS ?? 20);
const inflight = Number(process.env.BENCH_INFLIGHT ?? 100);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function freePort() {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function metric(systemPort, name) {
  const text = await (await fetch(`http://127.0.0.1:${systemPort}/metrics`)).text();
  let sum = 0;
  for (const line of text.split('\n')) if (line.startsWith(name + '{') || line.startsWith(name + ' ')) sum += Number(line.split(' ').pop());
  return sum;
}

function peakRssMb(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const hwm = /VmHWM:\s+(\d+) kB/.exec(status);
  return hwm ? Math.round(Number(hwm[1]) / 1024) : null;
}

function percentile(sorted, p) {
  return sorted.length === 0 ? null : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function startNode(dataDir) {
  const [grpcPort, systemPort, restPort] = [await freePort(), await freePort(), await freePort()];
  const child = spawn(process.execPath, [...(process.env.BENCH_NODE_FLAGS ? process.env.BENCH_NODE_FLAGS.split(' ') : []), join(root, 'bin/zen.js'), 'start', '--data-dir', dataDir, '--grpc-port', String(grpcPort), '--system-port', String(systemPort), '--rest-port', String(restPort), '--log-level', 'warn'], { stdio: ['ignore', 'inherit', 'inherit'] });
  for (let i = 0; i < 200; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${systemPort}/ready`)).status === 200) return { child, grpcPort, systemPort };
    } catch {}
    await sleep(100);
  }
  throw new Error('node did not become ready');
}

async function throughputPhase(client, node) {
  const worker = spawn(process.execPath, [join(root, 'bench/worker.mjs'), `127.0.0.1:${node.grpcPort}`, 'bench-work', '4'], { stdio: ['ignore', 'pipe', 'inherit'] });
  let created = 0;
  let failed = 0;
  let stop = false;
  const before = await metric(node.systemPort, 'zen_process_instances_completed_total');
  const started = performance.now();
  const creator = async () => {
    while (!stop) {
      try {
        await client.createProcessInstance({ bpmnProcessId: 'bench', version: -1, variables: '{"n":1}' });
        created++;
      } catch {
        failed++;
        await sleep(10);
      }
    }
  };
  const creators = Array.from({ length: inflight }, creator);
  await sleep(seconds * 1000);
  stop = true;
  const elapsed = (performance.now() - started) / 1000;
  const completed = (await metric(node.systemPort, 'zen_process_instances_completed_total')) - before;
  await Promise.all(creators);
  worker.kill('SIGTERM');
  await new Promise((r) => worker.on('exit', r));
  return { seconds: +elapsed.toFixed(1), created, failed, completed, completedPerSecond: Math.round(completed / elapsed) };
}

async function latencyPhase(client, node, rate) {
  const worker = spawn(process.execPath, [join(root, 'bench/worker.mjs'), `127.0.0.1:${node.grpcPort}`, 'bench-work', '4'], { stdio: ['ignore', 'pipe', 'inherit'] });
  await sleep(500);
  const latencies = [];
  let errors = 0;
  const pending = [];
  const interval = 1000 / rate;
  const started = performance.now();
  let sent = 0;
  while (performance.now() - started < latencySeconds * 1000) {
    const due = started + sent * interval;
    const wait = due - performance.now();
    if (wait > 1) await sleep(wait);
    sent++;
    const t0 = performance.now();
    pending.push(
      client.createProcessInstanceWithResult({ request: { bpmnProcessId: 'bench', version: -1, variables: '{"n":1}' }, requestTimeout: 30_000 })
        .then(() => latencies.push(performance.now() - t0), () => errors++),
    );
  }
  await Promise.all(pending);
  worker.kill('SIGTERM');
  await new Promise((r) => worker.on('exit', r));
  latencies.sort((a, b) => a - b);
  return {
    targetRate: rate,
    achievedRate: Math.round(latencies.length / latencySeconds),
    requests: sent,
    errors,
    p50Ms: +percentile(latencies, 50).toFixed(1),
    p99Ms: +percentile(latencies, 99).toFixed(1),
    maxMs: +latencies[latencies.length - 1].toFixed(1),
  };
}

async function engineOnly() {
  const child = spawn(process.execPath, [join(root, 'bench/engine-only.mjs')], {
    env: { ...process.env, BENCH_SECONDS: String(Math.min(seconds, 15)) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  await new Promise((r) => child.on('exit', r));
  return JSON.parse(out.trim().split('\n').pop());
}

const dataDir = mkdtempSync(join(tmpdir(), 'zen-bench-node-'));
const node = await startNode(dataDir);
const client = gatewayClient(`127.0.0.1:${node.grpcPort}`);
try {
  await client.deployResource({ resources: [{ name: 'bench.bpmn', content: Buffer.from(oneTaskProcess('bench', 'bench-work')) }] });
  const throughput = await throughputPhase(client, node);
  const latency = await latencyPhase(client, node, Math.max(1, Math.round(throughput.completedPerSecond / 2)));
  const latencyAt500 = await latencyPhase(client, node, 500);
  const rss = peakRssMb(node.child.pid);
  client.close();
  node.child.kill('SIGTERM');
  await new Promise((r) => node.child.on('exit', r));
  const engine = await engineOnly();
  const result = { throughput, latencyAtHalfRate: latency, latencyAt500PerSecond: latencyAt500, nodePeakRssMb: rss, engineOnly: engine };
  console.log(JSON.stringify(result, null, 2));
} finally {
  node.child.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
}
