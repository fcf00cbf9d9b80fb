// Single-node benchmark (`npm run bench`):
//  1. throughput: a one-service-task process, instances created through gRPC as fast as the
//     node takes them (bounded in flight), jobs completed by a separate worker process;
//  2. latency: CreateProcessInstanceWithResult at half the measured rate and at 500/s, open loop;
//  3. the node's peak RSS;
//  4. engine-only throughput (in-process, no gRPC), from bench/engine-only.mjs;
//  5. a realistic model (bench/models.mjs: 15 flow nodes, a sub-process, a parallel
//     multi-instance of 10, a timer boundary, a message catch, an exclusive gateway): instances/s
//     and element instances/s beside the one-task figures, and their ratios.
// Durations: BENCH_SECONDS (throughput phase, default 30), BENCH_LATENCY_SECONDS (default 20).
// The phases live in bench/phases.mjs; bench/cluster.mjs runs them against a cluster too.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gatewayClient } from './grpc-client.mjs';
import { oneTaskProcess, realisticProcess } from './models.mjs';
import { engineOnly, latencyPhase, peakRssMb, startNode, throughputPhase } from './phases.mjs';

const seconds = Number(process.env.BENCH_SECONDS ?? 30);
const latencySeconds = Number(process.env.BENCH_LATENCY_SECONDS ?? 20);
const inflight = Number(process.env.BENCH_INFLIGHT ?? 100);
// The realistic model is closed-loop (each creator waits for its instance's result): with 100 in
// flight it measures the latency of 6 job round trips more than what the node can take.
const realisticInflight = Number(process.env.BENCH_REALISTIC_INFLIGHT ?? 300);

const dataDir = mkdtempSync(join(tmpdir(), 'zen-bench-node-'));
const node = await startNode(dataDir);
const client = gatewayClient(`127.0.0.1:${node.grpcPort}`);
const on = { clients: [client], systemPorts: [node.systemPort], workerAddresses: [`127.0.0.1:${node.grpcPort}`] };
try {
  await client.deployResource({ resources: [{ name: 'bench.bpmn', content: Buffer.from(oneTaskProcess('bench', 'bench-work')) }] });
  const throughput = await throughputPhase({ ...on, seconds, inflight });
  const latency = await latencyPhase({ ...on, rate: Math.max(1, Math.round(throughput.completedPerSecond / 2)), seconds: latencySeconds });
  const latencyAt500 = await latencyPhase({ ...on, rate: 500, seconds: latencySeconds });
  await client.deployResource({ resources: [{ name: 'realistic.bpmn', content: Buffer.from(realisticProcess('realistic', 'realistic-work')) }] });
  const items = Array.from({ length: 10 }, (_, i) => i + 1);
  const realistic = await throughputPhase({
    ...on,
    seconds,
    inflight: realisticInflight,
    bpmnProcessId: 'realistic',
    jobType: 'realistic-work',
    awaitResult: true,
    variables: (i) => ({ orderId: `order-${i}`, amount: i % 2 === 0 ? 50 : 150, items }),
    // The payment is published first, buffered until the instance waits for it.
    beforeCreate: (c, vars) => c.publishMessage({ name: 'payment', correlationKey: vars.orderId, timeToLive: 120_000, messageId: '', variables: '{}' }),
  });
  const realisticModel = {
    ...realistic,
    inflight: realisticInflight,
    instancesVsOneTask: +(realistic.completedPerSecond / Math.max(1, throughput.completedPerSecond)).toFixed(3),
    elementInstancesVsOneTask: +(realistic.elementInstancesPerSecond / Math.max(1, throughput.elementInstancesPerSecond)).toFixed(3),
  };
  const rss = peakRssMb(node.child.pid);
  client.close();
  node.child.kill('SIGTERM');
  await new Promise((r) => node.child.on('exit', r));
  const engine = await engineOnly(Math.min(seconds, 15));
  const result = { throughput, latencyAtHalfRate: latency, latencyAt500PerSecond: latencyAt500, realisticModel, nodePeakRssMb: rss, engineOnly: engine };
  console.log(JSON.stringify(result, null, 2));
} finally {
  node.child.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
}
