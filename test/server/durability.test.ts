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
 * A second scenario runs three partitions with instances waiting for messages published right
 * after them: every acknowledged message must reach its acknowledged instance exactly once,
 * though subscription and correlation are commands between partitions that the kill can cut.
 * Without a query API the open jobs are the window into the state.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deployFixtures, sleep, zeebeClient, type ZeebeClient } from '../support/server-client.js';
import { showServerOutputOnFailure, ZenServer } from '../support/server-process.js';

const PROCESS = 'server-one-task';
const TYPE = 'server-work';
const CREATORS = 8;
/** Short, so jobs the worker held at the crash come back soon after the restart. */
const JOB_TIMEOUT_MS = 5_000;

let server: ZenServer;
let partitioned: ZenServer;

beforeAll(async () => {
  [server, partitioned] = await Promise.all([ZenServer.start(), ZenServer.start({ args: ['--partitions', '3'] })]);
  const zeebe = zeebeClient(server);
  await deployFixtures(zeebe, 'server-one-task.bpmn');
  await zeebe.close();
  const zeebe3 = zeebeClient(partitioned);
  await deployFixtures(zeebe3, 'server-message-then-task.bpmn');
  await zeebe3.close();
});

afterAll(async () => {
  const exits = await Promise.all([server?.dispose(), partitioned?.dispose()]);
  for (const exit of exits) expect(exit?.code).toBe(0);
});

showServerOutputOnFailure(() => [server, partitioned]);

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

/** Collects open jobs of `type` until `done` says so or an empty poll comes after `settledAt`. */
async function drainJobs(
  zeebe: ZeebeClient,
  type: string,
  settledAt: number,
  done: (jobs: ReadonlyArray<{ processInstanceKey: string }>) => boolean = () => false,
) {
  const hardDeadline = Date.now() + 30_000;
  const jobs: Array<{ key: string; processInstanceKey: string; variables: Record<string, unknown> }> = [];
  for (;;) {
    const batch = await zeebe.activateJobs({ type, worker: 'after-restart', maxJobsToActivate: 1_000, timeout: 120_000, requestTimeout: 1_000 });
    for (const job of batch) jobs.push({ key: job.key, processInstanceKey: job.processInstanceKey, variables: { ...job.variables } });
    if (batch.length === 0 && (Date.now() > settledAt || done(jobs))) return jobs;
    if (Date.now() > hardDeadline) throw new Error(`open ${type} jobs kept coming (or not) for 30 s; ${jobs.length} so far`);
  }
}

function maxKey(keys: Iterable<string | bigint>): bigint {
  let max = 0n;
  for (const key of keys) if (BigInt(key) > max) max = BigInt(key);
  return max;
}

describe('one partition: instances and job completions', () => {
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
      const jobs = (await drainJobs(after, TYPE, settledAt)).map((job) => ({ ...job, n: job.variables.n }));

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
      const maxBefore = maxKey([...keysBefore, ...jobs.map((j) => j.key), ...jobs.map((j) => j.processInstanceKey)]);
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
});

