/**
 * Live updates against a real `zen start` (two partitions): the change stream read with fetch
 * tells of a new instance within moments, naming the partition it went to; and a GET answer's
 * ETag brings a 304 until the data behind it changes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chain, end, model, start, userTask } from '../fixtures/bpmn-builder.js';
import { readEventStream } from '../support/event-stream.js';
import { showServerOutputOnFailure, ZenServer } from '../support/server-process.js';

let server: ZenServer;
let definitionKey: string;
const base = () => `http://127.0.0.1:${server.restPort}/v2`;

beforeAll(async () => {
  server = await ZenServer.start({ args: ['--partitions', '2'] });
  const form = new FormData();
  const xml = model('live-wait', start(), userTask('wait'), end(), ...chain('start', 'wait', 'end'));
  form.append('resources', new Blob([xml], { type: 'application/xml' }), 'live.bpmn');
  const deployed = await fetch(`${base()}/deployments`, { method: 'POST', body: form });
  expect(deployed.status, await deployed.clone().text()).toBe(200);
  const body = (await deployed.json()) as { deployments: { processDefinition?: { processDefinitionKey: string } }[] };
  definitionKey = body.deployments[0]!.processDefinition!.processDefinitionKey;
});

afterAll(async () => {
  const exit = await server?.dispose();
  expect(exit?.code).toBe(0);
});

showServerOutputOnFailure(() => [server]);

interface Change {
  reason: string;
  partitions: number[];
  positions: Record<string, number>;
  unobserved: number[];
}

describe('GET /v2/changes on a real node', () => {
  it('tells of an instance created over REST within a couple of seconds, naming its partition', async () => {
    const controller = new AbortController();
    try {
      const response = await fetch(`${base()}/changes`, { signal: controller.signal });
      expect(response.status).toBe(200);
      const stream = readEventStream(response);
      const opened = JSON.parse((await stream.next((e) => e.event === 'change')).data) as Change;
      // A single node replicates every partition: all are observed.
      expect(opened).toMatchObject({ reason: 'open', partitions: [1, 2], unobserved: [] });
      const seen = stream.events.length;

      const created = await fetch(`${base()}/process-instances`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ processDefinitionId: 'live-wait' }),
      });
      expect(created.status).toBe(200);
      const partition = Number(BigInt(((await created.json()) as { processInstanceKey: string }).processInstanceKey) >> 51n);

      const event = await stream.next((e) => (JSON.parse(e.data) as Change).partitions.includes(partition), 3_000, seen);
      const change = JSON.parse(event.data) as Change;
      expect(change.reason).toBe('advanced');
      expect(change.positions[String(partition)]).toBeGreaterThan(opened.positions[String(partition)]!);
    } finally {
      controller.abort();
    }
  });
});

describe('ETags on a real node', () => {
  it("tags a definition's XML, and answers 304 to its tag", async () => {
    const url = `${base()}/process-definitions/${definitionKey}/xml`;
    const first = await fetch(url);
    expect(first.status).toBe(200);
    expect(await first.text()).toContain('live-wait');
    const tag = first.headers.get('etag')!;
    expect(tag).toMatch(/^"[A-Za-z0-9_-]+"$/);
    const again = await fetch(url, { headers: { 'if-none-match': tag } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
  });

  it('answers 304 while an instance stands still, and 200 with a new tag once it moved', async () => {
    const created = await fetch(`${base()}/process-instances`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ processDefinitionId: 'live-wait' }),
    });
    const key = String(((await created.json()) as { processInstanceKey: string }).processInstanceKey);
    const url = `${base()}/process-instances/${key}`;
    const first = await fetch(url);
    expect(first.status).toBe(200);
    const tag = first.headers.get('etag')!;
    expect(tag).toMatch(/^"[A-Za-z0-9_-]+"$/);

    const unchanged = await fetch(url, { headers: { 'if-none-match': tag } });
    expect(unchanged.status).toBe(304);
    expect(await unchanged.text()).toBe('');

    const canceled = await fetch(`${url}/cancellation`, { method: 'POST' });
    expect(canceled.status).toBe(204);
    await expect
      .poll(async () => {
        const again = await fetch(url, { headers: { 'if-none-match': tag } });
        return again.status === 200 ? ((await again.json()) as { state: string }).state : again.status;
      })
      .toBe('TERMINATED');
  });
});
