import { describe, expect, it } from 'vitest';
import { nextDueTime } from '../../src/engine/queries.js';
import type { IncidentValue, JobBatchValue, JobValue } from '../../src/engine/records.js';
import { oneTask } from '../fixtures/bpmn-builder.js';
import { EngineHarness, expectRejected, expectReplayable } from '../support/engine-harness.js';

const SECOND = 1_000;

async function withInstances(count: number, type = 'work', variables: Record<string, unknown> = {}): Promise<[EngineHarness, bigint[]]> {
  const h = new EngineHarness();
  await h.deployProcess(oneTask('p', type));
  const instances: bigint[] = [];
  for (let i = 0; i < count; i++) instances.push(h.createInstance('p', { ...variables, i }));
  return [h, instances];
}

describe('job activation', () => {
  it('hands out at most maxJobsToActivate jobs, oldest first, and logs one JOB_BATCH record', async () => {
    const [h] = await withInstances(5);
    const created = h.events<JobValue>('JOB', 'CREATED').map((r) => r.key);
    const first = h.activateJobs('work', 2, 1, 10 * SECOND);
    expect(first.jobKeys).toEqual(created.slice(0, 2));
    const second = h.activateJobs('work', 10);
    expect(second.jobKeys).toEqual(created.slice(2));
    expect(h.activateJobs('work', 10).jobKeys).toEqual([]);

    const batches = h.events<JobBatchValue>('JOB_BATCH', 'ACTIVATED');
    expect(batches).toHaveLength(2); // the empty activation leaves no trace
    expect(batches[0]!.value).toMatchObject({ type: 'work', worker: 'test-worker', timeout: 10 * SECOND, maxJobsToActivate: 2, jobKeys: created.slice(0, 2) });
    expect(batches[0]!.value.jobs.map((j) => j.deadline)).toEqual([h.now + 10 * SECOND, h.now + 10 * SECOND]);
    // The log carries the activation, not the variables (workers get those in the response).
    expect(batches[0]!.value.jobs.every((j) => Object.keys(j.variables).length === 0)).toBe(true);
    expect(first.jobs.map((j) => j.variables)).toEqual([{ i: 0 }, { i: 1 }]);
    expect(first.jobs[0]).toMatchObject({ worker: 'test-worker', deadline: h.now + 10 * SECOND, timeout: 10 * SECOND, retries: 3 });
    await expectReplayable(h);
  });

  it('only activates jobs of the requested type', async () => {
    const h = new EngineHarness();
    await h.deployProcess(oneTask('a', 'type-a'), 'a.bpmn');
    await h.deployProcess(oneTask('b', 'type-b'), 'b.bpmn');
    h.createInstance('a');
    const b = h.createInstance('b');
    const batch = h.activateJobs('type-b');
    expect(batch.jobs.map((j) => j.processInstanceKey)).toEqual([b]);
    expect(h.activateJobs('type-c').jobKeys).toEqual([]);
    await expectReplayable(h);
  });

  it('fetches only the requested variables', async () => {
    const [h] = await withInstances(1, 'work', { a: 1, b: 2, c: 3 });
    const batch = h.activateJobs('work', 1, 1, 30 * SECOND, ['a', 'c', 'missing']);
    expect(batch.jobs[0]!.variables).toEqual({ a: 1, c: 3 });
    await expectReplayable(h);
  });

  it('evaluates FEEL job type and retries at activation of the task', async () => {
    const h = new EngineHarness();
    await h.deployProcess(oneTask('p', '="work-" + region', { retries: '=tries + 1' }));
    h.createInstance('p', { region: 'eu', tries: 4 });
    const [job] = h.events<JobValue>('JOB', 'CREATED');
    expect(job!.value).toMatchObject({ type: 'work-eu', retries: 5 });
    expect(h.activateJobs('work-eu').jobKeys).toEqual([job!.key]);
    await expectReplayable(h);
  });

  it('raises an incident when the FEEL job type is not a string', async () => {
    const h = new EngineHarness();
    await h.deployProcess(oneTask('p', '=region'));
    const pi = h.createInstance('p', { region: 7 });
    const [incident] = h.events<IncidentValue>('INCIDENT', 'CREATED');
    expect(incident!.value).toMatchObject({ errorType: 'EXTRACT_VALUE_ERROR', elementId: 'task' });
    expect(incident!.value.errorMessage).toContain('job type');
    h.setVariables(pi, { region: 'us' });
    h.resolveIncident(incident!.key);
    expect(h.events<JobValue>('JOB', 'CREATED')[0]!.value.type).toBe('us');
    await expectReplayable(h);
  });
});

