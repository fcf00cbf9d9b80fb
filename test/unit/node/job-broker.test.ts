/** The job broker against a scripted partition: jobs nobody can take are handed back at once. */
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import type { CommandResponse, EngineCommand } from '../../../src/engine/processing/types.js';
import type { JobValue } from '../../../src/engine/records.js';
import type { ActivateJobsRequest } from '../../../src/node/api.js';
import { JobBroker, type JobPartition } from '../../../src/node/job-broker.js';

const logger = pino({ level: 'silent' });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function jobValue(type: string): JobValue {
  return {
    type,
    worker: 'w',
    retries: 3,
    retryBackoff: 0,
    recurringTime: -1,
    deadline: 1,
    timeout: 1000,
    errorMessage: '',
    errorCode: '',
    customHeaders: {},
    variables: {},
    processInstanceKey: 1n,
    bpmnProcessId: 'p',
    processDefinitionVersion: 1,
    processDefinitionKey: 2n,
    elementId: 'task',
    elementInstanceKey: 3n,
    tenantId: '<default>',
  };
}

/** One partition: activations wait for `release`; YIELDs are recorded (or fail, if told to). */
class ScriptedPartition implements JobPartition {
  readonly id = 1;
  readonly isReady = true;
  hasJobs = false;
  failYield = false;
  readonly yielded: bigint[] = [];
  private pending: Array<() => void> = [];

  hasActivatableJobs(): boolean {
    return this.hasJobs;
  }

  async submit(command: Omit<EngineCommand, 'requestId'>): Promise<CommandResponse> {
    if (command.intent === 'YIELD') {
      this.yielded.push(command.key);
      if (this.failYield) throw new Error('Partition 1 is shutting down (YIELD)');
      return { ok: true, key: command.key, value: {} };
    }
    if (!this.hasJobs) return { ok: true, key: -1n, value: { jobKeys: [], jobs: [] } };
    await new Promise<void>((resolve) => this.pending.push(resolve));
    this.hasJobs = false;
    const type = (command.value as { type: string }).type;
    return { ok: true, key: -1n, value: { jobKeys: [(1n << 51n) + 9n], jobs: [jobValue(type)] } };
  }

  release(): void {
    for (const resolve of this.pending.splice(0)) resolve();
  }

  get activating(): number {
    return this.pending.length;
  }
}

const request = (requestTimeoutMs: number): ActivateJobsRequest => ({
  type: 'pay',
  worker: 'w',
  timeoutMs: 1000,
  maxJobsToActivate: 5,
  fetchVariables: [],
  requestTimeoutMs,
  tenantIds: ['<default>'],
});

