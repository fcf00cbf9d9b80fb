import { afterEach, describe, expect, it } from 'vitest';
import { createSystemServer, type ReadinessResult, type SystemServer } from '../../../src/api/system/index.js';
import { ZenMetrics } from '../../../src/metrics/index.js';

const servers: SystemServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

function server(readiness: () => ReadinessResult = () => true, metrics = new ZenMetrics()): SystemServer {
  const s = createSystemServer({ metrics, readiness });
  servers.push(s);
  return s;
}

describe('system API', () => {
  it.each(['/health', '/actuator/health', '/actuator/health/liveness', '/actuator/health/status'])(
    'GET %s answers UP while the process runs, even when not ready',
    async (url) => {
      const res = await server(() => false).app.inject({ method: 'GET', url });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.json()).toEqual({ status: 'UP' });
    },
  );

  it('GET /ready answers READY when the check says so', async () => {
    const res = await server(() => true).app.inject({ method: 'GET', url: '/ready' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'READY' });
  });

  it('GET /ready answers 503 with the details of what is not ready', async () => {
    const details = { partitions: { '2': 'no leader' }, ports: { grpc: 'not bound' } };
    const res = await server(() => ({ ready: false, details })).app.inject({ method: 'GET', url: '/ready' });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toEqual({ status: 'NOT_READY', details });
  });

  it('GET /ready follows the current state', async () => {
    let ready = false;
    const s = server(() => ready);
    expect((await s.app.inject({ method: 'GET', url: '/ready' })).statusCode).toBe(503);
    ready = true;
    expect((await s.app.inject({ method: 'GET', url: '/ready' })).statusCode).toBe(200);
    ready = false;
    expect((await s.app.inject({ method: 'GET', url: '/ready' })).statusCode).toBe(503);
  });

  it('GET /ready answers 503 when the check throws', async () => {
    const res = await server(() => {
      throw new Error('partition table not loaded');
    }).app.inject({ method: 'GET', url: '/ready' });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toEqual({ status: 'NOT_READY', details: { error: 'partition table not loaded' } });
  });

  it('GET /actuator/health/readiness answers in Spring terms', async () => {
    let ready = false;
    const s = server(() => ({ ready, details: { partitions: 1 } }));
    const down = await s.app.inject({ method: 'GET', url: '/actuator/health/readiness' });
    expect(down.statusCode).toBe(503);
    expect(down.json()).toEqual({ status: 'OUT_OF_SERVICE', details: { partitions: 1 } });
    ready = true;
    const up = await s.app.inject({ method: 'GET', url: '/actuator/health/readiness' });
    expect(up.statusCode).toBe(200);
    expect(up.json()).toEqual({ status: 'UP', details: { partitions: 1 } });
  });

  it('GET /startup latches once the node has been ready', async () => {
    let ready = false;
    const s = server(() => ready);
    const starting = await s.app.inject({ method: 'GET', url: '/startup' });
    expect(starting.statusCode).toBe(503);
    expect(starting.json()).toEqual({ status: 'STARTING' });
    expect((await s.app.inject({ method: 'GET', url: '/actuator/health/startup' })).json()).toEqual({ status: 'DOWN' });
    ready = true;
    expect((await s.app.inject({ method: 'GET', url: '/startup' })).json()).toEqual({ status: 'STARTED' });
    ready = false;
    const still = await s.app.inject({ method: 'GET', url: '/startup' });
    expect(still.statusCode).toBe(200);
    expect((await s.app.inject({ method: 'GET', url: '/actuator/health/startup' })).json()).toEqual({ status: 'UP' });
  });

  it.each(['/metrics', '/actuator/prometheus'])('GET %s serves Prometheus text', async (url) => {
    const metrics = new ZenMetrics();
    metrics.partition(1).jobCompleted(2);
    const res = await server(() => true, metrics).app.inject({ method: 'GET', url });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(res.body).toContain('# TYPE zen_jobs_completed_total counter');
    expect(res.body).toContain('zen_jobs_completed_total{partition="1"} 2');
  });

  it('answers 500 when metrics collection fails', async () => {
    const res = await server(() => true, {
      collectPrometheus: async () => {
        throw new Error('collector broke');
      },
    } as unknown as ZenMetrics).app.inject({ method: 'GET', url: '/metrics' });
    expect(res.statusCode).toBe(500);
  });

  it('answers HEAD on probes and 404 elsewhere', async () => {
    const s = server();
    expect((await s.app.inject({ method: 'HEAD', url: '/health' })).statusCode).toBe(200);
    expect((await s.app.inject({ method: 'GET', url: '/nope' })).statusCode).toBe(404);
  });

  it('listens on an ephemeral port and reports it', async () => {
    const s = server();
    const { port } = await s.listen('127.0.0.1', 0);
    expect(port).toBeGreaterThan(0);
    const res = await fetch(`http://127.0.0.1:${port}/health`);
    expect(await res.json()).toEqual({ status: 'UP' });
  });
});
