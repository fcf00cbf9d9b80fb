/**
 * Traces out of a real `zen start --tracing-level engine`, exported over OTLP/HTTP (JSON, so the
 * test can read it) to a collector the test runs: a gRPC call made with a traceparent yields
 * spans of that trace, the partition's command span among them. And OTLP over gRPC is refused
 * at start with a line that says so.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { credentials, loadPackageDefinition, Metadata, type Client, type ServiceError } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chain, end, model, start } from '../fixtures/bpmn-builder.js';
import { waitFor } from '../support/server-client.js';
import { REPO_ROOT, showServerOutputOnFailure, ZenServer } from '../support/server-process.js';

const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';
const CALLER_SPAN = 'b7ad6b7169203331';

interface ExportedSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  attributes: Array<{ key: string; value: Record<string, unknown> }>;
}

const spans: ExportedSpan[] = [];
const resources: Array<Record<string, unknown>> = [];
let collector: Server;
let server: ZenServer;

function attribute(span: ExportedSpan, key: string): unknown {
  const value = span.attributes.find((a) => a.key === key)?.value;
  return value ? Object.values(value)[0] : undefined;
}

beforeAll(async () => {
  collector = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      if (request.url === '/v1/traces') {
        const payload = JSON.parse(body) as { resourceSpans: Array<{ resource: { attributes: unknown }; scopeSpans: Array<{ spans: ExportedSpan[] }> }> };
        for (const rs of payload.resourceSpans) {
          resources.push(rs.resource as Record<string, unknown>);
          for (const ss of rs.scopeSpans) spans.push(...ss.spans);
        }
      }
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
  const port = (collector.address() as AddressInfo).port;
  server = await ZenServer.start({
    args: ['--tracing-level', 'engine'],
    env: {
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_SERVICE_NAME: 'zen-under-test',
      OTEL_BSP_SCHEDULE_DELAY: '100',
    },
  });
});

afterAll(async () => {
  const exit = await server?.dispose();
  expect(exit?.code).toBe(0);
  await new Promise((resolve) => collector?.close(resolve));
});

showServerOutputOnFailure(() => [server]);

function unary(method: string, request: object, metadata: Metadata): Promise<Record<string, unknown>> {
  const definition = loadSync(join(REPO_ROOT, 'proto', 'gateway.proto'), { keepCase: true, longs: String, enums: String, defaults: true });
  const pkg = loadPackageDefinition(definition) as unknown as {
    gateway_protocol: { Gateway: new (address: string, creds: unknown) => Client & Record<string, unknown> };
  };
  const client = new pkg.gateway_protocol.Gateway(server.grpcAddress, credentials.createInsecure());
  return new Promise<Record<string, unknown>>((resolve, reject) => {
    const fn = client[method] as (req: object, md: Metadata, cb: (err: ServiceError | null, res: Record<string, unknown>) => void) => void;
    fn.call(client, request, metadata, (err, res) => (err ? reject(err) : resolve(res)));
  }).finally(() => client.close());
}

describe('zen start --tracing-level engine', () => {
  it('exports the spans of a traced gRPC call, the partition command span among them, under the caller’s trace id', async () => {
    const xml = model('traced', start(), end(), ...chain('start', 'end'));
    await unary('DeployResource', { resources: [{ name: 'traced.bpmn', content: Buffer.from(xml) }] }, new Metadata());
    const metadata = new Metadata();
    metadata.set('traceparent', `00-${TRACE_ID}-${CALLER_SPAN}-01`);
    const created = await unary('CreateProcessInstance', { bpmnProcessId: 'traced', version: -1 }, metadata);
    expect(created.processInstanceKey).toBeDefined();

    const ofTrace = () => spans.filter((s) => s.traceId.toLowerCase() === TRACE_ID);
    await waitFor('the command span exported', async () => (ofTrace().some((s) => s.name === 'command PROCESS_INSTANCE_CREATION CREATE') ? true : undefined));
    const traced = ofTrace();
    const gateway = traced.find((s) => s.name === 'gateway_protocol.Gateway/CreateProcessInstance')!;
    const command = traced.find((s) => s.name === 'command PROCESS_INSTANCE_CREATION CREATE')!;
    expect(gateway).toBeDefined();
    expect(gateway.parentSpanId?.toLowerCase()).toBe(CALLER_SPAN);
    expect(attribute(gateway, 'rpc.system')).toBe('grpc');
    expect(command.parentSpanId).toBe(gateway.spanId);
    expect(Number(attribute(command, 'zen.partition.id'))).toBe(1);
    expect(attribute(command, 'zen.command.value_type')).toBe('PROCESS_INSTANCE_CREATION');
    expect(Number(attribute(command, 'zen.batch.size'))).toBe(1);
    // OTEL_SERVICE_NAME names the service.
    expect(JSON.stringify(resources)).toContain('zen-under-test');
    // The deployment had no traceparent: a trace of its own, not this one.
    expect(traced.some((s) => s.name.includes('Deploy'))).toBe(false);
  });
});

describe('OTEL_EXPORTER_OTLP_PROTOCOL=grpc', () => {
  it('stops the start with a message that says it is not supported', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'zen-traces-grpc-'));
    try {
      const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('ZEN_') && !k.startsWith('OTEL_')));
      const result = spawnSync(
        process.execPath,
        [join(REPO_ROOT, 'bin/zen.js'), 'start', '--data-dir', dataDir, '--host', '127.0.0.1', '--grpc-port', '0', '--rest-port', '0', '--system-port', '0', '--tracing-level', 'api'],
        { env: { ...env, OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' }, encoding: 'utf8', timeout: 20_000 },
      );
      expect(result.status).toBe(1);
      expect(result.stdout + result.stderr).toMatch(/OTEL_EXPORTER_OTLP_PROTOCOL=grpc is not supported/);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
