/**
 * The etcd clusters a node may find partition logs on: the main one (`--etcd-endpoints`) and
 * those of `--partition-etcd-endpoints`, each known by its etcd cluster id (cluster-id.ts),
 * with one client per cluster.
 *
 * A partition etcd cluster is identified when at least one of its endpoints answers and no
 * two answer differently. Clusters that cannot be reached at start are retried in the
 * background: a node starts (and serves the partitions on other clusters) while one partition
 * etcd cluster is down, and the controller places no log until every cluster is identified
 * (log-stores.ts says why). A cluster listed twice, or the main etcd listed as a partition
 * cluster, is one cluster: the main etcd then takes partition logs too.
 */
import { EventEmitter } from 'node:events';
import type { Etcd3 } from 'etcd3';
import type { Logger } from 'pino';
import { ZenError } from '../../errors.js';
import type { EtcdClusterHandle, PartitionLogStores } from './log-stores.js';
import type { EtcdClusterId } from './cluster-id.js';
import { createEtcdClient, DEFAULT_ETCD_CALL_TIMEOUT_MS } from './client.js';
import { etcdClusterId, identifyEndpoints } from './cluster-id.js';

export interface PartitionEtcdsOptions {
  readonly main: Etcd3;
  /** `--etcd-endpoints`. */
  readonly mainEndpoints: readonly string[];
  /** `--partition-etcd-endpoints`: one list of client URLs per etcd cluster. */
  readonly groups: readonly (readonly string[])[];
  readonly logger: Logger;
  readonly callTimeoutMs?: number;
  /** Pause between attempts to identify a cluster that did not answer. */
  readonly retryMs?: number;
}

export interface PartitionEtcdsEvents {
  /** A partition etcd cluster was identified after start. */
  identified: [id: EtcdClusterId];
}

interface Group {
  /** 1-based position in this node's list, for messages only. */
  readonly number: number;
  readonly endpoints: readonly string[];
  id: EtcdClusterId | null;
  /** A configuration error that retrying cannot fix. */
  broken: string | null;
  /** Why it is not identified yet (the last attempt's failures). */
  pending: string | null;
}

const MAIN_ATTEMPTS = 3;

export class PartitionEtcds extends EventEmitter<PartitionEtcdsEvents> implements PartitionLogStores {
  private mainClusterId: EtcdClusterId | null = null;
  private readonly groups: Group[];
  /** Partition etcd clusters other than the main one, by id. */
  private readonly clients = new Map<EtcdClusterId, { etcd: Etcd3; endpoints: readonly string[] }>();
  private retryTimer: NodeJS.Timeout | null = null;
  private closed = false;
  private readonly callTimeoutMs: number;
  private readonly retryMs: number;

  constructor(private readonly options: PartitionEtcdsOptions) {
    super();
    this.callTimeoutMs = options.callTimeoutMs ?? DEFAULT_ETCD_CALL_TIMEOUT_MS;
    this.retryMs = options.retryMs ?? 2000;
    this.groups = options.groups.map((endpoints, i) => ({ number: i + 1, endpoints, id: null, broken: null, pending: 'not asked yet' }));
  }

  /** Identifies the main etcd (rejects if it cannot be reached) and tries every partition etcd cluster once. */
  async start(): Promise<void> {
    let lastError: unknown;
    for (let attempt = 1; attempt <= MAIN_ATTEMPTS && this.mainClusterId === null; attempt++) {
      try {
        this.mainClusterId = await etcdClusterId(this.options.main, this.callTimeoutMs);
      } catch (err) {
        lastError = err;
      }
    }
    if (this.mainClusterId === null) {
      throw new ZenError('UNAVAILABLE', `Cannot reach etcd (--etcd-endpoints) to learn its cluster id: ${lastError instanceof Error ? lastError.message : String(lastError)}`);
    }
    this.options.logger.info({ etcdCluster: this.mainClusterId }, 'main etcd cluster identified');
    await this.identifyPending();
  }

  /** The main etcd's cluster id (known once `start()` resolved). */
  get mainId(): EtcdClusterId {
    if (this.mainClusterId === null) throw new Error('The main etcd is not identified yet');
    return this.mainClusterId;
  }

