// The benchmark's job worker, run as a separate process: long-polls jobs of one type and
// completes each. Its first argument is one gateway address or several, comma-separated
// (the polling loops are spread over them). Prints how many it completed when it gets SIGTERM.
import { gatewayClient } from './grpc-client.mjs';

const [addresses, type, concurrency = '4'] = process.argv.slice(2);
const clients = addresses.split(',').map((address) => gatewayClient(address));
let completed = 0;
let stopping = false;

async function loop(client) {
  while (!stopping) {
    let jobs;
    try {
      jobs = await client.activateJobs({ type, worker: 'bench-worker', timeout: 60_000, maxJobsToActivate: 256, requestTimeout: 1000, fetchVariable: [] });
    } catch (err) {
      if (stopping) return;
      await new Promise((r) => setTimeout(r, 100));
      continue;
    }
    await Promise.all(
      jobs.map((job) => client.completeJob({ jobKey: job.key, variables: '{"done":true}' }).then(() => completed++, () => {})),
    );
  }
}

/** Pushed jobs instead of polling (BENCH_WORKER_STREAM=1), as Camunda's job streaming clients do. */
function stream(client) {
  return new Promise((resolve) => {
    const call = client.streamJobs({ type, worker: 'bench-worker', timeout: 60_000, fetchVariable: [], tenantIds: [] }, (job) => {
      client.completeJob({ jobKey: job.key, variables: '{"done":true}' }).then(() => completed++, () => {});
    });
    call.on('error', () => resolve());
    call.on('end', () => resolve());
  });
}

process.on('SIGTERM', () => {
  stopping = true;
  process.stdout.write(JSON.stringify({ completed }) + '\n', () => process.exit(0));
});
const useStream = process.env.BENCH_WORKER_STREAM === '1';
await Promise.all(Array.from({ length: Number(concurrency) }, (_, i) => (useStream ? stream(clients[i % clients.length]) : loop(clients[i % clients.length]))));
