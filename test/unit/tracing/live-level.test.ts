/** The tracing level changed while the node runs (ADR 016): API spans follow it at once. */
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-node';
import Fastify from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { traceHttpRequests } from '../../../src/tracing/http-spans.js';
import { ZenTracing } from '../../../src/tracing/index.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => {});
});

function changeableAt(level: 'off' | 'api' | 'engine') {
  const exporter = new InMemorySpanExporter();
  const tracing = ZenTracing.create({ level, spanProcessor: new SimpleSpanProcessor(exporter), changeable: true });
  cleanups.push(() => tracing.shutdown());
  return { exporter, tracing };
}

describe('a changeable ZenTracing', () => {
  it('starts no SDK at off, and makes it on the first level above', () => {
    const { tracing } = changeableAt('off');
    expect(tracing).not.toBe(ZenTracing.OFF);
    expect(tracing.enabled).toBe(false);
    expect(tracing.api).toBeNull();
    tracing.setLevel('engine');
    expect(tracing.enabled).toBe(true);
    expect(tracing.api).not.toBeNull();
    expect(tracing.engine).not.toBeNull();
    expect(tracing.workers).toBeNull();
    tracing.setLevel('off');
    expect(tracing.api).toBeNull();
  });

  it('a fixed-level one refuses a change', () => {
    expect(() => ZenTracing.OFF.setLevel('api')).toThrow(/fixed level/);
  });

  it('REST spans follow the level of a switchable tracer, request by request', async () => {
    const { exporter, tracing } = changeableAt('off');
    const app = Fastify();
    cleanups.push(() => app.close());
    const tracer = tracing.switchable('api');
    expect(tracer).not.toBeNull();
    traceHttpRequests(app, tracing, tracer!);
    app.get('/ping', async () => ({ ok: true }));

    expect((await app.inject({ url: '/ping' })).statusCode).toBe(200);
    expect(exporter.getFinishedSpans()).toHaveLength(0);

    tracing.setLevel('api');
    expect((await app.inject({ url: '/ping' })).statusCode).toBe(200);
    expect(exporter.getFinishedSpans().map((s) => s.name)).toEqual(['GET /ping']);

    tracing.setLevel('off');
    await app.inject({ url: '/ping' });
    expect(exporter.getFinishedSpans()).toHaveLength(1);
  });
});
