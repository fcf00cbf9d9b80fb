/**
 * The space of every etcd cluster this node writes to (the main one and the partition etcd
 * clusters it knows): one space monitor each, the metrics that show it, what a partition
 * leader refuses when its etcd is near its quota, and how many bytes its log may keep there.
 */
import type { Logger } from 'pino';
import { EtcdSpaceMonitor } from '../cluster/etcd/space-monitor.js';
import type { PartitionLogStores } from '../cluster/etcd/log-stores.js';
import type { EtcdClusterId } from '../cluster/main/types.js';
import type { ZenMetrics } from '../metrics/index.js';

/** The share of an etcd cluster's quota that partition logs (together) may keep live. */
const LOG_SHARE_OF_QUOTA = 0.2;
/** And no single partition log more than this. */
const MAX_LOG_BYTES = 64 * 1024 * 1024;

export class EtcdSpace {
  private readonly monitors = new Map<EtcdClusterId, EtcdSpaceMonitor>();

  constructor(
    private readonly stores: PartitionLogStores,
    private readonly logger: Logger,
    metrics: ZenMetrics,
  ) {
    const each = (name: string, description: string, value: (m: { dbBytes: number; inUseBytes: number; quotaBytes: number }) => number) =>
      metrics.registerGauge(name, description, (result) => {
        for (const [id, monitor] of this.monitors) {
          for (const member of monitor.members) result.observe(value(member), { etcd_cluster: id, member: member.endpoint });
        }
      });
    each('zen_etcd_db_size_bytes', "Size of an etcd member's database file (what etcd checks against its quota)", (m) => m.dbBytes);
    each('zen_etcd_db_size_in_use_bytes', "Part of an etcd member's database file in use (the rest is freed by compaction, returned by defragmentation)", (m) => m.inUseBytes);
    each('zen_etcd_quota_bytes', "An etcd member's space quota (--quota-backend-bytes)", (m) => m.quotaBytes);
  }

  /** Starts monitoring every etcd cluster known now; call again when more are identified. */
  refresh(): void {
    for (const handle of this.stores.known()) {
      if (this.monitors.has(handle.id)) continue;
      const monitor = new EtcdSpaceMonitor({ endpoints: handle.endpoints, logger: this.logger.child({ etcdCluster: handle.id }) });
      monitor.start();
      this.monitors.set(handle.id, monitor);
    }
  }

  monitor(id: EtcdClusterId): EtcdSpaceMonitor | null {
    if (!this.monitors.has(id)) this.refresh();
    return this.monitors.get(id) ?? null;
  }

  /** Why a client command on a partition whose log is on `id` must be refused now, or null. */
  refusal(id: EtcdClusterId, finishing: boolean): string | null {
    return this.monitor(id)?.refusal(finishing) ?? null;
  }

  /** How many bytes one of the `partitionsThere` partition logs on `id` may keep in etcd. */
  logBudget(id: EtcdClusterId, partitionsThere: number): number {
    const quota = this.monitor(id)?.quotaBytes;
    if (quota === undefined) return MAX_LOG_BYTES;
    return Math.min(MAX_LOG_BYTES, Math.floor((quota * LOG_SHARE_OF_QUOTA) / Math.max(1, partitionsThere)));
  }

  stop(): void {
    for (const monitor of this.monitors.values()) monitor.stop();
  }
}
