/**
 * A node's partition leases, one per etcd cluster it holds partitions on. A partition's
 * election key is bound to a lease and its leader's appends are fenced on that key, in the
 * etcd that holds the partition's log; a lease exists only in the etcd that granted it. So a
 * node with partitions on three etcd clusters holds three leases, each kept alive by its own
 * cluster, and a partition etcd cluster that stalls costs leaderships on that cluster only.
 */
import type { Etcd3 } from 'etcd3';
import type { Logger } from 'pino';
import { NodeLease } from '../cluster/partition/election.js';
import type { EtcdClusterId } from '../cluster/main/types.js';

const RENEW_RETRY_MS = 1000;

export class PartitionLeases {
  private readonly leases = new Map<EtcdClusterId, NodeLease>();
  private readonly granting = new Map<EtcdClusterId, Promise<NodeLease>>();
  private stopped = false;

  constructor(
    private readonly ttlSeconds: number,
    private readonly logger: Logger,
  ) {}

  /** The lease on cluster `id`, granted now if this node holds none there yet. */
  async ensure(id: EtcdClusterId, etcd: Etcd3): Promise<NodeLease> {
    const existing = this.leases.get(id);
    if (existing) return existing;
    let pending = this.granting.get(id);
    if (!pending) {
      pending = this.grant(id, etcd).finally(() => this.granting.delete(id));
      this.granting.set(id, pending);
    }
    return pending;
  }

  /** The current lease on cluster `id` (a lost one while its replacement is being granted: campaigns then fail and retry). */
  get(id: EtcdClusterId): NodeLease {
    const lease = this.leases.get(id);
    if (!lease) throw new Error(`No partition lease on etcd cluster ${id}`);
    return lease;
  }

  /** Revokes every lease: the node's candidacies disappear at once instead of after a TTL. */
  async revokeAll(): Promise<void> {
    this.stopped = true;
    await Promise.all([...this.leases.values()].map((lease) => lease.revoke()));
    this.leases.clear();
  }

  private async grant(id: EtcdClusterId, etcd: Etcd3): Promise<NodeLease> {
    const lease = await NodeLease.grant(etcd, this.ttlSeconds);
    if (this.stopped) {
      await lease.revoke();
      throw new Error('Partition leases are revoked: the node is stopping');
    }
    this.leases.set(id, lease);
    lease.on('lost', () => {
      if (this.stopped || this.leases.get(id) !== lease) return;
      this.logger.warn({ etcdCluster: id }, 'the partition lease was lost; taking a new one');
      void this.renew(id, etcd);
    });
    return lease;
  }

  private async renew(id: EtcdClusterId, etcd: Etcd3): Promise<void> {
    while (!this.stopped) {
      try {
        await this.grant(id, etcd);
        return;
      } catch (err) {
        this.logger.warn({ err, etcdCluster: id }, 'could not take a new partition lease; retrying');
        await new Promise((r) => setTimeout(r, RENEW_RETRY_MS));
      }
    }
  }
}