describe('job timeouts', () => {
  it('times out an activated job after its timeout; it can be activated again', async () => {
    const [h] = await withInstances(1);
    const [jobKey] = h.activateJobs('work', 1, 1, 10 * SECOND).jobKeys;
    expect(nextDueTime(h.partition().state)).toBe(h.now + 10 * SECOND);
    expect(h.activateJobs('work').jobKeys).toEqual([]);
    h.advanceTime(10 * SECOND - 1);
    expect(h.events('JOB', 'TIMED_OUT')).toHaveLength(0);
    h.advanceTime(1);
    expect(h.events('JOB', 'TIMED_OUT').map((r) => r.key)).toEqual([jobKey]);
    const again = h.activateJobs('work', 1, 1, 5 * SECOND, [], 'second-worker');
    expect(again.jobKeys).toEqual([jobKey]);
    expect(again.jobs[0]).toMatchObject({ worker: 'second-worker', deadline: h.now + 5 * SECOND });
    // The first worker may still complete it (Zeebe does not fence workers).
    expect(h.completeJob(jobKey!)?.ok).toBe(true);
    await expectReplayable(h);
  });

  it('UpdateJobTimeout moves the deadline of an activated job', async () => {
    const [h] = await withInstances(1);
    const [jobKey] = h.activateJobs('work', 1, 1, 10 * SECOND).jobKeys;
    h.advanceTime(5 * SECOND);
    expect(h.updateJobTimeout(jobKey!, 60 * SECOND)?.ok).toBe(true);
    const [updated] = h.events<JobValue>('JOB', 'TIMEOUT_UPDATED');
    expect(updated!.value).toMatchObject({ timeout: 60 * SECOND, deadline: h.now + 60 * SECOND });
    h.advanceTime(10 * SECOND);
    expect(h.events('JOB', 'TIMED_OUT')).toHaveLength(0);
    h.advanceTime(50 * SECOND);
    expect(h.events('JOB', 'TIMED_OUT')).toHaveLength(1);
    // Not activated any more: the timeout cannot be updated.
    expectRejected(h.updateJobTimeout(jobKey!, 1_000), 'INVALID_STATE', String(jobKey));
    expectRejected(h.updateJobTimeout(jobKey! + 999n, 1_000), 'NOT_FOUND', String(jobKey! + 999n));
    await expectReplayable(h);
  });
});

describe('failing jobs', () => {
  it('a failed job with retries left is activatable again at once', async () => {
    const [h] = await withInstances(1);
    const [jobKey] = h.activateJobs('work').jobKeys;
    expect(h.failJob(jobKey!, 2, { errorMessage: 'flaky' })).toEqual({ ok: true, key: jobKey, value: {} });
    const [failed] = h.events<JobValue>('JOB', 'FAILED');
    expect(failed!.value).toMatchObject({ retries: 2, errorMessage: 'flaky', retryBackoff: 0 });
    const again = h.activateJobs('work');
    expect(again.jobKeys).toEqual([jobKey]);
    expect(again.jobs[0]!.retries).toBe(2);
    await expectReplayable(h);
  });

  it('a retry back-off keeps the job away until the clock passes it (RECURRED_AFTER_BACKOFF)', async () => {
    const [h] = await withInstances(1);
    const [jobKey] = h.activateJobs('work').jobKeys;
    h.failJob(jobKey!, 1, { retryBackoff: 30 * SECOND });
    const [failed] = h.events<JobValue>('JOB', 'FAILED');
    expect(failed!.value).toMatchObject({ retries: 1, retryBackoff: 30 * SECOND, recurringTime: h.now + 30 * SECOND });
    expect(h.activateJobs('work').jobKeys).toEqual([]);
    h.advanceTime(30 * SECOND - 1);
    expect(h.activateJobs('work').jobKeys).toEqual([]);
    h.advanceTime(1);
    expect(h.events('JOB', 'RECURRED_AFTER_BACKOFF').map((r) => r.key)).toEqual([jobKey]);
    expect(h.activateJobs('work').jobKeys).toEqual([jobKey]);
    await expectReplayable(h);
  });

  it('sets variables given with a failure locally on the task', async () => {
    const [h, [pi]] = await withInstances(1);
    const [jobKey] = h.activateJobs('work').jobKeys;
    h.failJob(jobKey!, 1, { variables: { attempt: 1 } });
    const attempt = h.events<{ name: string; scopeKey: bigint }>('VARIABLE', 'CREATED').find((r) => r.value.name === 'attempt')!;
    expect(attempt.value.scopeKey).toBe(h.elementKeyOf('task'));
    expect(h.variablesOf(pi!)).toEqual({ i: 0 });
    expect(h.activateJobs('work').jobs[0]!.variables).toEqual({ i: 0, attempt: 1 });
    await expectReplayable(h);
  });

  it('raises JOB_NO_RETRIES when no retries are left; UpdateJobRetries then ResolveIncident makes it activatable', async () => {
    const [h, [pi]] = await withInstances(1);
    const [jobKey] = h.activateJobs('work').jobKeys;
    h.failJob(jobKey!, 0, { errorMessage: 'database down' });
    expect(h.eventStream().slice(-2)).toEqual(['JOB:FAILED', 'INCIDENT:CREATED']);
    const [incident] = h.events<IncidentValue>('INCIDENT', 'CREATED');
    expect(incident!.value).toMatchObject({
      errorType: 'JOB_NO_RETRIES',
      errorMessage: 'database down',
      jobKey,
      elementId: 'task',
      elementInstanceKey: h.elementKeyOf('task'),
      processInstanceKey: pi,
    });
    expect(h.activateJobs('work').jobKeys).toEqual([]);

    // Resolving first is refused: the job would fail again at once.
    expectRejected(h.resolveIncident(incident!.key), 'INVALID_STATE', String(incident!.key), String(jobKey));
    expect(h.events('INCIDENT', 'RESOLVED')).toHaveLength(0);

    expect(h.updateJobRetries(jobKey!, 2)?.ok).toBe(true);
    expect(h.events<JobValue>('JOB', 'RETRIES_UPDATED')[0]!.value.retries).toBe(2);
    expect(h.activateJobs('work').jobKeys).toEqual([]); // still waiting for the incident
    expect(h.resolveIncident(incident!.key)?.ok).toBe(true);
    const again = h.activateJobs('work');
    expect(again.jobKeys).toEqual([jobKey]);
    expect(again.jobs[0]!.retries).toBe(2);
    h.completeJob(jobKey!);
    expect(h.isActive(pi!)).toBe(false);
    await expectReplayable(h);
  });

  it('uses a default incident message when the worker gave none', async () => {
    const [h] = await withInstances(1);
    const [jobKey] = h.activateJobs('work').jobKeys;
    h.failJob(jobKey!, 0);
    expect(h.events<IncidentValue>('INCIDENT', 'CREATED')[0]!.value.errorMessage).toBe('No more retries left.');
    await expectReplayable(h);
  });

  it('rejects UpdateJobRetries with less than one retry', async () => {
    const [h] = await withInstances(1);
    const jobKey = h.jobKeyOf('task');
    expectRejected(h.updateJobRetries(jobKey, 0), 'INVALID_ARGUMENT', String(jobKey));
    expectRejected(h.updateJobRetries(jobKey, -1), 'INVALID_ARGUMENT', String(jobKey));
    expectRejected(h.updateJobRetries(jobKey + 77n, 3), 'NOT_FOUND', String(jobKey + 77n));
    await expectReplayable(h);
  });
});