describe('job broker', () => {
  it('hands back jobs activated for a long poll that timed out while they were being committed', async () => {
    const partition = new ScriptedPartition();
    const broker = new JobBroker(() => [partition], logger);
    const poll = broker.activate(request(60), new AbortController().signal);
    await sleep(5);
    partition.hasJobs = true;
    broker.jobsAvailable('pay');
    await sleep(1);
    expect(partition.activating).toBe(1);
    await sleep(100);
    await expect(poll).resolves.toEqual([]);
    partition.release();
    await sleep(5);
    expect(partition.yielded).toEqual([(1n << 51n) + 9n]);
  });

  it('gives each waiting poll its own activation as jobs come, without waiting for an earlier one to commit', async () => {
    const partition = new ScriptedPartition();
    const broker = new JobBroker(() => [partition], logger);
    const signal = new AbortController().signal;
    const first = broker.activate(request(5000), signal);
    const second = broker.activate(request(5000), signal);
    await sleep(5);
    partition.hasJobs = true;
    // Told while a batch is processed: the activation is submitted before the call returns, so it joins that batch.
    broker.jobsAvailable('pay');
    expect(partition.activating).toBe(1);
    // The next batch's jobs, while the first activation still commits: the other poll takes them in that batch.
    broker.jobsAvailable('pay');
    expect(partition.activating).toBe(2);
    // Both polls have an activation in flight: a third notice starts none (one per poll at a time).
    broker.jobsAvailable('pay');
    expect(partition.activating).toBe(2);
    partition.release();
    expect(await first).toHaveLength(1);
    expect(await second).toHaveLength(1);
  });

  it('pushes each batch\'s jobs to a stream while the previous activation for it still commits', async () => {
    const partition = new ScriptedPartition();
    const broker = new JobBroker(() => [partition], logger);
    const pushed: bigint[] = [];
    const handle = broker.openStream({ type: 'pay', worker: 'w', timeoutMs: 1000, fetchVariables: [], tenantIds: ['<default>'] }, { push: (job) => pushed.push(job.key) > 0 });
    partition.hasJobs = true;
    broker.jobsAvailable('pay');
    broker.jobsAvailable('pay');
    expect(partition.activating).toBe(2);
    partition.release();
    await sleep(5);
    expect(pushed).toHaveLength(2);
    handle.close();
  });

  it('survives a hand-back that fails (the job then waits for its timeout)', async () => {
    const partition = new ScriptedPartition();
    partition.failYield = true;
    const broker = new JobBroker(() => [partition], logger);
    const handle = broker.openStream({ type: 'pay', worker: 'w', timeoutMs: 1000, fetchVariables: [], tenantIds: ['<default>'] }, { push: () => false });
    partition.hasJobs = true;
    broker.jobsAvailable('pay');
    await sleep(1);
    partition.release();
    await sleep(10);
    // An unhandled rejection here would fail the test run (and end a real node).
    expect(partition.yielded).toEqual([(1n << 51n) + 9n]);
    handle.close();
  });

  it('activates nothing for a stream whose client is not keeping up', async () => {
    const partition = new ScriptedPartition();
    const broker = new JobBroker(() => [partition], logger);
    const handle = broker.openStream(
      { type: 'pay', worker: 'w', timeoutMs: 1000, fetchVariables: [], tenantIds: ['<default>'] },
      { push: () => true, ready: () => false },
    );
    partition.hasJobs = true;
    broker.jobsAvailable('pay');
    await sleep(20);
    expect(partition.activating).toBe(0);
    handle.close();
  });

  it('does not spin when a partition with jobs refuses activations: it tries again after a pause', async () => {
    // Refusals come back without yielding to the event loop; retried at once they would starve
    // it (a node's leases then expire, as seen under backpressure).
    let attempts = 0;
    const refusing: JobPartition = {
      id: 1,
      isReady: true,
      hasActivatableJobs: () => true,
      submit: async () => {
        attempts++;
        throw Object.assign(new Error('backpressure'), { code: 'RESOURCE_EXHAUSTED' });
      },
    };
    const broker = new JobBroker(() => [refusing], logger);
    for (const sink of ['poll', 'stream'] as const) {
      attempts = 0;
      const poll = sink === 'poll' ? broker.activate(request(300), new AbortController().signal) : null;
      const stream = sink === 'stream' ? broker.openStream({ type: 'pay', worker: 'w', timeoutMs: 1000, fetchVariables: [], tenantIds: ['<default>'] }, { push: () => true }) : null;
      broker.jobsAvailable('pay');
      let timerRan = false;
      setTimeout(() => (timerRan = true), 0);
      await sleep(250);
      expect(timerRan, `${sink}: the event loop kept turning`).toBe(true);
      expect(attempts, `${sink}: a few attempts, not a spin`).toBeGreaterThan(0);
      expect(attempts, `${sink}: a few attempts, not a spin`).toBeLessThan(20);
      stream?.close();
      if (poll) await expect(poll).resolves.toEqual([]);
    }
  });
});

