/**
 * Clients of other nodes' internal services: one grpc-js channel per peer address
 * (`host:privatePort`), made on first use. Every call has a deadline; failures come back as
 * ZenErrors (see remote-errors.ts for which ones are safe to retry).
 */
import type { PartitionRead, PartitionReadResult } from '../../history/read.js';
import {
  credentials,
  Metadata,
  type ChannelCredentials,
  type ChannelOptions,
  type Client,
  type ClientReadableStream,
  type ClientUnaryCall,
  type ClientWritableStream,
  type ServiceError,
} from '@grpc/grpc-js';
import type { Logger } from 'pino';
import { ZenError } from '../../errors.js';
import type { CommandResponse, EngineCommand } from '../../engine/processing/types.js';
import { decodeReadAnswer, decodeResponse, encodeCommand, encodeReadQuery } from './command-codec.js';
import type { ReadAnswer } from '../../node/api.js';
import {
  DEFAULT_MAX_MESSAGE_BYTES,
  internalService,
  type DeliverRequest,
  type JobsAvailableMessage,
  type PingResponse,
  type ReadRequest,
  type PushRequest,
  type ReadResponse,
  type SubmitRequest,
  type SubmitResponse,
  type WatchJobsRequest,
} from './internal-proto.js';
import type { ClusterAuth } from './auth.js';
import { presentProofs } from './grpc-auth.js';
import { context, SpanKind, trace, type Span } from '@opentelemetry/api';
import { endRpcSpan } from '../../tracing/grpc-spans.js';
import { metadataSetter } from '../../tracing/grpc-metadata.js';
import type { ZenTracing } from '../../tracing/zen-tracing.js';
import { fromServiceError, type CallContext } from './remote-errors.js';
import { peerChannelCredentials } from '../../tls/grpc-credentials.js';
import type { TlsSource } from '../../tls/watcher.js';

type Unary<Req, Res> = (
  request: Req,
  metadata: Metadata,
  options: { deadline: number },
  callback: (err: ServiceError | null, response?: Res) => void,
) => ClientUnaryCall;

/** The generated client's methods, as proto-loader names them. */
interface NodeClient extends Client {
  Submit: Unary<SubmitRequest, SubmitResponse>;
  Deliver: Unary<DeliverRequest, unknown>;
  Ping: Unary<Record<string, never>, PingResponse>;
  Read: Unary<ReadRequest, ReadResponse>;
  PushStream(metadata: Metadata, callback: (err: ServiceError | null) => void): ClientWritableStream<PushRequest>;
  WatchJobs(request: WatchJobsRequest, metadata: Metadata): ClientReadableStream<JobsAvailableMessage>;
}

export interface ClientPoolOptions {
  readonly logger: Logger;
  /** This node, named in WatchJobs requests so the other side's logs say who watches. */
  readonly nodeId?: number;
  /** Deadline of a call that does not wait for a process result (default 15 s). */
  readonly callTimeoutMs?: number;
  readonly maxMessageBytes?: number;
  /** Reconnect delays of a job watch: doubling from `initialMs` up to `maxMs`. */
  readonly watchBackoff?: { readonly initialMs: number; readonly maxMs: number };
  /** Makes the proof each call presents, WatchJobs each time it (re)opens (see auth.ts); unset: none. */
  readonly auth?: ClusterAuth | null;
  /** From level `engine` on: a CLIENT span per proxied call (Submit, Deliver, Read), its context sent along. */
  readonly tracing?: ZenTracing;
  /** Mutual TLS: present this certificate and accept peers whose certificate chains to its CA. Absent: plain TCP. */
  readonly tls?: TlsSource;
  /** Told of every unary call as it starts (a metric: how much crosses the port, by method). */
  readonly onCall?: (rpc: string) => void;
}

/** SNI a node sends its peers; they serve one certificate whatever the name. */
export const PEER_SERVER_NAME = 'zen-node';

/** The calls that carry a request to another node; Push and Ping are the cluster's own chatter. */
const TRACED_RPCS: ReadonlySet<string> = new Set(['Submit', 'Deliver', 'Read']);

export interface SubmitOptions {
  /** > 0: submitAwaiting on the leader with this timeout. */
  readonly awaitTimeoutMs?: number;
  /** Overrides the pool's call deadline. */
  readonly timeoutMs?: number;
}

export interface JobWatchEvents {
  /** The watch is (again) in place; notifications sent while it was not are lost. */
  onConnected?(): void;
}

export interface JobWatch {
  close(): void;
}

/** One peer's push stream (see entry-pusher.ts). */
export interface PushStream {
  /** Sends one message; false: the stream's buffer is full, wait for `onDrain` before the next. */
  write(partitionId: number, entries: Buffer): boolean;
  /** Ends the stream from this side. */
  end(): void;
}

export interface PushStreamEvents {
  /** The buffer has room again. */
  onDrain(): void;
  /** The stream is over (error, peer gone, ended): open another to push again. */
  onEnd(err: Error | null): void;
}

