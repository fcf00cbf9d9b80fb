// The benchmark phases shared by bench/single-node.mjs and bench/cluster.mjs: starting a node,
// the throughput phase (instances created through gRPC as fast as the nodes take them, jobs
// completed by a separate worker process), the open-loop latency phase and engine-only
// throughput. A phase takes a list of gateway clients (one per node) and spreads its calls
// over them; with one client it is exactly the single-node benchmark.
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('..', import.meta.url));
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// The kernel may hand a just-closed port out again; one run must never get the same port twice.
const handedOut = new Set();

export async function freePort() {
  for (;;) {
    const port = await new Promise((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const { port } = server.address();
        server.close(() => resolve(port));
      });
    });
    if (!handedOut.has(port)) {
      handedOut.add(port);
      return port;
    }
  }
}

/** A Prometheus sample summed over its label sets, from one node's /metrics. */
export async function metric(systemPort, name) {
  const text = await (await fetch(`http://127.0.0.1:${systemPort}/metrics`)).text();
  let sum = 0;
  for (const line of text.split('\n')) if (line.startsWith(name + '{') || line.startsWith(name + ' ')) sum += Number(line.split(' ').pop());
  return sum;
}

/** The same sample summed over several nodes (counters are kept by partition leaders). */
export async function metricSum(systemPorts, name) {
  const values = await Promise.all(systemPorts.map((port) => metric(port, name).catch(() => 0)));
  return values.reduce((a, b) => a + b, 0);
}

/** A histogram's sum and count over the nodes (label sets containing `labels`, e.g. 'op="append"'). */
export async function histogram(systemPorts, name, labels = '') {
  let sum = 0;
  let count = 0;
  for (const port of systemPorts) {
    const text = await fetch(`http://127.0.0.1:${port}/metrics`).then((res) => res.text()).catch(() => '');
    for (const line of text.split('\n')) {
      if (!line.includes(labels)) continue;
      if (line.startsWith(`${name}_sum`)) sum += Number(line.split(' ').pop());
      else if (line.startsWith(`${name}_count`)) count += Number(line.split(' ').pop());
    }
  }
  return { sum, count };
}

/** User + system CPU seconds a process used so far (/proc/<pid>/stat, in ticks of 1/100 s). */
export function processCpuSeconds(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

export function peakRssMb(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const hwm = /VmHWM:\s+(\d+) kB/.exec(status);
    return hwm ? Math.round(Number(hwm[1]) / 1024) : null;
  } catch {
    return null;
  }
}

export function percentile(sorted, p) {
  return sorted.length === 0 ? null : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/**
 * `zen start` with free ports; resolves once /ready answers 200. `args` are extra flags;
 * BENCH_ZEN_ARGS adds more to every node the benchmarks start (e.g. `--tracing-level engine`,
 * to measure what a tracing level costs).
 */
export async function startNode(dataDir, args = [], { readyTimeoutMs = 20_000 } = {}) {
  const [grpcPort, systemPort, restPort] = [await freePort(), await freePort(), await freePort()];
  const child = spawn(
    process.execPath,
    [
      ...(process.env.BENCH_NODE_FLAGS ? process.env.BENCH_NODE_FLAGS.split(' ') : []),
      join(root, 'bin/zen.js'), 'start',
      '--data-dir', dataDir,
      '--grpc-port', String(grpcPort), '--system-port', String(systemPort), '--rest-port', String(restPort),
      '--log-level', 'warn',
      ...args,
      ...(process.env.BENCH_ZEN_ARGS ? process.env.BENCH_ZEN_ARGS.split(' ').filter(Boolean) : []),
    ],
    // The node's log goes to stderr: stdout carries only the benchmark's JSON.
    { stdio: ['ignore', 2, 2] },
  );
  const deadline = Date.now() + readyTimeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`node exited with code ${child.exitCode} before it was ready`);
    try {
      if ((await fetch(`http://127.0.0.1:${systemPort}/ready`)).status === 200) return { child, grpcPort, systemPort, restPort };
    } catch {}
    await sleep(100);
  }
  child.kill('SIGKILL');
  throw new Error('node did not become ready');
}

/** The job worker process (bench/worker.mjs), polling through every address given. */
export function startWorker(addresses, type, concurrency, env = {}) {
  const worker = spawn(process.execPath, [join(root, 'bench/worker.mjs'), addresses.join(','), type, String(concurrency)], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, ...env },
  });
  worker.output = '';
  worker.stdout.on('data', (chunk) => (worker.output += chunk));
  return worker;
}

