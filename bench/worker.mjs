// The benchmark's job worker, run as a separate process: long-polls jobs of one type and
// completes each. Its first argument is one gateway address or several, comma-separated
// (the polling loops are spread over them). Prints how many it completed when it gets SIGTERM.
import { gatewayClient } from './grpc-client.mjs';
import { percentile } from './phases.mjs';

const [addresses, type, concurrency = '4'] = process.argv.slice(2);
// BENCH_WORKER_TIMING=1: jobs carry `sentAt` (when their instance was asked for); the worker
// reports percentiles of the time until it held each job and of each CompleteJob call.
const timing = process.env.BENCH_WORKER_TIMING === '1' ? { toWorker: [], completeCall: [] } : null;
const clients = addresses.split(',').map((address) => gatewayClient(address));
let completed = 0;
let stopping = false;

/**
 * When the job's instance was asked for, or null: jobs left over from an earlier phase carry no
 * `sentAt` and are not timed (a NaN among the samples would also scramble their sort).
 */
function sentAtOf(job) {
  const sentAt = JSON.parse(job.variables).sentAt;
  return typeof sentAt === 'number' ? sentAt : null;
}

async function loop(client) {
  while (!stopping) {
    let jobs;
    try {
      jobs = await client.activateJobs({ type, worker: 'bench-worker', timeout: 60_000, maxJobsToActivate: 256, requestTimeout: 1000, fetchVariable: timing ? ['sentAt'] : [] });
    } catch (err) {
      if (stopping) return;
      await new Promise((r) => setTimeout(r, 100));
      continue;
    }
    const now = Date.now();
    await Promise.all(
      jobs.map((job) => {
        const sentAt = timing ? sentAtOf(job) : null;
        if (sentAt !== null) timing.toWorker.push(now - sentAt);
        const started = performance.now();
        return client.completeJob({ jobKey: job.key, variables: '{"done":true}' }).then(() => {
          completed++;
          if (sentAt !== null) timing.completeCall.push(performance.now() - started);
        }, () => {});
      }),
    );
  }
}

/**
 * BENCH_WORKER_POLL=ahead: as Camunda's clients poll. A loop polls again as soon as a poll
 * returns, while the jobs it got are still being completed, up to BENCH_WORKER_MAX_ACTIVE
 * (default 32) jobs in hand; so a poll is waiting whenever a job is created, and takes it in the
 * batch that creates it.
 */
async function pollAhead(client) {
  const maxActive = Number(process.env.BENCH_WORKER_MAX_ACTIVE ?? 32);
  let inHand = 0;
  let room = null;
  while (!stopping) {
    if (inHand >= maxActive) {
      await new Promise((r) => (room = r));
      continue;
    }
    let jobs;
    try {
      jobs = await client.activateJobs({ type, worker: 'bench-worker', timeout: 60_000, maxJobsToActivate: maxActive - inHand, requestTimeout: 1000, fetchVariable: timing ? ['sentAt'] : [] });
    } catch (err) {
      if (stopping) return;
      await new Promise((r) => setTimeout(r, 100));
      continue;
    }
    const now = Date.now();
    for (const job of jobs) {
      const sentAt = timing ? sentAtOf(job) : null;
      if (sentAt !== null) timing.toWorker.push(now - sentAt);
      inHand++;
      const started = performance.now();
      client.completeJob({ jobKey: job.key, variables: '{"done":true}' }).then(
        () => {
          completed++;
          if (sentAt !== null) timing.completeCall.push(performance.now() - started);
        },
        () => {},
      ).finally(() => {
        inHand--;
        room?.();
        room = null;
      });
    }
  }
}

/** Pushed jobs instead of polling (BENCH_WORKER_STREAM=1), as Camunda's job streaming clients do. */
function stream(client) {
  return new Promise((resolve) => {
    const call = client.streamJobs({ type, worker: 'bench-worker', timeout: 60_000, fetchVariable: timing ? ['sentAt'] : [], tenantIds: [] }, (job) => {
      const sentAt = timing ? sentAtOf(job) : null;
      if (sentAt !== null) timing.toWorker.push(Date.now() - sentAt);
      const started = performance.now();
      client.completeJob({ jobKey: job.key, variables: '{"done":true}' }).then(() => {
        completed++;
        if (sentAt !== null) timing.completeCall.push(performance.now() - started);
      }, () => {});
    });
    call.on('error', () => resolve());
    call.on('end', () => resolve());
  });
}

process.on('SIGTERM', () => {
  stopping = true;
  const percentiles = (values) => {
    const sorted = values.sort((a, b) => a - b);
    const at = (p) => (sorted.length ? +percentile(sorted, p).toFixed(1) : null);
    return { p50Ms: at(50), p99Ms: at(99) };
  };
  const report = { completed, ...(timing ? { timing: { toWorker: percentiles(timing.toWorker), completeCall: percentiles(timing.completeCall) } } : {}) };
  process.stdout.write(JSON.stringify(report) + '\n', () => process.exit(0));
});
const useStream = process.env.BENCH_WORKER_STREAM === '1';
const shape = useStream ? stream : process.env.BENCH_WORKER_POLL === 'ahead' ? pollAhead : loop;
await Promise.all(Array.from({ length: Number(concurrency) }, (_, i) => shape(clients[i % clients.length])));
