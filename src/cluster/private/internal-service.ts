/**
 * The private port's server side: the multiplexer with the internal gRPC service (`P`) and
 * snapshot transfer (`S`). What the service does is injected, so this module knows nothing
 * of partitions or leadership beyond the errors that describe them.
 */
import type { PartitionRead, PartitionReadResult } from '../../history/read.js';
import {
  Metadata,
  Server,
  ServerCredentials,
  status,
  type ConnectionInjector,
  type sendUnaryData,
  type ServerReadableStream,
  type ServerUnaryCall,
  type ServerWritableStream,
  type UntypedServiceImplementation,
} from '@grpc/grpc-js';
import { deserialize } from 'node:v8';
import type { Logger } from 'pino';
import type { RawLogEntry } from '../../storage/log-entry.js';
import { toZenError, ZenError } from '../../errors.js';
import type { CommandResponse } from '../../engine/processing/types.js';
import type { ReadAnswer } from '../../node/api.js';
import { decodeCommand, decodeReadQuery, encodeReadAnswer, encodeResponse, type WireCommand } from './command-codec.js';
import {
  DEFAULT_MAX_MESSAGE_BYTES,
  internalService,
  type DeliverRequest,
  type JobsAvailableMessage,
  type PushRequest,
  type ReadRequest,
  type SubmitRequest,
  type WatchJobsRequest,
} from './internal-proto.js';
import { GRPC_FIRST_BYTE, PrivatePortMultiplexer, SNAPSHOT_FIRST_BYTE, type ConnectionHandler } from './multiplexer.js';
import type { ClusterAuth } from './auth.js';
import { requireProofs } from './grpc-auth.js';
import { toServiceStatus } from './remote-errors.js';
import { serveSnapshotConnection, type SnapshotProvider } from './snapshot-transfer.js';
import { traceServerCalls } from '../../tracing/grpc-spans.js';
import type { ZenTracing } from '../../tracing/zen-tracing.js';
import type { TlsSource } from '../../tls/watcher.js';

export interface PrivateHandlers {
  /**
   * Runs a command on a partition this node leads. Throw NotLeaderError when it does not
   * (or no longer) lead it and the command was not run: the caller then retries elsewhere.
   * `awaitTimeoutMs` set: submitAwaiting.
   */
  submit(partitionId: number, command: WireCommand, awaitTimeoutMs: number | null): Promise<CommandResponse>;
  /** Enqueues a cross-partition command; may throw NotLeaderError. */
  deliver(partitionId: number, command: WireCommand): void;
  /**
   * Calls `listener` whenever a partition this node leads has activatable jobs of a type;
   * returns the unsubscribe. A new listener should also be told what is activatable now: a
   * watcher that reconnects has missed the notifications in between.
   */
  onJobsAvailable(listener: (partitionId: number, type: string, served: boolean) => void): () => void;
  /** Committed entries the partition's leader pushed to this node's replica (see PartitionMember.receivePushed). */
  push?(partitionId: number, entries: RawLogEntry[]): void;
  /** Runs a read on this node's replica of a partition; throws UNAVAILABLE when it has none in sync. */
  read?(partitionId: number, query: PartitionRead): Promise<ReadAnswer<PartitionReadResult>> | ReadAnswer<PartitionReadResult>;
  snapshot?: SnapshotProvider;
}

export interface PrivateServerOptions {
  readonly handlers: PrivateHandlers;
  readonly logger: Logger;
  /** Answered by Ping, so a caller can tell which node holds an address. */
  readonly nodeId?: number;
  /** Largest request or response (engine commands can carry large variables and resources). */
  readonly maxMessageBytes?: number;
  /** Checks the proof every call and snapshot request must carry (see auth.ts); unset: no check. */
  readonly auth?: ClusterAuth | null;
  /** From level `engine` on: a SERVER span per proxied call, continuing the caller's trace. */
  readonly tracing?: ZenTracing;
  /** Mutual TLS on the whole port (see multiplexer.ts); absent: plain TCP. */
  readonly tls?: TlsSource;
}

