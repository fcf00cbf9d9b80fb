import type { ApiMetrics } from '../../metrics/api-metrics.js';
import type { ZenApi } from '../../node/api.js';
import type { ZenTracing } from '../../tracing/zen-tracing.js';
import type { AuthGate } from '../../security/auth-gate.js';
import type { TlsSource } from '../../tls/watcher.js';
import type { Principal } from '../../node/principal.js';

/** The subset of a pino logger the gateway uses; any pino instance fits. */
export interface GrpcLogger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface GrpcLimits {
  /** Largest request (after decompression) the server accepts, in bytes; read at every request (it may be a getter over a live setting). */
  readonly maxMessageSize: number;
  /** The largest maxMessageSize may become while the server runs (the transport's cap is made from it); default maxMessageSize. */
  readonly maxMessageSizeBound?: number;
  readonly maxResourcesPerDeployment: number;
}

/** Defaults Zeebe's gateway applies when a request leaves a timeout at 0. */
export interface GrpcTimeouts {
  /** ActivateJobs with requestTimeout = 0. Zeebe: `longPolling.timeout`, 10 s. */
  readonly longPollingMs: number;
  /** CreateProcessInstanceWithResult with requestTimeout <= 0. Zeebe: `cluster.requestTimeout`, 15 s. */
  readonly requestMs: number;
}

export interface GrpcServerOptions {
  readonly api: ZenApi;
  readonly logger: GrpcLogger;
  readonly limits: GrpcLimits;
  readonly timeouts?: Partial<GrpcTimeouts>;
  /** Overrides where the gateway proto is read from (tests, unusual layouts). */
  readonly protoPath?: string;
  /** Records each ended call (zen_grpc_requests_total, zen_grpc_request_duration_seconds). */
  readonly metrics?: Pick<ApiMetrics, 'grpc'>;
  /** From level `api` on, a span per call. */
  readonly tracing?: ZenTracing;
  /** Checks every call's credentials before its request is read; absent: every caller is anonymous. */
  readonly authentication?: AuthGate | null;
  /** Serve TLS with this certificate (followed as it is reloaded); absent: plaintext. */
  readonly tls?: TlsSource;
  /** `--multi-tenancy`: requests may name tenants other than `<default>`. */
  readonly multiTenancy?: boolean;
  /** `--authorizations`: the API each call may use, by its caller. */
  readonly guard?: GrpcGuard | null;
}

export interface GrpcGuard {
  api(api: ZenApi, principal: Principal): ZenApi;
}

export interface GrpcServer {
  /** Binds and starts serving; resolves with the bound port (useful with port 0). */
  listen(host: string, port: number): Promise<number>;
  /**
   * Stops accepting calls, ends long polls and job streams, lets unary calls finish for up to
   * graceMs, then cuts whatever is left.
   */
  shutdown(graceMs: number): Promise<void>;
  /** True between a successful listen and the start of shutdown: what readiness checks ask. */
  isListening(): boolean;
  /** The bound port while listening, else null. */
  boundPort(): number | null;
}

/** What every RPC group needs to build its handlers. */
export interface RpcContext {
  readonly api: ZenApi;
  readonly logger: GrpcLogger;
  readonly limits: GrpcLimits;
  readonly timeouts: GrpcTimeouts;
  readonly longLived: LongLivedCalls;
  readonly multiTenancy: boolean;
}

export type { LongLivedCalls } from '../shared/long-lived-calls.js';
import type { LongLivedCalls } from '../shared/long-lived-calls.js';