  /** Whether this node was given partition etcd clusters at all. */
  get configured(): boolean {
    return this.groups.length > 0;
  }

  /** Whether every listed cluster is identified (or known to be misconfigured). */
  get settled(): boolean {
    return this.groups.every((g) => g.id !== null || g.broken !== null);
  }

  /** The client for an etcd cluster by id, or null when this node has no endpoints for it (or has not identified them yet). */
  clientFor(id: EtcdClusterId): Etcd3 | null {
    if (id === this.mainClusterId) return this.options.main;
    return this.clients.get(id)?.etcd ?? null;
  }

  eligible(): readonly EtcdClusterId[] | null {
    if (this.groups.some((g) => g.id === null)) return null;
    return [...new Set(this.groups.map((g) => g.id!))];
  }

  pendingReason(): string | null {
    const open = this.groups.filter((g) => g.id === null);
    if (open.length === 0) return null;
    return open.map((g) => `partition etcd cluster ${g.number} (${g.endpoints.join(',')}): ${g.broken ?? g.pending}`).join('; ');
  }

  known(): readonly EtcdClusterHandle[] {
    const handles: EtcdClusterHandle[] = [];
    if (this.mainClusterId !== null) handles.push({ id: this.mainClusterId, etcd: this.options.main, main: true, endpoints: this.options.mainEndpoints });
    for (const [id, { etcd, endpoints }] of this.clients) handles.push({ id, etcd, main: false, endpoints });
    return handles;
  }

  close(): void {
    this.closed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    for (const client of this.clients.values()) client.etcd.close();
    this.clients.clear();
  }

  private async identifyPending(): Promise<void> {
    const open = this.groups.filter((g) => g.id === null && g.broken === null);
    await Promise.all(open.map((g) => this.identify(g)));
    if (!this.closed && this.groups.some((g) => g.id === null && g.broken === null)) {
      this.retryTimer = setTimeout(() => {
        this.retryTimer = null;
        void this.identifyPending();
      }, this.retryMs);
      this.retryTimer.unref();
    }
  }

  private async identify(group: Group): Promise<void> {
    const { logger } = this.options;
    const { answers, failures } = await identifyEndpoints(group.endpoints, this.callTimeoutMs);
    if (this.closed) return;
    const ids = new Set(answers.values());
    if (ids.size > 1) {
      group.broken = `its endpoints belong to different etcd clusters (${[...answers].map(([e, id]) => `${e}: ${id}`).join(', ')}); list each cluster's endpoints between the same semicolons`;
      logger.error({ endpoints: group.endpoints, answers: Object.fromEntries(answers) }, `partition etcd cluster ${group.number} is misconfigured: ${group.broken}`);
      return;
    }
    if (ids.size === 0) {
      const first = group.pending === 'not asked yet';
      group.pending = `no endpoint answered (${[...failures.values()][0] ?? 'no endpoints'})`;
      if (first) logger.warn({ endpoints: group.endpoints, failures: Object.fromEntries(failures) }, `cannot identify partition etcd cluster ${group.number} yet; retrying in the background`);
      return;
    }
    const id = [...ids][0]!;
    const other = this.groups.find((g) => g !== group && g.id === id);
    group.id = id;
    group.pending = null;
    if (id === this.mainClusterId) {
      logger.info({ etcdCluster: id, endpoints: group.endpoints }, `partition etcd cluster ${group.number} is the main etcd: it takes partition logs too`);
    } else if (other) {
      logger.warn({ etcdCluster: id }, `partition etcd clusters ${other.number} and ${group.number} are the same etcd cluster; using the endpoints of ${other.number}`);
    } else {
      this.clients.set(id, { etcd: createEtcdClient({ endpoints: group.endpoints, callTimeoutMs: this.callTimeoutMs }), endpoints: group.endpoints });
      logger.info({ etcdCluster: id, endpoints: group.endpoints, unreachable: [...failures.keys()] }, `partition etcd cluster ${group.number} identified`);
    }
    this.emit('identified', id);
  }
}
