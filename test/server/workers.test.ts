/**
 * Job workers against a real `zen start` process with the real SDK: polling workers, job
 * streams, results of createProcessInstanceWithResult, failures, incidents and BPMN errors.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Code,
  deployFixtures,
  grpcFailure,
  muteSdkStreamCancellations,
  scrapeMetrics,
  waitFor,
  zeebeClient,
  type ZeebeClient,
} from '../support/server-client.js';
import { showServerOutputOnFailure, ZenServer } from '../support/server-process.js';

let server: ZenServer;
let zeebe: ZeebeClient;

beforeAll(async () => {
  server = await ZenServer.start();
  zeebe = zeebeClient(server);
  await deployFixtures(zeebe, 'server-one-task.bpmn', 'server-error-boundary.bpmn');
});

afterAll(async () => {
  await zeebe?.close();
  const exit = await server?.dispose();
  expect(exit?.code).toBe(0);
});

showServerOutputOnFailure(() => [server]);
muteSdkStreamCancellations();

type Vars = Record<string, unknown>;

describe('createWorker (ActivateJobs long polling)', () => {
  it('completes jobs with variables; createProcessInstanceWithResult returns the merged variables', async () => {
    const seen: Vars[] = [];
    const worker = zeebe.createWorker({
      taskType: 'server-work',
      timeout: 30_000,
      taskHandler: (job) => {
        seen.push({ ...job.variables });
        const n = Number(job.variables.n);
        return job.complete({ doubled: n * 2, worker: 'w1' });
      },
    });
    try {
      const results = await Promise.all(
        [1, 2, 3, 4, 5].map((n) =>
          zeebe.createProcessInstanceWithResult({
            bpmnProcessId: 'server-one-task',
            variables: { n, tag: `run-${n}` },
            requestTimeout: 20_000,
          }),
        ),
      );
      for (const [i, result] of results.entries()) {
        const n = i + 1;
        expect(result.bpmnProcessId).toBe('server-one-task');
        expect(BigInt(result.processInstanceKey)).toBeGreaterThan(0n);
        // Input variables and the worker's completion variables, merged at the root scope.
        expect(result.variables).toEqual({ n, tag: `run-${n}`, doubled: n * 2, worker: 'w1' });
      }
      expect(new Set(results.map((r) => r.processInstanceKey)).size).toBe(5);
      // The worker saw each instance's own input, exactly once.
      expect(seen.map((v) => v.n).sort()).toEqual([1, 2, 3, 4, 5]);
    } finally {
      await worker.close();
    }
  });

  it('honours fetchVariables in the result', async () => {
    const worker = zeebe.createWorker({
      taskType: 'server-work',
      taskHandler: (job) => job.complete({ added: 'yes', other: 1 }),
    });
    try {
      const result = await zeebe.createProcessInstanceWithResult({
        bpmnProcessId: 'server-one-task',
        variables: { keep: 1, drop: 2 },
        fetchVariables: ['keep', 'added', 'neverSet'],
        requestTimeout: 20_000,
      });
      expect(result.variables).toEqual({ keep: 1, added: 'yes' });
    } finally {
      await worker.close();
    }
  });

  it('a job failed with retries 0 raises an incident (counted on /metrics); unknown incident keys are NOT_FOUND', async () => {
    const before = await scrapeMetrics(server);
    const failed: string[] = [];
    const created = await zeebe.createProcessInstance({ bpmnProcessId: 'server-one-task', variables: { fail: true } });
    const worker = zeebe.createWorker({
      taskType: 'server-work',
      taskHandler: async (job) => {
        const ack = await job.fail({ errorMessage: 'no luck', retries: 0 });
        failed.push(job.processInstanceKey);
        return ack;
      },
    });
    try {
      await waitFor('the job failure to be acknowledged', () => (failed.length > 0 ? true : undefined));
      expect(failed).toEqual([created.processInstanceKey]);
    } finally {
      await worker.close();
    }
    // No query API yet: the incident shows in the counters only.
    const after = await waitFor('the incident to be counted', async () => {
      const m = await scrapeMetrics(server);
      return (m.get('zen_incidents_created_total') ?? 0) > (before.get('zen_incidents_created_total') ?? 0) ? m : undefined;
    });
    expect(after.get('zen_jobs_failed_total')! - (before.get('zen_jobs_failed_total') ?? 0)).toBe(1);
    expect(after.get('zen_incidents_created_total')! - (before.get('zen_incidents_created_total') ?? 0)).toBe(1);

    // A key of this partition that is no incident, and a key no partition can own.
    for (const incidentKey of [created.processInstanceKey, '2251799813999999', '9223372036854775807']) {
      const err = await grpcFailure(zeebe.resolveIncident({ incidentKey }));
      expect(err.code, `resolveIncident(${incidentKey}): ${err.details}`).toBe(Code.NOT_FOUND);
    }

    // With no retries left the job is not handed out again.
    const jobs = await zeebe.activateJobs({
      type: 'server-work',
      worker: 'probe',
      maxJobsToActivate: 10,
      timeout: 30_000,
      requestTimeout: -1,
    });
    expect(jobs.map((j) => j.processInstanceKey)).not.toContain(created.processInstanceKey);
  });
});

describe('streamJobs (StreamActivatedJobs)', () => {
  it('receives jobs the server pushes after the stream is open', async () => {
    const received: Array<{ key: string; n: unknown }> = [];
    // pollInterval 0: only the initial backfill poll, which is over when streamJobs resolves.
    // Every instance is created after that, so only the stream can deliver their jobs.
    const stream = await zeebe.streamJobs({
      type: 'server-work',
      worker: 'streamer',
      timeout: 30_000,
      pollInterval: 0,
      tenantIds: [],
      taskHandler: (job) => {
        received.push({ key: job.key, n: job.variables.n });
        return job.complete({ via: 'stream' });
      },
    });
    try {
      const results = await Promise.all(
        [10, 11, 12].map((n) =>
          zeebe.createProcessInstanceWithResult({
            bpmnProcessId: 'server-one-task',
            variables: { n },
            requestTimeout: 20_000,
          }),
        ),
      );
      for (const [i, result] of results.entries()) expect(result.variables).toEqual({ n: 10 + i, via: 'stream' });
      expect(received.map((r) => r.n).sort()).toEqual([10, 11, 12]);
      expect(new Set(received.map((r) => r.key)).size).toBe(3);
    } finally {
      stream.close();
    }
  });
});

describe('ThrowError', () => {
  it('an error caught by a boundary event routes the instance down the boundary path', async () => {
    const errors: string[] = [];
    const risky = zeebe.createWorker({
      taskType: 'risky-work',
      taskHandler: (job) => {
        if (job.variables.explode) {
          errors.push(job.processInstanceKey);
          return job.error({ errorCode: 'BOOM', errorMessage: 'it blew up', variables: {} });
        }
        return job.complete({ path: 'normal' });
      },
    });
    const recover = zeebe.createWorker({
      taskType: 'recover-work',
      taskHandler: (job) => job.complete({ path: 'boundary', recovered: true }),
    });
    try {
      const [exploded, calm] = await Promise.all([
        zeebe.createProcessInstanceWithResult({
          bpmnProcessId: 'server-error-boundary',
          variables: { explode: true },
          requestTimeout: 20_000,
        }),
        zeebe.createProcessInstanceWithResult({
          bpmnProcessId: 'server-error-boundary',
          variables: { explode: false },
          requestTimeout: 20_000,
        }),
      ]);
      expect(exploded.variables).toEqual({ explode: true, path: 'boundary', recovered: true });
      expect(errors).toEqual([exploded.processInstanceKey]);
      expect(calm.variables).toEqual({ explode: false, path: 'normal' });
    } finally {
      await risky.close();
      await recover.close();
    }
  });
});
