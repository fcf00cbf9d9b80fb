/** The job broker with workers of different tenants: each is served when its own tenants have jobs. */
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import type { CommandResponse, EngineCommand } from '../../../src/engine/processing/types.js';
import type { JobBatchValue, JobValue } from '../../../src/engine/records.js';
import type { ActivateJobsRequest } from '../../../src/node/api.js';
import { JobBroker, type JobPartition } from '../../../src/node/job-broker.js';

const logger = pino({ level: 'silent' });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A partition holding jobs per tenant; it hands out only those of the tenants asked for, and counts activations per tenant set. */
class TenantPartition implements JobPartition {
  readonly id = 1;
  readonly isReady = true;
  readonly jobs = new Map<string, number>();
  readonly activations: string[] = [];
  private next = 1n;

  hasActivatableJobs(_type: string, tenantIds: readonly string[] = []): boolean {
    return tenantIds.some((tenantId) => (this.jobs.get(tenantId) ?? 0) > 0);
  }

  async submit(command: Omit<EngineCommand, 'requestId'>): Promise<CommandResponse> {
    const { tenantIds, maxJobsToActivate } = command.value as JobBatchValue;
    this.activations.push(tenantIds.join(','));
    const keys: bigint[] = [];
    const jobs: JobValue[] = [];
    for (const tenantId of tenantIds) {
      while (keys.length < maxJobsToActivate && (this.jobs.get(tenantId) ?? 0) > 0) {
        this.jobs.set(tenantId, this.jobs.get(tenantId)! - 1);
        keys.push((1n << 51n) + this.next++);
        jobs.push({ type: 'pay', tenantId } as JobValue);
      }
    }
    return { ok: true, key: -1n, value: { jobKeys: keys, jobs } };
  }
}

const poll = (tenantIds: string[], requestTimeoutMs = 2_000): ActivateJobsRequest => ({
  type: 'pay',
  worker: 'w',
  timeoutMs: 1000,
  maxJobsToActivate: 5,
  fetchVariables: [],
  requestTimeoutMs,
  tenantIds,
});

describe('job broker: tenants', () => {
  it('serves the long poll whose tenants have jobs, though another tenant’s poll waits longer, and does not spin for the other', async () => {
    const partition = new TenantPartition();
    const broker = new JobBroker(() => [partition], logger);
    const forA = broker.activate(poll(['a']), new AbortController().signal);
    const forB = broker.activate(poll(['b']), new AbortController().signal);
    await sleep(5);
    // No jobs of either tenant: nothing asked.
    expect(partition.activations).toEqual([]);

    partition.jobs.set('b', 2);
    broker.jobsAvailable('pay');
    const jobs = await forB;
    expect(jobs.map((j) => j.tenantId)).toEqual(['b', 'b']);
    // A's poll is still held, and no activation was tried for it (no retry loop).
    await sleep(150);
    expect(partition.activations).toEqual(['b']);

    partition.jobs.set('a', 1);
    broker.jobsAvailable('pay');
    expect((await forA).map((j) => j.tenantId)).toEqual(['a']);
  });

  it('pushes to the stream of the tenant that has jobs, not to the first stream of the type', async () => {
    const partition = new TenantPartition();
    const broker = new JobBroker(() => [partition], logger);
    const pushed: Record<string, string[]> = { a: [], b: [] };
    const streams = (['a', 'b'] as const).map((tenant) =>
      broker.openStream({ type: 'pay', worker: tenant, timeoutMs: 1000, fetchVariables: [], tenantIds: [tenant] }, { push: (job) => (pushed[tenant]!.push(job.tenantId), true) }),
    );
    partition.jobs.set('b', 3);
    broker.jobsAvailable('pay');
    await sleep(20);
    expect(pushed).toEqual({ a: [], b: ['b', 'b', 'b'] });
    expect(partition.activations).toEqual(['b']);
    for (const stream of streams) stream.close();
  });
});