describe('three partitions: messages correlated across partitions', () => {
  it('correlates every acknowledged message to its acknowledged instance exactly once across kill -9', async () => {
    const zeebe = zeebeClient(partitioned);
    /** i → processInstanceKey of acknowledged creations; instance i waits for message `order-i`. */
    const instances = new Map<number, string>();
    /** i of acknowledged publications (TTL long enough to outlive the restart). */
    const published = new Set<number>();
    /** Every key handed out before the kill: instances and messages, on all three partitions. */
    const keysBefore: string[] = [];
    const failures: Failure[] = [];
    let killedAt = Number.POSITIVE_INFINITY;

    // Instance and message partitions differ for most keys, so correlation crosses partitions:
    // subscription opening, correlation and its acknowledgement are commands between them.
    let next = 0;
    const loops = Array.from({ length: 6 }, async () => {
      for (;;) {
        const i = next++;
        try {
          const created = await zeebe.createProcessInstance({
            bpmnProcessId: 'server-message-then-task',
            variables: { orderId: `order-${i}`, i },
          });
          instances.set(i, created.processInstanceKey);
          keysBefore.push(created.processInstanceKey);
          const message = await zeebe.publishMessage({
            name: 'order-paid',
            correlationKey: `order-${i}`,
            messageId: `paid-${i}`,
            timeToLive: 120_000,
            variables: { paid: i },
          });
          keysBefore.push(message.key);
          published.add(i);
        } catch (err) {
          failures.push(failureOf(`order-${i}`, err));
          return;
        }
      }
    });

    const started = Date.now();
    while (published.size < 100) {
      if (Date.now() - started > 20_000) throw new Error(`load did not get going: ${published.size} published`);
      await sleep(10);
    }
    const extraDelay = Math.floor(Math.random() * 500);
    await sleep(extraDelay);
    killedAt = Date.now();
    expect((await partitioned.kill9()).signal).toBe('SIGKILL');
    await Promise.all(loops);
    await withTimeout(zeebe.close(2_000), 5_000);
    expect(failures.filter((f) => f.at < killedAt)).toEqual([]);

    await partitioned.restart();
    const after = zeebeClient(partitioned);
    try {
      const required = [...published].filter((i) => instances.has(i));
      const summary = JSON.stringify({ extraDelay, instances: instances.size, published: published.size, required: required.length });
      const requiredKeys = new Set(required.map((i) => instances.get(i)!));
      const allFound = (jobs: ReadonlyArray<{ processInstanceKey: string }>) => {
        const found = new Set(jobs.map((j) => j.processInstanceKey));
        return [...requiredKeys].every((key) => found.has(key));
      };
      // Correlations cut off by the kill are resent when the partitions start again.
      const jobs = await drainJobs(after, 'ship-order', Date.now() + 15_000, allFound);
      // Anything correlated twice would show up now as a second job.
      jobs.push(...(await drainJobs(after, 'ship-order', Date.now() + 1_000)));

      const byInstance = new Map<string, number>();
      for (const job of jobs) byInstance.set(job.processInstanceKey, (byInstance.get(job.processInstanceKey) ?? 0) + 1);
      expect([...byInstance].filter(([, count]) => count > 1), `instances correlated twice ${summary}`).toEqual([]);

      const missing = required.filter((i) => !byInstance.has(instances.get(i)!)).map((i) => `order-${i}`);
      expect(missing, `acknowledged messages whose acknowledged instance never moved on ${summary}`).toEqual([]);

      // Each instance got its own message: the variables of the right correlation.
      const mixed = jobs.filter((job) => job.variables.orderId !== `order-${String(job.variables.paid)}` || job.variables.i !== job.variables.paid);
      expect(mixed, `instances that got another instance's message ${summary}`).toEqual([]);
      const strangers = jobs.filter((job) => {
        const i = job.variables.i as number;
        return instances.has(i) && instances.get(i) !== job.processInstanceKey;
      });
      expect(strangers, `jobs of instances other than the acknowledged ones ${summary}`).toEqual([]);

      for (const job of jobs) await after.completeJob({ jobKey: job.key, variables: {} });

      // Keys carry their partition in the top bits; on each partition new keys exceed old ones.
      const partitionOf = (key: string) => Number(BigInt(key) >> 51n);
      const seen = [...keysBefore, ...jobs.map((j) => j.key), ...jobs.map((j) => j.processInstanceKey)];
      const fresh = await Promise.all(
        [1, 2, 3].map(() => after.createProcessInstance({ bpmnProcessId: 'server-message-then-task', variables: { orderId: 'fresh' } })),
      );
      expect(new Set(fresh.map((f) => partitionOf(f.processInstanceKey)))).toEqual(new Set([1, 2, 3]));
      for (const { processInstanceKey } of fresh) {
        const partition = partitionOf(processInstanceKey);
        const before = maxKey(seen.filter((key) => partitionOf(key) === partition));
        expect(BigInt(processInstanceKey), `partition ${partition}`).toBeGreaterThan(before);
      }
    } finally {
      await after.close();
    }
  }, 90_000);
});
