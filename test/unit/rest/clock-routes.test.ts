/** PUT /v2/clock and POST /v2/clock/reset: allowed only with clockControl. */
import { afterEach, describe, expect, it } from 'vitest';
import { closeAll, harness } from './harness.js';

afterEach(closeAll);

const json = (payload: unknown) => ({ payload: JSON.stringify(payload), headers: { 'content-type': 'application/json' } });

describe('the clock endpoints with clockControl', () => {
  it('PUT /v2/clock pins at the timestamp and answers 204 without a body', async () => {
    const { server, api } = harness({ clockControl: true });
    const res = await server.app.inject({ method: 'PUT', url: '/v2/clock', ...json({ timestamp: 1_893_456_000_000 }) });
    expect(res.statusCode).toBe(204);
    expect(res.body).toBe('');
    expect(api.lastArg('pinClock')).toBe(1_893_456_000_000);
  });

  it('POST /v2/clock/reset resets and answers 204, with or without a body', async () => {
    const { server, api } = harness({ clockControl: true });
    expect((await server.app.inject({ method: 'POST', url: '/v2/clock/reset' })).statusCode).toBe(204);
    expect((await server.app.inject({ method: 'POST', url: '/v2/clock/reset', ...json({}) })).statusCode).toBe(204);
    expect(api.argsOf('resetClock')).toHaveLength(2);
  });

  it.each([
    ['missing', {}],
    ['negative', { timestamp: -1 }],
    ['not an integer', { timestamp: 1.5 }],
    ['a string', { timestamp: 'soon' }],
  ])('a timestamp %s is a 400', async (_what, body) => {
    const { server, api } = harness({ clockControl: true });
    const res = await server.app.inject({ method: 'PUT', url: '/v2/clock', ...json(body) });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json()).toMatchObject({ title: 'INVALID_ARGUMENT', status: 400 });
    expect(res.json().detail).toContain('timestamp');
    expect(api.argsOf('pinClock')).toHaveLength(0);
  });
});

describe('the clock endpoints without clockControl', () => {
  it.each([
    ['PUT', '/v2/clock', json({ timestamp: 0 }), 'pin'],
    ['POST', '/v2/clock/reset', {}, 'reset'],
  ] as const)('%s %s answers 403 and leaves the clock alone', async (method, url, body, verb) => {
    const { server, api } = harness();
    const res = await server.app.inject({ method, url, ...body });
    expect(res.statusCode).toBe(403);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json()).toEqual({
      type: 'about:blank',
      title: 'FORBIDDEN',
      status: 403,
      detail: `Expected to ${verb} the engine clock, but clock control is disabled on this node; start it with --clock-control (ZEN_CLOCK_CONTROL=true) to allow it`,
      instance: url,
    });
    expect(api.argsOf('pinClock')).toHaveLength(0);
    expect(api.argsOf('resetClock')).toHaveLength(0);
  });
});
