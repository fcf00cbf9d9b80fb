/**
 * Requests no route matched. Under /v2: a Camunda operation Zen does not serve yet is 501 naming
 * the operation; a known path with another method is 405 with Allow; anything else under /v2 is
 * 501 as well (Zen serves a subset of an API that keeps growing). Outside /v2: 404.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CAMUNDA_OPERATIONS, findCamundaOperation, mostSpecific } from './camunda-operations.js';
import { instanceOf, problem, sendProblem } from './problem.js';
import { API_PREFIX, type RouteSpec } from './route.js';

const DOCUMENT = `${API_PREFIX}/openapi.json`;

export function fallbackHandler(routes: readonly RouteSpec[]) {
  return (request: FastifyRequest, reply: FastifyReply): FastifyReply => {
    const path = instanceOf(request);
    const method = request.method.toUpperCase();
    if (path !== API_PREFIX && !path.startsWith(`${API_PREFIX}/`)) {
      const detail = `No endpoint at '${path}': the REST API is under ${API_PREFIX}/ (see ${DOCUMENT})`;
      return sendProblem(reply, problem(404, 'NOT_FOUND', detail, request));
    }
    const below = path.slice(API_PREFIX.length);
    const operation = findCamundaOperation(method, below);
    if (operation) {
      const { operationId, path: template } = operation;
      const detail = `The operation ${operationId} (${method} ${API_PREFIX}${template}) is not supported by Zen yet`;
      return sendProblem(reply, problem(501, 'UNIMPLEMENTED', detail, request));
    }
    const known = mostSpecific([...routes, ...CAMUNDA_OPERATIONS], below);
    const allowed = [...new Set(known.map((o) => o.method))].sort();
    if (allowed.length > 0) {
      reply.header('allow', allowed.join(', '));
      return sendProblem(
        reply,
        problem(405, 'METHOD_NOT_ALLOWED', `${method} is not allowed on '${path}'; allowed: ${allowed.join(', ')}`, request),
      );
    }
    const detail =
      `${method} ${path} is not supported by Zen: it is not an operation of the Camunda 8.8 REST API ` +
      `that Zen serves (see ${DOCUMENT})`;
    return sendProblem(reply, problem(501, 'UNIMPLEMENTED', detail, request));
  };
}
