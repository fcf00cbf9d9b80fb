/**
 * The main cluster as a node sees it: join (bootstrapping the cluster if this is the first
 * node), the folded cluster state, and — when elected — the controller role.
 *
 * Joining:
 * 1. Bootstrap, one transaction: if neither `config` nor `cluster/head` exists, create
 *    `config` (JSON {partitionCount, replicationFactor}), the head and log entry 1 (the
 *    ClusterConfigChange). The first node wins; every later node reads the config it wrote.
 *    The partition count can never differ (partition ids are in keys and hashes): a node
 *    started with another count refuses to join. The replication factor may differ: the
 *    cluster's wins (it may have been changed since bootstrap), with a warning.
 * 2. Fold the log (catch up) and follow it.
 * 3. Register under a lease and record this node in the log. A node the state already knows
 *    rejoins (its memberships are still there unless the controller replaced them); a node
 *    it does not know registers as new. Both are the same ClusterNodeChange ACTIVE.
 * 4. Campaign for controller.
 *
 * Leaving: `leave()` is for a node that stops (SIGTERM) and will likely come back. It
 * resigns the controller role and revokes the lease — the controller marks the node DOWN
 * immediately but keeps its memberships for the rebalance delay, exactly as for a crash
 * only faster to notice. Nothing is written that would cost it its memberships.
 * `leave({ permanently: true })` is for decommissioning: it appends ClusterNodeChange LEFT
 * first, and the controller reassigns the node's memberships at once.
 * `close()` stops everything without telling etcd: the lease expires after its TTL (what a
 * crash looks like to the rest of the cluster).
 */
import { EventEmitter } from 'node:events';
import type { Etcd3 } from 'etcd3';
import type { Logger } from 'pino';
import { ZenError } from '../../errors.js';
import { DEFAULT_ETCD_CALL_TIMEOUT_MS, withTimeout } from '../etcd/client.js';
import type { EtcdSpaceMonitor } from '../etcd/space-monitor.js';
import { ClusterLog, FencedAppendError } from './cluster-log.js';
import { encodeClusterCommand } from './codec.js';
import { Controller, DEFAULT_REBALANCE_DELAY_MS } from './controller.js';
import { type ClusterKeys, clusterKeys, nodeIdOfKey } from './keys.js';
import type { PartitionLogStores } from '../etcd/log-stores.js';
import { DEFAULT_LEASE_TTL_SECONDS, Membership } from './membership.js';
import type { Shortfall } from './planner.js';
import type { ClusterCommand, ClusterConfig, ClusterState, EtcdClusterId, NodeAddresses } from './types.js';

export interface MainClusterOptions {
  readonly etcd: Etcd3;
  /** Cluster name; every key lives under `/<prefix>/`. */
  readonly prefix: string;
  readonly node: {
    readonly nodeId: number;
    readonly zone: string;
    readonly addresses: NodeAddresses;
    readonly controllerOnly: boolean;
    readonly version: string;
  };
  /** What this node was started with; bootstraps the cluster if it has no config yet. */
  readonly config: ClusterConfig;
  readonly leaseTtlSeconds?: number;
  /** A function is read at every planner run, so the delay can change while the node runs. */
  readonly rebalanceDelayMs?: number | (() => number);
  readonly logger: Logger;
  /** Take part in the controller election (default true). */
  readonly campaign?: boolean;
  /** Period of the controller's planner run and election check (default 1000). */
  readonly controllerIntervalMs?: number;
  /** Period of the cluster-log poll that backs up the watch (default 1000). */
  readonly pollIntervalMs?: number;
  /** Period of etcd history compaction and space upkeep while controller (default 2 s, keeping at most 1,000 revisions and 10 s; 0 = off). */
  readonly compactIntervalMs?: number;
  readonly compactRetainRevisions?: number;
  /** Cluster-log entries kept below each snapshot (default 1,000). */
  readonly clusterLogKeep?: number;
  readonly callTimeoutMs?: number;
  /** The etcd clusters for partition logs, for the controller to place logs on and compact. */
  readonly logStores?: PartitionLogStores;
  /** How full each etcd cluster is, for the controller's space upkeep (defragmentation, the NOSPACE alarm). */
  readonly spaceMonitor?: (id: EtcdClusterId) => EtcdSpaceMonitor | null;
}

export interface MainClusterEvents {
  /** The node's lease was lost (it was cut off from etcd for a TTL); re-registration follows. */
  leaseLost: [err: Error];
  /** Registered under a (new) lease. */
  registered: [leaseId: string];
  /** This node became the controller. */
  elected: [];
  /** This node stopped being the controller. */
  deposed: [];
}

export class MainCluster extends EventEmitter<MainClusterEvents> {
  private closed = false;

