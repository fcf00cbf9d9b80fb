import { Server, ServerCredentials, type UntypedServiceImplementation } from '@grpc/grpc-js';
import { activateJobsHandlers } from './activate-jobs.js';
import { instrumentCalls } from './call-metrics.js';
import { deploymentHandlers } from './deployments.js';
import { instanceHandlers } from './instances.js';
import { jobHandlers } from './jobs.js';
import { jobStreamHandlers } from './job-stream.js';
import { messageHandlers } from './messages.js';
import { decisionHandlers } from './decisions.js';
import { loadGatewayService } from './proto.js';
import { limitRequestSize, transportLimit } from './size-limit.js';
import { topologyHandlers } from './topology.js';
import { LongLivedRegistry } from '../shared/long-lived-calls.js';
import type { GrpcGuard, GrpcServer, GrpcServerOptions, GrpcTimeouts, LongLivedCalls, RpcContext } from './types.js';
import { principalOf } from '../../security/call-context.js';
import { unimplementedHandlers } from './unimplemented.js';
import { traceServerCalls } from '../../tracing/grpc-spans.js';
import { authenticateCalls } from './authentication.js';
import { serverCredentialsFrom } from '../../tls/grpc-credentials.js';

/**
 * `--authorizations`: each call runs with handlers built over the API as its caller may use it
 * (the principal the authentication interceptor attached to the call's metadata).
 */
function guardedHandlers(build: (c: RpcContext) => UntypedServiceImplementation, ctx: RpcContext, guard: GrpcGuard): UntypedServiceImplementation {
  const names = Object.keys(build(ctx));
  // Built once per principal, not per call: the guarded API checks the authorizations in force
  // at each call, so nothing it decides is kept. Principals come from the authenticators'
  // caches, so a busy worker's calls share one set.
  const byPrincipal = new WeakMap<object, UntypedServiceImplementation>();
  const handlersOf = (principal: ReturnType<typeof principalOf>) => {
    let handlers = byPrincipal.get(principal);
    if (!handlers) {
      handlers = build({ ...ctx, api: guard.api(ctx.api, principal) });
      byPrincipal.set(principal, handlers);
    }
    return handlers;
  };
  const out: UntypedServiceImplementation = {};
  for (const name of names) {
    out[name] = ((call: { metadata: object }, ...rest: unknown[]) => {
      const handler = handlersOf(principalOf(call.metadata))[name] as (...args: unknown[]) => unknown;
      return handler(call, ...rest);
    }) as UntypedServiceImplementation[string];
  }
  return out;
}

export const DEFAULT_TIMEOUTS: GrpcTimeouts = { longPollingMs: 10_000, requestMs: 15_000 };

/** The Zeebe gateway service (gateway_protocol.Gateway) over grpc-js, backed by a ZenApi. */
export function createGrpcServer(options: GrpcServerOptions): GrpcServer {
  const { api, logger, limits } = options;
  const service = loadGatewayService(options.protoPath);
  const longLived = new LongLivedRegistry();
  const ctx: RpcContext = {
    api,
    logger,
    limits,
    timeouts: { ...DEFAULT_TIMEOUTS, ...options.timeouts },
    longLived,
    multiTenancy: options.multiTenancy ?? false,
  };

  const build = (c: RpcContext): UntypedServiceImplementation => ({
    ...topologyHandlers(c),
    ...deploymentHandlers(c),
    ...instanceHandlers(c),
    ...activateJobsHandlers(c),
    ...jobStreamHandlers(c),
    ...jobHandlers(c),
    ...messageHandlers(c),
    ...decisionHandlers(c),
  });
  const implemented = options.guard ? guardedHandlers(build, ctx, options.guard) : build(ctx);

  const server = new Server({
    // grpc-js checks this on the wire and after gzip/deflate decompression; requests between
    // maxMessageSize and this cap are refused by limitRequestSize, with the limit named.
    'grpc.max_receive_message_length': transportLimit(limits.maxMessageSizeBound ?? limits.maxMessageSize),
    // Notices a worker whose connection died without closing (its job stream, long polls).
    'grpc.keepalive_time_ms': 30_000,
    'grpc.keepalive_timeout_ms': 10_000,
    interceptors: options.authentication
      ? [authenticateCalls({ gate: options.authentication, logger, onRefused: options.metrics ? (rpc, code, s) => options.metrics!.grpc(rpc, code, s) : undefined })]
      : [],
  });
  let handlers: UntypedServiceImplementation = { ...implemented, ...unimplementedHandlers(service, implemented) };
  const tracer = options.tracing?.switchable('api') ?? null;
  if (tracer) handlers = traceServerCalls(service, handlers, options.tracing!, tracer);
  const limited = limitRequestSize(service, handlers, () => limits.maxMessageSize);
  const implementation = options.metrics ? instrumentCalls(limited.service, limited.implementation, options.metrics) : limited.implementation;
  server.addService(limited.service, implementation);

  let port: number | null = null;
  let state: 'new' | 'binding' | 'listening' | 'stopped' = 'new';

  return {
    listen(host, requestedPort) {
      if (state !== 'new') return Promise.reject(new Error(`gRPC server cannot listen: it is ${state}`));
      state = 'binding';
      const address = host.includes(':') && !host.startsWith('[') ? `[${host}]:${requestedPort}` : `${host}:${requestedPort}`;
      return new Promise<number>((resolve, reject) => {
        const credentials = options.tls ? serverCredentialsFrom(options.tls) : ServerCredentials.createInsecure();
        server.bindAsync(address, credentials, (err, boundPort) => {
          if (err) {
            state = 'new';
            const failure = new Error(`gRPC server cannot listen on ${address}: ${err.message}`, { cause: err });
            // grpc-js flattens the socket error into text; restore its code so start-up can name the option.
            const code = /EADDRINUSE|EACCES|EADDRNOTAVAIL/.exec(err.message)?.[0];
            if (code) Object.assign(failure, { syscall: 'listen', code, port: requestedPort, address: host });
            reject(failure);
            return;
          }
          if (state !== 'binding') {
            // shutdown() won the race; it has already stopped the server.
            reject(new Error('gRPC server was shut down while binding'));
            return;
          }
          port = boundPort;
          state = 'listening';
          logger.info({ host, port: boundPort, tls: options.tls !== undefined }, 'gRPC gateway listening');
          resolve(boundPort);
        });
      });
    },

    async shutdown(graceMs) {
      if (state === 'stopped') return;
      const wasListening = state === 'listening';
      state = 'stopped';
      port = null;
      if (!wasListening) {
        server.forceShutdown();
        return;
      }
      await new Promise<void>((resolve) => {
        const force = setTimeout(() => {
          logger.warn({ graceMs }, 'gRPC calls still running after the grace period; cancelling them');
          server.forceShutdown();
          resolve();
        }, Math.max(0, graceMs));
        // tryShutdown first: no new call can arrive after we end the long-lived ones.
        server.tryShutdown(() => {
          clearTimeout(force);
          resolve();
        });
        longLived.endAll();
      });
      logger.info({}, 'gRPC gateway stopped');
    },

    isListening: () => state === 'listening',
    boundPort: () => port,
  };
}
