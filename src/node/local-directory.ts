import type { PartitionRead, PartitionReadResult } from '../history/read.js';
import { ZenError } from '../errors.js';
import type { Partition } from '../partition/partition.js';
import { runRead } from '../engine/read-views.js';
import type { ReadAnswer, Topology } from './api.js';
import type { PartitionHandle } from './partition-handle.js';

/** How the node finds the partition that owns a command, and what topology it reports. */
export interface PartitionDirectory {
  readonly partitionCount: number;
  /** The handle of a partition; throws UNAVAILABLE when this node cannot reach it. */
  handle(partitionId: number): PartitionHandle;
  all(): readonly PartitionHandle[];
  topology(): Topology;
  /** Runs a read on a replica of the partition: this node's if it has one in sync, else a peer's. */
  read(partitionId: number, query: PartitionRead): Promise<ReadAnswer<PartitionReadResult>>;
  /** How far each partition's log has come as this node sees it (the REST change feed samples it). */
  marks(): readonly PartitionMark[];
}

/**
 * A partition's log index as this node has it: it moves whenever the partition's state does.
 * Null when this node keeps no replica of the partition (a cluster member outside its group).
 */
export interface PartitionMark {
  readonly partitionId: number;
  readonly logIndex: number | null;
}

export interface NodeIdentity {
  readonly nodeId: number;
  readonly advertisedHost: string;
  readonly grpcPort: () => number;
  readonly version: string;
}

/** A standalone node: every partition is local and led here. */
export class LocalDirectory implements PartitionDirectory {
  private readonly partitions: Partition[] = [];

  constructor(
    private readonly identity: NodeIdentity,
    readonly partitionCount: number,
  ) {}

  add(partition: Partition): void {
    this.partitions.push(partition);
    this.partitions.sort((a, b) => a.id - b.id);
  }

  handle(partitionId: number): PartitionHandle {
    const partition = this.partitions.find((p) => p.id === partitionId);
    if (!partition) throw new ZenError('UNAVAILABLE', `Partition ${partitionId} is not available on this node`);
    return partition;
  }

  all(): readonly PartitionHandle[] {
    return this.partitions;
  }

  async read(partitionId: number, query: PartitionRead): Promise<ReadAnswer<PartitionReadResult>> {
    const partition = this.partitions.find((p) => p.id === partitionId);
    if (!partition?.isReady) throw new ZenError('UNAVAILABLE', `Partition ${partitionId} is not available on this node`);
    // The state runs ahead of the disk by the batches in flight: read once they are durable.
    await partition.settled();
    const servedBy = { nodeId: this.identity.nodeId, role: 'LEADER' as const };
    if (query.kind === 'history') return { value: await partition.store.searchHistory(query.search), servedBy };
    if (query.kind === 'historyAggregate') return { value: await partition.store.aggregateHistory(query.aggregate), servedBy };
    return { value: runRead(partition.state, query), servedBy };
  }

  marks(): readonly PartitionMark[] {
    const out: PartitionMark[] = [];
    for (let partitionId = 1; partitionId <= this.partitionCount; partitionId++) {
      const partition = this.partitions.find((p) => p.id === partitionId);
      out.push({ partitionId, logIndex: partition ? partition.lastLogIndex : null });
    }
    return out;
  }

  topology(): Topology {
    return {
      brokers: [
        {
          nodeId: this.identity.nodeId,
          host: this.identity.advertisedHost,
          port: this.identity.grpcPort(),
          version: this.identity.version,
          partitions: this.partitions.map((p) => ({
            partitionId: p.id,
            role: 'LEADER' as const,
            health: p.isReady ? ('HEALTHY' as const) : ('UNHEALTHY' as const),
          })),
        },
      ],
      clusterSize: 1,
      partitionsCount: this.partitionCount,
      replicationFactor: 1,
      gatewayVersion: this.identity.version,
    };
  }
}
