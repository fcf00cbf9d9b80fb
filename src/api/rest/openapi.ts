/**
 * The OpenAPI 3.0 document of exactly the operations this server registers, generated from the
 * same route descriptions, in the shape of Camunda 8.8's Orchestration Cluster API.
 */
import { renderDocsPage, type DocsPage } from './docs-page.js';
import { API_PREFIX, type RouteGroup, type RouteSpec } from './route.js';
import { HISTORY_RESPONSE_SCHEMAS } from './history-schemas.js';
import { IDENTITY_RESPONSE_SCHEMAS } from './identity-schemas.js';
import { MEMBERSHIP_RESPONSE_SCHEMAS } from './membership-schemas.js';
import { TENANT_RESPONSE_SCHEMAS } from './tenant-schemas.js';
import { BACKUP_RESPONSE_SCHEMAS } from './routes/backups.js';
import { keySchema, RESPONSE_SCHEMAS, type JsonSchema } from './schemas.js';

export const OPENAPI_PATH = '/openapi.json';
export const DOCS_PATH = '/docs';

const CAMUNDA_OVERVIEW =
  'https://docs.camunda.io/docs/8.8/apis-tools/orchestration-cluster-api-rest/orchestration-cluster-api-rest-overview/';

const STATUS_TEXT: Readonly<Record<number, string>> = {
  400: 'The request is invalid; the detail names the field.',
  401: 'The request lacks valid credentials (the node runs with --auth basic or oidc).',
  403: 'The caller may not do this.',
  404: 'A key in the request does not exist.',
  405: 'The method is not allowed on this path.',
  409: 'The addressed entity is in a state that does not allow the operation.',
  413: 'The request body is larger than maxMessageSize.',
  415: 'The content type is not supported.',
  429: 'The node is overloaded (back-pressure); retry later.',
  500: 'An internal error.',
  501: 'A requested feature is not supported by Zen yet.',
  503: 'The service or a partition is unavailable.',
  504: 'The request timed out.',
};

export function buildOpenApiDocument(routes: readonly RouteSpec[], version: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  const schemas: Record<string, JsonSchema> = {};
  const tags = new Set<string>();

  for (const route of routes) {
    tags.add(route.tag);
    const responses: Record<string, unknown> = {};
    responses[String(route.success.status)] = successResponse(route);
    // Every operation but the documentation asks for credentials when the node requires them.
    const implied = route.tag === 'Documentation' ? [500] : [401, 500];
    for (const status of [...new Set([...route.errors, ...implied])].sort((a, b) => a - b)) {
      responses[String(status)] = {
        description: STATUS_TEXT[status] ?? 'An error.',
        content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/ProblemDetail' } } },
      };
    }
    const operation: Record<string, unknown> = {
      tags: [route.tag],
      operationId: route.operationId,
      summary: route.summary,
      description: route.description,
      ...(route.camundaDocs
        ? { externalDocs: { description: 'The Camunda 8.8 operation this one mirrors', url: route.camundaDocs } }
        : {}),
      ...(route.pathParams?.length
        ? {
            parameters: route.pathParams.map((p) => ({
              name: p.name,
              in: 'path',
              required: true,
              description: p.description,
              schema: p.schema ?? keySchema(p.description),
            })),
          }
        : {}),
      ...(route.body
        ? {
            requestBody: {
              required: route.body.required,
              content: { [route.body.contentType]: { schema: { $ref: `#/components/schemas/${route.body.schemaName}` } } },
            },
          }
        : {}),
      responses,
    };
    if (route.body) schemas[route.body.schemaName] = route.body.schema;
    (paths[route.path] ??= {})[route.method.toLowerCase()] = operation;
  }

  return {
    openapi: '3.0.3',
    info: {
      title: 'Zen Orchestration Cluster API',
      version,
      description:
        "Zen's HTTP/JSON API, in the shape of Camunda 8.8's Orchestration Cluster REST API (v2). Keys are int64 " +
        'written as decimal strings. Errors are RFC 9457 problem details whose title is the error code. ' +
        'Operations of the Camunda API that Zen does not serve yet answer 501.',
      license: { name: 'Apache-2.0', url: 'https://www.apache.org/licenses/LICENSE-2.0' },
    },
    externalDocs: {
      description: "Camunda 8.8's Orchestration Cluster REST API",
      url: CAMUNDA_OVERVIEW,
    },
    servers: [{ url: API_PREFIX }],
    tags: [...tags].sort().map((name) => ({ name })),
    paths,
    components: {
      schemas: {
        ...schemas,
        ...RESPONSE_SCHEMAS,
        ...HISTORY_RESPONSE_SCHEMAS,
        ...IDENTITY_RESPONSE_SCHEMAS,
        ...MEMBERSHIP_RESPONSE_SCHEMAS,
        ...TENANT_RESPONSE_SCHEMAS,
        ...BACKUP_RESPONSE_SCHEMAS,
      },
    },
  };
}

function successResponse(route: RouteSpec): Record<string, unknown> {
  const { status, description, schemaName, contentType } = route.success;
  if (status === 204) return { description };
  if (contentType !== undefined) return { description, content: { [contentType]: { schema: { type: 'string' } } } };
  const schema = schemaName
    ? { $ref: `#/components/schemas/${schemaName}` }
    : { type: 'object', additionalProperties: true };
  return { description, content: { 'application/json': { schema } } };
}

/** GET /v2/openapi.json and GET /v2/docs (the document as a page); the document covers both. */
export function openApiRoutes(allRoutes: () => readonly RouteSpec[], version: string): RouteGroup {
  let document: Record<string, unknown> | null = null;
  let page: DocsPage | null = null;
  const theDocument = () => (document ??= buildOpenApiDocument(allRoutes(), version));
  return {
    name: 'openapi',
    routes: [
      {
        method: 'GET',
        path: OPENAPI_PATH,
        operationId: 'getOpenApiDocument',
        summary: 'Get the OpenAPI document',
        description: 'This document: every operation this server serves, with request and response schemas.',
        tag: 'Documentation',
        success: { status: 200, description: 'The OpenAPI 3.0 document.' },
        errors: [],
        handler: async () => theDocument(),
      },
      {
        method: 'GET',
        path: DOCS_PATH,
        operationId: 'getApiDocs',
        summary: 'Get the API documentation page',
        description:
          'This document as one self-contained HTML page for a browser: operations by tag, their parameters, ' +
          'request and response schemas expanded, and a filter box. It loads nothing from elsewhere.',
        tag: 'Documentation',
        success: { status: 200, description: 'The HTML page.', contentType: 'text/html' },
        errors: [],
        handler: async (_ctx, _request, reply) => {
          page ??= renderDocsPage(theDocument());
          return reply
            .code(200)
            .header('content-security-policy', page.contentSecurityPolicy)
            .type('text/html; charset=utf-8')
            .send(page.html);
        },
      },
    ],
  };
}