/** A partition with `jobs` activatable jobs, led here (`local`) or elsewhere; counts activations. */
class StockedPartition implements JobPartition {
  readonly isReady = true;
  activations = 0;
  constructor(
    readonly id: number,
    public jobs: number,
    local: boolean,
  ) {
    if (local) Object.defineProperty(this, 'localBacklog', { value: 0 });
  }
  hasActivatableJobs(): boolean {
    return this.jobs > 0;
  }
  async submit(command: Omit<EngineCommand, 'requestId'>): Promise<CommandResponse> {
    this.activations++;
    const max = (command.value as { maxJobsToActivate: number }).maxJobsToActivate;
    const taken = Math.min(max, this.jobs);
    this.jobs -= taken;
    const keys = Array.from({ length: taken }, (_, i) => (BigInt(this.id) << 51n) + BigInt(this.jobs + i));
    return { ok: true, key: -1n, value: { jobKeys: keys, jobs: keys.map(() => jobValue('pay')) } };
  }
}

describe('job broker: partitions led here first', () => {
  const partitionsOf = (jobs: bigint[]) => new Set(jobs.map((k) => Number(k >> 51n)));

  it('answers from the local partition while it has enough, and keeps a share for the others every fourth time', async () => {
    const here = new StockedPartition(1, 1000, true);
    const there = [new StockedPartition(2, 1000, false), new StockedPartition(3, 1000, false)];
    const broker = new JobBroker(() => [here, ...there], logger);
    const answers: Array<Set<number>> = [];
    for (let i = 0; i < 8; i++) answers.push(partitionsOf((await broker.activate(request(0), new AbortController().signal)).map((j) => j.key)));
    const fair = answers.filter((a) => a.size > 1 && a.has(1)).length;
    const localOnly = answers.filter((a) => a.size === 1 && a.has(1)).length;
    expect({ fair, localOnly }).toEqual({ fair: 2, localOnly: 6 });
    // Each fair round took one of its five from the others (a share of 1/8, rounded up).
    expect(there[0]!.jobs + there[1]!.jobs).toBe(2000 - 2);
  });

  it('asks partitions served by their own leaders\' workers only every 32nd time, the others every fourth', async () => {
    const here = new StockedPartition(1, 100_000, true);
    const served = new StockedPartition(2, 1000, false);
    const unserved = new StockedPartition(3, 1000, false);
    Object.defineProperty(served, 'servedByOwnWorkers', { value: (type: string) => type === 'pay' });
    const broker = new JobBroker(() => [here, served, unserved], logger);
    // 16 asked: a fair round's share (2) is enough to ask both others at once.
    for (let i = 0; i < 64; i++) await broker.activate({ ...request(0), maxJobsToActivate: 16 }, new AbortController().signal);
    // Not never: a worker there may not take every job (another tenant's, say).
    expect(served.activations).toBe(2);
    expect(unserved.activations).toBe(16);

    // With every other partition served, only every 32nd answer takes a share from them.
    const alone = new StockedPartition(2, 1000, false);
    Object.defineProperty(alone, 'servedByOwnWorkers', { value: () => true });
    const broker2 = new JobBroker(() => [here, alone], logger);
    const mixed: number[] = [];
    for (let i = 1; i <= 32; i++) {
      const from = partitionsOf((await broker2.activate(request(0), new AbortController().signal)).map((j) => j.key));
      if (from.has(2)) mixed.push(i);
    }
    expect(mixed).toEqual([32]);
  });

  it('counts a type as served here for a while after a poll, and while a stream is open', async () => {
    const broker = new JobBroker(() => [new StockedPartition(1, 0, true)], logger);
    expect(broker.servedHere('pay')).toBe(false);
    await broker.activate(request(0), new AbortController().signal);
    expect(broker.servedHere('pay')).toBe(true);
    expect(broker.servedHere('ship')).toBe(false);
    const stream = broker.openStream({ type: 'ship', worker: 'w', timeoutMs: 1000, fetchVariables: [], tenantIds: ['<default>'] }, { push: () => true });
    expect(broker.servedHere('ship')).toBe(true);
    stream.close();
    expect(broker.servedHere('ship')).toBe(false);
  });

  it('answers with what the local partition has, even short of the maximum, without asking the others', async () => {
    const here = new StockedPartition(1, 2, true);
    const there = new StockedPartition(2, 100, false);
    const broker = new JobBroker(() => [there, here], logger);
    const jobs = await broker.activate(request(0), new AbortController().signal);
    expect(jobs.map((j) => Number(j.key >> 51n))).toEqual([1, 1]);
    expect(there.activations).toBe(0);
  });

  it('takes jobs from the other partitions when the local one has none', async () => {
    const here = new StockedPartition(1, 0, true);
    const there = new StockedPartition(2, 100, false);
    const broker = new JobBroker(() => [there, here], logger);
    const jobs = await broker.activate(request(0), new AbortController().signal);
    expect(jobs).toHaveLength(5);
    expect(new Set(jobs.map((j) => Number(j.key >> 51n)))).toEqual(new Set([2]));
  });

  it('a stream takes another leader\'s jobs at once unless that leader\'s own workers take them; those once they linger', async () => {
    const here = new StockedPartition(1, 0, true);
    const served = new StockedPartition(2, 3, false);
    Object.defineProperty(served, 'servedByOwnWorkers', { value: () => true });
    const unserved = new StockedPartition(3, 3, false);
    const broker = new JobBroker(() => [here, served, unserved], logger);
    const pushed: bigint[] = [];
    const stream = broker.openStream({ type: 'pay', worker: 'w', timeoutMs: 1000, fetchVariables: [], tenantIds: ['<default>'] }, { push: (job) => pushed.push(job.key) > 0 });
    await sleep(5);
    expect(partitionsOf(pushed)).toEqual(new Set([3]));
    expect(served.activations, 'its own workers get the first chance').toBe(0);
    // Still there after a retry's pause: nothing took them, so the stream does.
    await sleep(100);
    expect(partitionsOf(pushed)).toEqual(new Set([2, 3]));
    expect(served.jobs).toBe(0);
    stream.close();
  });

  it('a long poll takes another partition\'s jobs only after waiting a moment for its own', async () => {
    const here = new StockedPartition(1, 0, true);
    const there = new StockedPartition(2, 100, false);
    const broker = new JobBroker(() => [there, here], logger, 400);
    const started = Date.now();
    const poll = broker.activate(request(2000), new AbortController().signal);
    await sleep(5);
    if (Date.now() - started < 400) expect(there.activations, 'the other leader\'s workers get the first chance').toBe(0);
    const jobs = await poll;
    expect(Date.now() - started).toBeGreaterThanOrEqual(390);
    expect(new Set(jobs.map((j) => Number(j.key >> 51n)))).toEqual(new Set([2]));
  });

  it('a long poll waits longer before taking the jobs of a partition served by its leader\'s own workers', async () => {
    const here = new StockedPartition(1, 0, true);
    const served = new StockedPartition(2, 100, false);
    Object.defineProperty(served, 'servedByOwnWorkers', { value: () => true });
    const broker = new JobBroker(() => [served, here], logger, 10, 400);
    const started = Date.now();
    const poll = broker.activate(request(2000), new AbortController().signal);
    await sleep(100);
    if (Date.now() - started < 400) expect(served.activations, 'its own workers get the first chance').toBe(0);
    const jobs = await poll;
    expect(Date.now() - started).toBeGreaterThanOrEqual(390);
    expect(new Set(jobs.map((j) => Number(j.key >> 51n)))).toEqual(new Set([2]));
  });

  it('a job of its own that comes while the poll waits is taken instead', async () => {
    const here = new StockedPartition(1, 0, true);
    const there = new StockedPartition(2, 100, false);
    const broker = new JobBroker(() => [there, here], logger, 60_000);
    const poll = broker.activate(request(1000), new AbortController().signal);
    await sleep(5);
    here.jobs = 3;
    broker.jobsAvailable('pay');
    const jobs = await poll;
    expect(jobs.map((j) => Number(j.key >> 51n))).toEqual([1, 1, 1]);
    expect(there.activations).toBe(0);
  });

  it('splits as before when no partition is led here', async () => {
    const there = [new StockedPartition(2, 100, false), new StockedPartition(3, 100, false)];
    const broker = new JobBroker(() => there, logger);
    const jobs = await broker.activate(request(0), new AbortController().signal);
    expect(partitionsOf(jobs.map((j) => j.key))).toEqual(new Set([2, 3]));
  });
});
