/**
 * Authentication on the REST port: an onRequest hook, so a refused request is answered before
 * its body is read or parsed. The principal is attached to the request (security/call-context).
 * The API's own documentation (`/v2/openapi.json`, `/v2/docs`) is readable without credentials,
 * as Camunda leaves its API docs open, and so are the console's static files (the page signs in).
 */
import type { FastifyInstance } from 'fastify';
import { ERROR_CATALOGUE, toZenError } from '../../errors.js';
import type { AuthGate } from '../../security/auth-gate.js';
import { attachPrincipal } from '../../security/call-context.js';
import { instanceOf, problem, problemTitle, sendProblem } from './problem.js';

export function authenticateRequests(app: FastifyInstance, gate: AuthGate, isPublic: (path: string) => boolean): void {
  app.addHook('onRequest', async (request, reply) => {
    if (isPublic(instanceOf(request))) return;
    try {
      attachPrincipal(request, await gate.check(request.headers.authorization, request.ip));
    } catch (err) {
      const zen = toZenError(err);
      if (zen.code === 'UNAUTHENTICATED') reply.header('www-authenticate', gate.challenge);
      return sendProblem(reply, problem(ERROR_CATALOGUE[zen.code].http, problemTitle(zen.code), zen.message, request));
    }
  });
}
