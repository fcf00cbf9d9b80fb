import type { FastifyPluginAsync, FastifyReply } from 'fastify';

/** `true`, or a verdict with details such as which partitions are not ready or which ports are not bound. */
export type ReadinessResult = boolean | { readonly ready: boolean; readonly details?: Readonly<Record<string, unknown>> };
export type ReadinessCheck = () => ReadinessResult;

export interface ReadinessRoutesOptions {
  readonly readiness: ReadinessCheck;
}

interface Verdict {
  readonly ready: boolean;
  readonly details?: Readonly<Record<string, unknown>>;
}

/**
 * `/ready` follows the node's current state: it can turn 503 again, e.g. while a partition has
 * no leader. `/startup` latches: once the node has been ready it has started, and a
 * Kubernetes startup probe must not fail a running node for a leader change.
 * Zeebe's actuator paths answer in Spring's vocabulary (UP / OUT_OF_SERVICE / DOWN).
 */
export const readinessRoutes: FastifyPluginAsync<ReadinessRoutesOptions> = async (app, { readiness }) => {
  let started = false;

  const check = (): Verdict => {
    try {
      const result = readiness();
      const verdict = typeof result === 'boolean' ? { ready: result } : result;
      if (verdict.ready) started = true;
      return verdict;
    } catch (err) {
      app.log.warn({ err }, 'readiness check failed');
      return { ready: false, details: { error: err instanceof Error ? err.message : String(err) } };
    }
  };

  const send = (reply: FastifyReply, ok: boolean, status: string, details: Verdict['details']) =>
    reply.code(ok ? 200 : 503).send(details === undefined ? { status } : { status, details });

  app.get('/ready', async (_req, reply) => {
    const v = check();
    return send(reply, v.ready, v.ready ? 'READY' : 'NOT_READY', v.details);
  });
  app.get('/actuator/health/readiness', async (_req, reply) => {
    const v = check();
    return send(reply, v.ready, v.ready ? 'UP' : 'OUT_OF_SERVICE', v.details);
  });

  const startup = (): Verdict => (started ? { ready: true } : check());
  app.get('/startup', async (_req, reply) => {
    const v = startup();
    return send(reply, v.ready, v.ready ? 'STARTED' : 'STARTING', v.details);
  });
  app.get('/actuator/health/startup', async (_req, reply) => {
    const v = startup();
    return send(reply, v.ready, v.ready ? 'UP' : 'DOWN', v.details);
  });
};
