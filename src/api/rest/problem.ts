/**
 * Errors as RFC 9457 problem details (`application/problem+json`), the shape Camunda's REST API
 * answers with. Only the catalogue decides the status of a ZenError; the title is the error code,
 * as Camunda writes it (clients such as the Camunda SDK recognise back-pressure by
 * `title: "RESOURCE_EXHAUSTED"`).
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { ERROR_CATALOGUE, type ErrorCode, toZenError, isZenError } from '../../errors.js';
import { describeJson } from './decode.js';
import { KEY_PATTERN } from './schemas.js';
import type { RestLogger } from './logger.js';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly instance: string;
}

/** Camunda calls the engine's INVALID_STATE rejection by that name; the other codes keep theirs. */
export function problemTitle(code: ErrorCode): string {
  return code === 'FAILED_PRECONDITION' ? 'INVALID_STATE' : code;
}

export function problem(status: number, title: string, detail: string, request: FastifyRequest): Problem {
  return { type: 'about:blank', title, status, detail, instance: instanceOf(request) };
}

export function sendProblem(reply: FastifyReply, body: Problem): FastifyReply {
  return reply.code(body.status).type(PROBLEM_CONTENT_TYPE).send(body);
}

/** The request path without the query: the problem's `instance`. */
export function instanceOf(request: FastifyRequest): string {
  const url = request.url;
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}

/**
 * Any failure of a request to a problem: ZenErrors by the catalogue, fastify's own errors
 * (validation, body size, media type, JSON syntax) by their meaning, anything else as INTERNAL.
 * INTERNAL means a bug, so it is logged with the original stack; the client sees the message.
 */
export function problemFor(err: unknown, request: FastifyRequest, logger: RestLogger, maxBodyBytes: number): Problem {
  if (isZenError(err)) {
    return fromCode(err.code, err.message, request, err, logger);
  }
  const fastifyError = err as Partial<FastifyError> & { validation?: ValidationIssue[] };
  if (fastifyError.validation && fastifyError.validation.length > 0) {
    const detail = validationMessage(fastifyError.validation[0]!, fastifyError.validationContext);
    return problem(400, 'INVALID_ARGUMENT', detail, request);
  }
  switch (fastifyError.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return problem(
        413,
        'PAYLOAD_TOO_LARGE',
        `Request body is larger than the limit of ${maxBodyBytes} bytes (maxMessageSize)`,
        request,
      );
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return problem(
        415,
        'UNSUPPORTED_MEDIA_TYPE',
        `Content type '${request.headers['content-type'] ?? ''}' is not supported; send application/json ` +
          '(multipart/form-data to POST /v2/deployments)',
        request,
      );
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return problem(400, 'INVALID_ARGUMENT', 'Request body is empty but the content type is application/json', request);
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return problem(400, 'INVALID_ARGUMENT', 'Request body is not valid JSON', request);
  }
  const status = typeof fastifyError.statusCode === 'number' ? fastifyError.statusCode : 500;
  if (status >= 400 && status < 500) {
    const message = err instanceof Error ? err.message : String(err);
    return problem(status, status === 413 ? 'PAYLOAD_TOO_LARGE' : 'INVALID_ARGUMENT', message, request);
  }
  const zen = toZenError(err);
  return fromCode(zen.code, zen.message, request, err, logger);
}

function fromCode(code: ErrorCode, message: string, request: FastifyRequest, err: unknown, logger: RestLogger): Problem {
  if (code === 'INTERNAL') {
    // pino's err serializer writes the stack; the original error, not a wrapper, has the useful one.
    logger.error({ method: request.method, url: instanceOf(request), err }, 'REST request failed with an internal error');
  }
  return problem(ERROR_CATALOGUE[code].http, problemTitle(code), message, request);
}

/** The parts of an Ajv error object the messages use (fastify's ajv runs with `verbose`). */
export interface ValidationIssue {
  readonly keyword: string;
  readonly instancePath: string;
  readonly params: Record<string, unknown>;
  readonly message?: string;
  readonly data?: unknown;
  readonly parentSchema?: { readonly pattern?: unknown; readonly format?: unknown };
}

/** One schema violation as a sentence naming the field, in the gRPC adapter's wording. */
export function validationMessage(issue: ValidationIssue, context?: string): string {
  const base = fieldPath(issue.instancePath);
  if (issue.keyword === 'required') {
    const field = join(base, String(issue.params.missingProperty));
    return `Property '${field}' is required, but it was not given`;
  }
  if (base === '' && (issue.data === undefined || issue.data === null)) {
    return 'Request body is required, but it was not given';
  }
  const where = context === undefined || context === 'body' ? 'Request body' : `Request ${context}`;
  const subject = base === '' ? where : `Property '${base}'`;
  // A secret is not repeated, not even a malformed one.
  if (issue.parentSchema?.format === 'password') return `${subject} is invalid: expected ${typeWord(String(issue.params.type ?? 'string'))}`;
  if (issue.parentSchema?.pattern === KEY_PATTERN && (issue.keyword === 'type' || issue.keyword === 'pattern')) {
    const expected =
      issue.keyword === 'type' ? 'a key as a decimal string (such as "2251799813685249")' : 'a numeric key';
    return `${subject} is invalid: expected ${expected}, but it was ${describeJson(issue.data)}`;
  }
  if (issue.keyword === 'type') {
    return `${subject} is invalid: expected ${typeWord(String(issue.params.type))}, but it was ${describeJson(issue.data)}`;
  }
  return `${subject} is invalid: ${issue.message ?? issue.keyword}, but it was ${describeJson(issue.data)}`;
}

/** `/changeset/retries` → `changeset.retries`, `/fetchVariable/0` → `fetchVariable[0]`. */
function fieldPath(instancePath: string): string {
  let path = '';
  for (const raw of instancePath.split('/').slice(1)) {
    const segment = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    path = /^[0-9]+$/.test(segment) ? `${path}[${segment}]` : join(path, segment);
  }
  return path;
}

function join(base: string, name: string): string {
  return base === '' ? name : `${base}.${name}`;
}

function typeWord(type: string): string {
  switch (type) {
    case 'object':
      return 'a JSON object';
    case 'array':
      return 'an array';
    case 'integer':
      return 'an integer';
    default:
      return `a ${type.replace(/,/g, ' or ')}`;
  }
}
