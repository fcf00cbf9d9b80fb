import type { FastifyPluginAsync } from 'fastify';
import { PROMETHEUS_CONTENT_TYPE } from '../../metrics/names.js';

export interface MetricsSource {
  collectPrometheus(): Promise<string>;
}

export interface MetricsRoutesOptions {
  readonly metrics: MetricsSource;
}

/** `/metrics`, and `/actuator/prometheus` where Zeebe serves it, so existing scrape configs keep working. */
export const metricsRoutes: FastifyPluginAsync<MetricsRoutesOptions> = async (app, { metrics }) => {
  for (const url of ['/metrics', '/actuator/prometheus']) {
    app.get(url, async (_req, reply) => {
      const text = await metrics.collectPrometheus();
      return reply.type(PROMETHEUS_CONTENT_TYPE).send(text);
    });
  }
};