function splitAddress(address: string): [string, number | null] {
  const colon = address.lastIndexOf(':');
  if (colon < 0) return [address, null];
  const port = Number(address.slice(colon + 1));
  return [address.slice(0, colon).replace(/^\[|\]$/g, ''), Number.isInteger(port) ? port : null];
}

export class ClientPool {
  private readonly clients = new Map<string, NodeClient>();
  private readonly watches = new Set<JobWatch>();
  private readonly callTimeoutMs: number;
  /** One for every channel: with TLS, each connection a channel opens takes the certificate current then. */
  private readonly credentials: ChannelCredentials;
  private closed = false;

  constructor(private readonly options: ClientPoolOptions) {
    this.callTimeoutMs = options.callTimeoutMs ?? 15_000;
    this.credentials = options.tls ? peerChannelCredentials(options.tls) : credentials.createInsecure();
  }

  /** Runs `command` on `partitionId` at the node at `address`, which should lead it. */
  submit(address: string, partitionId: number, command: Omit<EngineCommand, 'requestId'>, options: SubmitOptions = {}): Promise<CommandResponse> {
    const awaitTimeoutMs = options.awaitTimeoutMs ?? 0;
    // Awaiting: the leader answers DEADLINE_EXCEEDED itself at awaitTimeoutMs; the call's own
    // deadline leaves room for that answer (and for the commit before the wait).
    const timeoutMs = (options.timeoutMs ?? this.callTimeoutMs) + Math.max(0, awaitTimeoutMs);
    const request: SubmitRequest = { partitionId, command: encodeCommand(command), awaitTimeoutMs: Math.max(0, Math.round(awaitTimeoutMs)) };
    return this.unary<SubmitRequest, SubmitResponse>(address, 'Submit', request, { address, rpc: 'Submit', partitionId, timeoutMs }).then((response) =>
      decodeResponse(response.response),
    );
  }

  /** Hands a cross-partition command to the node at `address`; resolves once it is enqueued there. */
  async deliver(address: string, partitionId: number, command: EngineCommand, timeoutMs = this.callTimeoutMs): Promise<void> {
    await this.unary(address, 'Deliver', { partitionId, command: encodeCommand(command) }, { address, rpc: 'Deliver', partitionId, timeoutMs });
  }

  /** Runs a read on the node at `address`, which should hold the partition in sync. */
  async read(address: string, partitionId: number, query: PartitionRead, timeoutMs = this.callTimeoutMs): Promise<ReadAnswer<PartitionReadResult>> {
    const request: ReadRequest = { partitionId, query: encodeReadQuery(query) };
    const response = await this.unary<ReadRequest, ReadResponse>(address, 'Read', request, { address, rpc: 'Read', partitionId, timeoutMs });
    return decodeReadAnswer(response.answer);
  }

  /**
   * Opens a stream of pushes to the node at `address`. It has no deadline: the channel's
   * keepalive fails it when the peer stops answering.
   */
  openPushStream(address: string, events: PushStreamEvents): PushStream {
    let ended = false;
    const end = (err: Error | null) => {
      if (ended) return;
      ended = true;
      events.onEnd(err);
    };
    const call = this.client(address).PushStream(new Metadata(), (err) => end(err ? fromServiceError(err, { address, rpc: 'PushStream', timeoutMs: 0 }) : null));
    this.options.onCall?.('PushStream');
    call.on('drain', () => events.onDrain());
    // The callback reports every ending; errors only need a listener.
    call.on('error', () => {});
    return {
      write: (partitionId, entries) => {
        this.options.onCall?.('Push');
        return call.write({ partitionId, entries });
      },
      end: () => {
        if (!ended) call.end();
      },
    };
  }

  async ping(address: string, timeoutMs = this.callTimeoutMs): Promise<{ nodeId: number }> {
    const response = await this.unary<Record<string, never>, PingResponse>(address, 'Ping', {}, { address, rpc: 'Ping', timeoutMs });
    return { nodeId: response.nodeId };
  }

  /**
   * Job-availability notifications from the node at `address`, until closed. The stream is
   * re-opened after every failure, with backoff, since nodes restart and leaders move.
   */
  watchJobs(address: string, listener: (partitionId: number, type: string, served: boolean) => void, events: JobWatchEvents = {}): JobWatch {
    const { logger } = this.options;
    const backoff = this.options.watchBackoff ?? { initialMs: 100, maxMs: 5_000 };
    let delay = backoff.initialMs;
    let call: ClientReadableStream<JobsAvailableMessage> | null = null;
    let timer: NodeJS.Timeout | null = null;
    let closed = false;

    const open = () => {
      timer = null;
      if (closed) return;
      const current = this.client(address).WatchJobs({ nodeId: this.options.nodeId ?? 0 }, new Metadata());
      call = current;
      current.on('metadata', () => {
        delay = backoff.initialMs;
        if (!closed) events.onConnected?.();
      });
      current.on('data', (message: JobsAvailableMessage) => {
        if (!closed) listener(message.partitionId, message.type, message.served === true);
      });
      // The status event follows every ending, error or not; errors only need a listener.
      current.on('error', () => {});
      current.on('status', (status: { code: number; details: string }) => {
        if (closed || call !== current) return;
        call = null;
        logger.debug({ peer: address, code: status.code, details: status.details, retryInMs: delay }, 'job watch ended; reconnecting');
        // Jitter, so that the watchers of a restarted node do not all come back at once.
        timer = setTimeout(open, delay * (0.5 + Math.random() / 2));
        timer.unref();
        delay = Math.min(delay * 2, backoff.maxMs);
      });
    };

    const watch: JobWatch = {
      close: () => {
        if (closed) return;
        closed = true;
        this.watches.delete(watch);
        if (timer) clearTimeout(timer);
        call?.cancel();
        call = null;
      },
    };
    if (this.closed) {
      closed = true;
      return watch;
    }
    this.watches.add(watch);
    open();
    return watch;
  }

