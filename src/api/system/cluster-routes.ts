import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { ChangeRequest } from '../../cluster/main/change-planner.js';
import { ERROR_CATALOGUE, isZenError, ZenError } from '../../errors.js';
import { problem, problemTitle, sendProblem } from '../rest/problem.js';

/** What the routes need: ChangeRequests (src/cluster/main/change-requests.ts), or null on a node without a cluster. */
export interface ClusterManagement {
  topology(): Promise<Record<string, unknown>>;
  submit(request: ChangeRequest, dryRun: boolean): Promise<unknown>;
  cancel(changeId: number): Promise<Record<string, unknown>>;
}

export interface ClusterRoutesOptions {
  readonly cluster: ClusterManagement | null;
}

/**
 * Zeebe's cluster management API on the management port (ADR 017): the topology with the
 * pending and the last change, adding a node, draining one, changing the replication factor,
 * cancelling the pending change. Requests answer 202 with the planned change; `?dryRun=true`
 * plans without recording. A cancellation answers the topology (200) and has no dry run.
 * Like Zeebe's management port this is unauthenticated: it must not be reachable from beyond
 * the operators' network.
 */
export const clusterRoutes: FastifyPluginAsync<ClusterRoutesOptions> = async (app, { cluster }) => {
  const run = async (request: FastifyRequest, reply: FastifyReply, work: (c: ClusterManagement) => Promise<unknown>, status: number) => {
    try {
      if (!cluster) throw new ZenError('FAILED_PRECONDITION', 'This node runs alone (no --etcd-endpoints): there is no cluster to change');
      const body = await work(cluster);
      return reply.code(status).send(body);
    } catch (err) {
      const zen = isZenError(err) ? err : new ZenError('INTERNAL', err instanceof Error ? err.message : String(err));
      if (zen.code === 'INTERNAL') app.log.error({ err }, 'cluster management request failed');
      return sendProblem(reply, problem(ERROR_CATALOGUE[zen.code].http, problemTitle(zen.code), zen.message, request));
    }
  };

  app.get('/actuator/cluster', (request, reply) => run(request, reply, (c) => c.topology(), 200));

  app.post<{ Params: { id: string }; Querystring: Record<string, string> }>('/actuator/cluster/brokers/:id', (request, reply) =>
    run(request, reply, (c) => c.submit({ kind: 'ADD_BROKER', nodeId: nodeIdParam(request.params.id) }, dryRun(request.query)), 202),
  );

  app.delete<{ Params: { id: string }; Querystring: Record<string, string> }>('/actuator/cluster/brokers/:id', (request, reply) =>
    run(request, reply, (c) => c.submit({ kind: 'REMOVE_BROKER', nodeId: nodeIdParam(request.params.id) }, dryRun(request.query)), 202),
  );

  app.delete<{ Params: { id: string }; Querystring: Record<string, string> }>('/actuator/cluster/changes/:id', (request, reply) =>
    run(
      request,
      reply,
      (c) => {
        if (dryRun(request.query)) throw new ZenError('INVALID_ARGUMENT', 'Cancelling a change has no dry run');
        return c.cancel(changeIdParam(request.params.id));
      },
      200,
    ),
  );

  app.patch<{ Querystring: Record<string, string> }>('/actuator/cluster', (request, reply) =>
    run(request, reply, (c) => c.submit({ kind: 'REPLICATION_FACTOR', replicationFactor: replicationFactorOf(request.body) }, dryRun(request.query)), 202),
  );
};

function nodeIdParam(raw: string): number {
  if (!/^\d{1,10}$/.test(raw) || Number(raw) > 0xffffffff) throw new ZenError('INVALID_ARGUMENT', `Broker id must be a non-negative integer node id, got '${raw.slice(0, 40)}'`);
  return Number(raw);
}

function changeIdParam(raw: string): number {
  if (!/^\d{1,15}$/.test(raw)) throw new ZenError('INVALID_ARGUMENT', `Change id must be a number, got '${raw.slice(0, 40)}'`);
  return Number(raw);
}

function dryRun(query: Record<string, string> | undefined): boolean {
  const value = query?.dryRun;
  if (value === undefined || value === 'false') return false;
  if (value === 'true' || value === '') return true;
  throw new ZenError('INVALID_ARGUMENT', `dryRun must be true or false, got '${String(value).slice(0, 40)}'`);
}

/** Zeebe's ClusterConfigPatchRequest, of which Zen takes `partitions.replicationFactor`. */
function replicationFactorOf(body: unknown): number {
  const shape = 'expected {"partitions": {"replicationFactor": N}}';
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new ZenError('INVALID_ARGUMENT', `The request body must be a JSON object: ${shape}`);
  const { brokers, partitions } = body as { brokers?: unknown; partitions?: unknown };
  if (brokers !== undefined) {
    throw new ZenError('INVALID_ARGUMENT', 'Zen changes brokers one at a time: POST or DELETE /actuator/cluster/brokers/{id} instead of "brokers"');
  }
  if (typeof partitions !== 'object' || partitions === null) throw new ZenError('INVALID_ARGUMENT', `The request body has no "partitions": ${shape}`);
  const { count, replicationFactor } = partitions as { count?: unknown; replicationFactor?: unknown };
  if (count !== undefined) throw new ZenError('INVALID_ARGUMENT', 'The partition count of a Zen cluster cannot change');
  if (typeof replicationFactor !== 'number' || !Number.isInteger(replicationFactor) || replicationFactor < 1) {
    throw new ZenError('INVALID_ARGUMENT', `partitions.replicationFactor must be a positive integer: ${shape}`);
  }
  return replicationFactor;
}
