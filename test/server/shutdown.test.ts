/**
 * Operating a real `zen start` process: the system port (health, readiness, metrics) and a
 * graceful SIGTERM while requests are in flight.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  deployFixtures,
  parseMetrics,
  scrapeMetrics,
  waitFor,
  zeebeClient,
  type ZeebeClient,
} from '../support/server-client.js';
import { repeatedJsonKeys, showServerOutputOnFailure, ZenServer } from '../support/server-process.js';

let server: ZenServer;
let zeebe: ZeebeClient;

beforeAll(async () => {
  server = await ZenServer.start();
  zeebe = zeebeClient(server);
  await deployFixtures(zeebe, 'server-one-task.bpmn');
});

afterAll(async () => {
  await zeebe?.close();
  const exit = await server?.dispose();
  expect(exit?.code).toBe(0);
});

showServerOutputOnFailure(() => [server]);

describe('system port', () => {
  it('answers /health and /ready with 200 while running', async () => {
    const health = await server.get('/health');
    expect(health.status).toBe(200);
    expect(JSON.parse(health.body)).toEqual({ status: 'UP' });
    const ready = await server.get('/ready');
    expect(ready.status).toBe(200);
    expect(JSON.parse(ready.body)).toMatchObject({ status: 'READY' });
  });

  it('exposes the counters and the commit latency histogram on /metrics, and they move', async () => {
    const before = await scrapeMetrics(server);
    const counters = [
      'zen_process_instances_created_total',
      'zen_process_instances_completed_total',
      'zen_jobs_activated_total',
      'zen_jobs_completed_total',
      'zen_jobs_failed_total',
      'zen_incidents_created_total',
      'zen_commands_processed_total',
    ];

    const worker = zeebe.createWorker({
      taskType: 'server-work',
      taskHandler: (job) => (job.variables.fail ? job.fail({ errorMessage: 'failed on purpose', retries: 0 }) : job.complete({})),
    });
    try {
      await Promise.all(
        [1, 2].map((n) =>
          zeebe.createProcessInstanceWithResult({ bpmnProcessId: 'server-one-task', variables: { n }, requestTimeout: 20_000 }),
        ),
      );
      await zeebe.createProcessInstance({ bpmnProcessId: 'server-one-task', variables: { fail: true } });
      await waitFor('the failed job and its incident to be counted', async () => {
        const m = await scrapeMetrics(server);
        return (m.get('zen_incidents_created_total') ?? 0) > (before.get('zen_incidents_created_total') ?? 0) ? true : undefined;
      });
    } finally {
      await worker.close();
    }

    const text = (await server.get('/metrics')).body;
    for (const name of [...counters, 'zen_batch_commit_duration_seconds']) {
      expect(text, `# TYPE line for ${name}`).toMatch(new RegExp(`^# TYPE ${name} (counter|histogram)$`, 'm'));
    }
    const after = parseMetrics(text);
    const delta = (name: string) => (after.get(name) ?? 0) - (before.get(name) ?? 0);
    expect(delta('zen_process_instances_created_total')).toBe(3);
    expect(delta('zen_process_instances_completed_total')).toBe(2);
    expect(delta('zen_jobs_activated_total')).toBeGreaterThanOrEqual(3);
    expect(delta('zen_jobs_completed_total')).toBe(2);
    expect(delta('zen_jobs_failed_total')).toBe(1);
    expect(delta('zen_incidents_created_total')).toBe(1);
    expect(delta('zen_commands_processed_total')).toBeGreaterThanOrEqual(6);
    expect(delta('zen_batch_commit_duration_seconds_count')).toBeGreaterThan(0);
    expect(delta('zen_batch_commit_duration_seconds_sum')).toBeGreaterThan(0);
    expect(text).toMatch(/^zen_batch_commit_duration_seconds_bucket\{[^}]*le="\+Inf"[^}]*\} \d+/m);
  });
});

describe('SIGTERM with requests in flight', () => {
  it('exits 0 without waiting out the grace period, and what it acknowledged is there after a restart', async () => {
    const acknowledged: Array<[string, number]> = [];
    const refused: unknown[] = [];
    let nextN = 0;
    const creators = Array.from({ length: 8 }, async () => {
      for (;;) {
        const n = nextN++;
        try {
          const result = await zeebe.createProcessInstance({ bpmnProcessId: 'server-one-task', variables: { n, phase: 'shutdown' } });
          acknowledged.push([result.processInstanceKey, n]);
        } catch (err) {
          refused.push(err);
          return;
        }
      }
    });
    // Long-lived calls the drain must end rather than wait for: a long poll and a job stream.
    const longPoll = zeebe
      .activateJobs({ type: 'nobody-creates-these', worker: 'poller', maxJobsToActivate: 1, timeout: 10_000, requestTimeout: 60_000 })
      .then(
        (jobs) => ({ jobs: jobs.length }),
        (err: { code?: number }) => ({ code: err.code }),
      );
    // The SDK's stream worker reports how its stream ended on console.error, and nowhere else.
    const consoleError = vi.spyOn(console, 'error').mockImplementation(() => {});
    const stream = await zeebe.streamJobs({
      type: 'nobody-creates-these-either',
      worker: 'streamer',
      timeout: 10_000,
      pollInterval: 0,
      tenantIds: [],
      taskHandler: (job) => job.complete({}),
    });

    // And a result nobody will produce: no worker takes server-work jobs here.
    const awaited = zeebe
      .createProcessInstanceWithResult({ bpmnProcessId: 'server-one-task', variables: { phase: 'awaited' }, requestTimeout: 60_000 })
      .then(
        () => ({ code: 0, details: 'completed' }),
        (err: { code?: number; details?: string }) => ({ code: err.code, details: err.details }),
      );
    await waitFor('load', () => (acknowledged.length >= 50 ? true : undefined));
    const signalled = Date.now();
    const exit = await server.stop();
    const drainMs = Date.now() - signalled;
    expect(exit).toEqual({ code: 0, signal: null });
    // The grace period is 10 s; held-open long polls or streams would use all of it.
    expect(drainMs).toBeLessThan(9_000);
    await Promise.all(creators);
    expect(await longPoll).toEqual({ jobs: 0 });
    // UNAVAILABLE, saying why, rather than a CANCELLED at the end of the grace period.
    const awaitedEnd = await awaited;
    expect(awaitedEnd.code, awaitedEnd.details).toBe(14);
    expect(awaitedEnd.details).toMatch(/shutting down/);
    const streamEnd = await waitFor('the job stream to end', () =>
      consoleError.mock.calls.map(([e]) => e as { code?: number; details?: string }).find((e) => e?.code !== undefined),
    );
    consoleError.mockRestore();
    expect(streamEnd.code, streamEnd.details).toBe(14); // UNAVAILABLE: the client should reconnect
    stream.close();
    await zeebe.close();
    expect(refused.length, 'every creation loop ends with a refused call once the server is gone').toBe(8);

    await server.restart();
    zeebe = zeebeClient(server);
    const open = new Map<string, unknown>();
    for (;;) {
      const jobs = await zeebe.activateJobs({
        type: 'server-work',
        worker: 'after-restart',
        maxJobsToActivate: 1_000,
        timeout: 60_000,
        requestTimeout: 1_000,
      });
      if (jobs.length === 0) break;
      for (const job of jobs) if (job.variables.phase === 'shutdown') open.set(job.processInstanceKey, job.variables.n);
    }
    const missing = acknowledged.filter(([key, n]) => open.get(key) !== n);
    expect(missing, `${acknowledged.length} acknowledged, ${open.size} found after restart`).toEqual([]);
    // A drain answers what it processed: nothing is committed without its caller hearing.
    expect(open.size).toBe(acknowledged.length);
  });
});

describe('logs', () => {
  it('wrote one JSON object per stdout line, with no key repeated, through all of the above', async () => {
    const lines = server.rawStdout();
    expect(lines.length).toBeGreaterThan(3);
    const bad = lines.flatMap((line) => {
      try {
        const repeated = repeatedJsonKeys(line);
        return repeated.length > 0 ? [`${repeated.join(', ')} in ${line}`] : [];
      } catch (err) {
        return [`not JSON (${String(err)}): ${line}`];
      }
    });
    expect(bad).toEqual([]);
  });

  it('logged nothing at error level, shutdown and restart included', () => {
    expect(server.errorLogs()).toEqual([]);
  });
});
