/** Long polling (ActivateJobs) and pushed jobs (StreamActivatedJobs), end to end over a socket. */
import { status } from '@grpc/grpc-js';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { makeJob } from '../../support/fake-api.js';
import {
  collect,
  rawClient,
  rawStream,
  sdkClient,
  startGateway,
  waitFor,
  type Gateway,
  type RawClient,
} from './harness.js';

let gw: Gateway;
let raw: RawClient;

beforeAll(async () => {
  gw = await startGateway({ maxMessageSize: 64 * 1024 });
  raw = rawClient(gw.address);
});

afterAll(async () => {
  raw.close();
  await gw.server.shutdown(1_000);
});

const activate = (overrides: object = {}) => ({
  type: 'payment',
  worker: 'w1',
  timeout: '30000',
  maxJobsToActivate: 10,
  requestTimeout: '0',
  ...overrides,
});

describe('ActivateJobs long polling', () => {
  it.each([
    ['0', 10_000, 'the default long-polling timeout'],
    ['-1', 0, 'no long polling'],
    ['2500', 2_500, 'the given timeout'],
  ])('requestTimeout %s means %s ms (%s)', async (requestTimeout, expectedMs) => {
    gw.api.addJob(makeJob());
    await collect(rawStream(raw, 'ActivateJobs', activate({ requestTimeout })));
    expect(gw.api.polls.at(-1)?.request.requestTimeoutMs).toBe(expectedMs);
  });

  it('holds the call until a job appears', async () => {
    const polls = gw.api.polls.length;
    const result = collect(rawStream<{ jobs: { key: string }[] }>(raw, 'ActivateJobs', activate()));
    await waitFor(() => gw.api.polls.length > polls, 'the long poll to reach the node');
    gw.api.addJob(makeJob({ key: 2251799813685299n }));
    const responses = await result;
    expect(responses.flatMap((r) => r.jobs.map((j) => j.key))).toEqual(['2251799813685299']);
  });

  it('ends with no response at all when no job came, as Zeebe does', async () => {
    const responses = await collect(rawStream(raw, 'ActivateJobs', activate({ type: 'idle', requestTimeout: '50' })));
    expect(responses).toEqual([]);
  });

  it('the SDK reads an empty long poll as no jobs', async () => {
    const zeebe = sdkClient(gw.port);
    try {
      const jobs = await zeebe.activateJobs({ type: 'idle', worker: 'w', timeout: 1_000, maxJobsToActivate: 1, requestTimeout: 50 });
      expect(jobs).toEqual([]);
    } finally {
      await zeebe.close();
    }
  });

  it('aborts the node-side poll when the client cancels', async () => {
    const polls = gw.api.polls.length;
    const stream = rawStream(raw, 'ActivateJobs', activate({ type: 'cancelled' }));
    const ended = collect(stream).catch((err: { code: number }) => err.code);
    await waitFor(() => gw.api.polls.length > polls, 'the long poll to reach the node');
    const poll = gw.api.polls.at(-1)!;
    expect(poll.signal.aborted).toBe(false);
    stream.cancel();
    await waitFor(() => poll.signal.aborted, 'the AbortSignal to fire');
    expect(await ended).toBe(status.CANCELLED);
  });

  it('hands back jobs the node activated for a call that was cancelled meanwhile', async () => {
    const original = gw.api.activateJobs.bind(gw.api);
    // The activation commits just after the client went away.
    gw.api.activateJobs = (request, signal) =>
      new Promise((resolve) => signal.addEventListener('abort', () => setTimeout(() => resolve([makeJob({ type: request.type, key: 2251799813685399n })]), 20)));
    try {
      const stream = rawStream(raw, 'ActivateJobs', activate({ type: 'late' }));
      const ended = collect(stream).catch((err: { code: number }) => err.code);
      await new Promise((r) => setTimeout(r, 50));
      stream.cancel();
      expect(await ended).toBe(status.CANCELLED);
      await waitFor(() => gw.api.argsOf('yieldJobs').length > 0, 'the jobs to be handed back');
      expect(gw.api.lastArg('yieldJobs')).toEqual([2251799813685399n]);
    } finally {
      gw.api.activateJobs = original;
    }
  });

  it('splits a large batch into responses under maxMessageSize', async () => {
    const big = 'x'.repeat(20 * 1024);
    for (let i = 0; i < 7; i++) gw.api.addJob(makeJob({ type: 'bulk', key: 2251799813685300n + BigInt(i), variables: { big } }));
    const responses = await collect(
      rawStream<{ jobs: { key: string }[] }>(raw, 'ActivateJobs', activate({ type: 'bulk', requestTimeout: '-1' })),
    );
    expect(responses.length).toBeGreaterThan(1);
    expect(responses.flatMap((r) => r.jobs.map((j) => j.key))).toEqual(
      Array.from({ length: 7 }, (_, i) => (2251799813685300n + BigInt(i)).toString()),
    );
  });
});

