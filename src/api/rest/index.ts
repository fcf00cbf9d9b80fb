export { createRestServer, DEFAULT_REST_TIMEOUTS, ROUTE_GROUPS, type RestServer } from './server.js';
export { buildOpenApiDocument, DOCS_PATH, OPENAPI_PATH } from './openapi.js';
export type { RestLimits, RestLogger, RestServerOptions, RestTimeouts } from './types.js';
