/**
 * Starts one node: partitions (each with its SQLite database), the gRPC gateway, and the
 * system port. `stop()` drains: no new calls, in-flight commands committed and answered,
 * databases closed.
 */
import { resolve } from 'node:path';
import { createGrpcServer, type GrpcServer } from '../api/grpc/index.js';
import { createRestServer, type RestServer } from '../api/rest/index.js';
import { createSystemServer, type SystemServer } from '../api/system/index.js';
import { zenVersion } from '../cli/version.js';
import type { ZenConfig } from '../config/types.js';
import type { Logger } from '../log/logger.js';
import { ZenMetrics } from '../metrics/index.js';
import { Partition } from '../partition/partition.js';
import { ZenNode } from './zen-node.js';

export interface RunningNode {
  /** Graceful: stop accepting requests, drain in-flight batches, close ports and databases. */
  stop(): Promise<void>;
  readonly node: ZenNode;
  readonly ports: { readonly grpc: number; readonly rest: number; readonly system: number };
}

const SHUTDOWN_GRACE_MS = 10_000;
/** Log entries kept behind the head of each partition's log. */
const LOG_RETENTION_ENTRIES = 10_000;

function advertisedHost(host: string): string {
  return host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
}

export async function startNode(config: ZenConfig, logger: Logger): Promise<RunningNode> {
  const version = zenVersion();
  const dataDir = resolve(config.dataDir);
  const metrics = new ZenMetrics({ serviceVersion: version, nodeId: '0' });
  let grpc: GrpcServer | null = null;
  let system: SystemServer | null = null;
  let rest: RestServer | null = null;
  const node = new ZenNode(
    { nodeId: 0, advertisedHost: advertisedHost(config.host), grpcPort: () => grpc?.boundPort() ?? config.grpcPort, version },
    config.partitions,
    logger,
  );

  metrics.registerGauge('zen_process_resident_memory_bytes', 'Resident set size of the node process', (r) => r.observe(process.memoryUsage.rss()));
  metrics.registerGauge('zen_process_heap_used_bytes', 'V8 heap in use', (r) => r.observe(process.memoryUsage().heapUsed));

  const partitions: Partition[] = [];
  try {
    for (let id = 1; id <= config.partitions; id++) {
      const partition = new Partition({
        partitionId: id,
        partitionCount: config.partitions,
        dataDir,
        syncMode: config.syncMode,
        maxBatchSize: config.maxBatchSize,
        logger: logger.child({ partition: id }),
        metrics: metrics.partition(id),
        host: node,
        logRetentionEntries: LOG_RETENTION_ENTRIES,
      });
      partitions.push(partition);
      node.addPartition(partition);
      metrics.observePartition(id, () => ({ role: partition.isReady ? 'LEADER' : 'INACTIVE', ready: partition.isReady }));
    }
    for (const partition of partitions) await partition.open();

    grpc = createGrpcServer({
      api: node,
      logger: logger.child({ component: 'gateway' }),
      limits: { maxMessageSize: config.maxMessageSize, maxResourcesPerDeployment: config.maxResourcesPerDeployment },
    });
    const grpcPort = await grpc.listen(config.host, config.grpcPort);
    rest = createRestServer({
      api: node,
      logger: logger.child({ component: 'rest-api' }),
      limits: { maxMessageSize: config.maxMessageSize, maxResourcesPerDeployment: config.maxResourcesPerDeployment },
      version,
    });
    const restAddress = await rest.listen(config.host, config.restPort);
    const restServer = rest;

    const grpcServer = grpc;
    system = createSystemServer({
      metrics,
      logger,
      readiness: () => {
        const notReady = partitions.filter((p) => !p.isReady).map((p) => p.id);
        const ready = notReady.length === 0 && grpcServer.isListening();
        return { ready, details: { partitionsNotReady: notReady, grpcListening: grpcServer.isListening(), restPort: restAddress.port } };
      },
    });
    const systemAddress = await system.listen(config.host, config.systemPort);
    logger.info({ grpcPort, restPort: restAddress.port, systemPort: systemAddress.port, partitions: config.partitions, dataDir, version }, 'zen node started');

    let stopping: Promise<void> | null = null;
    const stop = (): Promise<void> =>
      (stopping ??= (async () => {
        logger.info('stopping: draining in-flight requests');
        node.jobs.closeAll();
        await Promise.all([grpcServer.shutdown(SHUTDOWN_GRACE_MS), restServer.close(SHUTDOWN_GRACE_MS)]);
        for (const partition of partitions) await partition.close();
        await system?.close();
        await metrics.shutdown();
      })());
    return { stop, node, ports: { grpc: grpcPort, rest: restAddress.port, system: systemAddress.port } };
  } catch (err) {
    await grpc?.shutdown(0).catch(() => {});
    await rest?.close(0).catch(() => {});
    await system?.close().catch(() => {});
    for (const partition of partitions) await partition.close().catch(() => {});
    throw err;
  }
}