  private constructor(
    private readonly options: MainClusterOptions,
    readonly keys: ClusterKeys,
    private readonly log: ClusterLog,
    private readonly membership: Membership,
    private readonly controller: Controller | null,
  ) {
    super();
    membership.on('leaseLost', (err) => this.emit('leaseLost', err));
    membership.on('registered', (leaseId) => this.emit('registered', leaseId));
    controller?.on('elected', () => this.emit('elected'));
    controller?.on('deposed', () => this.emit('deposed'));
  }

  static async join(options: MainClusterOptions): Promise<MainCluster> {
    validate(options);
    const keys = clusterKeys(options.prefix);
    const logger = options.logger.child({ component: 'main-cluster', nodeId: options.node.nodeId });
    const callTimeoutMs = options.callTimeoutMs ?? DEFAULT_ETCD_CALL_TIMEOUT_MS;

    await bootstrap(options.etcd, keys, options.config, options.prefix, callTimeoutMs, logger);

    const log = new ClusterLog(options.etcd, keys, logger, { pollIntervalMs: options.pollIntervalMs, callTimeoutMs });
    const membership = new Membership(options.etcd, keys, log, { ...options.node }, logger, {
      leaseTtlSeconds: options.leaseTtlSeconds ?? DEFAULT_LEASE_TTL_SECONDS,
      callTimeoutMs,
    });
    const controller =
      options.campaign === false
        ? null
        : new Controller(options.etcd, keys, log, membership, logger, {
            rebalanceDelayMs: options.rebalanceDelayMs ?? DEFAULT_REBALANCE_DELAY_MS,
            intervalMs: options.controllerIntervalMs,
            compactIntervalMs: options.compactIntervalMs,
            compactRetainRevisions: options.compactRetainRevisions,
            clusterLogKeep: options.clusterLogKeep,
            callTimeoutMs,
            logStores: options.logStores,
            spaceMonitor: options.spaceMonitor,
          });
    try {
      await log.start();
      const config = log.state.config;
      if (config && config.replicationFactor !== options.config.replicationFactor) {
        logger.warn(
          { cluster: config.replicationFactor, started: options.config.replicationFactor },
          `cluster '${options.prefix}' uses replication factor ${config.replicationFactor}; ignoring the ${options.config.replicationFactor} this node was started with`,
        );
      }
      const known = log.state.nodes.get(options.node.nodeId);
      await membership.register();
      if (known) logger.info({ previousState: known.state, previousZone: known.zone }, 'rejoining the cluster as an existing member');
      else logger.info('joining the cluster as a new node');
      controller?.start();
    } catch (err) {
      await controller?.stop(false);
      membership.close();
      await log.close();
      throw err;
    }
    return new MainCluster(options, keys, log, membership, controller);
  }

  get nodeId(): number {
    return this.options.node.nodeId;
  }

  get state(): ClusterState {
    return this.log.state;
  }

  onChange(listener: (state: ClusterState) => void): () => void {
    return this.log.onChange(listener);
  }

  /** Appends a command; resolves with its sequence number once this node's state includes it. */
  async append(command: ClusterCommand): Promise<number> {
    if (this.closed) throw new ZenError('UNAVAILABLE', 'The main cluster connection is closed');
    return this.log.append(command);
  }

  /** The state with everything in etcd's cluster log folded in (a read of etcd). */
  async freshState(): Promise<ClusterState> {
    if (this.closed) throw new ZenError('UNAVAILABLE', 'The main cluster connection is closed');
    return this.log.catchUp();
  }

  /** Ids of the nodes registered now (their lease is alive), read from etcd. */
  async liveNodeIds(): Promise<Set<number>> {
    const keys = await withTimeout(
      this.options.etcd.getAll().prefix(this.keys.nodesPrefix).keys(),
      this.options.callTimeoutMs ?? DEFAULT_ETCD_CALL_TIMEOUT_MS,
      'node registrations read',
    );
    const live = new Set<number>();
    for (const key of keys) {
      const nodeId = nodeIdOfKey(this.keys, key);
      if (nodeId !== null) live.add(nodeId);
    }
    return live;
  }

  /**
   * Runtime settings for every node (ADR 016), written by whichever node took the request and
   * fenced on its registration: a node cut off from the cluster (lease gone) cannot write.
   * Resolves with the command's sequence number once this node has folded it.
   */
  async appendSettings(settings: Readonly<Record<string, string>>): Promise<number> {
    if (this.closed) throw new ZenError('UNAVAILABLE', 'The main cluster connection is closed');
    const fence = this.membership.registrationFence;
    if (!fence) throw new ZenError('UNAVAILABLE', `Node ${this.nodeId} is not registered in the cluster right now; retry, or use another node`);
    try {
      return await this.log.append({ type: 'ClusterSettingsChange', settings }, [fence]);
    } catch (err) {
      if (err instanceof FencedAppendError) throw new ZenError('UNAVAILABLE', `Node ${this.nodeId} lost its cluster registration; retry, or use another node`);
      throw err;
    }
  }

