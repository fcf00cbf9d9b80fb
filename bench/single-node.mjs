// Single-node benchmark (`npm run bench`):
//  1. throughput: a one-service-task process, instances created through gRPC as fast as the
//     node takes them (bounded in flight), jobs completed by a separate worker process;
//  2. latency: CreateProcessInstanceWithResult at half the measured rate and at 500/s, open loop;
//  3. the node's peak RSS;
//  4. engine-only throughput (in-process, no gRPC), from bench/engine-only.mjs;
//  5. a realistic model (bench/models.mjs: 15 flow nodes, a sub-process, a parallel
//     multi-instance of 10, a timer boundary, a message catch, an exclusive gateway): instances/s
//     and element instances/s beside the one-task figures, and their ratios; the node's own CPU
//     per instance of both models (nodeCpuMsPerInstance) and the ratio it bounds the rates to.
//  6. REST create rate (BENCH_SKIP_REST=1 skips it): POST /v2/process-instances from as many
//     concurrent keep-alive fetch loops as the gRPC throughput phase has creators, on the same
//     node right after it; its created/s and completed/s and their ratios to gRPC's (target ≥ 0.5);
//  7. history on vs off (BENCH_SKIP_HISTORY=1 skips it): the throughput phase again on a fresh
//     node started with `--history false`; both rates and their ratio on/off (target ≥ 0.8);
//  8. search and disk (BENCH_SKIP_SEARCH=1 skips it): a fresh 3-partition node (history on) is
//     filled with BENCH_FILL_INSTANCES (default 100,000) instances of a start→end process (each
//     finishes in the command that creates it) through gRPC, BENCH_FILL_INFLIGHT (200) at a time;
//     then BENCH_SEARCH_REQUESTS (300) sequential POST /v2/process-instances/search for its
//     completed instances, newest first, 50 a page, each followed by the second page through the
//     cursor: p50/p99 of both (target p99 < 50 ms). The same fill on a node with `--history
//     false`; for both, the partitions' zen.db + WAL while running and once stopped, and the
//     history tables' own pages (SQLite's dbstat), per instance and extrapolated to 1 million
//     (target < 1.5 GB of history). Only the history grows with finished instances: the rest is
//     the log behind its retention and engine state. The search on a follower is not measured
//     here (it needs bench/cluster.mjs).
// Durations: BENCH_SECONDS (throughput phases, default 30), BENCH_LATENCY_SECONDS (default 20),
// BENCH_WARMUP_SECONDS (load before the first measured phase, unmeasured: default 10; the JIT
// compiles the hot code of each V8 isolate, the main thread and each storage worker, by itself).
// The phases live in bench/phases.mjs; bench/cluster.mjs runs them against a cluster too.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gatewayClient } from './grpc-client.mjs';
import { instantProcess, oneTaskProcess, realisticProcess } from './models.mjs';
import { engineOnly, latencyPhase, peakRssMb, startNode, throughputPhase } from './phases.mjs';
import { databaseBytes, diskPerInstance, fillPhase, restCreatePhase, searchLatencyPhase, tableBytes } from './history-phases.mjs';

const seconds = Number(process.env.BENCH_SECONDS ?? 30);
const latencySeconds = Number(process.env.BENCH_LATENCY_SECONDS ?? 20);
const warmupSeconds = Number(process.env.BENCH_WARMUP_SECONDS ?? 10);
const inflight = Number(process.env.BENCH_INFLIGHT ?? 100);
// The realistic model is closed-loop (each creator waits for its instance's result): with 100 in
// flight it measures the latency of 6 job round trips more than what the node can take.
const realisticInflight = Number(process.env.BENCH_REALISTIC_INFLIGHT ?? 300);
const fillInstances = Number(process.env.BENCH_FILL_INSTANCES ?? 100_000);
const fillInflight = Number(process.env.BENCH_FILL_INFLIGHT ?? 200);
const searchRequests = Number(process.env.BENCH_SEARCH_REQUESTS ?? 300);
const skip = (name) => process.env[`BENCH_SKIP_${name}`] === '1';
const ratio = (a, b) => +(a / Math.max(1, b)).toFixed(3);

