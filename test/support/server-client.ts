/**
 * What the server tests use to talk to a running zen: the real `@camunda8/sdk` Zeebe client
 * (quiet, no retries), BPMN fixtures, gRPC status helpers and a Prometheus text reader.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Camunda8 } from '@camunda8/sdk';
import { credentials, loadPackageDefinition, type Client, type ServiceError } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { afterAll, beforeAll, expect } from 'vitest';
import { REPO_ROOT, type ZenServer } from './server-process.js';

export type ZeebeClient = ReturnType<Camunda8['getZeebeGrpcApiClient']>;

export interface ClientOptions {
  /**
   * The SDK retries UNAVAILABLE, RESOURCE_EXHAUSTED and even DEADLINE_EXCEEDED forever by
   * default, which would hide every status these tests assert on. Off unless asked for.
   */
  readonly retry?: boolean;
}

/**
 * A Zeebe gRPC client for `server` as an application would build it. No auth, no console output
 * (SDK 8.8: CAMUNDA_LOG_LEVEL for the SDK's logger, ZEEBE_CLIENT_LOG_LEVEL for the Zeebe client
 * and its workers). The port is read now: after a restart, build a new client.
 */
export function zeebeClient(server: ZenServer, options: ClientOptions = {}): ZeebeClient {
  const c8 = new Camunda8({
    ZEEBE_GRPC_ADDRESS: `grpc://${server.grpcAddress}`,
    CAMUNDA_AUTH_STRATEGY: 'NONE',
    CAMUNDA_OAUTH_DISABLED: true,
    CAMUNDA_LOG_LEVEL: 'none',
    zeebeGrpcSettings: {
      ZEEBE_CLIENT_LOG_LEVEL: 'NONE',
      ZEEBE_GRPC_CLIENT_RETRY: options.retry ?? false,
      ZEEBE_GRPC_CLIENT_MAX_RETRIES: options.retry ? 5 : 0,
      ZEEBE_GRPC_CLIENT_INITIAL_CONNECTION_TOLERANCE_MS: 0,
    },
  });
  return c8.getZeebeGrpcApiClient();
}

/**
 * The SDK's stream worker hands every stream error to console.error, including the CANCELLED
 * its own close() causes. Drops exactly those for the calling file; anything else still prints.
 */
export function muteSdkStreamCancellations(): void {
  let original: typeof console.error | undefined;
  beforeAll(() => {
    original = console.error;
    const print = original;
    console.error = (...args: unknown[]) => {
      const [first] = args;
      const cancelled =
        args.length === 1 && first instanceof Error && (first as { code?: unknown }).code === 1 && /Cancelled on client/.test(first.message);
      if (!cancelled) print(...args);
    };
  });
  afterAll(() => {
    if (original) console.error = original;
  });
}

/**
 * One unary call with a plain grpc-js client built from the repository's gateway.proto, for
 * requests the SDK refuses to send (it checks variables itself, for one).
 */
export async function rawUnary<T = Record<string, unknown>>(server: ZenServer, method: string, request: object): Promise<T> {
  const definition = loadSync(join(REPO_ROOT, 'proto', 'gateway.proto'), { keepCase: true, longs: String, enums: String, defaults: true });
  const pkg = loadPackageDefinition(definition) as unknown as {
    gateway_protocol: { Gateway: new (address: string, creds: unknown) => Client & Record<string, unknown> };
  };
  const client = new pkg.gateway_protocol.Gateway(server.grpcAddress, credentials.createInsecure());
  try {
    return await new Promise<T>((resolve, reject) => {
      const fn = client[method] as ((req: object, cb: (err: ServiceError | null, res: T) => void) => void) | undefined;
      if (!fn) throw new Error(`gateway.proto has no method ${method}`);
      fn.call(client, request, (err, res) => (err ? reject(err) : resolve(res)));
    });
  } finally {
    client.close();
  }
}

export const FIXTURES = join(REPO_ROOT, 'test', 'fixtures', 'bpmn');

export function fixturePath(name: string): string {
  return join(FIXTURES, name);
}

export function fixture(name: string): Buffer {
  return readFileSync(fixturePath(name));
}

/** Deploys fixture files one by one, checking each deployed a process. */
export async function deployFixtures(client: ZeebeClient, ...names: string[]): Promise<void> {
  for (const name of names) {
    const result = await client.deployResource({ processFilename: fixturePath(name) });
    expect(result.deployments.length, `deploying ${name}`).toBeGreaterThan(0);
  }
}

export interface GrpcFailure {
  readonly code: number;
  readonly details: string;
  readonly message: string;
}

/** Awaits a call that must fail and returns its gRPC status; fails the test if it succeeds. */
export async function grpcFailure(call: Promise<unknown>): Promise<GrpcFailure> {
  let result: unknown;
  try {
    result = await call;
  } catch (err) {
    const e = err as { code?: unknown; details?: unknown; message?: unknown };
    if (typeof e.code !== 'number') throw new Error(`expected a gRPC error, got ${String(err)}`, { cause: err });
    return { code: e.code, details: String(e.details ?? ''), message: String(e.message ?? '') };
  }
  return expect.fail(`expected the call to fail, but it returned ${JSON.stringify(result)}`);
}

/** gRPC status codes the tests assert on. */
export const Code = {
  OK: 0,
  CANCELLED: 1,
  INVALID_ARGUMENT: 3,
  DEADLINE_EXCEEDED: 4,
  NOT_FOUND: 5,
  ALREADY_EXISTS: 6,
  RESOURCE_EXHAUSTED: 8,
  FAILED_PRECONDITION: 9,
  UNAVAILABLE: 14,
} as const;

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls `probe` until it returns a value other than undefined, or fails after `timeoutMs`. */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(50);
  }
}

/**
 * Prometheus text exposition → metric sample name to value, summed over label sets
 * (`zen_jobs_completed_total` → total over partitions). Histogram series keep their suffixes.
 */
export function parseMetrics(text: string): Map<string, number> {
  const totals = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})?\s+(\S+)/.exec(line);
    if (!match) continue;
    const value = Number(match[3]);
    if (Number.isNaN(value)) continue;
    totals.set(match[1]!, (totals.get(match[1]!) ?? 0) + value);
  }
  return totals;
}

export async function scrapeMetrics(server: ZenServer): Promise<Map<string, number>> {
  const { status, body } = await server.get('/metrics');
  expect(status).toBe(200);
  return parseMetrics(body);
}
