/**
 * The hop between nodes at tracing level engine: the calling node's CLIENT span travels in the
 * private call's metadata, the called node's SERVER span continues it, and the handler (what
 * submits to the partition) runs in that span's context — one trace across both nodes.
 */
import { context, ROOT_CONTEXT, SpanKind, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-node';
import { afterEach, describe, expect, it } from 'vitest';
import { ClientPool } from '../../../src/cluster/private/client-pool.js';
import { createPrivateServer } from '../../../src/cluster/private/internal-service.js';
import { ZenTracing } from '../../../src/tracing/index.js';
import { FakeNode, silent } from './support.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('private port tracing', () => {
  it('one trace over Submit: caller span → CLIENT span → SERVER span → the handler’s context', async () => {
    const exporter = new InMemorySpanExporter();
    const tracing = ZenTracing.create({ level: 'engine', spanProcessor: new SimpleSpanProcessor(exporter) });
    cleanups.push(() => tracing.shutdown());
    const node = new FakeNode();
    let handlerTraceId: string | undefined;
    let handlerSpanId: string | undefined;
    node.answer = () => {
      const active = trace.getSpanContext(context.active());
      handlerTraceId = active?.traceId;
      handlerSpanId = active?.spanId;
      return { ok: true, key: 1n, value: null };
    };
    const server = createPrivateServer({ handlers: node, logger: silent, nodeId: 7, tracing });
    const port = await server.listen('127.0.0.1', 0);
    cleanups.push(() => server.close());
    const pool = new ClientPool({ logger: silent, callTimeoutMs: 2000, tracing });
    cleanups.push(() => pool.closeAll());

    const caller = tracing.engine!.startSpan('caller', {}, ROOT_CONTEXT);
    await context.with(trace.setSpan(ROOT_CONTEXT, caller), () =>
      pool.submit(`127.0.0.1:${port}`, 2, { valueType: 'JOB', intent: 'COMPLETE', key: 5n, value: {} }),
    );
    caller.end();

    const spans = exporter.getFinishedSpans();
    const client = spans.find((s) => s.kind === SpanKind.CLIENT)!;
    const serverSpan = spans.find((s) => s.kind === SpanKind.SERVER)!;
    expect(client.name).toBe('zen.internal.Node/Submit');
    expect(client.attributes).toMatchObject({ 'rpc.system': 'grpc', 'rpc.method': 'Submit', 'server.port': port, 'zen.partition.id': 2, 'rpc.grpc.status_code': 0 });
    expect(client.parentSpanContext?.spanId).toBe(caller.spanContext().spanId);
    expect(serverSpan.name).toBe('zen.internal.Node/Submit');
    expect(serverSpan.parentSpanContext?.spanId).toBe(client.spanContext().spanId);
    expect(serverSpan.spanContext().traceId).toBe(caller.spanContext().traceId);
    expect(handlerTraceId).toBe(caller.spanContext().traceId);
    expect(handlerSpanId).toBe(serverSpan.spanContext().spanId);
  });

  it('Ping is the cluster’s own chatter: no span', async () => {
    const exporter = new InMemorySpanExporter();
    const tracing = ZenTracing.create({ level: 'engine', spanProcessor: new SimpleSpanProcessor(exporter) });
    cleanups.push(() => tracing.shutdown());
    const server = createPrivateServer({ handlers: new FakeNode(), logger: silent, nodeId: 7, tracing });
    const port = await server.listen('127.0.0.1', 0);
    cleanups.push(() => server.close());
    const pool = new ClientPool({ logger: silent, callTimeoutMs: 2000, tracing });
    cleanups.push(() => pool.closeAll());
    expect(await pool.ping(`127.0.0.1:${port}`)).toEqual({ nodeId: 7 });
    expect(exporter.getFinishedSpans()).toEqual([]);
  });
});