/**
 * Runs `fn(node, client, dataDir)` on a fresh node started with `args`, stops it, calls
 * `afterStop(dataDir, result)` if given, and deletes its data.
 */
async function onFreshNode(args, fn, afterStop = null) {
  const dir = mkdtempSync(join(tmpdir(), 'zen-bench-node-'));
  const fresh = await startNode(dir, args);
  const freshClient = gatewayClient(`127.0.0.1:${fresh.grpcPort}`);
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    freshClient.close();
    fresh.child.kill('SIGTERM');
    await new Promise((r) => (fresh.child.exitCode !== null ? r() : fresh.child.on('exit', r)));
  };
  try {
    const result = await fn(fresh, freshClient, dir);
    await stop();
    return afterStop ? afterStop(dir, result) : result;
  } finally {
    await stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Fills a fresh 3-partition node with finished instances; measures its disk, and `then` on it. */
function filledNode(args, then = async () => ({})) {
  return onFreshNode(['--partitions', '3', ...args], async (fresh, freshClient, dir) => {
    await freshClient.deployResource({ resources: [{ name: 'instant.bpmn', content: Buffer.from(instantProcess('instant')) }] });
    const fill = await fillPhase({ client: freshClient, systemPort: fresh.systemPort, count: fillInstances, inflight: fillInflight, bpmnProcessId: 'instant' });
    const live = databaseBytes(dir);
    return { fill, live, ...(await then(fresh)) };
  }, (dir, { live, ...result }) => ({ ...result, disk: diskPerInstance(live, databaseBytes(dir), tableBytes(dir), result.fill.instances) }));
}

const dataDir = mkdtempSync(join(tmpdir(), 'zen-bench-node-'));
const node = await startNode(dataDir);
const client = gatewayClient(`127.0.0.1:${node.grpcPort}`);
const on = { clients: [client], systemPorts: [node.systemPort], workerAddresses: [`127.0.0.1:${node.grpcPort}`], nodePids: [node.child.pid] };
try {
  await client.deployResource({ resources: [{ name: 'bench.bpmn', content: Buffer.from(oneTaskProcess('bench', 'bench-work')) }] });
  if (warmupSeconds > 0) await throughputPhase({ ...on, seconds: warmupSeconds, inflight });
  const throughput = await throughputPhase({ ...on, seconds, inflight });
  let restCreate;
  if (!skip('REST')) {
    const rest = await restCreatePhase({ ...on, restPort: node.restPort, seconds, inflight });
    const grpcCreatedPerSecond = Math.round(throughput.created / throughput.seconds);
    restCreate = {
      rest,
      grpc: { createdPerSecond: grpcCreatedPerSecond, completedPerSecond: throughput.completedPerSecond },
      createdVsGrpc: ratio(rest.createdPerSecond, grpcCreatedPerSecond),
      completedVsGrpc: ratio(rest.completedPerSecond, throughput.completedPerSecond),
    };
  }
  const latency = await latencyPhase({ ...on, rate: Math.max(1, Math.round(throughput.completedPerSecond / 2)), seconds: latencySeconds });
  const latencyAt500 = await latencyPhase({ ...on, rate: 500, seconds: latencySeconds });
  await client.deployResource({ resources: [{ name: 'realistic.bpmn', content: Buffer.from(realisticProcess('realistic', 'realistic-work')) }] });
  const items = Array.from({ length: 10 }, (_, i) => i + 1);
  const realisticPhase = (phaseSeconds) => throughputPhase({
    ...on,
    seconds: phaseSeconds,
    inflight: realisticInflight,
    bpmnProcessId: 'realistic',
    jobType: 'realistic-work',
    awaitResult: true,
    variables: (i) => ({ orderId: `order-${i}`, amount: i % 2 === 0 ? 50 : 150, items }),
    // The payment is published first, buffered until the instance waits for it.
    beforeCreate: (c, vars) => c.publishMessage({ name: 'payment', correlationKey: vars.orderId, timeToLive: 120_000, messageId: '', variables: '{}' }),
  });
  // Its own code paths (FEEL, multi-instance, timers, messages) warm up too.
  if (warmupSeconds > 0) await realisticPhase(warmupSeconds);
  const realistic = await realisticPhase(seconds);
  const realisticModel = {
    ...realistic,
    inflight: realisticInflight,
    instancesVsOneTask: +(realistic.completedPerSecond / Math.max(1, throughput.completedPerSecond)).toFixed(3),
    elementInstancesVsOneTask: +(realistic.elementInstancesPerSecond / Math.max(1, throughput.elementInstancesPerSecond)).toFixed(3),
    // The instance ratio if the node had the machine to itself: its CPU per one-task instance
    // over its CPU per realistic one (the load generators, 13-14 job completions per realistic
    // instance, share these cores in the figures above).
    nodeCpuBoundVsOneTask: ratio(throughput.nodeCpuMsPerInstance, realistic.nodeCpuMsPerInstance),
    // One-task work over realistic work, per unit. Everything a node does is answering calls,
    // processing commands and writing records, so its cost per instance is some non-negative
    // mix of these units, and the realistic/one-task instance ratio cannot exceed the largest
    // of their ratios, however fast each unit is made (the load generators only lower it).
    workVsOneTask: Object.fromEntries(
      Object.keys(realistic.workPerInstance).map((unit) => [unit, ratio(throughput.workPerInstance[unit], realistic.workPerInstance[unit])]),
    ),
  };
  const { grpcCalls, commands, records } = realisticModel.workVsOneTask;
  realisticModel.instancesVsOneTaskBound = Math.max(grpcCalls, commands, records);
  const rss = peakRssMb(node.child.pid);
  client.close();
  node.child.kill('SIGTERM');
  await new Promise((r) => node.child.on('exit', r));
  let history;
  if (!skip('HISTORY')) {
    const off = await onFreshNode(['--history', 'false'], async (fresh, freshClient) => {
      await freshClient.deployResource({ resources: [{ name: 'bench.bpmn', content: Buffer.from(oneTaskProcess('bench', 'bench-work')) }] });
      return throughputPhase({ clients: [freshClient], systemPorts: [fresh.systemPort], workerAddresses: [`127.0.0.1:${fresh.grpcPort}`], seconds, inflight });
    });
    history = { onPerSecond: throughput.completedPerSecond, offPerSecond: off.completedPerSecond, onVsOff: ratio(throughput.completedPerSecond, off.completedPerSecond), off };
  }
  let searchAndDisk;
  if (!skip('SEARCH')) {
    const withHistory = await filledNode([], async (fresh) => ({
      search: await searchLatencyPhase({ restPort: fresh.restPort, processDefinitionId: 'instant', requests: searchRequests }),
    }));
    const withoutHistory = await filledNode(['--history', 'false']);
    const difference = withHistory.disk.stoppedBytesPerInstance - withoutHistory.disk.stoppedBytesPerInstance;
    searchAndDisk = {
      partitions: 3,
      model: 'start → end',
      withHistory,
      withoutHistory,
      // The files' difference, beside the history tables' own size (withHistory.disk).
      filesWithMinusWithoutBytesPerInstance: difference,
      filesWithMinusWithoutPerMillionGb: +((difference * 1e6) / 1e9).toFixed(2),
    };
  }
  const engine = await engineOnly(Math.min(seconds, 15));
  const result = {
    throughput,
    ...(restCreate ? { restCreate } : {}),
    latencyAtHalfRate: latency,
    latencyAt500PerSecond: latencyAt500,
    realisticModel,
    nodePeakRssMb: rss,
    ...(history ? { history } : {}),
    ...(searchAndDisk ? { searchAndDisk } : {}),
    engineOnly: engine,
  };
  console.log(JSON.stringify(result, null, 2));
} finally {
  node.child.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
}
