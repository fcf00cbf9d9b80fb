/**
 * One description per operation, used twice: to register the fastify route and to write the
 * OpenAPI document, so the two cannot drift apart.
 */
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { JsonSchema } from './schemas.js';
import type { RestContext } from './types.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface PathParam {
  readonly name: string;
  readonly description: string;
  /** Its schema in the OpenAPI document; a key (decimal string) when absent. */
  readonly schema?: JsonSchema;
}

export interface RequestBodySpec {
  readonly contentType: 'application/json' | 'multipart/form-data';
  /** Name under components.schemas in the OpenAPI document. */
  readonly schemaName: string;
  readonly schema: JsonSchema;
  /** Optional bodies may be absent, empty or null; the handler then sees `{}`. */
  readonly required: boolean;
}

export interface SuccessSpec {
  readonly status: 200 | 201 | 202 | 204;
  readonly description: string;
  /** A response schema under components.schemas; absent for 204. */
  readonly schemaName?: string;
  /** A body that is not JSON (the handler sets the reply's content type): a string of this type. */
  readonly contentType?: string;
}

export interface RouteSpec {
  readonly method: HttpMethod;
  /** Path below /v2, OpenAPI style: `/jobs/{jobKey}/completion`. */
  readonly path: string;
  /** Camunda's operationId. */
  readonly operationId: string;
  readonly summary: string;
  readonly description: string;
  readonly tag: string;
  /** The Camunda 8.8 documentation page of the operation this one mirrors. */
  readonly camundaDocs?: string;
  readonly pathParams?: readonly PathParam[];
  readonly body?: RequestBodySpec;
  readonly success: SuccessSpec;
  /** Error statuses the operation can answer with (problem+json). */
  readonly errors: readonly number[];
  /** Resolves with the response body (ignored for 204). Throwing a ZenError answers with a problem. */
  readonly handler: (ctx: RestContext, request: FastifyRequest, reply: FastifyReply) => Promise<unknown>;
}

/** A group of operations served by one fastify plugin (one concern). */
export interface RouteGroup {
  readonly name: string;
  readonly routes: readonly RouteSpec[];
  /** Extra plugin setup, such as a content-type parser that only this group accepts. */
  readonly setup?: (app: FastifyInstance, ctx: RestContext) => void;
}

export const API_PREFIX = '/v2';

const CAMUNDA_DOCS = 'https://docs.camunda.io/docs/8.8/apis-tools/orchestration-cluster-api-rest/specifications';

/** The Camunda docs page for an operation: its slug is the kebab-cased summary. */
export function camundaDocs(slug: string): string {
  return `${CAMUNDA_DOCS}/${slug}/`;
}

/** `/jobs/{jobKey}` → `/v2/jobs/:jobKey`. */
export function fastifyUrl(path: string): string {
  return API_PREFIX + path.replace(/\{([^}]+)\}/g, ':$1');
}

export function routePlugin(group: RouteGroup): FastifyPluginAsync<{ ctx: RestContext }> {
  return async (app, { ctx }) => {
    group.setup?.(app, ctx);
    for (const spec of group.routes) {
      const json = spec.body?.contentType === 'application/json' ? spec.body : undefined;
      app.route({
        method: spec.method,
        url: fastifyUrl(spec.path),
        schema: json ? { body: json.schema } : undefined,
        // Camunda accepts an absent body where the body is optional; validate it as `{}`.
        preValidation:
          spec.body && !spec.body.required
            ? async (request) => {
                if (request.body === undefined || request.body === null) request.body = {};
              }
            : undefined,
        handler: async (request, reply) => {
          const body = await spec.handler(ctx.guard ? ctx.guard.forRequest(ctx, request) : ctx, request, reply);
          if (reply.sent) return reply;
          if (spec.success.status === 204) return reply.code(204).send();
          return reply.code(spec.success.status).send(body);
        },
      });
    }
  };
}
