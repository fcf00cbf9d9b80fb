/**
 * What a node needs to reach each of its partitions' logs: the etcd cluster the log is placed
 * on (partition-log-location.ts), that cluster's client (partition-etcds.ts) and this node's
 * lease on it (partition-leases.ts). A partition whose log cannot be reached yet is not
 * started; why is logged once per change of reason, shown by /ready, and looked at again
 * every few seconds (a cluster identified late, a lease that could not be granted).
 */
import type { Etcd3 } from 'etcd3';
import type { Logger } from 'pino';
import { PartitionEtcds } from '../cluster/etcd/partition-etcds.js';
import type { ClusterState, EtcdClusterId } from '../cluster/main/types.js';
import type { NodeLease } from '../cluster/partition/election.js';
import { PartitionLeases } from './partition-leases.js';
import { describeLocation, type LogLocation, partitionLogLocation } from './partition-log-location.js';

export interface PartitionLogAccessOptions {
  readonly main: Etcd3;
  /** `--etcd-endpoints`. */
  readonly mainEndpoints: readonly string[];
  /** `--partition-etcd-endpoints`. */
  readonly groups: readonly (readonly string[])[];
  readonly leaseTtlSeconds: number;
  readonly logger: Logger;
  /** How often partitions that wait are looked at again (default 2 s). */
  readonly retryMs?: number;
}

/** The etcd a partition member uses, and the lease its candidacy hangs on (in that same etcd). */
export interface PartitionLogHandle {
  readonly etcdClusterId: EtcdClusterId;
  readonly etcd: Etcd3;
  readonly lease: () => NodeLease;
}

export class PartitionLogAccess {
  readonly etcds: PartitionEtcds;
  private readonly leases: PartitionLeases;
  /** partitionId → why it is not started. */
  private readonly waiting = new Map<number, string>();
  /** partitionId → the etcd cluster its running member uses. */
  private readonly running = new Map<number, EtcdClusterId>();
  private readonly retryListeners = new Set<() => void>();
  private retryTimer: NodeJS.Timeout | null = null;
  private readonly retryMs: number;

  constructor(private readonly options: PartitionLogAccessOptions) {
    this.etcds = new PartitionEtcds({ main: options.main, mainEndpoints: options.mainEndpoints, groups: options.groups, logger: options.logger });
    this.leases = new PartitionLeases(options.leaseTtlSeconds, options.logger);
    this.retryMs = options.retryMs ?? 2000;
    this.etcds.on('identified', () => this.retryNow());
  }

  /** Identifies the etcd clusters; rejects if the main etcd cannot be reached. */
  async start(): Promise<void> {
    await this.etcds.start();
    this.retryTimer = setInterval(() => {
      if (this.waiting.size > 0) this.retryNow();
    }, this.retryMs);
    this.retryTimer.unref();
  }

  /** Called when partitions that wait may be startable now. */
  onRetry(listener: () => void): void {
    this.retryListeners.add(listener);
  }

  locate(state: ClusterState, partitionId: number): LogLocation {
    return partitionLogLocation(state, partitionId, {
      mainId: this.etcds.mainId,
      configured: this.etcds.configured,
      settled: this.etcds.settled,
      has: (id) => this.etcds.clientFor(id) !== null,
    });
  }

  /**
   * Whether a member started for `partitionId` must stop: the log was placed on another etcd
   * cluster after the member started on the main etcd (nodes given different
   * --partition-etcd-endpoints). Logs why when it must.
   */
  misplaced(state: ClusterState, partitionId: number): boolean {
    const runningOn = this.running.get(partitionId);
    if (runningOn === undefined) return false;
    const location = this.locate(state, partitionId);
    if (location.kind === 'etcd' && location.id === runningOn) return false;
    this.options.logger.error(
      { partition: partitionId, runningOn, placedOn: location.kind === 'unplaced' ? null : location.id },
      `partition ${partitionId} was started on etcd cluster ${runningOn}, but its log is placed elsewhere: stopping it (give every node the same --partition-etcd-endpoints)`,
    );
    return true;
  }

  /** The etcd and lease for a member of `partitionId`, or null (logged, shown by /ready) when it must wait. */
  async open(state: ClusterState, partitionId: number): Promise<PartitionLogHandle | null> {
    const location = this.locate(state, partitionId);
    if (location.kind !== 'etcd') {
      // Only a cluster this node has no endpoints for needs an operator; the rest resolves itself.
      const level = location.kind === 'unreachable' && !location.stillIdentifying ? 'error' : location.kind === 'unplaced' ? 'info' : 'warn';
      this.wait(partitionId, describeLocation(partitionId, location), level);
      return null;
    }
    const id = location.id;
    const etcd = this.etcds.clientFor(id)!;
    try {
      await this.leases.ensure(id, etcd);
    } catch (err) {
      this.wait(partitionId, `cannot take a lease on etcd cluster ${id} for partition ${partitionId}: ${err instanceof Error ? err.message : String(err)}`, 'warn');
      return null;
    }
    if (this.waiting.delete(partitionId)) this.options.logger.info({ partition: partitionId, etcdCluster: id }, 'the partition log is reachable now');
    this.running.set(partitionId, id);
    return { etcdClusterId: id, etcd, lease: () => this.leases.get(id) };
  }

  /** This node no longer runs (or waits to run) a member of `partitionId`. */
  release(partitionId: number): void {
    this.running.delete(partitionId);
    this.waiting.delete(partitionId);
  }

  /** Assigned partitions this node does not serve because it cannot reach their logs, with why (for /ready). */
  waitingDetails(assigned: readonly number[]): Record<string, string> {
    const details: Record<string, string> = {};
    for (const partitionId of assigned) {
      const reason = this.waiting.get(partitionId);
      if (reason !== undefined) details[partitionId] = reason;
    }
    return details;
  }

  /** Revokes the leases (candidacies go at once) and closes the partition etcd clients; the main client is the caller's. */
  async stop(): Promise<void> {
    if (this.retryTimer) clearInterval(this.retryTimer);
    this.retryTimer = null;
    this.retryListeners.clear();
    await this.leases.revokeAll();
    this.etcds.close();
  }

  private wait(partitionId: number, reason: string, level: 'info' | 'warn' | 'error'): void {
    if (this.waiting.get(partitionId) === reason) return;
    this.waiting.set(partitionId, reason);
    this.options.logger[level]({ partition: partitionId }, reason);
  }

  private retryNow(): void {
    for (const listener of [...this.retryListeners]) listener();
  }
}
