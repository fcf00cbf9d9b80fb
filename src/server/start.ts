/**
 * Starts one node: standalone (partitions in this process, SQLite only) or, with
 * `--etcd-endpoints`, a member of a cluster. Either way it serves the gRPC gateway, REST and
 * the system port; `stop()` drains: no new calls, in-flight commands committed and answered,
 * leaderships handed over, databases closed.
 */
import { resolve } from 'node:path';
import { createGrpcServer, type GrpcServer } from '../api/grpc/index.js';
import { createRestServer, type RestServer } from '../api/rest/index.js';
import { createSystemServer, type SystemServer } from '../api/system/index.js';
import { ChangeRequests } from '../cluster/main/change-requests.js';
import { zenVersion } from '../version.js';
import type { ConfigKey, ConfigSource, ZenConfig } from '../config/types.js';
import { MAX_MESSAGE_SIZE_BOUND } from '../config/options.js';
import { RuntimeSettings } from '../config/runtime-settings.js';
import { readSettingsFile } from '../config/settings-file.js';
import { clusterSettingsService, standaloneSettingsService } from './settings-service.js';
import type { Logger } from '../log/logger.js';
import { apiMetrics, observeRuntime, ZenMetrics } from '../metrics/index.js';
import { Partition } from '../partition/partition.js';
import { ZenTracing } from '../tracing/zen-tracing.js';
import { openNodeTls } from '../tls/index.js';
import { ClusterRuntime } from '../node/cluster-runtime.js';
import { guardAgainstEtcd3Internals } from '../node/etcd3-guard.js';
import { ZenNode } from '../node/zen-node.js';
import { NodeSecurity } from '../security/node-security.js';
import type { TenantAccess } from '../node/tenant-access.js';
import { BackupService } from '../backup/backup-service.js';
import { openBackupStore } from '../backup/open-store.js';
import { checkRestoredPartitionCount } from '../backup/restore-marker.js';
import { clusterBackupHost, standaloneBackupHost } from '../node/backup-host.js';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { consoleConfigOf } from './console-config.js';

export interface RunningNode {
  /** Graceful: stop accepting requests, drain in-flight batches, close ports and databases. */
  stop(): Promise<void>;
  readonly node: ZenNode;
  readonly ports: { readonly grpc: number; readonly rest: number; readonly system: number; readonly private: number | null };
}

const SHUTDOWN_GRACE_MS = 10_000;
/** Log entries kept behind the head of each partition's local log. */
const LOG_RETENTION_ENTRIES = 10_000;

function advertisedHost(config: ZenConfig): string {
  if (config.advertiseHost) return config.advertiseHost;
  return config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
}

/** The standalone node's partitions, all local. */
async function openLocalPartitions(config: ZenConfig, node: ZenNode, metrics: ZenMetrics, tracing: ZenTracing, logger: Logger, settings: RuntimeSettings): Promise<Partition[]> {
  const partitions: Partition[] = [];
  try {
    for (let id = 1; id <= config.partitions; id++) {
      const partition = new Partition({
        partitionId: id,
        partitionCount: config.partitions,
        multiTenancy: config.multiTenancy,
        dataDir: config.dataDir,
        syncMode: config.syncMode,
        history: config.history,
        historyRetentionMs: () => settings.get('historyRetention'),
        maxQueuedCommands: () => settings.get('backpressureLimit'),
        maxBatchSize: config.maxBatchSize,
        logger: logger.child({ partition: id }),
        metrics: metrics.partition(id),
        host: node,
        logRetentionEntries: LOG_RETENTION_ENTRIES,
        tracing,
      });
      partitions.push(partition);
      node.addPartition(partition);
      metrics.observePartition(id, () => ({ role: partition.isReady ? 'LEADER' : 'INACTIVE', ready: partition.isReady }));
    }
    for (const partition of partitions) await partition.open();
  } catch (err) {
    for (const partition of partitions) await partition.close().catch(() => {});
    throw err;
  }
  return partitions;
}

