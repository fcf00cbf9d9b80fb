/**
 * Job-availability hints from the rest of the cluster: one WatchJobs stream per peer node,
 * so that long polls and job streams held here learn of jobs on partitions led elsewhere.
 */
import type { Logger } from 'pino';
import type { ClientPool, JobWatch } from './client-pool.js';

export interface JobHintsOptions {
  readonly pool: Pick<ClientPool, 'watchJobs'>;
  readonly logger: Logger;
  /**
   * A partition led by a peer has activatable jobs of `type` (`served`: the peer's own workers
   * take them): mark its RemotePartition, wake the JobBroker.
   */
  readonly onAvailable: (partitionId: number, type: string, served: boolean) => void;
  /**
   * The watch on `address` was (re)established; notifications sent before may be lost, so
   * the RemotePartitions led there should forget their "no jobs" verdicts.
   */
  readonly onResync?: (address: string) => void;
}

export class JobHints {
  private readonly watches = new Map<string, JobWatch>();
  private closed = false;

  constructor(private readonly options: JobHintsOptions) {}

  /** The private addresses of the peer nodes (not this one) to watch; others stop being watched. */
  setPeers(addresses: Iterable<string>): void {
    if (this.closed) return;
    const wanted = new Set(addresses);
    for (const [address, watch] of this.watches) {
      if (wanted.has(address)) continue;
      watch.close();
      this.watches.delete(address);
      this.options.logger.debug({ peer: address }, 'stopped watching jobs');
    }
    for (const address of wanted) {
      if (this.watches.has(address)) continue;
      const watch = this.options.pool.watchJobs(address, (partitionId, type, served) => this.options.onAvailable(partitionId, type, served), {
        onConnected: () => this.options.onResync?.(address),
      });
      this.watches.set(address, watch);
      this.options.logger.debug({ peer: address }, 'watching jobs');
    }
  }

  get peers(): string[] {
    return [...this.watches.keys()];
  }

  close(): void {
    this.closed = true;
    for (const watch of this.watches.values()) watch.close();
    this.watches.clear();
  }
}