/** Stops the worker; resolves with the report it prints on SIGTERM (null if none). */
export async function stopWorker(worker) {
  worker.kill('SIGTERM');
  await new Promise((r) => (worker.exitCode !== null ? r() : worker.on('exit', r)));
  try {
    return JSON.parse(worker.output.trim().split('\n').pop());
  } catch {
    return null;
  }
}

/**
 * Creates instances as fast as the nodes take them (`inflight` concurrent loops, spread over
 * `clients`) while the worker completes their jobs; completed instances are read from the
 * nodes' metrics, so the figure is what the engine finished, not what the client sent.
 * With `awaitResult`, each loop waits for its instance to complete (CreateProcessInstanceWithResult).
 * With `nodePids`, the nodes' CPU per completed instance is reported too.
 * With `sample` (an async function), it is also called `sampleFromSeconds` into the phase and
 * at its end, while the load is still on: a steady-state window, returned as `window`.
 */
export async function throughputPhase({ clients, systemPorts, workerAddresses, nodePids = [], seconds, inflight, bpmnProcessId = 'bench', jobType = 'bench-work', workerConcurrency = 4, sample = null, sampleFromSeconds = 0, variables = () => ({ n: 1 }), beforeCreate = null, awaitResult = false }) {
  const worker = startWorker(workerAddresses, jobType, workerConcurrency);
  let created = 0;
  let failed = 0;
  let stop = false;
  let seq = 0;
  const before = await metricSum(systemPorts, 'zen_process_instances_completed_total');
  const elementsBefore = await metricSum(systemPorts, 'zen_element_instances_activated_total');
  const workBefore = await workDone(systemPorts);
  const started = performance.now();
  const ownCpuBefore = process.cpuUsage();
  const nodeCpu = () => nodePids.reduce((sum, pid) => sum + (processCpuSeconds(pid) ?? 0), 0);
  const nodeCpuBefore = nodeCpu();
  const creator = async (i) => {
    const client = clients[i % clients.length];
    while (!stop) {
      try {
        const vars = variables(seq++);
        if (beforeCreate) await beforeCreate(client, vars);
        const request = { bpmnProcessId, version: -1, variables: JSON.stringify(vars) };
        // Awaiting the result bounds the instances in flight to `inflight` (a closed loop):
        // for models with many jobs, creating as fast as possible only builds a backlog.
        if (awaitResult) await client.createProcessInstanceWithResult({ request, requestTimeout: 120_000 }, { deadline: Date.now() + 130_000 });
        else await client.createProcessInstance(request);
        created++;
      } catch {
        failed++;
        await sleep(10);
      }
    }
  };
  const creators = Array.from({ length: inflight }, (_, i) => creator(i));
  let window = null;
  if (sample) {
    await sleep(Math.min(sampleFromSeconds, seconds / 2) * 1000);
    window = { first: await sample() };
  }
  await sleep(Math.max(0, started + seconds * 1000 - performance.now()));
  const elapsed = (performance.now() - started) / 1000;
  const [after, elementsAfter, last] = await Promise.all([metricSum(systemPorts, 'zen_process_instances_completed_total'), metricSum(systemPorts, 'zen_element_instances_activated_total'), sample?.()]);
  const nodeCpuSeconds = nodeCpu() - nodeCpuBefore;
  const workAfter = await workDone(systemPorts);
  stop = true;
  const completed = after - before;
  if (window) window.last = last;
  await Promise.all(creators);
  // What generating the load cost (this process's creators, the worker process): on a machine
  // the nodes share with it, this CPU is not available to them.
  const ownCpu = process.cpuUsage(ownCpuBefore);
  const workerCpuSeconds = processCpuSeconds(worker.pid);
  await stopWorker(worker);
  return {
    seconds: +elapsed.toFixed(1),
    loadGeneratorCpuSeconds: { creators: +((ownCpu.user + ownCpu.system) / 1e6).toFixed(2), worker: workerCpuSeconds },
    created,
    failed,
    completed,
    completedPerSecond: Math.round(completed / elapsed),
    // Every element activated in the phase (of instances still running too), per second.
    elementInstancesPerSecond: Math.round((elementsAfter - elementsBefore) / elapsed),
    // The nodes' own CPU (every thread) per completed instance: what the instance costs the
    // engine, apart from the load generators that share this machine (with `nodePids`).
    ...(nodePids.length > 0 ? { nodeCpuMsPerInstance: +((nodeCpuSeconds * 1000) / Math.max(1, completed)).toFixed(3) } : {}),
    // What one completed instance took, in the units the nodes' work is made of (see workDone).
    workPerInstance: Object.fromEntries(
      Object.keys(workAfter).map((unit) => [unit, +((workAfter[unit] - workBefore[unit]) / Math.max(1, completed)).toFixed(2)]),
    ),
    ...(window ? { window } : {}),
  };
}