export interface PrivateServer {
  listen(host: string, port: number): Promise<number>;
  /** Ends the job watches, closes gRPC sessions (briefly waiting for calls in flight), and the port. */
  close(): Promise<void>;
  /** Adds a protocol on another first byte. */
  registerProtocol(firstByte: number | string, handler: ConnectionHandler): void;
  readonly port: number | null;
}

/** In-flight unary calls get this long to finish when the server closes. */
const CLOSE_GRACE_MS = 1000;

export function createPrivateServer(options: PrivateServerOptions): PrivateServer {
  const { handlers, logger } = options;
  const maxMessageBytes = options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
  const auth = options.auth ?? null;
  const server = new Server({
    interceptors: auth ? [requireProofs(auth, logger)] : [],
    'grpc.max_receive_message_length': maxMessageBytes,
    'grpc.max_send_message_length': maxMessageBytes,
    'grpc.enable_channelz': 0,
    // A watcher that vanished without closing (frozen, cut off) must not hold its watch forever.
    'grpc.keepalive_time_ms': 20_000,
    'grpc.keepalive_timeout_ms': 10_000,
  });
  const watches = new Set<ServerWritableStream<WatchJobsRequest, JobsAvailableMessage>>();
  /** Open push streams, each by the function that answers it. */
  const pushStreams = new Set<(err: unknown) => void>();

  const implementation: UntypedServiceImplementation = {
    Submit(call: ServerUnaryCall<SubmitRequest, unknown>, callback: sendUnaryData<unknown>) {
      const { partitionId, awaitTimeoutMs } = call.request;
      let command: WireCommand;
      try {
        command = decodeCommand(call.request.command);
      } catch (err) {
        callback(toServiceStatus(err));
        return;
      }
      let pending: Promise<CommandResponse>;
      try {
        pending = handlers.submit(partitionId, command, awaitTimeoutMs > 0 ? awaitTimeoutMs : null);
      } catch (err) {
        pending = Promise.reject(err);
      }
      pending.then(
        (response) => {
          let bytes: Buffer;
          try {
            bytes = encodeResponse(response);
          } catch (err) {
            logger.error({ err, partition: partitionId, valueType: command.valueType, intent: command.intent }, 'cannot serialize a command response');
            callback(toServiceStatus(err));
            return;
          }
          callback(null, { response: bytes });
        },
        (err: unknown) => {
          if (toZenError(err).code === 'INTERNAL') logger.error({ err, partition: partitionId }, 'internal Submit failed');
          callback(toServiceStatus(err));
        },
      );
    },

    Deliver(call: ServerUnaryCall<DeliverRequest, unknown>, callback: sendUnaryData<unknown>) {
      try {
        handlers.deliver(call.request.partitionId, decodeCommand(call.request.command));
        callback(null, {});
      } catch (err) {
        callback(toServiceStatus(err));
      }
    },

    WatchJobs(call: ServerWritableStream<WatchJobsRequest, JobsAvailableMessage>) {
      watchJobs(call);
    },

    Read(call: ServerUnaryCall<ReadRequest, unknown>, callback: sendUnaryData<unknown>) {
      void (async () => {
        if (!handlers.read) throw new ZenError('UNAVAILABLE', 'This node serves no reads');
        return encodeReadAnswer(await handlers.read(call.request.partitionId, decodeReadQuery(call.request.query)));
      })().then(
        (answer) => callback(null, { answer }),
        (err: unknown) => callback(toServiceStatus(err)),
      );
    },

    PushStream(call: ServerReadableStream<PushRequest, unknown>, callback: sendUnaryData<unknown>) {
      let open = true;
      const finish = (err: unknown) => {
        if (!open) return;
        open = false;
        pushStreams.delete(finish);
        callback(err === null ? null : toServiceStatus(err), err === null ? {} : undefined);
      };
      pushStreams.add(finish);
      call.on('data', (message: PushRequest) => {
        if (!open) return;
        try {
          handlers.push?.(message.partitionId, deserialize(message.entries) as RawLogEntry[]);
        } catch (err) {
          // A push the follower cannot take ends the stream: the leader opens another, and
          // the follower reads from etcd whatever it skipped.
          logger.warn({ err, partition: message.partitionId }, 'a pushed message was refused; ending the push stream');
          finish(err);
        }
      });
      call.on('end', () => finish(null));
      call.on('cancelled', () => finish(null));
      call.on('error', () => finish(null));
    },

    Ping(_call: ServerUnaryCall<unknown, unknown>, callback: sendUnaryData<unknown>) {
      callback(null, { nodeId: options.nodeId ?? 0 });
    },
  };

  function watchJobs(call: ServerWritableStream<WatchJobsRequest, JobsAvailableMessage>): void {
    const watcher = call.request.nodeId;
    // Hints are idempotent, so a slow watcher gets each pending (partition, type) once
    // instead of a growing backlog.
    const pending = new Map<string, JobsAvailableMessage>();
    let blocked = false;
    let open = true;
    const send = (message: JobsAvailableMessage) => {
      if (!open) return;
      if (blocked) {
        pending.set(`${message.partitionId}\0${message.type}`, message);
        return;
      }
      if (!call.write(message)) blocked = true;
    };
    call.on('drain', () => {
      blocked = false;
      const queued = [...pending.values()];
      pending.clear();
      for (const message of queued) send(message);
    });
    // Headers now: the watcher learns that the watch is in place before any notification.
    call.sendMetadata(new Metadata());
    watches.add(call);
    let unsubscribe = () => {};
    const stop = () => {
      if (!open) return;
      open = false;
      watches.delete(call);
      unsubscribe();
      logger.debug({ watcher }, 'job watch ended');
    };
    call.on('cancelled', stop);
    call.on('close', stop);
    call.on('error', stop);
    logger.debug({ watcher }, 'job watch started');
    unsubscribe = handlers.onJobsAvailable((partitionId, type, served) => send({ partitionId, type, served }));
    if (!open) unsubscribe();
  }

  const definition = internalService().definition;
  const tracer = options.tracing?.engine;
  if (tracer) {
    const { Submit, Deliver, Read } = implementation;
    Object.assign(implementation, traceServerCalls(definition, { Submit, Deliver, Read }, options.tracing!, tracer));
  }
  server.addService(definition, implementation);
  // Insecure here even with mutual TLS: the multiplexer has done the handshake by the time a
  // connection is injected, and hands over the decrypted stream.
  const injector: ConnectionInjector = server.createConnectionInjector(ServerCredentials.createInsecure());
  const multiplexer = new PrivatePortMultiplexer({ logger, tls: options.tls });
  multiplexer.register(GRPC_FIRST_BYTE, (socket) => injector.injectConnection(socket));
  multiplexer.register(SNAPSHOT_FIRST_BYTE, (socket) => serveSnapshotConnection(socket, { provider: handlers.snapshot, logger, auth }));

  let closing: Promise<void> | null = null;
  return {
    listen: (host, port) => multiplexer.listen(host, port),
    registerProtocol: (firstByte, handler) => multiplexer.register(firstByte, handler),
    get port() {
      return multiplexer.port;
    },
    close() {
      closing ??= (async () => {
        for (const call of [...watches]) {
          // Ending with a status (not a bare end) tells the watcher to reconnect elsewhere or later.
          call.emit('error', { code: status.UNAVAILABLE, details: 'The node is shutting down' });
        }
        for (const finish of [...pushStreams]) finish(new ZenError('UNAVAILABLE', 'The node is shutting down'));
        await new Promise<void>((resolve) => {
          const timer = setTimeout(() => {
            server.forceShutdown();
            resolve();
          }, CLOSE_GRACE_MS);
          timer.unref();
          server.tryShutdown(() => {
            clearTimeout(timer);
            resolve();
          });
        });
        injector.destroy();
        await multiplexer.close();
      })();
      return closing;
    },
  };
}
