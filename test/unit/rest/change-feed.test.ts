/**
 * `GET /v2/changes` (change-feed.ts) over a listening server and fetch: the open event, an event
 * after a command moved a partition, heartbeats, the slow tick for unobserved partitions,
 * authentication, the stream limit, and nothing left running once clients go away.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ZenError } from '../../../src/errors.js';
import { AuthGate } from '../../../src/security/auth-gate.js';
import { FailureThrottle } from '../../../src/security/failure-throttle.js';
import { userPrincipal } from '../../../src/node/principal.js';
import type { PartitionMark } from '../../../src/node/local-directory.js';
import type { ChangeEvent } from '../../../src/api/rest/change-feed.js';
import { FakeApi } from '../../support/fake-api.js';
import { readEventStream } from '../../support/event-stream.js';
import { closeAll, harness } from './harness.js';

afterEach(closeAll);

const FAST = { sampleMs: 20, heartbeatMs: 100, unobservedTickMs: 150, retryMs: 1234, maxStreams: 2 };

/** Partition 1 moves with every API call but the feed's own topology reads; partition 2 is not replicated here. */
function marksOf(api: FakeApi): () => readonly PartitionMark[] {
  return () => [
    { partitionId: 1, logIndex: api.calls.filter((c) => c.method !== 'topology').length },
    { partitionId: 2, logIndex: null },
  ];
}

async function listening(options: Parameters<typeof harness>[0] = {}) {
  const api = options.api ?? new FakeApi();
  const h = harness({ changeFeed: FAST, changeMarks: marksOf(api), ...options, api });
  const { port } = await h.server.listen('127.0.0.1', 0);
  const base = `http://127.0.0.1:${port}/v2`;
  const controllers: AbortController[] = [];
  const open = (headers: Record<string, string> = {}) => {
    const controller = new AbortController();
    controllers.push(controller);
    return fetch(`${base}/changes`, { headers, signal: controller.signal });
  };
  return { ...h, base, open, controllers };
}

const parsed = (data: string) => JSON.parse(data) as ChangeEvent;

describe('GET /v2/changes', () => {
  it('opens an event stream with a retry hint and an open event, then tells of a command within moments', async () => {
    const { open, base, server } = await listening();
    const response = await open();
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('no-cache, no-transform');
    const stream = readEventStream(response);

    const opened = parsed((await stream.next((e) => e.event === 'change')).data);
    expect(stream.retries).toEqual([1234]);
    expect(opened).toEqual({ reason: 'open', partitions: [1, 2], topology: false, positions: { '1': 0 }, unobserved: [2] });
    expect(server.changes.openStreams).toBe(1);

    const created = await fetch(`${base}/process-instances`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ processDefinitionId: 'order' }),
    });
    expect(created.status).toBe(200);
    const advanced = parsed((await stream.next((e) => parsed(e.data).reason === 'advanced')).data);
    expect(advanced.partitions).toEqual([1]);
    expect(advanced.positions['1']).toBeGreaterThan(0);
    expect(advanced.topology).toBe(false);
  });

  it('answers HEAD with the headers and holds nothing open', async () => {
    const { base, server } = await listening();
    const response = await fetch(`${base}/changes`, { method: 'HEAD' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(server.changes.openStreams).toBe(0);
    expect(server.changes.running).toBe(false);
  });

  it('says when the topology changed', async () => {
    const { open, api } = await listening();
    const stream = readEventStream(await open());
    await stream.next((e) => parsed(e.data).reason === 'open');
    api.topologyResult = { ...api.topologyResult, clusterSize: api.topologyResult.clusterSize + 1 };
    const event = parsed((await stream.next((e) => parsed(e.data).topology)).data);
    expect(event.reason).toBe('advanced');
  });

  it('sends a keep-alive comment on a quiet stream, and a slow tick naming the partitions it cannot see', async () => {
    const { open } = await listening();
    const stream = readEventStream(await open());
    expect(await stream.comment((c) => c === 'keep-alive')).toBe('keep-alive');
    const tick = parsed((await stream.next((e) => parsed(e.data).reason === 'tick')).data);
    expect(tick).toMatchObject({ partitions: [2], unobserved: [2] });
  });

  it('asks for the same credentials as every /v2 call', async () => {
    const authenticator = {
      async authenticate(header: string | undefined) {
        if (header === 'Basic YW5uOnB3') return userPrincipal('ann');
        throw new ZenError('UNAUTHENTICATED', 'This node requires authentication');
      },
    };
    const { open, server } = await listening({ authentication: new AuthGate('basic', authenticator, new FailureThrottle(), async () => {}) });
    const refused = await open();
    expect(refused.status).toBe(401);
    expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await refused.json()).toMatchObject({ title: 'UNAUTHENTICATED', instance: '/v2/changes' });
    expect(server.changes.openStreams).toBe(0);

    const allowed = await open({ authorization: 'Basic YW5uOnB3' });
    expect(allowed.status).toBe(200);
    await readEventStream(allowed).next((e) => parsed(e.data).reason === 'open');
  });

  it('refuses a stream past the limit with 429, and stops every timer once the clients went away', async () => {
    const { open, server, controllers } = await listening();
    const streams = [readEventStream(await open()), readEventStream(await open())];
    for (const s of streams) await s.next((e) => parsed(e.data).reason === 'open');
    expect(server.changes.openStreams).toBe(2);
    expect(server.changes.running).toBe(true);

    const third = await open();
    expect(third.status).toBe(429);
    expect(await third.json()).toMatchObject({ title: 'RESOURCE_EXHAUSTED', status: 429 });

    controllers[0]!.abort();
    await expect.poll(() => server.changes.openStreams).toBe(1);
    expect(server.changes.running).toBe(true);
    controllers[1]!.abort();
    await expect.poll(() => server.changes.openStreams).toBe(0);
    expect(server.changes.running).toBe(false);

    // Room again: a new client is served.
    const again = await open();
    expect(again.status).toBe(200);
    await readEventStream(again).next((e) => parsed(e.data).reason === 'open');
  });

  it('ends its streams when the server closes, without waiting for the grace period', async () => {
    const { open, server } = await listening();
    const stream = readEventStream(await open());
    await stream.next((e) => parsed(e.data).reason === 'open');
    const closing = server.close(60_000);
    await stream.ended;
    await closing;
    expect(server.changes.openStreams).toBe(0);
    expect(server.changes.running).toBe(false);
  });
});
