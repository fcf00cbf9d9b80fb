import type { AddressInfo } from 'node:net';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from '../../log/logger.js';
import { backupRoutes, type BackupApi } from './backups.js';
import { clusterRoutes, type ClusterManagement } from './cluster-routes.js';
import { healthRoutes } from './health.js';
import { metricsRoutes, type MetricsSource } from './metrics-route.js';
import { readinessRoutes, type ReadinessCheck } from './readiness.js';
import { configurationRoutes, type ConfigurationSource } from './configuration.js';

export interface SystemServerOptions {
  readonly metrics: MetricsSource;
  readonly readiness: ReadinessCheck;
  readonly logger?: Logger;
  /** Backups (`/actuator/backups`); null or absent: the routes say which option enables them. */
  readonly backups?: BackupApi | null;
  /** The settings in force and their changes (`/actuator/cluster/configuration`); absent: no such routes. */
  readonly configuration?: ConfigurationSource;
  /** Cluster changes (`/actuator/cluster`); absent on a node that runs alone. */
  readonly cluster?: ClusterManagement;
}

export interface SystemServer {
  /** Not listening until `listen`; tests drive it with `app.inject()`. */
  readonly app: FastifyInstance;
  /** Binds and resolves with the bound address (the real port when `port` is 0). */
  listen(host: string, port: number): Promise<{ host: string; port: number }>;
  close(): Promise<void>;
}

/** The operations port (default 9600): health, readiness, startup and Prometheus metrics. */
export function createSystemServer(options: SystemServerOptions): SystemServer {
  const loggerInstance: FastifyBaseLogger | undefined = options.logger?.child({ component: 'system-api' });
  const app = Fastify({
    loggerInstance,
    // Probes and scrapes arrive every few seconds; logging each would drown the node's own lines.
    logController: new LogController({ disableRequestLogging: true }),
  });

  app.register(healthRoutes);
  app.register(readinessRoutes, { readiness: options.readiness });
  app.register(metricsRoutes, { metrics: options.metrics });
  app.register(backupRoutes, { backups: options.backups ?? null });
  if (options.configuration) app.register(configurationRoutes, { configuration: options.configuration });
  app.register(clusterRoutes, { cluster: options.cluster ?? null });

  return {
    app,
    async listen(host, port) {
      await app.listen({ host, port });
      const address = app.server.address() as AddressInfo;
      return { host: address.address, port: address.port };
    },
    close: () => app.close(),
  };
}
