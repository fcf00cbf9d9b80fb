/** Starts the real gateway on an ephemeral port and builds the clients that talk to it. */
import { Camunda8 } from '@camunda8/sdk';
import {
  credentials,
  loadPackageDefinition,
  Metadata,
  type ChannelOptions,
  type Client,
  type ClientReadableStream,
  type ServiceError,
} from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { createGrpcServer, findGatewayProto, LOADER_OPTIONS } from '../../../src/api/grpc/index.js';
import type { GrpcServer, GrpcTimeouts } from '../../../src/api/grpc/index.js';
import { FakeApi } from '../../support/fake-api.js';
import { RecordingLogger } from '../../support/recording-logger.js';

export { RecordingLogger, type LogLine } from '../../support/recording-logger.js';

export interface Gateway {
  readonly api: FakeApi;
  readonly logger: RecordingLogger;
  readonly server: GrpcServer;
  readonly port: number;
  readonly address: string;
}

export interface GatewayOptions {
  readonly maxMessageSize?: number;
  readonly maxResourcesPerDeployment?: number;
  readonly timeouts?: Partial<GrpcTimeouts>;
  readonly multiTenancy?: boolean;
}

export async function startGateway(options: GatewayOptions = {}): Promise<Gateway> {
  const api = new FakeApi();
  const logger = new RecordingLogger();
  const server = createGrpcServer({
    api,
    logger,
    limits: {
      maxMessageSize: options.maxMessageSize ?? 4 * 1024 * 1024,
      maxResourcesPerDeployment: options.maxResourcesPerDeployment ?? 3,
    },
    timeouts: options.timeouts,
    multiTenancy: options.multiTenancy ?? false,
  });
  const port = await server.listen('127.0.0.1', 0);
  return { api, logger, server, port, address: `127.0.0.1:${port}` };
}

/** The real SDK client, quiet, and with its retry loop off so failures surface at once. */
export function sdkClient(port: number) {
  const c8 = new Camunda8({
    ZEEBE_GRPC_ADDRESS: `grpc://127.0.0.1:${port}`,
    CAMUNDA_AUTH_STRATEGY: 'NONE',
    CAMUNDA_LOG_LEVEL: 'none',
    zeebeGrpcSettings: { ZEEBE_CLIENT_LOG_LEVEL: 'NONE', ZEEBE_GRPC_CLIENT_RETRY: false },
  });
  return c8.getZeebeGrpcApiClient();
}

/** A plain grpc-js client built from the same proto, for what the SDK hides or refuses to send. */
export type RawClient = Client & Record<string, (...args: unknown[]) => unknown>;

export function rawClient(address: string, options: ChannelOptions = {}): RawClient {
  const definition = loadSync(findGatewayProto(), LOADER_OPTIONS);
  const pkg = loadPackageDefinition(definition) as unknown as {
    gateway_protocol: { Gateway: new (address: string, creds: unknown, options: ChannelOptions) => RawClient };
  };
  return new pkg.gateway_protocol.Gateway(address, credentials.createInsecure(), options);
}

export function rawUnary<T = Record<string, unknown>>(
  client: RawClient,
  method: string,
  request: object,
  metadata: Metadata = new Metadata(),
): Promise<T> {
  return new Promise((resolve, reject) => {
    const fn = client[method];
    if (!fn) throw new Error(`No method ${method}`);
    fn.call(client, request, metadata, (err: ServiceError | null, response: T) =>
      err ? reject(err) : resolve(response),
    );
  });
}

export function rawStream<T = Record<string, unknown>>(
  client: RawClient,
  method: string,
  request: object,
): ClientReadableStream<T> {
  const fn = client[method];
  if (!fn) throw new Error(`No method ${method}`);
  return fn.call(client, request) as ClientReadableStream<T>;
}

/** Reads a server stream to its end: the messages, or the error status it ended with. */
export function collect<T>(stream: ClientReadableStream<T>): Promise<T[]> {
  return new Promise((resolve, reject) => {
    const items: T[] = [];
    stream.on('data', (item: T) => items.push(item));
    stream.on('error', reject);
    stream.on('end', () => resolve(items));
  });
}

export async function waitFor(condition: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export function rejection(promise: Promise<unknown>): Promise<ServiceError> {
  return promise.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (err: ServiceError) => err,
  );
}