describe('StreamActivatedJobs', () => {
  afterEach(() => {
    for (const s of gw.api.streams) s.closed = true;
  });

  it('pushes jobs to the client and closes the node handle when the client leaves', async () => {
    const streams = gw.api.streams.length;
    const call = rawStream<{ key: string; variables: string; tenantId: string }>(raw, 'StreamActivatedJobs', {
      type: 'payment',
      worker: 'w1',
      timeout: '30000',
      fetchVariable: ['amount'],
    });
    const received: { key: string; variables: string; tenantId: string }[] = [];
    call.on('data', (job) => received.push(job));
    const ended = new Promise<number>((resolve) => call.on('error', (err: { code: number }) => resolve(err.code)));

    await waitFor(() => gw.api.streams.length > streams, 'the job stream to open on the node');
    const opened = gw.api.streams.at(-1)!;
    expect(opened.request).toEqual({
      type: 'payment',
      worker: 'w1',
      timeoutMs: 30_000,
      fetchVariables: ['amount'],
      tenantIds: ['<default>'],
    });

    expect(opened.sink.push(makeJob({ key: 2251799813685401n }))).toBe(true);
    expect(opened.sink.push(makeJob({ key: 2251799813685402n }))).toBe(true);
    await waitFor(() => received.length === 2, 'both jobs to arrive');
    expect(received.map((j) => j.key)).toEqual(['2251799813685401', '2251799813685402']);
    expect(received[0]).toMatchObject({ variables: '{"amount":42}', tenantId: '<default>' });

    call.cancel();
    expect(await ended).toBe(status.CANCELLED);
    await waitFor(() => opened.closed, 'the node handle to close');
    expect(opened.sink.push(makeJob())).toBe(false);
  });

  it('takes a burst of jobs, and refuses jobs once a client stops reading', async () => {
    const streams = gw.api.streams.length;
    const call = rawStream<{ key: string }>(raw, 'StreamActivatedJobs', { type: 'slow', timeout: '30000' });
    const received: string[] = [];
    call.on('data', (job: { key: string }) => received.push(job.key));
    call.on('error', () => {});
    await waitFor(() => gw.api.streams.length > streams, 'the job stream to open on the node');
    const { sink } = gw.api.streams.at(-1)!;

    const burst = Array.from({ length: 100 }, (_, i) => sink.push(makeJob({ type: 'slow', key: 1000n + BigInt(i) })));
    expect(burst.every(Boolean)).toBe(true);
    await waitFor(() => received.length === 100, 'the burst to arrive');

    call.pause();
    const big = 'x'.repeat(32 * 1024);
    const accepted: string[] = [];
    let refused = false;
    for (let i = 0; i < 2_000 && !refused; i++) {
      const key = 5000n + BigInt(i);
      if (sink.push(makeJob({ type: 'slow', key, variables: { big } }))) accepted.push(key.toString());
      else refused = true;
      await new Promise((r) => setImmediate(r));
    }
    expect(refused).toBe(true);

    call.resume();
    await waitFor(() => received.length === 100 + accepted.length, 'every accepted job to arrive');
    expect(received.slice(100)).toEqual(accepted);
    await waitFor(() => sink.push(makeJob({ type: 'slow', key: 9999n })), 'the stream to take jobs again');
    call.cancel();
  });

  it('works with the SDK stream worker', async () => {
    // The SDK's stream worker prints the CANCELLED status of its own close() to console.error.
    const quiet = vi.spyOn(console, 'error').mockImplementation(() => {});
    const zeebe = sdkClient(gw.port);
    const streams = gw.api.streams.length;
    const handled: string[] = [];
    const worker = await zeebe.streamJobs({
      type: 'sdk-stream',
      worker: 'sdk',
      timeout: 30_000,
      tenantIds: [],
      pollInterval: 0,
      taskHandler: (job) => {
        handled.push(job.key);
        return job.complete();
      },
    });
    try {
      await waitFor(() => gw.api.streams.length > streams, 'the SDK to open its job stream');
      const opened = gw.api.streams.at(-1)!;
      expect(opened.sink.push(makeJob({ type: 'sdk-stream', key: 2251799813685501n }))).toBe(true);
      await waitFor(() => handled.length === 1, 'the SDK handler to run');
      expect(handled).toEqual(['2251799813685501']);
      await waitFor(() => gw.api.argsOf('completeJob').some(([key]) => key === 2251799813685501n), 'the job to be completed');
      worker.close();
      await waitFor(() => opened.closed, 'the node handle to close');
    } finally {
      await zeebe.close();
      quiet.mockRestore();
    }
  });

  it('refuses a blank type and a zero timeout', async () => {
    await expect(collect(rawStream(raw, 'StreamActivatedJobs', { type: '', timeout: '1000' }))).rejects.toMatchObject({
      code: status.INVALID_ARGUMENT,
      details: expect.stringContaining("Property 'type' is invalid"),
    });
    await expect(collect(rawStream(raw, 'StreamActivatedJobs', { type: 't', timeout: '0' }))).rejects.toMatchObject({
      code: status.INVALID_ARGUMENT,
      details: expect.stringContaining("Property 'timeout' is invalid"),
    });
  });
});

describe('shutdown with long-lived calls open', () => {
  it('ends long polls with no jobs and job streams with UNAVAILABLE, well before the grace period', async () => {
    const own = await startGateway();
    const client = rawClient(own.address);
    try {
      const poll = collect(rawStream(client, 'ActivateJobs', activate({ requestTimeout: '60000' })));
      const stream = collect(rawStream(client, 'StreamActivatedJobs', { type: 'payment', timeout: '1000' })).then(
        () => null,
        (err: { code: number }) => err,
      );
      await waitFor(() => own.api.polls.length === 1 && own.api.streams.length === 1, 'both calls to reach the node');

      const started = Date.now();
      await own.server.shutdown(10_000);
      expect(Date.now() - started).toBeLessThan(5_000);

      expect(await poll).toEqual([]);
      expect(own.api.polls[0]!.signal.aborted).toBe(true);
      expect(await stream).toMatchObject({ code: status.UNAVAILABLE });
      expect(own.api.streams[0]!.closed).toBe(true);
      expect(own.server.isListening()).toBe(false);
    } finally {
      client.close();
      await own.server.shutdown(0);
    }
  });
});
