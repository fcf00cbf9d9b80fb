/**
 * The durability promise of a real `zen start` process: what it acknowledged survives kill -9.
 *
 * Load: concurrent createProcessInstance loops (each instance carries its own `n`) and an SDK
 * worker completing the jobs. At a random moment the server is killed with SIGKILL; the client
 * side keeps books on what was acknowledged. After a restart on the same data dir every job
 * still open is activated (jobs that were with the worker come back when their timeout passes),
 * and the books must match:
 * - every acknowledged instance whose completion was not sent has exactly one job, carrying its `n`;
 * - no job whose completion was acknowledged, and no instance of one, is handed out again;
 * - no instance has two jobs, and no job belongs to an instance nobody asked for;
 * - keys issued after the restart are greater than every key seen before it.
 * Without a query API the open jobs are the window into the state.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { deployFixtures, sleep, zeebeClient, type ZeebeClient } from '../support/server-client.js';
import { showServerOutputOnFailure, ZenServer } from '../support/server-process.js';

const PROCESS = 'server-one-task';
const TYPE = 'server-work';
const CREATORS = 8;
/** Short, so jobs the worker held at the crash come back soon after the restart. */
const JOB_TIMEOUT_MS = 3_000;

let server: ZenServer;

beforeAll(async () => {
  server = await ZenServer.start();
  const zeebe = zeebeClient(server);
  await deployFixtures(zeebe, 'server-one-task.bpmn');
  await zeebe.close();
});

afterAll(async () => {
  const exit = server?.running ? await server.stop() : null;
  await server?.dispose();
  expect(exit?.code).toBe(0);
});

showServerOutputOnFailure(() => [server]);

interface Failure {
  readonly at: number;
  readonly what: string;
  readonly code: unknown;
  readonly message: string;
}

function failureOf(what: string, err: unknown): Failure {
  const e = err as { code?: unknown; message?: unknown };
  return { at: Date.now(), what, code: e.code, message: String(e.message ?? err) };
}

const withTimeout = <T>(promise: Promise<T>, ms: number) => Promise.race([promise, sleep(ms).then(() => undefined)]);

