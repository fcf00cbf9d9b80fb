/**
 * What sits under the RPCs: gzip and the empty authorization header the SDK sends, the message
 * size limit, the server's lifecycle, and a client that is not Node (zbctl, Go).
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { Metadata, status } from '@grpc/grpc-js';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ActivateJobsRequest, CreateInstanceRequest } from '../../../src/node/api.js';
import { createGrpcServer } from '../../../src/api/grpc/index.js';
import { FakeApi, makeJob } from '../../support/fake-api.js';
import { rawClient, rawUnary, RecordingLogger, rejection, sdkClient, startGateway, type Gateway } from './harness.js';
import { describeRequiring } from '../../support/requires.js';

interface SeenRequest {
  readonly path: string;
  readonly headers: http2.IncomingHttpHeaders;
  /** The compressed-flag byte of the first gRPC frame. */
  compressedFlag: number | null;
}

/**
 * A pass-through HTTP/2 proxy that records request headers and framing, to see what the SDK
 * really puts on the wire.
 */
async function recordingProxy(target: string) {
  const seen: SeenRequest[] = [];
  const upstream = http2.connect(`http://${target}`);
  const server = http2.createServer();
  server.on('stream', (downstream, headers) => {
    const record: SeenRequest = { path: String(headers[':path']), headers, compressedFlag: null };
    seen.push(record);
    const forwarded: http2.OutgoingHttpHeaders = {};
    for (const [name, value] of Object.entries(headers)) {
      if (!name.startsWith(':')) forwarded[name] = value;
    }
    const request = upstream.request({ ':method': 'POST', ':path': record.path, ...forwarded });
    downstream.on('data', (chunk: Buffer) => {
      if (record.compressedFlag === null) record.compressedFlag = chunk[0] ?? null;
      request.write(chunk);
    });
    downstream.on('end', () => request.end());
    let trailers: http2.IncomingHttpHeaders = {};
    request.on('response', (responseHeaders) => downstream.respond(responseHeaders, { waitForTrailers: true }));
    request.on('trailers', (t) => (trailers = t));
    request.on('data', (chunk: Buffer) => downstream.write(chunk));
    request.on('end', () => downstream.end());
    downstream.on('wantTrailers', () => downstream.sendTrailers(trailers));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    seen,
    port: (server.address() as AddressInfo).port,
    close: async () => {
      upstream.close();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

describe('what the SDK puts on the wire', () => {
  let gw: Gateway;
  beforeAll(async () => {
    gw = await startGateway();
  });
  afterAll(async () => {
    await gw.server.shutdown(1_000);
  });

  it('sends gzip-compressed messages and an empty authorization header, and both are accepted', async () => {
    const proxy = await recordingProxy(gw.address);
    const zeebe = sdkClient(proxy.port);
    try {
      const response = await zeebe.createProcessInstance({ bpmnProcessId: 'order', variables: { note: 'x'.repeat(500) } });
      expect(response.processInstanceKey).toBe('2251799813685251');
      expect(gw.api.lastArg<CreateInstanceRequest>('createProcessInstance').variables).toEqual({ note: 'x'.repeat(500) });

      const call = proxy.seen.find((r) => r.path === '/gateway_protocol.Gateway/CreateProcessInstance');
      expect(call?.headers['grpc-encoding']).toBe('gzip');
      expect(call?.compressedFlag).toBe(1);
      expect(call?.headers.authorization).toBe('');
    } finally {
      await zeebe.close();
      await proxy.close();
    }
  });

  it('accepts an explicitly empty authorization header from a plain client', async () => {
    const client = rawClient(gw.address);
    try {
      const metadata = new Metadata();
      metadata.set('authorization', '');
      const topology = await rawUnary<{ clusterSize: number }>(client, 'Topology', {}, metadata);
      expect(topology.clusterSize).toBe(1);
    } finally {
      client.close();
    }
  });

  it('accepts deflate from a plain client too', async () => {
    const client = rawClient(gw.address, { 'grpc.default_compression_algorithm': 1 });
    try {
      await rawUnary(client, 'PublishMessage', { name: 'm', variables: '{"a":1}' });
    } finally {
      client.close();
    }
  });
});

describe('message size limit', () => {
  const limit = 64 * 1024;
  let gw: Gateway;
  beforeAll(async () => {
    gw = await startGateway({ maxMessageSize: limit });
  });
  afterAll(async () => {
    await gw.server.shutdown(1_000);
  });

  it('refuses an oversized request with RESOURCE_EXHAUSTED naming the size and the limit', async () => {
    const client = rawClient(gw.address);
    try {
      const variables = JSON.stringify({ blob: 'x'.repeat(limit) });
      const err = await rejection(rawUnary(client, 'PublishMessage', { name: 'm', variables }));
      expect(err.code).toBe(status.RESOURCE_EXHAUSTED);
      expect(err.details).toMatch(new RegExp(`^Request of \\d+ bytes is larger than the limit of ${limit} bytes \\(maxMessageSize\\)$`));
      expect(gw.api.argsOf('publishMessage')).toHaveLength(0);
    } finally {
      client.close();
    }
  });

  it('checks the size after gzip decompression as well (SDK, compressible payload)', async () => {
    const zeebe = sdkClient(gw.port);
    try {
      const err = await rejection(zeebe.publishMessage({ name: 'm', correlationKey: 'k', variables: { blob: 'x'.repeat(1.5 * limit) } }));
      expect(err.code).toBe(status.RESOURCE_EXHAUSTED);
      expect(err.details).toContain(`larger than the limit of ${limit} bytes (maxMessageSize)`);
      // Far beyond the limit, grpc-js's transport cap answers before the request is decoded.
      const huge = await rejection(zeebe.publishMessage({ name: 'm', correlationKey: 'k', variables: { blob: 'x'.repeat(4 * limit) } }));
      expect(huge.code).toBe(status.RESOURCE_EXHAUSTED);
      expect(huge.details).toContain(`decompresses to a size larger than ${2 * limit}`);
    } finally {
      await zeebe.close();
    }
  });

  it('refuses an oversized gzip frame from the SDK (incompressible payload)', async () => {
    const zeebe = sdkClient(gw.port);
    try {
      const blob = randomBytes(limit).toString('base64');
      const err = await rejection(zeebe.publishMessage({ name: 'm', correlationKey: 'k', variables: { blob } }));
      expect(err.code).toBe(status.RESOURCE_EXHAUSTED);
      expect(err.details).toContain(`larger than the limit of ${limit} bytes (maxMessageSize)`);
    } finally {
      await zeebe.close();
    }
  });

  it('serves requests just under the limit', async () => {
    const client = rawClient(gw.address);
    try {
      await rawUnary(client, 'PublishMessage', { name: 'm', variables: JSON.stringify({ blob: 'x'.repeat(limit - 1_000) }) });
    } finally {
      client.close();
    }
  });
});

describe('lifecycle', () => {
  const options = () => ({
    api: new FakeApi(),
    logger: new RecordingLogger(),
    limits: { maxMessageSize: 1024 * 1024, maxResourcesPerDeployment: 10 },
  });

  it("reports readiness only while bound (and takes the project's pino logger)", async () => {
    const server = createGrpcServer({ ...options(), logger: pino({ level: 'silent' }) });
    expect(server.isListening()).toBe(false);
    expect(server.boundPort()).toBeNull();
    const port = await server.listen('127.0.0.1', 0);
    expect(port).toBeGreaterThan(0);
    expect(server.isListening()).toBe(true);
    expect(server.boundPort()).toBe(port);
    await server.shutdown(1_000);
    expect(server.isListening()).toBe(false);
    expect(server.boundPort()).toBeNull();
    await server.shutdown(1_000);
  });

  it('fails to listen on a port that is taken, and can listen only once', async () => {
    const first = createGrpcServer(options());
    const port = await first.listen('127.0.0.1', 0);
    const second = createGrpcServer(options());
    // grpc-js reports the failed bind on console.error as well.
    const quiet = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      await expect(second.listen('127.0.0.1', port)).rejects.toThrow(`127.0.0.1:${port}`);
      expect(second.isListening()).toBe(false);
      await expect(first.listen('127.0.0.1', 0)).rejects.toThrow('it is listening');
    } finally {
      quiet.mockRestore();
      await first.shutdown(0);
      await second.shutdown(0);
    }
  });

  it('lets an in-flight unary call finish within the grace period', async () => {
    const opts = options();
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    opts.api.resolveIncident = async () => released;
    const server = createGrpcServer(opts);
    const port = await server.listen('127.0.0.1', 0);
    const client = rawClient(`127.0.0.1:${port}`);
    try {
      const call = rawUnary(client, 'ResolveIncident', { incidentKey: '2251799813685257' });
      await new Promise((r) => setTimeout(r, 50));
      const stopped = server.shutdown(5_000);
      setTimeout(release, 100);
      await expect(call).resolves.toEqual({});
      await stopped;
    } finally {
      client.close();
    }
  });

  it('cuts calls still running when the grace period ends', async () => {
    const opts = options();
    opts.api.resolveIncident = () => new Promise(() => {});
    const server = createGrpcServer(opts);
    const port = await server.listen('127.0.0.1', 0);
    const client = rawClient(`127.0.0.1:${port}`);
    try {
      const call = rejection(rawUnary(client, 'ResolveIncident', { incidentKey: '2251799813685257' }));
      await new Promise((r) => setTimeout(r, 50));
      const started = Date.now();
      await server.shutdown(200);
      expect(Date.now() - started).toBeLessThan(2_000);
      // grpc-js resets the HTTP/2 stream; the client reports that as CANCELLED.
      expect((await call).code).toBe(status.CANCELLED);
    } finally {
      client.close();
    }
  });
});

const zbctl = new URL('../../../node_modules/zbctl/bin/zbctl-cli.linux', import.meta.url).pathname;
const canRunZbctl = process.platform === 'linux' && process.arch === 'x64' && existsSync(zbctl);

describeRequiring(canRunZbctl, 'the zbctl binary (npm package zbctl, linux-x64)', 'zbctl (the Go client)', () => {
  let gw: Gateway;
  beforeAll(async () => {
    gw = await startGateway();
  });
  afterAll(async () => {
    await gw.server.shutdown(1_000);
  });

  const run = (...args: string[]) =>
    new Promise<string>((resolve, reject) => {
      execFile(zbctl, ['--insecure', '--address', gw.address, ...args], { timeout: 20_000 }, (err, stdout, stderr) =>
        err ? reject(new Error(`zbctl ${args.join(' ')} failed: ${stderr || err.message}`)) : resolve(stdout),
      );
    });

  it('status prints the topology', async () => {
    const out = await run('status');
    expect(out).toContain('Cluster size: 1');
    expect(out).toContain('Partitions count: 3');
    expect(out).toContain('Gateway version: 0.1.0');
    expect(out).toMatch(/Partition 1\s*:\s*Leader, Healthy/);
    expect(out).toMatch(/Partition 2\s*:\s*Follower, Unhealthy/);
  });

  it('create instance round-trips variables and an exact int64 key', async () => {
    const out = await run('create', 'instance', 'order', '--variables', '{"amount":42}');
    expect(out).toContain('2251799813685251');
    expect(gw.api.lastArg<CreateInstanceRequest>('createProcessInstance')).toMatchObject({
      bpmnProcessId: 'order',
      version: -1,
      variables: { amount: 42 },
    });
  });

  it('activate jobs (server streaming) and complete job keep keys exact', async () => {
    gw.api.addJob(makeJob());
    const out = await run('activate', 'jobs', 'payment', '--worker', 'go');
    expect(out).toContain('2251799813685253');
    expect(gw.api.lastArg<ActivateJobsRequest>('activateJobs')).toMatchObject({ type: 'payment', worker: 'go' });

    await run('complete', 'job', '2251799813685253', '--variables', '{"paid":true}');
    expect(gw.api.argsOf('completeJob').at(-1)).toEqual([2251799813685253n, { paid: true }]);
  });
});