/**
 * Counts of what the nodes do, summed over them: gRPC calls answered (every method, empty long
 * polls included), commands processed, records written to the log, element instances activated.
 * A node's CPU is spent on calls, commands and records; elements are what users count.
 */
export async function workDone(systemPorts) {
  const [grpcCalls, commands, records, elementInstances] = await Promise.all(
    ['zen_grpc_requests_total', 'zen_commands_processed_total', 'zen_records_written_total', 'zen_element_instances_activated_total'].map((name) => metricSum(systemPorts, name)),
  );
  return { grpcCalls, commands, records, elementInstances };
}

/**
 * CreateProcessInstanceWithResult at `rate` per second, open loop, spread over `clients`. The
 * first `warmupSeconds` run at the same rate unmeasured: the phase starts a worker process of
 * its own, which is cold (its JIT, its connections), and its first second would otherwise
 * set the p99. BENCH_LATENCY_TIMELINE=prefix writes `[sentAtMs, latencyMs, client]` of every
 * measured request (from `measuredFromEpochMs`) to `prefix-<rate>.json`, to tell a stall from a steady queue.
 */
export async function latencyPhase({ clients, workerAddresses, rate, seconds, warmupSeconds = Number(process.env.BENCH_LATENCY_WARMUP_SECONDS ?? 3), bpmnProcessId = 'bench', jobType = 'bench-work', workerConcurrency = 4 }) {
  // The worker times each job from the moment its instance was asked for (`sentAt`, this
  // machine's clock) to the moment the worker has it, and each CompleteJob call. Warm-up
  // instances carry no `sentAt`, so the worker leaves them untimed.
  const worker = startWorker(workerAddresses, jobType, workerConcurrency, { BENCH_WORKER_TIMING: '1' });
  await sleep(500);
  const latencies = [];
  const timeline = [];
  let errors = 0;
  const pending = [];
  const interval = 1000 / rate;
  const started = performance.now();
  const measuredFrom = started + warmupSeconds * 1000;
  let sent = 0;
  let measuredSent = 0;
  while (performance.now() - measuredFrom < seconds * 1000) {
    const due = started + sent * interval;
    const wait = due - performance.now();
    if (wait > 1) await sleep(wait);
    const via = sent % clients.length;
    const client = clients[via];
    sent++;
    const t0 = performance.now();
    const measured = t0 >= measuredFrom;
    if (measured) measuredSent++;
    const variables = measured ? `{"n":1,"sentAt":${Date.now()}}` : '{"n":1}';
    pending.push(
      client.createProcessInstanceWithResult({ request: { bpmnProcessId, version: -1, variables }, requestTimeout: 30_000 }).then(
        () => {
          if (!measured) return;
          const latency = performance.now() - t0;
          latencies.push(latency);
          timeline.push([Math.round(t0 - measuredFrom), Math.round(latency), via]);
        },
        () => {
          if (measured) errors++;
        },
      ),
    );
  }
  await Promise.all(pending);
  const report = await stopWorker(worker);
  latencies.sort((a, b) => a - b);
  if (process.env.BENCH_LATENCY_TIMELINE) writeFileSync(`${process.env.BENCH_LATENCY_TIMELINE}-${rate}.json`, JSON.stringify({ measuredFromEpochMs: Math.round(performance.timeOrigin + measuredFrom), requests: timeline }));
  return {
    targetRate: rate,
    achievedRate: Math.round(latencies.length / seconds),
    warmupSeconds,
    requests: measuredSent,
    errors,
    p50Ms: latencies.length ? +percentile(latencies, 50).toFixed(1) : null,
    p99Ms: latencies.length ? +percentile(latencies, 99).toFixed(1) : null,
    maxMs: latencies.length ? +latencies[latencies.length - 1].toFixed(1) : null,
    // Where the time goes: from the request to the worker holding the job (create committed,
    // job activated), and the CompleteJob call (its commit, which also completes the instance).
    ...(report?.timing ? { breakdown: report.timing } : {}),
  };
}

/** In-process engine throughput (no gRPC, no storage round trips), from bench/engine-only.mjs. */
export async function engineOnly(seconds) {
  const child = spawn(process.execPath, [join(root, 'bench/engine-only.mjs')], {
    env: { ...process.env, BENCH_SECONDS: String(seconds) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  await new Promise((r) => child.on('exit', r));
  return JSON.parse(out.trim().split('\n').pop());
}
