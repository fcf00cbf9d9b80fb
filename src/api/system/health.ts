import type { FastifyPluginAsync } from 'fastify';

const UP = { status: 'UP' } as const;

/**
 * Liveness: answers UP while the process can serve HTTP at all. Zeebe's paths are kept as
 * aliases (`/actuator/health` and its `liveness` and `status` groups) so probes written
 * for a Camunda 8 broker on port 9600 work unchanged.
 */
export const healthRoutes: FastifyPluginAsync = async (app) => {
  for (const url of ['/health', '/actuator/health', '/actuator/health/liveness', '/actuator/health/status']) {
    app.get(url, async () => UP);
  }
};
