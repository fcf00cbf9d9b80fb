/**
 * Availability per partition as the topology tells it: every 200 ms the probe asks one
 * answering node (in turn) for the gRPC topology; a partition counts as available when that
 * topology names exactly one LEADER for it, HEALTHY. The longest stretch between two available
 * sightings of a partition is its longest unavailability (resolution: the probe period plus
 * one topology call). A frozen leader still looks available until its lease lapses — what a
 * client asking the topology sees too.
 */
import { rolesOf, type ClusterTopology } from '../support/cluster-process.js';
import type { ChaosCluster } from './chaos-cluster.js';
import { within } from './operations.js';

const PERIOD_MS = 200;

export interface Unavailability {
  readonly partitionId: number;
  readonly longestMs: number;
  /** ms since the run started, when the longest stretch ended (-1: never ended). */
  readonly endedAt: number;
}

export class AvailabilityProbe {
  private readonly lastSeen = new Map<number, number>();
  private readonly longest = new Map<number, { ms: number; endedAt: number }>();
  private running = false;
  private loop: Promise<void> = Promise.resolve();
  private rr = 0;
  probes = 0;
  failedProbes = 0;

  constructor(
    private readonly cluster: ChaosCluster,
    private readonly runStartedAt: number,
  ) {}

  start(): void {
    const now = Date.now();
    for (let p = 1; p <= this.cluster.options.partitions; p++) this.lastSeen.set(p, now);
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<Unavailability[]> {
    this.running = false;
    await this.loop;
    const now = Date.now();
    return [...this.lastSeen.keys()].map((partitionId) => {
      const recorded = this.longest.get(partitionId) ?? { ms: 0, endedAt: 0 };
      const open = now - this.lastSeen.get(partitionId)!;
      return open > recorded.ms
        ? { partitionId, longestMs: open, endedAt: -1 }
        : { partitionId, longestMs: recorded.ms, endedAt: recorded.endedAt };
    });
  }

  private async run(): Promise<void> {
    while (this.running) {
      const started = Date.now();
      const nodes = this.cluster.answeringNodes();
      if (nodes.length > 0) {
        const via = nodes[this.rr++ % nodes.length]!;
        this.probes++;
        try {
          const topology = (await within(this.cluster.zen.client(via).topology(), 1_000)) as unknown as ClusterTopology;
          const seenAt = Date.now();
          for (const [partitionId, roles] of rolesOf(topology)) {
            if (roles.leaders.length !== 1) continue;
            const broker = topology.brokers.find((b) => b.nodeId === roles.leaders[0]);
            const health = broker?.partitions.find((p) => p.partitionId === partitionId)?.health;
            if (health !== 'HEALTHY') continue;
            const gap = seenAt - (this.lastSeen.get(partitionId) ?? seenAt);
            if (gap > (this.longest.get(partitionId)?.ms ?? 0)) this.longest.set(partitionId, { ms: gap, endedAt: seenAt - this.runStartedAt });
            this.lastSeen.set(partitionId, seenAt);
          }
        } catch {
          this.failedProbes++;
        }
      }
      const wait = PERIOD_MS - (Date.now() - started);
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }
}
