/**
 * A node's life in a cluster: it joins the main cluster, runs a PartitionMember for every
 * partition the controller assigned to it (on the etcd cluster that partition's log is placed
 * on: partition-log-access.ts), serves the private port (commands proxied to the
 * partitions it leads, cross-partition deliveries, job notifications, snapshots) and keeps
 * the routing directory in step with the cluster state.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Etcd3 } from 'etcd3';
import type { Logger } from 'pino';
import { createEtcdClient } from '../cluster/etcd/client.js';
import { MainCluster } from '../cluster/main/main-cluster.js';
import { type EtcdClusterId, type NodeAddresses, privateAddress } from '../cluster/main/types.js';
import { PartitionMember } from '../cluster/partition/partition-member.js';
import type { LogObserver } from '../cluster/partition/replicated-log.js';
import { ClientPool } from '../cluster/private/client-pool.js';
import { createPrivateServer, type PrivateServer } from '../cluster/private/internal-service.js';
import type { WireCommand } from '../cluster/private/command-codec.js';
import { EntryPusher } from '../cluster/private/entry-pusher.js';
import { AppendPacer, pacedByEventLoop } from '../cluster/partition/append-pacer.js';
import { JobHints } from '../cluster/private/job-hints.js';
import { clusterAuth, type ClusterAuth } from '../cluster/private/auth.js';
import { NotLeaderError } from '../cluster/private/remote-errors.js';
import { ZenError } from '../errors.js';
import { fetchSnapshot } from '../cluster/private/snapshot-transfer.js';
import type { ZenConfig } from '../config/types.js';
import type { RuntimeSettings } from '../config/runtime-settings.js';
import type { CommandResponse } from '../engine/processing/types.js';
import type { ZenMetrics } from '../metrics/index.js';
import type { ZenTracing } from '../tracing/zen-tracing.js';
import type { TlsSource } from '../tls/watcher.js';
import { ClusterDirectory } from './cluster-directory.js';
import { readRestoreMarker, type RestoreMarker } from '../backup/restore-marker.js';
import { claimSettingsRestore, markSettingsRestored, seedRestoredHead } from '../backup/seed-head.js';
import { JoinReporter, preferredLeaderDuringChanges } from './cluster-changes.js';
import { currentStep } from '../cluster/main/cluster-change.js';
import { EtcdSpace } from './etcd-space.js';
import { PartitionLogAccess, type PartitionLogHandle } from './partition-log-access.js';
import type { ZenNode } from './zen-node.js';
import { monotonicNow } from '../elapsed.js';

type JobListener = (partitionId: number, type: string, served: boolean) => void;

export class ClusterRuntime {
  readonly etcd: Etcd3;
  readonly pool: ClientPool;
  readonly privateServer: PrivateServer;
  private main: MainCluster | null = null;
  private readonly logAccess: PartitionLogAccess;
  /** How full each etcd cluster is: admission, the byte bound of partition logs, metrics. */
  private readonly space: EtcdSpace;
  /** A leader's committed entries, on their way to its followers. */
  private readonly pusher: EntryPusher;
  /** The gap between a leader's appends when partitionAppendGap is auto; null when fixed. */
  private readonly pacing: { gapMs: () => number; stop: () => void } | null;
  private hints: JobHints | null = null;
  private node: ZenNode | null = null;
  private readonly jobListeners = new Set<JobListener>();
  private reconciling: Promise<void> = Promise.resolve();
  private stopping = false;
  private unsubscribe: (() => void) | null = null;
  /** Set when the data directory was restored from a backup (`zen restore`). */
  private readonly restored: RestoreMarker | null;
  /** Reports this node's JOINING memberships ACTIVE once caught up (a cluster change waits for it). */
  private joins: JoinReporter = JoinReporter.idle();

  readonly directory: ClusterDirectory;
  /** Proofs of --cluster-secret on the private port, made and checked; null: no secret, no check. */
  private readonly auth: ClusterAuth | null;
  /** Per etcd cluster: its requests are labelled with its id. */
  private readonly observeEtcd: (etcdCluster: EtcdClusterId) => LogObserver;

  constructor(
    private readonly config: ZenConfig,
    private readonly logger: Logger,
    private readonly metrics: ZenMetrics,
    version: string,
    private readonly tracing?: ZenTracing,
    /** Mutual TLS on the private port (--private-tls-*); null: plain TCP. */
    private readonly peerTls: TlsSource | null = null,
    /** The settings in force; the cluster's overrides (state.settings) are put in force here. */
    private readonly settings: RuntimeSettings | null = null,
  ) {
    this.etcd = createEtcdClient({ endpoints: config.etcdEndpoints });
    this.restored = readRestoreMarker(config.dataDir);
    this.logAccess = new PartitionLogAccess({
      main: this.etcd,
      mainEndpoints: config.etcdEndpoints,
      groups: config.partitionEtcdEndpoints,
      leaseTtlSeconds: config.leaseTtl,
      logger: logger.child({ component: 'partition-etcd' }),
    });
    this.auth = clusterAuth(config.clusterSecret, config.nodeId);
    if (!this.auth && !peerTls) {
      logger.warn('neither --cluster-secret nor --private-tls-*: the private port accepts requests from anyone who can reach it, unencrypted');
    }
    const tls = peerTls ?? undefined;
    const countCall = metrics.counter('zen_private_calls_total', 'Calls this node made to other nodes over the private port, by method (Submit: a command forwarded to the leader of its partition; Push: a message of committed entries on a push stream; PushStream: a push stream opened)');
    const callAttributes = new Map<string, Readonly<Record<string, string>>>();
    const onCall = (rpc: string) => {
      let attributes = callAttributes.get(rpc);
      if (!attributes) callAttributes.set(rpc, (attributes = Object.freeze({ rpc })));
      countCall(1, attributes);
    };
    this.pool = new ClientPool({ logger: logger.child({ component: 'private-client' }), nodeId: config.nodeId, auth: this.auth, tracing, tls, onCall });
    this.directory = new ClusterDirectory(config.nodeId, config.partitions, version, this.pool, logger);
    this.observeEtcd = this.registerMetrics();
    this.space = new EtcdSpace(this.logAccess.etcds, logger.child({ component: 'etcd-space' }), metrics);
    this.pusher = new EntryPusher(this.pool, logger.child({ component: 'entry-pusher' }));
    this.pacing = config.partitionAppendGap === 'auto' ? pacedByEventLoop(new AppendPacer()) : null;
    this.privateServer = createPrivateServer({
      auth: this.auth,
      tls,
      tracing,
      nodeId: config.nodeId,
      logger: logger.child({ component: 'private-port' }),
      handlers: {
        submit: (partitionId, command, awaitTimeoutMs) => this.submitLocally(partitionId, command, awaitTimeoutMs),
        deliver: (partitionId, command) => {
          const leader = this.directory.members.get(partitionId)?.leader;
          if (!leader) throw new NotLeaderError(partitionId);
          leader.deliver(command);
        },
        onJobsAvailable: (listener) => this.watchLocalJobs(listener),
        read: async (partitionId, query) => {
          const answer = await this.directory.readLocally(partitionId, query);
          if (!answer) throw new ZenError('UNAVAILABLE', `Node ${config.nodeId} has no replica of partition ${partitionId} in sync`);
          return answer;
        },
        snapshot: (partitionId) => this.snapshot(partitionId),
        push: (partitionId, entries) => this.directory.members.get(partitionId)?.receivePushed(entries),
      },
    });
  }

  get mainCluster(): MainCluster | null {
    return this.main;
  }

  /** Joins the cluster once the node's ports are bound (they are part of its registration). */
  async join(node: ZenNode, addresses: NodeAddresses, version: string): Promise<void> {
    this.node = node;
    const { config, settings } = this;
    await this.logAccess.start();
    this.space.refresh();
    this.main = await MainCluster.join({
      etcd: this.etcd,
      prefix: config.clusterName,
      node: { nodeId: config.nodeId, zone: config.zone, addresses, controllerOnly: config.controllerOnly, version },
      config: { partitionCount: config.partitions, replicationFactor: config.replicationFactor },
      leaseTtlSeconds: config.leaseTtl,
      rebalanceDelayMs: settings ? () => settings.get('rebalanceDelay') * 1000 : config.rebalanceDelay * 1000,
      logger: this.logger,
      logStores: this.logAccess.etcds,
      spaceMonitor: (id) => this.space.monitor(id),
    });
    this.hints = new JobHints({
      pool: this.pool,
      logger: this.logger.child({ component: 'job-hints' }),
      onAvailable: (partitionId, type, served) => {
        this.directory.remotes.get(partitionId)?.markJobsAvailable(type, served);
        node.jobs.jobsAvailable(type);
      },
      onResync: () => {
        // Notifications were missed while the watch was down: probe every type again.
        for (const remote of this.directory.remotes.values()) {
          const types = remote.knownJobTypes();
          remote.invalidateHints();
          for (const type of types) node.jobs.jobsAvailable(type);
        }
      },
    });
    this.applySettings();
    // One node of the restored cluster puts the backup's runtime settings back (seed-head.ts).
    if (this.restored) void this.restoreSettings(this.restored);
    this.joins = new JoinReporter({
      nodeId: config.nodeId,
      state: () => this.main?.state ?? null,
      member: (partitionId) => this.directory.members.get(partitionId),
      append: async (command) => {
        await this.main!.append(command);
      },
      logger: this.logger.child({ component: 'join-reporter' }),
    });
    this.unsubscribe = this.main.onChange(() => this.onClusterChange());
    this.logAccess.onRetry(() => {
      this.space.refresh();
      this.onClusterChange();
    });
    this.onClusterChange();
    await this.reconciling;
  }

  /** Ready once every assigned partition is led here or followed closely (see PartitionMember.isInSync). */
  readiness(): { ready: boolean; details: Record<string, unknown> } {
    const main = this.main;
    if (!main) return { ready: false, details: { cluster: 'not joined' } };
    const assigned = main.assignedPartitions();
    const notReady = assigned.filter((p) => {
      const member = this.directory.members.get(p);
      return !member || !member.isServing;
    });
    const waiting = this.logAccess.waitingDetails(assigned);
    return {
      ready: notReady.length === 0,
      details: { nodeId: this.config.nodeId, assigned, partitionsNotReady: notReady, controller: main.isController, ...(Object.keys(waiting).length > 0 ? { partitionsWaitingForEtcd: waiting } : {}) },
    };
  }

  /** Partition role, leader changes, replication lag, snapshot age, etcd latency. */
  private registerMetrics(): (etcdCluster: EtcdClusterId) => LogObserver {
    const { metrics, directory } = this;
    const attributes = new Map<number, { partition: string }>();
    for (let id = 1; id <= this.config.partitions; id++) {
      attributes.set(id, Object.freeze({ partition: String(id) }));
      metrics.observePartition(id, () => {
        const member = directory.members.get(id);
        if (!member) return { role: 'INACTIVE', ready: false };
        return { role: member.leader ? 'LEADER' : 'FOLLOWER', ready: member.leader !== null || member.isCaughtUp };
      });
    }
    const perMember = (name: string, description: string, value: (member: PartitionMember) => number | null) =>
      metrics.registerGauge(name, description, (result) => {
        for (const [id, member] of directory.members) {
          const v = value(member);
          if (v !== null) result.observe(v, attributes.get(id));
        }
      });
    perMember('zen_partition_leader_changes', 'Times this node became leader of the partition since it started', (m) => m.leaderChangeCount);
    perMember('zen_partition_replication_lag_records', 'Committed partition-log records this replica has not applied yet', (m) => m.lagRecords);
    perMember('zen_partition_snapshot_age_seconds', "Seconds since this replica's state was last checkpointed (its local snapshot)", (m) =>
      m.lastCheckpointAt === null ? null : (monotonicNow() - m.lastCheckpointAt) / 1000,
    );
    metrics.registerGauge('zen_partition_append_gap_seconds', "Least time between the starts of this node's partition leaders' appends (partitionAppendGap; auto follows the load)", (result) =>
      result.observe((this.pacing ? this.pacing.gapMs() : (this.config.partitionAppendGap as number)) / 1000),
    );
    // Reported by the controller only, so a sum over the nodes counts each group once.
    metrics.registerGauge(
      'zen_cluster_partitions_under_replicated',
      'Partition groups the controller could not bring to the replication factor (no eligible node)',
      (result) => {
        if (this.main?.isController) result.observe(this.main.shortfalls.length);
      },
    );
    const record = metrics.histogram('zen_etcd_request_duration_seconds', 'Latency of partition-log requests to etcd, in seconds', [
      0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5,
    ]);
    // Attribute objects are made once per cluster: recording is on the hot path.
    const opsByCluster = new Map<EtcdClusterId, { append: Readonly<Record<string, string>>; read: Readonly<Record<string, string>> }>();
    const opsOf = (etcdCluster: EtcdClusterId) => {
      let ops = opsByCluster.get(etcdCluster);
      if (!ops) {
        ops = { append: Object.freeze({ op: 'append', etcd_cluster: etcdCluster }), read: Object.freeze({ op: 'read', etcd_cluster: etcdCluster }) };
        opsByCluster.set(etcdCluster, ops);
      }
      return ops;
    };
    const addRaw = metrics.counter('zen_partition_log_record_bytes_total', 'Bytes of records this node appended to partition logs as leader, before compression');
    const addStored = metrics.counter('zen_etcd_appended_bytes_total', 'Bytes this node wrote to etcd for partition-log entries (compressed records and metadata)');
    return (etcdCluster) => {
      const ops = opsOf(etcdCluster);
      return {
        request: (op, seconds) => record(seconds, ops[op]),
        appended: (rawBytes, storedBytes) => {
          addRaw(rawBytes);
          addStored(storedBytes);
        },
      };
    };
  }

  /** Puts the cluster's runtime settings in force on this node (ADR 016). */
  private applySettings(): void {
    const main = this.main;
    if (main && this.settings) this.settings.applyOverrides(main.state.settings ?? new Map(), 'cluster');
  }

  /** Appends the settings of a restored backup to the cluster log, retrying until it lands or the node stops. */
  private async restoreSettings(marker: RestoreMarker): Promise<void> {
    const settings = marker.settings ?? {};
    if (Object.keys(settings).length === 0) return;
    const prefix = this.config.clusterName;
    for (let attempt = 0; !this.stopping; attempt++) {
      try {
        if (!(await claimSettingsRestore(this.etcd, prefix, marker, String(this.config.nodeId)))) return;
        const sequence = await this.main!.appendSettings(settings);
        await markSettingsRestored(this.etcd, prefix, marker);
        this.logger.info({ backupId: marker.backupId, settings, sequence }, 'settings of the restored backup put back in force');
        return;
      } catch (err) {
        if (attempt % 10 === 0) this.logger.warn({ err, backupId: marker.backupId }, 'could not put the settings of the restored backup back yet; retrying');
        await new Promise((resolve) => setTimeout(resolve, 1_000));
      }
    }
  }

  private onClusterChange(): void {
    this.applySettings();
    const main = this.main!;
    this.directory.state = main.state;
    const peers: string[] = [];
    for (const node of main.state.nodes.values()) {
      if (node.nodeId !== this.config.nodeId && node.state === 'ACTIVE') peers.push(privateAddress(node));
    }
    this.hints?.setPeers(peers);
    const me = main.state.nodes.get(this.config.nodeId);
    if (me?.state === 'ACTIVE') {
      for (const [partitionId, member] of this.directory.members) {
        member.reconcileRole(main.state.partitions.get(partitionId)?.get(this.config.nodeId)?.role);
      }
    }
    this.reconciling = this.reconciling.then(() => this.reconcileMembers()).catch((err) => this.logger.error({ err }, 'could not reconcile partition memberships'));
    this.joins.check();
  }

  /** Starts a member for each newly assigned partition and stops those no longer assigned. */
  private async reconcileMembers(): Promise<void> {
    if (this.stopping || !this.main) return;
    const assigned = new Set(this.config.controllerOnly ? [] : this.main.assignedPartitions());
    for (const [partitionId, member] of this.directory.members) {
      if (assigned.has(partitionId) && !this.logAccess.misplaced(this.main.state, partitionId)) continue;
      this.directory.members.delete(partitionId);
      this.logAccess.release(partitionId);
      this.logger.info({ partition: partitionId }, 'no longer a member of the partition');
      await member.stop();
    }
    for (let partitionId = 1; partitionId <= this.config.partitions; partitionId++) {
      if (!assigned.has(partitionId) && !this.directory.members.has(partitionId)) this.logAccess.release(partitionId);
    }
    for (const partitionId of assigned) {
      if (this.directory.members.has(partitionId) || this.stopping) continue;
      const access = await this.logAccess.open(this.main.state, partitionId);
      if (!access || this.stopping) continue;
      if (this.restored && (await seedRestoredHead(access.etcd, this.config.clusterName, partitionId, this.restored))) {
        this.logger.info({ partition: partitionId, backupId: this.restored.backupId }, 'partition log starts where the restored backup ends');
      }
      const member = this.createMember(partitionId, access);
      this.directory.members.set(partitionId, member);
      this.logger.info({ partition: partitionId }, 'joining the partition group');
      await member.start();
    }
  }

  private createMember(partitionId: number, access: PartitionLogHandle): PartitionMember {
    const node = this.node!;
    const logger = this.logger.child({ partition: partitionId });
    return new PartitionMember({
      partitionId,
      partitionCount: this.config.partitions,
      nodeId: this.config.nodeId,
      dataDir: this.config.dataDir,
      multiTenancy: this.config.multiTenancy,
      history: this.config.history,
      historyRetentionMs: this.settings ? () => this.settings!.get('historyRetention') : this.config.historyRetention,
      maxQueuedCommands: this.settings ? () => this.settings!.get('backpressureLimit') : this.config.backpressureLimit,
      logger,
      metrics: this.metrics.partition(partitionId),
      tracing: this.tracing,
      etcd: access.etcd,
      clusterPrefix: this.config.clusterName,
      lease: access.lease,
      host: {
        route: (command) => node.route(command),
        jobsAvailable: (id, type) => {
          node.jobsAvailable(id, type);
          const served = node.jobs.servedHere(type);
          for (const listener of this.jobListeners) listener(id, type, served);
        },
        // This node's waiting workers only: other nodes hear of jobs once they are committed.
        jobsCreated: (id, type) => node.jobsCreated(id, type),
        runBatchItem: (batch, itemKey) => node.runBatchItem(batch, itemKey),
      },
      maxBatchSize: this.config.maxBatchSize,
      announce: async (role, term) => {
        await this.main!.append({ type: 'ClusterNodePartitionChange', nodeId: this.config.nodeId, partitionId, role, term });
      },
      fetchSnapshot: async (id, path) => {
        const address = this.directory.leaderAddress(id);
        if (!address) throw new Error(`Partition ${id} has no leader to take a snapshot from`);
        return fetchSnapshot(address, id, path, { auth: this.auth, tls: this.peerTls });
      },
      members: () => [...(this.main?.state.partitions.get(partitionId)?.keys() ?? [])],
      // Spreads leaderships (preferred-leader.ts); during a cluster change, as the group will be after it.
      preferredLeaderId: () => (this.main ? preferredLeaderDuringChanges(this.main.state, partitionId) : null),
      transferTarget: () => {
        const step = currentStep(this.main?.state.pendingChange ?? null);
        return step?.operation === 'PARTITION_LEADER_TRANSFER' && step.partitionId === partitionId ? step.nodeId : null;
      },
      nodeActive: (nodeId) => this.main?.state.nodes.get(nodeId)?.state === 'ACTIVE',
      handoverAfterMs: () => Math.max(5, this.settings?.get('rebalanceDelay') ?? this.config.rebalanceDelay) * 1000,
      logRetentionEntries: 10_000,
      observeEtcd: this.observeEtcd(access.etcdClusterId),
      admission: (finishing) => this.space.refusal(access.etcdClusterId, finishing),
      maxLogBytes: () => this.space.logBudget(access.etcdClusterId, this.partitionsOn(access.etcdClusterId)),
      pushToFollowers: (raw) => this.pusher.push(partitionId, raw, this.followerAddresses(partitionId)),
      maxAppendsInFlight: this.config.partitionAppendsInFlight,
      appendGapMs: this.pacing?.gapMs ?? (this.config.partitionAppendGap as number),
    });
  }

  /** Partition logs placed on etcd cluster `id` (all of them when logs are not placed: they share the main etcd). */
  private partitionsOn(id: EtcdClusterId): number {
    const placed = [...(this.main?.state.partitionLogs.values() ?? [])];
    return placed.length === 0 ? this.config.partitions : placed.filter((p) => p === id).length;
  }

  /** Private addresses of the partition's other members that are up. */
  private followerAddresses(partitionId: number): string[] {
    const state = this.main?.state;
    const out: string[] = [];
    for (const nodeId of state?.partitions.get(partitionId)?.keys() ?? []) {
      const node = state!.nodes.get(nodeId);
      if (nodeId !== this.config.nodeId && node?.state === 'ACTIVE') out.push(privateAddress(node));
    }
    return out;
  }

  private async submitLocally(partitionId: number, command: WireCommand, awaitTimeoutMs: number | null): Promise<CommandResponse> {
    const leader = this.directory.members.get(partitionId)?.leader;
    // Not led here (any more): the command was not run, the caller may go elsewhere.
    if (!leader) throw new NotLeaderError(partitionId);
    const response = await (awaitTimeoutMs !== null ? leader.submitAwaiting(command, awaitTimeoutMs) : leader.submit(command));
    // Dropped before it was committed because leadership moved: the caller retries at the new leader.
    if (!response.ok && response.rejectionType === 'NOT_LEADER') throw new NotLeaderError(partitionId, response.reason);
    return response;
  }

  private watchLocalJobs(listener: JobListener): () => void {
    this.jobListeners.add(listener);
    // A watcher that (re)connects missed earlier notifications: tell it what is activatable now.
    for (const [partitionId, member] of this.directory.members) {
      const leader = member.leader;
      if (!leader) continue;
      for (const type of leader.state.jobs.activatableTypes()) listener(partitionId, type, this.node?.jobs.servedHere(type) ?? false);
    }
    return () => this.jobListeners.delete(listener);
  }

  private async snapshot(partitionId: number) {
    const member = this.directory.members.get(partitionId);
    if (!member) throw new Error(`Partition ${partitionId} is not held by node ${this.config.nodeId}`);
    const dir = await mkdtemp(join(tmpdir(), `zen-snapshot-${partitionId}-`));
    const path = join(dir, 'zen.db');
    const { index } = await member.snapshot(path);
    return { path, index, release: () => rm(dir, { recursive: true, force: true }) };
  }

  /**
   * Leaves gracefully: leaderships are handed over (each member resigns after draining),
   * then the node's registration is revoked.
   */
  async stop(): Promise<void> {
    this.stopping = true;
    this.unsubscribe?.();
    this.joins.close();
    await this.reconciling.catch(() => {});
    await Promise.all([...this.directory.members.values()].map((m) => m.stop().catch((err) => this.logger.warn({ err }, 'stopping a partition member failed'))));
    this.directory.members.clear();
    this.pusher.close();
    this.pacing?.stop();
    this.space.stop();
    this.hints?.close();
    await this.main?.leave().catch((err) => this.logger.warn({ err }, 'leaving the cluster failed'));
    await this.logAccess.stop();
    await this.privateServer.close();
    this.pool.closeAll();
    this.etcd.close();
  }
}