  /** Drops the channel to a peer that left (its watches keep reconnecting until closed). */
  close(address: string): void {
    this.clients.get(address)?.close();
    this.clients.delete(address);
  }

  closeAll(): void {
    this.closed = true;
    for (const watch of [...this.watches]) watch.close();
    for (const client of this.clients.values()) client.close();
    this.clients.clear();
  }

  private client(address: string): NodeClient {
    let client = this.clients.get(address);
    if (client) return client;
    if (this.closed) throw new ZenError('UNAVAILABLE', 'This node is shutting down; it sends no more internal requests');
    const maxMessageBytes = this.options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
    const tlsOptions: ChannelOptions = this.options.tls
      ? // The name sent as SNI and handed to the (name-blind) server identity check: peers are
        // often reached by IP address, which TLS does not allow as a server name.
        { 'grpc.ssl_target_name_override': PEER_SERVER_NAME }
      : {};
    client = new (internalService().Client)(address, this.credentials, {
      ...tlsOptions,
      'grpc.max_receive_message_length': maxMessageBytes,
      'grpc.max_send_message_length': maxMessageBytes,
      // A peer that stops answering (frozen, cut off) must fail open watches, not stall them.
      'grpc.keepalive_time_ms': 10_000,
      'grpc.keepalive_timeout_ms': 5_000,
      'grpc.keepalive_permit_without_calls': 1,
      // grpc-js backs off up to 2 min by default; a restarted peer should be reachable in seconds.
      'grpc.initial_reconnect_backoff_ms': 100,
      'grpc.max_reconnect_backoff_ms': 2_000,
      'grpc.enable_channelz': 0,
      interceptors: this.options.auth ? [presentProofs(this.options.auth)] : [],
    }) as unknown as NodeClient;
    this.clients.set(address, client);
    return client;
  }

  private startSpan(rpc: string, metadata: Metadata, ctx: CallContext): Span | null {
    const tracing = this.options.tracing;
    const tracer = tracing?.engine;
    if (!tracer || !TRACED_RPCS.has(rpc)) return null;
    const service = 'zen.internal.Node';
    const [host, port] = splitAddress(ctx.address);
    const parent = context.active();
    const span = tracer.startSpan(
      `${service}/${rpc}`,
      {
        kind: SpanKind.CLIENT,
        attributes: {
          'rpc.system': 'grpc',
          'rpc.service': service,
          'rpc.method': rpc,
          'server.address': host,
          ...(port !== null ? { 'server.port': port } : {}),
          ...(ctx.partitionId !== undefined ? { 'zen.partition.id': ctx.partitionId } : {}),
        },
      },
      parent,
    );
    tracing.inject(trace.setSpan(parent, span), metadata, metadataSetter);
    return span;
  }

  private unary<Req, Res>(address: string, rpc: 'Submit' | 'Deliver' | 'Ping' | 'Read', request: Req, ctx: CallContext): Promise<Res> {
    return new Promise((resolve, reject) => {
      let client: NodeClient;
      try {
        client = this.client(address);
      } catch (err) {
        reject(err);
        return;
      }
      const method = client[rpc] as unknown as Unary<Req, Res>;
      this.options.onCall?.(rpc);
      const metadata = new Metadata();
      const span = this.startSpan(rpc, metadata, ctx);
      // grpc-js captures a stack trace for every call (to add the caller's frames to its
      // errors), a measurable part of a forwarded command's cost; errors here are mapped by
      // fromServiceError and never show that stack, so the capture is switched off around it.
      const stackTraceLimit = Error.stackTraceLimit;
      Error.stackTraceLimit = 0;
      try {
        method.call(client, request, metadata, { deadline: Date.now() + ctx.timeoutMs }, (err, response) => {
          if (span) endRpcSpan(span, err ? err.code : 0, err?.details, true);
          if (err) reject(fromServiceError(err, ctx));
          else resolve(response!);
        });
      } finally {
        Error.stackTraceLimit = stackTraceLimit;
      }
    });
  }
}