/** `sources`: where each start-up value came from (resolve.ts), shown by the configuration routes. */
export async function startNode(
  original: ZenConfig,
  logger: Logger,
  sources: Readonly<Partial<Record<ConfigKey, ConfigSource>>> = {},
): Promise<RunningNode> {
  const config: ZenConfig = { ...original, dataDir: resolve(original.dataDir) };
  const version = zenVersion();
  // A data directory restored from a backup holds that cluster's partitions and no other count.
  checkRestoredPartitionCount(config.dataDir, config.partitions);
  const clustered = config.etcdEndpoints.length > 0;
  // The settings in force (ADR 016). A standalone node's runtime changes are in its data
  // directory and take effect before anything opens; a cluster's come with its log.
  const settings = new RuntimeSettings(config, sources, logger.child({ component: 'settings' }));
  const storedOverrides = clustered ? new Map() : readSettingsFile(config.dataDir);
  settings.onChange('logLevel', (level) => {
    logger.level = level;
  });
  settings.applyOverrides(storedOverrides, 'api');
  // Before anything opens: certificate files that cannot serve stop the start, naming the option.
  const tls = openNodeTls(config, logger.child({ component: 'tls' }));
  // First: an OTLP protocol it cannot export with stops the start before anything is opened.
  let tracing: ZenTracing;
  try {
    tracing = ZenTracing.create({ level: settings.get('tracingLevel'), serviceVersion: version, nodeId: String(config.nodeId), changeable: true });
  } catch (err) {
    tls.close();
    throw err;
  }
  const metrics = new ZenMetrics({ serviceVersion: version, nodeId: String(config.nodeId) });
  const stopRuntimeMetrics = observeRuntime(metrics);
  const requestMetrics = apiMetrics(metrics);
  const liveTracing = tracing;
  settings.onChange('tracingLevel', (level) => liveTracing.setLevel(level));
  // Read at every request: the transports are built for the bound, the limit in force is checked per request.
  const limits = {
    get maxMessageSize() {
      return settings.get('maxMessageSize');
    },
    maxMessageSizeBound: MAX_MESSAGE_SIZE_BOUND,
    maxResourcesPerDeployment: config.maxResourcesPerDeployment,
  };

  let grpc: GrpcServer | null = null;
  let rest: RestServer | null = null;
  let system: SystemServer | null = null;
  if (clustered) guardAgainstEtcd3Internals(logger);
  const runtime = clustered ? new ClusterRuntime(config, logger, metrics, version, tracing, tls.peer, settings) : null;
  const identity = { nodeId: config.nodeId, advertisedHost: advertisedHost(config), grpcPort: () => grpc?.boundPort() ?? config.grpcPort, version };
  let partitions: Partition[] = [];
  let security: NodeSecurity | null = null;
  let backups: BackupService | null = null;
  // The security is made with the node (it sends identity commands through it), so the node asks it lazily.
  const tenantAccess: TenantAccess = { allowedTenants: (principal) => (security ? security.tenantAccess.allowedTenants(principal) : 'all') };
  const node = new ZenNode(identity, config.partitions, logger, runtime?.directory, { multiTenancy: config.multiTenancy, access: tenantAccess });

  try {
    // Before anything listens: OIDC settings the verifier cannot work with stop the start here.
    security = new NodeSecurity({ config, node, logger: logger.child({ component: 'security' }) });
    const privatePort = runtime ? await runtime.privateServer.listen(config.host, config.privatePort) : null;
    if (!runtime) partitions = await openLocalPartitions(config, node, metrics, tracing, logger, settings);

    grpc = createGrpcServer({
      api: node,
      logger: logger.child({ component: 'gateway' }),
      metrics: requestMetrics,
      limits,
      tracing,
      authentication: security.gate,
      guard: security.guard,
      tls: tls.gateway ?? undefined,
      multiTenancy: config.multiTenancy,
    });
    const grpcPort = await grpc.listen(config.host, config.grpcPort);
    // Before the REST server, which lists the backups (GET /v2/backups); taking them starts below.
    backups = createBackups(config, version, runtime, () => partitions, logger);
    rest = createRestServer({
      api: node,
      logger: logger.child({ component: 'rest-api' }),
      metrics: requestMetrics,
      limits,
      version,
      clockControl: config.clockControl,
      tracing,
      authentication: security.gate,
      users: security.users,
      authorizations: security.authorizations,
      membership: security.membership,
      tenants: security.tenants,
      guard: security.guard,
      tls: tls.gateway ?? undefined,
      multiTenancy: config.multiTenancy,
      console: consoleConfigOf(config),
      backups,
      changeMarks: () => node.directory.marks(),
    });
    const restAddress = await rest.listen(config.host, config.restPort);

    const grpcServer = grpc;
    const restServer = rest;
    const nodeSecurity = security;
    nodeSecurity.start();
    system = createSystemServer({
      metrics,
      logger,
      backups,
      configuration: runtime ? clusterSettingsService(settings, () => runtime.mainCluster) : standaloneSettingsService(settings, config.dataDir, storedOverrides),
      cluster: runtime ? new ChangeRequests(() => runtime.mainCluster) : undefined,
      readiness: () => {
        const grpcListening = grpcServer.isListening();
        const auth = nodeSecurity.readiness();
        if (runtime) {
          const cluster = runtime.readiness();
          return { ready: cluster.ready && grpcListening && auth.ready, details: { ...cluster.details, grpcListening, ...(auth.details ? { auth: auth.details } : {}) } };
        }
        const notReady = partitions.filter((p) => !p.isReady).map((p) => p.id);
        return {
          ready: notReady.length === 0 && grpcListening && auth.ready,
          details: { partitionsNotReady: notReady, grpcListening, ...(auth.details ? { auth: auth.details } : {}) },
        };
      },
    });
    const systemAddress = await system.listen(config.host, config.systemPort);

    if (runtime) {
      await runtime.join(
        node,
        { host: identity.advertisedHost, grpcPort, restPort: restAddress.port, systemPort: systemAddress.port, privatePort: config.advertisePrivatePort || privatePort! },
        version,
      );
    }
    logger.info(
      {
        grpcPort,
        restPort: restAddress.port,
        systemPort: systemAddress.port,
        privatePort,
        partitions: config.partitions,
        dataDir: config.dataDir,
        clustered,
        version,
        tls: tls.gateway !== null,
        privateTls: tls.peer !== null,
        multiTenancy: config.multiTenancy,
      },
      'zen node started',
    );
    // Partition leaders take their part of requested backups from here on.
    backups?.start();

    let stopping: Promise<void> | null = null;
    const stop = (): Promise<void> =>
      (stopping ??= (async () => {
        logger.info('stopping: draining in-flight requests');
        await backups?.stop();
        node.jobs.closeAll();
        await Promise.all([grpcServer.shutdown(SHUTDOWN_GRACE_MS), restServer.close(SHUTDOWN_GRACE_MS)]);
        nodeSecurity.stop();
        if (runtime) await runtime.stop();
        for (const partition of partitions) await partition.close();
        await system?.close();
        tls.close();
        stopRuntimeMetrics();
        await metrics.shutdown();
        // Last: the spans of the drain itself are exported too.
        await tracing.shutdown().catch((err: unknown) => logger.warn({ err }, 'could not export the last spans'));
      })());
    return { stop, node, ports: { grpc: grpcPort, rest: restAddress.port, system: systemAddress.port, private: privatePort } };
  } catch (err) {
    await backups?.stop();
    security?.stop();
    await grpc?.shutdown(0).catch(() => {});
    await rest?.close(0).catch(() => {});
    await system?.close().catch(() => {});
    await runtime?.stop().catch(() => {});
    for (const partition of partitions) await partition.close().catch(() => {});
    tls.close();
    stopRuntimeMetrics();
    await tracing.shutdown().catch(() => {});
    throw err;
  }
}

/** The node's backup service, or null without --backup-store. */
function createBackups(config: ZenConfig, version: string, runtime: ClusterRuntime | null, partitions: () => readonly Partition[], logger: Logger): BackupService | null {
  const store = openBackupStore(config);
  if (!store) return null;
  // Snapshots are made next to the partitions (a temporary directory may be too small for them).
  const tempDir = join(config.dataDir, 'backup-tmp');
  rmSync(tempDir, { recursive: true, force: true });
  mkdirSync(tempDir, { recursive: true });
  const basics = { nodeId: config.nodeId, zenVersion: version, partitionCount: config.partitions, tempDir };
  const host = runtime ? clusterBackupHost(basics, runtime) : standaloneBackupHost(basics, config.dataDir, partitions);
  return new BackupService(store, host, logger.child({ component: 'backup' }));
}