describe('job command rejections', () => {
  it('rejects completing or failing an unknown job with NOT_FOUND naming the key', async () => {
    const [h] = await withInstances(1);
    const unknown = h.jobKeyOf('task') + 100n;
    expectRejected(h.completeJob(unknown), 'NOT_FOUND', `'${unknown}'`);
    expectRejected(h.failJob(unknown, 1), 'NOT_FOUND', `'${unknown}'`);
    expectRejected(h.throwError(unknown, 'E'), 'NOT_FOUND', `'${unknown}'`);
    const rejections = h.rejectionsOf('JOB');
    expect(rejections.map((r) => r.intent)).toEqual(['COMPLETE', 'FAIL', 'THROW_ERROR']);
    expect(rejections.every((r) => r.key === unknown)).toBe(true);
    await expectReplayable(h);
  });

  it('rejects completing a failed job waiting for its incident with INVALID_STATE', async () => {
    const [h] = await withInstances(1);
    const [jobKey] = h.activateJobs('work').jobKeys;
    h.failJob(jobKey!, 0);
    expectRejected(h.completeJob(jobKey!), 'INVALID_STATE', `'${jobKey}'`, 'FAILED');
    expectRejected(h.failJob(jobKey!, 1), 'INVALID_STATE', `'${jobKey}'`);
    expect(h.events('JOB', 'COMPLETED')).toHaveLength(0);
    await expectReplayable(h);
  });

  it('rejects completing a job twice (the second time it is gone)', async () => {
    const [h] = await withInstances(1);
    const jobKey = h.jobKeyOf('task');
    expect(h.completeJob(jobKey)?.ok).toBe(true);
    expectRejected(h.completeJob(jobKey), 'NOT_FOUND', `'${jobKey}'`);
    expect(h.events('JOB', 'COMPLETED')).toHaveLength(1);
    await expectReplayable(h);
  });

  it('cancels the job when its instance is cancelled', async () => {
    const [h, [pi]] = await withInstances(1);
    const [jobKey] = h.activateJobs('work').jobKeys;
    h.cancelInstance(pi!);
    expect(h.events('JOB', 'CANCELED').map((r) => r.key)).toEqual([jobKey]);
    expectRejected(h.completeJob(jobKey!), 'NOT_FOUND', `'${jobKey}'`);
    // No timeout fires for a cancelled job.
    h.advanceTime(3_600 * SECOND);
    expect(h.events('JOB', 'TIMED_OUT')).toHaveLength(0);
    await expectReplayable(h);
  });
});
