/**
 * Traces by level, read from an in-memory exporter: which spans each level makes, their names
 * and attributes (OpenTelemetry's RPC and HTTP conventions), and how they hang together — the
 * caller's traceparent, the gateway span, the partition's command span, jobs and elements.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Metadata, type ClientReadableStream } from '@grpc/grpc-js';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { OTLPTraceExporter as JsonTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtobufTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-node';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createGrpcServer, type GrpcServer } from '../../../src/api/grpc/index.js';
import { createRestServer, type RestServer } from '../../../src/api/rest/index.js';
import { ConfigError } from '../../../src/config/errors.js';
import type { TracingLevel } from '../../../src/config/types.js';
import { ZenNode } from '../../../src/node/zen-node.js';
import { Partition } from '../../../src/partition/partition.js';
import { otlpTraceExporter, ZenTracing } from '../../../src/tracing/index.js';
import { chain, end, model, serviceTask, start } from '../../fixtures/bpmn-builder.js';
import { rawClient, rawUnary, waitFor, type RawClient } from '../grpc/harness.js';

const logger = pino({ level: 'silent' });
const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const CALLER_SPAN = '00f067aa0ba902b7';
const TRACEPARENT = `00-${TRACE_ID}-${CALLER_SPAN}-01`;
const PAY = model('pay', start(), serviceTask('task', 'pay'), end(), ...chain('start', 'task', 'end'));
const limits = { maxMessageSize: 4 * 1024 * 1024, maxResourcesPerDeployment: 10 };

interface Stack {
  readonly exporter: InMemorySpanExporter;
  readonly client: RawClient;
  readonly rest: RestServer;
  spans(): ReadableSpan[];
}

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => {});
});

function tracingAt(level: TracingLevel) {
  const exporter = new InMemorySpanExporter();
  const tracing = ZenTracing.create({ level, serviceVersion: 'test', nodeId: '0', spanProcessor: new SimpleSpanProcessor(exporter) });
  cleanups.push(() => tracing.shutdown());
  return { exporter, tracing };
}

async function stackAt(level: TracingLevel): Promise<Stack> {
  const { exporter, tracing } = tracingAt(level);
  const dataDir = mkdtempSync(join(tmpdir(), 'zen-traces-'));
  cleanups.push(async () => rmSync(dataDir, { recursive: true, force: true }));
  const node = new ZenNode({ nodeId: 0, advertisedHost: '127.0.0.1', grpcPort: () => 0, version: 'test' }, 1, logger);
  const partition = new Partition({ partitionId: 1, partitionCount: 1, dataDir, syncMode: 'normal', maxBatchSize: 50, logger, metrics: null, host: node, tracing });
  node.addPartition(partition);
  await partition.open();
  cleanups.push(() => partition.close());
  const grpc: GrpcServer = createGrpcServer({ api: node, logger, limits, tracing });
  const port = await grpc.listen('127.0.0.1', 0);
  cleanups.push(() => grpc.shutdown(0));
  const rest = createRestServer({ api: node, logger, limits, tracing });
  cleanups.push(() => rest.close(0));
  const client = rawClient(`127.0.0.1:${port}`);
  cleanups.push(async () => client.close());
  await rawUnary(client, 'DeployResource', { resources: [{ name: 'pay.bpmn', content: Buffer.from(PAY) }] });
  exporter.reset();
  return { exporter, client, rest, spans: () => exporter.getFinishedSpans() };
}

function withTraceparent(): Metadata {
  const metadata = new Metadata();
  metadata.set('traceparent', TRACEPARENT);
  return metadata;
}

function named(spans: ReadableSpan[], name: string): ReadableSpan {
  const span = spans.find((s) => s.name === name);
  if (!span) throw new Error(`no span ${name} among ${spans.map((s) => s.name).join(', ')}`);
  return span;
}

const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;

async function activate(client: RawClient, metadata = new Metadata()): Promise<string[]> {
  const stream = (client['ActivateJobs'] as (r: object, m: Metadata) => ClientReadableStream<{ jobs: Array<{ key: string }> }>).call(
    client,
    { type: 'pay', worker: 'w1', timeout: 60_000, maxJobsToActivate: 10, requestTimeout: 1000 },
    metadata,
  );
  const keys: string[] = [];
  await new Promise<void>((resolve, reject) => {
    stream.on('data', (batch) => keys.push(...batch.jobs.map((j: { key: string }) => String(j.key))));
    stream.on('error', reject);
    stream.on('end', resolve);
  });
  return keys;
}

describe('tracing levels', () => {
  it('off creates no SDK and no tracer; each level adds its own tracer to the ones before', () => {
    const off = ZenTracing.create({ level: 'off' });
    expect(off).toBe(ZenTracing.OFF);
    expect(off.enabled).toBe(false);
    expect([off.api, off.engine, off.workers, off.full]).toEqual([null, null, null, null]);
    const present = (level: TracingLevel) => {
      const { tracing } = tracingAt(level);
      return [tracing.api, tracing.engine, tracing.workers, tracing.full].map((t) => t !== null);
    };
    expect(present('api')).toEqual([true, false, false, false]);
    expect(present('engine')).toEqual([true, true, false, false]);
    expect(present('workers')).toEqual([true, true, true, false]);
    expect(present('full')).toEqual([true, true, true, true]);
  });

  it('picks the OTLP exporter by protocol and refuses grpc with a message that says so', () => {
    expect(otlpTraceExporter({})).toBeInstanceOf(ProtobufTraceExporter);
    expect(otlpTraceExporter({ OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' })).toBeInstanceOf(JsonTraceExporter);
    expect(otlpTraceExporter({ OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json', OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/protobuf' })).toBeInstanceOf(ProtobufTraceExporter);
    expect(() => otlpTraceExporter({ OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' })).toThrow(ConfigError);
    expect(() => otlpTraceExporter({ OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' })).toThrow(/OTEL_EXPORTER_OTLP_PROTOCOL=grpc is not supported/);
    expect(() => otlpTraceExporter({ OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'thrift' })).toThrow(/OTEL_EXPORTER_OTLP_TRACES_PROTOCOL="thrift"/);
    expect(() => ZenTracing.create({ level: 'off' })).not.toThrow();
  });

  it('api: a SERVER span per gRPC call, child of the caller’s traceparent, and nothing from the partition', async () => {
    const stack = await stackAt('api');
    await rawUnary(stack.client, 'CreateProcessInstance', { bpmnProcessId: 'pay', version: -1 }, withTraceparent());
    await waitFor(() => stack.spans().length > 0, 'the gateway span');
    const spans = stack.spans();
    expect(spans.map((s) => s.name)).toEqual(['gateway_protocol.Gateway/CreateProcessInstance']);
    const [span] = spans;
    expect(span!.kind).toBe(SpanKind.SERVER);
    expect(span!.spanContext().traceId).toBe(TRACE_ID);
    expect(parentOf(span!)).toBe(CALLER_SPAN);
    expect(span!.attributes).toMatchObject({
      'rpc.system': 'grpc',
      'rpc.service': 'gateway_protocol.Gateway',
      'rpc.method': 'CreateProcessInstance',
      'rpc.grpc.status_code': 0,
    });
  });

  it('api: a failed call carries its status code; only server faults mark the span as an error', async () => {
    const stack = await stackAt('api');
    await rawUnary(stack.client, 'CreateProcessInstance', { bpmnProcessId: 'missing', version: -1 }).catch(() => {});
    await waitFor(() => stack.spans().length > 0, 'the gateway span');
    const [span] = stack.spans();
    expect(span!.attributes['rpc.grpc.status_code']).toBe(5); // NOT_FOUND
    expect(span!.status.code).toBe(SpanStatusCode.UNSET);
  });

  it('engine: the command span is a child of the gateway span and names partition, value type, intent and batch size', async () => {
    const stack = await stackAt('engine');
    await rawUnary(stack.client, 'CreateProcessInstance', { bpmnProcessId: 'pay', version: -1 }, withTraceparent());
    await waitFor(() => stack.spans().length >= 2, 'gateway and command spans');
    const spans = stack.spans();
    const gateway = named(spans, 'gateway_protocol.Gateway/CreateProcessInstance');
    const command = named(spans, 'command PROCESS_INSTANCE_CREATION CREATE');
    expect(command.spanContext().traceId).toBe(TRACE_ID);
    expect(parentOf(command)).toBe(gateway.spanContext().spanId);
    expect(command.attributes).toMatchObject({
      'zen.partition.id': 1,
      'zen.command.value_type': 'PROCESS_INSTANCE_CREATION',
      'zen.command.intent': 'CREATE',
      'zen.batch.size': 1,
    });
    // Nothing of workers or full at this level.
    expect(spans.some((s) => s.name.startsWith('job ') || s.name.startsWith('PROCESS '))).toBe(false);
  });

  it('engine: a rejected command says how', async () => {
    const stack = await stackAt('engine');
    await rawUnary(stack.client, 'CompleteJob', { jobKey: '2251799813685999', variables: '{}' }).catch(() => {});
    await waitFor(() => stack.spans().some((s) => s.name === 'command JOB COMPLETE'), 'the command span');
    const command = named(stack.spans(), 'command JOB COMPLETE');
    expect(command.attributes).toMatchObject({ 'zen.command.rejection_type': 'NOT_FOUND', 'zen.command.key': '2251799813685999' });
  });

  it('api: a SERVER span per REST request, named by route, with the caller’s traceparent honoured; engine spans below it', async () => {
    const stack = await stackAt('engine');
    const response = await stack.rest.app.inject({
      method: 'POST',
      url: '/v2/process-instances',
      headers: { traceparent: TRACEPARENT, 'content-type': 'application/json' },
      payload: { processDefinitionId: 'pay' },
    });
    expect(response.statusCode).toBe(200);
    await waitFor(() => stack.spans().some((s) => s.kind === SpanKind.SERVER), 'the request span');
    const spans = stack.spans();
    const request = named(spans, 'POST /v2/process-instances');
    expect(request.spanContext().traceId).toBe(TRACE_ID);
    expect(parentOf(request)).toBe(CALLER_SPAN);
    expect(request.attributes).toMatchObject({
      'http.request.method': 'POST',
      'http.route': '/v2/process-instances',
      'url.path': '/v2/process-instances',
      'http.response.status_code': 200,
    });
    const command = named(spans, 'command PROCESS_INSTANCE_CREATION CREATE');
    expect(parentOf(command)).toBe(request.spanContext().spanId);
  });

  it('workers: a job span from activation to completion, linked both ways with the completing command', async () => {
    const stack = await stackAt('workers');
    await rawUnary(stack.client, 'CreateProcessInstance', { bpmnProcessId: 'pay', version: -1 });
    const [jobKey] = await activate(stack.client, withTraceparent());
    expect(jobKey).toBeDefined();
    await rawUnary(stack.client, 'CompleteJob', { jobKey, variables: '{}' });
    await waitFor(() => stack.spans().some((s) => s.name === 'job pay'), 'the job span');
    const spans = stack.spans();
    const job = named(spans, 'job pay');
    const activation = named(spans, 'command JOB_BATCH ACTIVATE');
    const completion = named(spans, 'command JOB COMPLETE');
    expect(job.spanContext().traceId).toBe(TRACE_ID);
    expect(parentOf(job)).toBe(activation.spanContext().spanId);
    expect(job.attributes).toMatchObject({ 'zen.job.key': jobKey, 'zen.job.type': 'pay', 'zen.job.worker': 'w1', 'zen.element.id': 'task', 'zen.job.outcome': 'COMPLETED' });
    expect(job.links.map((l) => l.context.spanId)).toEqual([completion.spanContext().spanId]);
    expect(completion.links.map((l) => l.context.spanId)).toEqual([job.spanContext().spanId]);
    expect(spans.some((s) => s.name.startsWith('PROCESS '))).toBe(false);
  });

  it('full: a span per element instance, nested by flow scope under the command that created the instance', async () => {
    const stack = await stackAt('full');
    await rawUnary(stack.client, 'CreateProcessInstance', { bpmnProcessId: 'pay', version: -1 }, withTraceparent());
    const [jobKey] = await activate(stack.client);
    await rawUnary(stack.client, 'CompleteJob', { jobKey, variables: '{}' });
    await waitFor(() => stack.spans().some((s) => s.name === 'PROCESS pay'), 'the process span');
    const spans = stack.spans();
    const create = named(spans, 'command PROCESS_INSTANCE_CREATION CREATE');
    const processSpan = named(spans, 'PROCESS pay');
    expect(parentOf(processSpan)).toBe(create.spanContext().spanId);
    expect(processSpan.spanContext().traceId).toBe(TRACE_ID);
    for (const name of ['START_EVENT start', 'SERVICE_TASK task', 'END_EVENT end']) {
      const element = named(spans, name);
      expect(parentOf(element)).toBe(processSpan.spanContext().spanId);
      expect(element.attributes['zen.element.outcome']).toBe('COMPLETED');
    }
    expect(named(spans, 'SERVICE_TASK task').attributes).toMatchObject({ 'zen.element.id': 'task', 'zen.element.type': 'SERVICE_TASK', 'zen.partition.id': 1 });
    // The task ended in the worker's trace: the span notes it.
    expect(named(spans, 'SERVICE_TASK task').links).toHaveLength(1);
  });
});
