/**
 * The engine clock through a real `zen start`, over REST: with --clock-control, PUT /v2/clock
 * pins it on every partition and fires the timers it passes; without, both endpoints are 403.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chain, end, model, start, timerCatch } from '../fixtures/bpmn-builder.js';
import { waitFor } from '../support/server-client.js';
import { showServerOutputOnFailure, ZenServer } from '../support/server-process.js';

let controlled: ZenServer;
let plain: ZenServer;

async function call(server: ZenServer, method: string, path: string, body?: unknown): Promise<{ status: number; contentType: string | null; json: any }> {
  const response = await fetch(`http://127.0.0.1:${server.restPort}/v2${path}`, {
    method,
    ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, contentType: response.headers.get('content-type'), json: text === '' ? null : JSON.parse(text) };
}

beforeAll(async () => {
  [controlled, plain] = await Promise.all([ZenServer.start({ args: ['--clock-control', '--partitions', '2'] }), ZenServer.start()]);
  const form = new FormData();
  const xml = model('server-clock-wait', start(), timerCatch('wait', 'duration', 'PT1H'), end(), ...chain('start', 'wait', 'end'));
  form.append('resources', new Blob([xml], { type: 'application/xml' }), 'clock.bpmn');
  const deployed = await fetch(`http://127.0.0.1:${controlled.restPort}/v2/deployments`, { method: 'POST', body: form });
  expect(deployed.status, await deployed.clone().text()).toBe(200);
});

afterAll(async () => {
  const exits = await Promise.all([controlled?.dispose(), plain?.dispose()]);
  for (const exit of exits) expect(exit?.code).toBe(0);
});

showServerOutputOnFailure(() => [controlled, plain]);

describe('with --clock-control', () => {
  it('a pin past the due date fires the waiting timers on every partition; a reset answers 204', async () => {
    const keys: string[] = [];
    for (let i = 0; i < 4; i++) {
      const created = await call(controlled, 'POST', '/process-instances', { processDefinitionId: 'server-clock-wait' });
      expect(created.status).toBe(200);
      keys.push(created.json.processInstanceKey);
    }
    expect(new Set(keys.map((k) => BigInt(k) >> 51n)).size).toBe(2);
    for (const key of keys) expect((await call(controlled, 'GET', `/process-instances/${key}`)).status).toBe(200);

    const pinned = await call(controlled, 'PUT', '/clock', { timestamp: Date.now() + 2 * 3_600_000 });
    expect(pinned.status).toBe(204);
    expect(pinned.json).toBeNull();
    // Each ran to its end once its timer fired (a finished instance is read from the history).
    for (const key of keys) {
      await waitFor(`instance ${key} completed`, async () => ((await call(controlled, 'GET', `/process-instances/${key}`)).json?.state === 'COMPLETED' ? true : undefined));
    }

    const reset = await call(controlled, 'POST', '/clock/reset');
    expect(reset.status).toBe(204);
  });

  it('a negative or missing timestamp is a 400 problem', async () => {
    for (const body of [{ timestamp: -5 }, {}]) {
      const refused = await call(controlled, 'PUT', '/clock', body);
      expect(refused.status).toBe(400);
      expect(refused.contentType).toMatch(/^application\/problem\+json/);
      expect(refused.json).toMatchObject({ title: 'INVALID_ARGUMENT', status: 400, instance: '/v2/clock' });
    }
  });
});

describe('without --clock-control', () => {
  it('PUT /v2/clock and POST /v2/clock/reset answer 403 with a problem', async () => {
    for (const [method, path, body, verb] of [
      ['PUT', '/clock', { timestamp: 0 }, 'pin'],
      ['POST', '/clock/reset', undefined, 'reset'],
    ] as const) {
      const refused = await call(plain, method, path, body);
      expect(refused.status).toBe(403);
      expect(refused.contentType).toMatch(/^application\/problem\+json/);
      expect(refused.json).toMatchObject({ title: 'FORBIDDEN', status: 403, instance: `/v2${path}` });
      expect(refused.json.detail).toContain(`Expected to ${verb} the engine clock, but clock control is disabled`);
    }
  });
});
