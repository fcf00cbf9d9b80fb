import { LongLivedRegistry } from '../shared/long-lived-calls.js';
import { nestingProblem } from '../shared/json-nesting.js';
import { ZenError } from '../../errors.js';
import type { Server as HttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import { parseJson } from '../../engine/json.js';
import { toJson } from './encode.js';
import { fallbackHandler } from './fallback.js';
import { instanceOf, problem, problemFor, sendProblem } from './problem.js';
import { API_PREFIX, routePlugin, type RouteGroup, type RouteSpec } from './route.js';
import { clockRoutes } from './routes/clock.js';
import { clusterRoutes } from './routes/cluster.js';
import { changeRoutes } from './routes/changes.js';
import { ChangeFeed } from './change-feed.js';
import { tagGetAnswers } from './etag.js';
import { conditionalRoutes } from './routes/conditionals.js';
import { decisionRoutes } from './routes/decisions.js';
import { deploymentRoutes } from './routes/deployments.js';
import { elementInstanceRoutes } from './routes/element-instances.js';
import { incidentRoutes } from './routes/incidents.js';
import { jobRoutes } from './routes/jobs.js';
import { messageRoutes, signalRoutes } from './routes/messages.js';
import { batchOperationRoutes } from './routes/batch-operations.js';
import { historyRoutes } from './routes/history.js';
import { moreHistoryRoutes } from './routes/history-more.js';
import { processInstanceRoutes } from './routes/process-instances.js';
import { userTaskRoutes } from './routes/user-tasks.js';
import { userRoutes } from './routes/users.js';
import { authorizationRoutes } from './routes/authorizations.js';
import { groupRoutes, roleRoutes } from './routes/member-sets.js';
import { mappingRuleRoutes } from './routes/mapping-rules.js';
import { tenantRoutes } from './routes/tenants.js';
import { backupAccess } from './backup-access.js';
import { backupRoutes } from './routes/backups.js';
import { authenticationRoutes } from './routes/authentication.js';
import { authenticateRequests } from './authentication.js';
import { DOCS_PATH, OPENAPI_PATH, openApiRoutes } from './openapi.js';
import type { RestContext, RestServerOptions, RestTimeouts } from './types.js';
import { traceHttpRequests } from '../../tracing/http-spans.js';
import { limitBodySize } from './body-limit.js';
import { isConsolePath, serveConsole } from './console.js';

export const DEFAULT_REST_TIMEOUTS: RestTimeouts = { longPollingMs: 10_000, requestMs: 15_000 };
const DEFAULT_CLOSE_GRACE_MS = 10_000;

export interface RestServer {
  /** Not listening until `listen`; tests drive it with `app.inject()`. */
  readonly app: FastifyInstance;
  /** The streams of `GET /v2/changes`. */
  readonly changes: ChangeFeed;
  /** Binds and resolves with the bound address (the real port when `port` is 0). */
  listen(host: string, port: number): Promise<{ host: string; port: number }>;
  /**
   * Stops accepting requests, answers running long polls (with the jobs they have, usually none),
   * lets other requests finish for up to graceMs, then cuts the connections left.
   */
  close(graceMs?: number): Promise<void>;
}

/** The operation groups the server serves, in registration order (the OpenAPI route is added last). */
export const ROUTE_GROUPS: readonly RouteGroup[] = [
  clusterRoutes,
  changeRoutes,
  deploymentRoutes,
  processInstanceRoutes,
  jobRoutes,
  messageRoutes,
  signalRoutes,
  conditionalRoutes,
  decisionRoutes,
  elementInstanceRoutes,
  incidentRoutes,
  userTaskRoutes,
  clockRoutes,
  historyRoutes,
  batchOperationRoutes,
  moreHistoryRoutes,
  authenticationRoutes,
  userRoutes,
  authorizationRoutes,
  groupRoutes,
  roleRoutes,
  mappingRuleRoutes,
  tenantRoutes,
  backupRoutes,
];

/** Readable without credentials: the API's own description, and the console's static files. */
const PUBLIC_PATHS: ReadonlySet<string> = new Set([API_PREFIX + OPENAPI_PATH, API_PREFIX + DOCS_PATH]);
const isPublicPath = (path: string): boolean => PUBLIC_PATHS.has(path) || isConsolePath(path);

/**
 * The public REST port (default 8080): Camunda 8.8's Orchestration Cluster API (`/v2/...`) over a
 * ZenApi, for the operations Zen serves, with its OpenAPI document at /v2/openapi.json.
 */
export function createRestServer(options: RestServerOptions): RestServer {
  const { api, logger, limits } = options;
  const longPolls = new LongLivedRegistry();
  const changeMarks = options.changeMarks ?? (() => []);
  const changes = new ChangeFeed(
    async () => ({ marks: changeMarks(), topology: JSON.stringify(await api.topology()) }),
    logger,
    options.changeFeed,
  );
  const ctx: RestContext = {
    api,
    logger,
    limits,
    timeouts: { ...DEFAULT_REST_TIMEOUTS, ...options.timeouts },
    longPolls,
    clockControl: options.clockControl ?? false,
    users: options.users ?? null,
    multiTenancy: options.multiTenancy ?? false,
    authorizations: options.authorizations ?? null,
    membership: options.membership ?? null,
    tenants: options.tenants ?? null,
    guard: options.guard ?? null,
    backups: backupAccess(options.backups ?? null),
    changes,
  };

  const { tls } = options;
  // HTTPS over HTTP/1.1, as Camunda serves its REST API; `as` because fastify types the
  // instance by its server, and the routes take either alike.
  const app = Fastify({
    ...(tls ? { https: { cert: tls.current.cert, key: tls.current.key } } : {}),
    // Applies to every content type, multipart included; fastify answers 413 past it.
    bodyLimit: limits.maxMessageSizeBound ?? limits.maxMessageSize,
    // Requests arriving while closing get a problem from the onRequest hook below instead.
    return503OnClosing: false,
    // Errors the router raises before any route runs (a malformed URL, a path parameter longer
    // than 100 characters) are problems too.
    frameworkErrors: (err, request, reply) => {
      const status = typeof err.statusCode === 'number' ? err.statusCode : 400;
      const detail =
        err.code === 'FST_ERR_MAX_PARAM_LENGTH'
          ? 'A path parameter is longer than 100 characters; no key is that long'
          : err.message;
      return sendProblem(reply, problem(status, 'INVALID_ARGUMENT', detail, request));
    },
    ajv: {
      customOptions: {
        // Keys are strings and numbers are numbers: no silent coercion (it would turn a key sent as
        // a JSON number, already rounded by JSON.parse, into a wrong string).
        coerceTypes: false,
        // Keep the offending value on errors, so messages can show it.
        verbose: true,
        // OpenAPI formats that carry no constraint Ajv could check.
        formats: { int32: true, int64: true, binary: true, password: true },
      },
    },
  }) as unknown as FastifyInstance;
  // Connections opened after a reload get the new certificate; open ones keep theirs.
  const stopFollowingTls = tls?.onChange((material) => (app.server as unknown as HttpsServer).setSecureContext({ cert: material.cert, key: material.key }));

  let state: 'new' | 'listening' | 'closing' | 'closed' = 'new';
  let closing: Promise<void> | null = null;

  // JSON only (deployments add multipart for themselves). An empty JSON body is an absent body:
  // Camunda accepts that where the body is optional, and clients send it.
  app.removeAllContentTypeParsers();
  const defaultJson = app.getDefaultJsonParser('error', 'error');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    if (typeof body === 'string' && body.trim() === '') return done(null, undefined);
    const tooDeep = typeof body === 'string' ? nestingProblem(body, 'The request body') : null;
    if (tooDeep) return done(new ZenError('INVALID_ARGUMENT', tooDeep), undefined);
    // fastify's parser validates (and refuses prototype poisoning); integers beyond 2^53 are
    // then read again exactly, as bigint, so variables keep int64 values as Zeebe does.
    defaultJson(request, body as string, (err, value) => {
      if (err) return done(err, undefined);
      done(null, typeof body === 'string' && /\d{16}/.test(body) ? parseJson(body) : value);
    });
  });

  // Variables may hold bigints (int64 kept exact by the engine); they go out as exact JSON numbers.
  app.setReplySerializer((payload) => toJson(payload));
  app.setErrorHandler((err, request, reply) => {
    const failure = problemFor(err, request, logger, limits.maxMessageSize);
    logger.debug({ method: request.method, url: failure.instance, title: failure.title, detail: failure.detail }, 'REST request failed');
    return sendProblem(reply, failure);
  });

  if (limits.maxMessageSizeBound !== undefined) limitBodySize(app, () => limits.maxMessageSize);
  const tracer = options.tracing?.switchable('api') ?? null;
  if (tracer) traceHttpRequests(app, options.tracing!, tracer);
  app.addHook('onRequest', async (request, reply) => {
    if (state !== 'closing' && state !== 'closed') return;
    reply.header('connection', 'close');
    return sendProblem(reply, problem(503, 'UNAVAILABLE', 'The node is shutting down; retry on another node', request));
  });
  if (options.authentication) authenticateRequests(app, options.authentication, isPublicPath);
  tagGetAnswers(app);
  // An answer sent before the request's body was read (415, 414, an early 401…) leaves the rest
  // of that body on the connection; a client that reuses it can wait forever for the next
  // answer. Closing such a connection costs one reconnect and never leaves a client hanging.
  app.addHook('onSend', async (request, reply, payload) => {
    if (!request.raw.complete) void reply.header('connection', 'close');
    return payload;
  });
  const { metrics } = options;
  app.addHook('onResponse', async (request, reply) => {
    // The route template, not the URL (which holds keys): requests no route matched share one label.
    metrics?.http(request.method, request.routeOptions.url ?? 'unmatched', reply.statusCode, reply.elapsedTime / 1000);
    logger.debug(
      { method: request.method, url: instanceOf(request), status: reply.statusCode, ms: Math.round(reply.elapsedTime) },
      'REST request',
    );
  });

  const groups: RouteGroup[] = [...ROUTE_GROUPS];
  const allRoutes = (): RouteSpec[] => groups.flatMap((g) => g.routes);
  groups.push(openApiRoutes(allRoutes, options.version ?? '0.0.0'));
  app.setNotFoundHandler(fallbackHandler(allRoutes()));
  serveConsole(app, options.consoleDir, options.console);
  for (const group of groups) app.register(routePlugin(group), { ctx });

  // Requests in flight, counted at the socket level (a response closes when it is sent or the
  // client goes away). Once closing and none is left, connections still open (keep-alive, or
  // opened without a request yet) are cut at once instead of holding close() for the grace period.
  let inFlight = 0;
  const cutIfDrained = () => {
    if (state === 'closing' && inFlight === 0) app.server.closeAllConnections();
  };
  app.server.on('request', (_req, res) => {
    inFlight++;
    res.once('close', () => {
      inFlight--;
      cutIfDrained();
    });
  });

  return {
    app,
    changes,
    async listen(host, port) {
      if (state !== 'new') throw new Error(`REST server cannot listen: it is ${state}`);
      await app.listen({ host, port });
      state = 'listening';
      const address = app.server.address() as AddressInfo;
      logger.info({ host: address.address, port: address.port, tls: tls !== undefined }, 'REST API listening');
      return { host: address.address, port: address.port };
    },
    close(graceMs = DEFAULT_CLOSE_GRACE_MS) {
      return (closing ??= (async () => {
        const wasListening = state === 'listening';
        state = 'closing';
        stopFollowingTls?.();
        const closed = app.close();
        longPolls.endAll();
        if (wasListening) cutIfDrained();
        const force = setTimeout(() => {
          logger.warn({ graceMs }, 'REST requests still running after the grace period; closing their connections');
          app.server.closeAllConnections();
        }, Math.max(0, graceMs));
        try {
          await closed;
        } finally {
          clearTimeout(force);
          state = 'closed';
        }
        if (wasListening) logger.info({}, 'REST API stopped');
      })());
    },
  };
}
