import type { ApiMetrics } from '../../metrics/api-metrics.js';
import type { ZenApi } from '../../node/api.js';
import type { ZenTracing } from '../../tracing/zen-tracing.js';
import type { AuthGate } from '../../security/auth-gate.js';
import type { UserService } from '../../security/users/user-service.js';
import type { AuthorizationService } from '../../security/authorization/authorization-service.js';
import type { MemberSetService } from '../../security/membership/member-set-service.js';
import type { MappingRuleService } from '../../security/membership/mapping-rule-service.js';
import type { TenantService } from '../../security/tenants/tenant-service.js';
import type { FastifyRequest } from 'fastify';
import type { TlsSource } from '../../tls/watcher.js';
import type { BackupAccess, BackupServiceLike } from './backup-access.js';
import type { PartitionMark } from '../../node/local-directory.js';
import type { ChangeFeed, ChangeFeedOptions } from './change-feed.js';

export type { RestLogger } from './logger.js';
import type { RestLogger } from './logger.js';

export interface RestLimits {
  /** Largest request body accepted, in bytes (JSON and multipart alike); larger ones get 413. Read at every request (it may be a getter over a live setting). */
  readonly maxMessageSize: number;
  /** The largest maxMessageSize may become while the server runs: set, the limit in force is checked per request (body-limit.ts). */
  readonly maxMessageSizeBound?: number;
  readonly maxResourcesPerDeployment: number;
}

/** Defaults applied when a request leaves a timeout at 0, as Camunda's gateway does. */
export interface RestTimeouts {
  /** Job activation with requestTimeout = 0. Camunda: `longPolling.timeout`, 10 s. */
  readonly longPollingMs: number;
  /** Process instance creation with awaitCompletion and requestTimeout <= 0. Camunda: 15 s. */
  readonly requestMs: number;
}

export interface RestServerOptions {
  readonly api: ZenApi;
  readonly logger: RestLogger;
  readonly limits: RestLimits;
  readonly timeouts?: Partial<RestTimeouts>;
  /** Reported in the OpenAPI document's info.version. */
  readonly version?: string;
  /** The clock endpoints may pin and reset the engine clock (`clockControl`); else they answer 403. */
  readonly clockControl?: boolean;
  /** Records each answered request (zen_http_requests_total, zen_http_request_duration_seconds). */
  readonly metrics?: Pick<ApiMetrics, 'http'>;
  /** From level `api` on, a span per request. */
  readonly tracing?: ZenTracing;
  /** Checks every request's credentials (but the API documentation's); absent: every caller is anonymous. */
  readonly authentication?: AuthGate | null;
  /** The user resources; absent, they answer 503. */
  readonly users?: UserService;
  /** The authorization resources; absent, they answer 503. */
  readonly authorizations?: AuthorizationService;
  /** Groups, roles and mapping rules; absent, they answer 503. */
  readonly membership?: MembershipServices;
  /** The tenant resources; absent, they answer 503. */
  readonly tenants?: TenantService;
  /** `--authorizations`: the context each request runs with, checked against its caller's permissions. */
  readonly guard?: RestGuard | null;
  /** Serve HTTPS (HTTP/1.1) with this certificate, followed as it is reloaded; absent: plain HTTP. */
  readonly tls?: TlsSource;
  /** `--multi-tenancy`: requests may name tenants other than `<default>`. */
  readonly multiTenancy?: boolean;
  /** The built console served under /ui/ (console.ts); absent: this checkout's console/dist. */
  readonly consoleDir?: string;
  /** What the console learns at /ui/config.json (auth mode, OIDC client); absent: no auth. */
  readonly console?: ConsoleConfig;
  /** The node's backups (BackupService) for /v2/backups; absent or null: no store configured. */
  readonly backups?: BackupServiceLike | null;
  /** Each partition's log index as this node sees it, for `GET /v2/changes`; absent: only topology changes are seen. */
  readonly changeMarks?: () => readonly PartitionMark[];
  /** Intervals and limits of the change feed (change-feed.ts has the defaults). */
  readonly changeFeed?: ChangeFeedOptions;
}

/** What every route needs. */
export interface RestContext {
  readonly api: ZenApi;
  readonly logger: RestLogger;
  readonly limits: RestLimits;
  readonly timeouts: RestTimeouts;
  readonly longPolls: LongPolls;
  readonly clockControl: boolean;
  readonly users: UserService | null;
  readonly multiTenancy: boolean;
  readonly authorizations: AuthorizationService | null;
  readonly membership: MembershipServices | null;
  readonly tenants: TenantService | null;
  readonly guard: RestGuard | null;
  readonly backups: BackupAccess;
  readonly changes: ChangeFeed;
}

/** `/v2/groups`, `/v2/roles`, `/v2/mapping-rules` (security/membership/). */
export interface MembershipServices {
  readonly groups: MemberSetService;
  readonly roles: MemberSetService;
  readonly mappingRules: MappingRuleService;
}

/** Gives a request the node's services as its caller may use them (security/authorization/guard.ts). */
export interface RestGuard {
  forRequest(ctx: RestContext, request: FastifyRequest): RestContext;
}

export type { LongLivedCalls as LongPolls } from '../shared/long-lived-calls.js';
import type { LongLivedCalls as LongPolls } from '../shared/long-lived-calls.js';

/** What the console learns from `/ui/config.json`: how to sign in (console.ts serves it). */
export interface ConsoleConfig {
  readonly auth: 'none' | 'basic' | 'oidc';
  readonly authorizations: boolean;
  readonly oidc?: { readonly issuer: string; readonly clientId: string; readonly audience: string; readonly scope: string };
}