it('keeps every acknowledged instance and completion across kill -9, and never reuses keys', async () => {
  const zeebe = zeebeClient(server);

  // ---- the books ------------------------------------------------------------------------------
  /** Acknowledged creations, in order: [processInstanceKey, n]. */
  const created: Array<[string, number]> = [];
  /** n values sent whose creation was not acknowledged (failed or cut off by the kill). */
  const unacknowledgedN = new Set<number>();
  /** Job key → instance key, for completions the server acknowledged. */
  const completed = new Map<string, string>();
  /** Job key → instance key, for completions sent but not acknowledged. */
  const completionUnknown = new Map<string, string>();
  /** Every key the server handed out before the kill. */
  const keysBefore: bigint[] = [];
  const failures: Failure[] = [];
  let killedAt = Number.POSITIVE_INFINITY;

  // ---- load -----------------------------------------------------------------------------------
  let nextN = 0;
  const creators = Array.from({ length: CREATORS }, async () => {
    for (;;) {
      const n = nextN++;
      try {
        const result = await zeebe.createProcessInstance({ bpmnProcessId: PROCESS, variables: { n } });
        created.push([result.processInstanceKey, n]);
        keysBefore.push(BigInt(result.processInstanceKey));
      } catch (err) {
        unacknowledgedN.add(n);
        failures.push(failureOf(`create n=${n}`, err));
        return;
      }
    }
  });

  const worker = zeebe.createWorker({
    taskType: TYPE,
    timeout: JOB_TIMEOUT_MS,
    pollInterval: 10,
    maxJobsToActivate: 32,
    taskHandler: async (job) => {
      keysBefore.push(BigInt(job.key));
      completionUnknown.set(job.key, job.processInstanceKey);
      try {
        const ack = await job.complete({ completedN: job.variables.n });
        completionUnknown.delete(job.key);
        completed.set(job.key, job.processInstanceKey);
        return ack;
      } catch (err) {
        failures.push(failureOf(`complete job ${job.key}`, err));
        throw err;
      }
    },
  });

  // ---- kill -9 at a random moment, once the load is well under way ------------------------------
  const loadStarted = Date.now();
  while (created.length < 100 || completed.size < 20) {
    if (Date.now() - loadStarted > 20_000) throw new Error(`load did not get going: ${created.length} created, ${completed.size} completed`);
    await sleep(10);
  }
  const extraDelay = Math.floor(Math.random() * 700);
  await sleep(extraDelay);
  killedAt = Date.now();
  const exit = await server.kill9();
  expect(exit.signal).toBe('SIGKILL');

  await Promise.all(creators);
  await withTimeout(worker.close(2_000), 5_000);
  await withTimeout(zeebe.close(2_000), 5_000);
  // Calls that were in flight at the kill failed; nothing failed while the server was up.
  expect(failures.filter((f) => f.at < killedAt)).toEqual([]);

  const summary = {
    extraDelay,
    created: created.length,
    unacknowledgedCreates: unacknowledgedN.size,
    completed: completed.size,
    completionsUnknown: completionUnknown.size,
  };

  // ---- restart and collect every open job -----------------------------------------------------
  await server.restart();
  const after = zeebeClient(server);
  try {
    // Jobs the worker held at the kill time out by killedAt + JOB_TIMEOUT_MS at the latest.
    const settledAt = Math.max(killedAt + JOB_TIMEOUT_MS + 1_500, Date.now() + 1_000);
    const hardDeadline = Date.now() + 30_000;
    const jobs: Array<{ key: string; processInstanceKey: string; n: unknown }> = [];
    for (;;) {
      const batch = await after.activateJobs({
        type: TYPE,
        worker: 'after-restart',
        maxJobsToActivate: 1_000,
        timeout: 120_000,
        requestTimeout: 1_000,
      });
      for (const job of batch) jobs.push({ key: job.key, processInstanceKey: job.processInstanceKey, n: job.variables.n });
      if (batch.length === 0 && Date.now() > settledAt) break;
      if (Date.now() > hardDeadline) throw new Error(`open jobs kept coming for 30 s: ${JSON.stringify(summary)}`);
    }

    // ---- the books must match -----------------------------------------------------------------
    const context = JSON.stringify({ ...summary, jobsAfterRestart: jobs.length });
    const instanceKeys = created.map(([key]) => key);
    expect(new Set(instanceKeys).size, `duplicate instance keys were acknowledged ${context}`).toBe(instanceKeys.length);

    const jobsByInstance = new Map<string, typeof jobs>();
    for (const job of jobs) jobsByInstance.set(job.processInstanceKey, [...(jobsByInstance.get(job.processInstanceKey) ?? []), job]);
    const twice = [...jobsByInstance].filter(([, list]) => list.length > 1).map(([key]) => key);
    expect(twice, `instances with more than one open job ${context}`).toEqual([]);

    const completedInstances = new Set(completed.values());
    const unknownInstances = new Set(completionUnknown.values());
    const lost: string[] = [];
    const wrongN: string[] = [];
    for (const [key, n] of created) {
      const open = jobsByInstance.get(key) ?? [];
      if (completedInstances.has(key)) continue; // checked below: must have no job
      if (unknownInstances.has(key)) continue; // completion may or may not have landed
      if (open.length !== 1) lost.push(key);
      else if (open[0]!.n !== n) wrongN.push(`${key}: expected n=${n}, job has n=${String(open[0]!.n)}`);
    }
    expect(lost, `acknowledged instances without their job after the restart ${context}`).toEqual([]);
    expect(wrongN, `jobs carrying another instance's variables ${context}`).toEqual([]);

    const redelivered = jobs.filter((job) => completed.has(job.key) || completedInstances.has(job.processInstanceKey));
    expect(redelivered, `acknowledged completions handed out again ${context}`).toEqual([]);

    const acknowledged = new Set(instanceKeys);
    const strangers = jobs.filter((job) => !acknowledged.has(job.processInstanceKey) && !unacknowledgedN.has(job.n as number));
    expect(strangers, `jobs of instances nobody created ${context}`).toEqual([]);

    // Every open job can be completed: the state behind them is whole.
    for (const job of jobs) await after.completeJob({ jobKey: job.key, variables: {} });

    // ---- keys are never reused ----------------------------------------------------------------
    const maxBefore = [...keysBefore, ...jobs.map((j) => BigInt(j.key)), ...jobs.map((j) => BigInt(j.processInstanceKey))].reduce(
      (a, b) => (a > b ? a : b),
      0n,
    );
    const fresh = await after.createProcessInstance({ bpmnProcessId: PROCESS, variables: { n: -1 } });
    expect(BigInt(fresh.processInstanceKey)).toBeGreaterThan(maxBefore);
    const [freshJob] = await after.activateJobs({
      type: TYPE,
      worker: 'after-restart',
      maxJobsToActivate: 1,
      timeout: 60_000,
      requestTimeout: 5_000,
    });
    expect(freshJob?.processInstanceKey).toBe(fresh.processInstanceKey);
    expect(BigInt(freshJob!.key)).toBeGreaterThan(maxBefore);
    await after.completeJob({ jobKey: freshJob!.key, variables: {} });
  } finally {
    await after.close();
  }
}, 90_000);