  /**
   * A configuration update for the whole cluster: every node folds it, the controller
   * re-plans groups for the new replication factor. The partition count cannot change.
   */
  async updateConfig(config: ClusterConfig): Promise<void> {
    const current = this.state.config;
    if (current && current.partitionCount !== config.partitionCount) {
      throw new ZenError(
        'FAILED_PRECONDITION',
        `The partition count of cluster '${this.options.prefix}' is ${current.partitionCount} and cannot change to ${config.partitionCount}`,
      );
    }
    await this.append({ type: 'ClusterConfigChange', ...config });
  }

  /** The lease this node's registration and controller candidacy hang on (null while re-registering). */
  get leaseId(): string | null {
    return this.membership.leaseId;
  }

  get isController(): boolean {
    return this.controller?.isController ?? false;
  }

  /** The node id of the current controller per etcd, or null when none is elected. */
  async controllerId(): Promise<number | null> {
    return this.controller?.currentControllerId() ?? null;
  }

  /** Groups the controller could not bring to R members (empty unless this node is controller). */
  get shortfalls(): readonly Shortfall[] {
    return this.isController ? (this.controller?.shortfalls ?? []) : [];
  }

  /** This node's partition memberships per the current state, ascending. */
  assignedPartitions(): number[] {
    const result: number[] = [];
    for (const [partitionId, members] of this.state.partitions) {
      if (members.has(this.nodeId)) result.push(partitionId);
    }
    return result.sort((a, b) => a - b);
  }

  /** Graceful stop; see the file comment for what `permanently` changes. */
  async leave(options: { permanently?: boolean } = {}): Promise<void> {
    if (this.closed) return;
    await this.controller?.stop(true);
    await this.membership.stopSyncing();
    if (options.permanently) await this.log.append({ type: 'ClusterNodeChange', nodeId: this.nodeId, state: 'LEFT' });
    await this.membership.revoke();
    await this.close();
  }

  /** Stops all activity without revoking anything: to the cluster this looks like a crash. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.controller?.stop(false);
    this.membership.close();
    await this.log.close();
  }
}

function validate(options: MainClusterOptions): void {
  const { nodeId } = options.node;
  if (!Number.isInteger(nodeId) || nodeId < 0 || nodeId > 0xffffffff) {
    throw new ZenError('INVALID_ARGUMENT', `Node id must be a non-negative integer, got ${nodeId}`);
  }
  const { partitionCount, replicationFactor } = options.config;
  if (!Number.isInteger(partitionCount) || partitionCount < 1) {
    throw new ZenError('INVALID_ARGUMENT', `Partition count must be a positive integer, got ${partitionCount}`);
  }
  if (!Number.isInteger(replicationFactor) || replicationFactor < 1) {
    throw new ZenError('INVALID_ARGUMENT', `Replication factor must be a positive integer, got ${replicationFactor}`);
  }
}

/** Creates the cluster if it does not exist; checks this node's config against it if it does. */
async function bootstrap(
  etcd: Etcd3,
  keys: ClusterKeys,
  config: ClusterConfig,
  prefix: string,
  callTimeoutMs: number,
  logger: Logger,
): Promise<void> {
  const stored: ClusterConfig = { partitionCount: config.partitionCount, replicationFactor: config.replicationFactor };
  const first: ClusterCommand = { type: 'ClusterConfigChange', ...stored };
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    let result;
    try {
      result = await withTimeout(
        etcd
          .if(keys.config, 'Create', '==', 0)
          .and(keys.head, 'Version', '==', 0)
          .then(
            etcd.put(keys.config).value(JSON.stringify(stored)),
            etcd.put(keys.head).value('1'),
            etcd.put(keys.logEntry(1)).value(Buffer.from(encodeClusterCommand(first))),
          )
          .else(etcd.get(keys.config))
          .commit(),
        callTimeoutMs,
        'cluster bootstrap',
      );
    } catch (err) {
      // Retrying is safe: the transaction is create-if-absent.
      lastError = err;
      continue;
    }
    if (result.succeeded) {
      logger.info({ ...stored }, `bootstrapped cluster '${prefix}'`);
      return;
    }
    const kv = result.responses[0]?.response_range?.kvs?.[0];
    if (!kv) {
      throw new ZenError('FAILED_PRECONDITION', `Cluster '${prefix}' has a cluster log but no config key (${keys.config}); etcd was modified by hand?`);
    }
    const existing = JSON.parse(kv.value.toString()) as ClusterConfig;
    if (existing.partitionCount !== config.partitionCount) {
      throw new ZenError(
        'FAILED_PRECONDITION',
        `Cluster '${prefix}' was bootstrapped with partition count ${existing.partitionCount}, but this node was started with partition count ${config.partitionCount}; the partition count of a cluster cannot change`,
      );
    }
    return;
  }
  throw new ZenError('UNAVAILABLE', `Cannot reach etcd to join cluster '${prefix}': ${lastError instanceof Error ? lastError.message : String(lastError)}`);
}
