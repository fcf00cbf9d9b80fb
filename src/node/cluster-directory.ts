/**
 * Routing in a cluster: a partition this node leads is served by its local engine; any
 * other goes to its leader's node over the private port (RemotePartition). Who leads what
 * comes from the main cluster's state; the topology is that state as Zeebe reports it.
 */
import { isHistoryRead, type PartitionRead, type PartitionReadResult } from '../history/read.js';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import { ZenError } from '../errors.js';
import type { PartitionMember } from '../cluster/partition/partition-member.js';
import type { ClientPool } from '../cluster/private/client-pool.js';
import { RemotePartition } from '../cluster/private/remote-partition.js';
import { type ClusterState, EMPTY_CLUSTER_STATE, leaderOf, privateAddress } from '../cluster/main/types.js';
import type { ReadAnswer, Topology, TopologyPartition } from './api.js';
import type { PartitionDirectory, PartitionMark } from './local-directory.js';
import type { PartitionHandle } from './partition-handle.js';

/** A read is cheap; a member that does not answer quickly is skipped for the next. */
const READ_TIMEOUT_MS = 2000;
/** How long an in-sync follower waits to apply a key it has not seen before passing the read on. */
const FOLLOWER_CATCH_UP_MS = 500;
/** A fresh read may wait this much longer for a follower to apply up to the head. */
const FRESH_READ_EXTRA_MS = 1_500;
const CATCH_UP_POLL_MS = 10;

export class ClusterDirectory implements PartitionDirectory {
  readonly members = new Map<number, PartitionMember>();
  readonly remotes = new Map<number, RemotePartition>();
  state: ClusterState = EMPTY_CLUSTER_STATE;
  private readRotation = 0;

  constructor(
    private readonly nodeId: number,
    readonly partitionCount: number,
    private readonly version: string,
    private readonly pool: ClientPool,
    logger: Logger,
  ) {
    for (let partitionId = 1; partitionId <= partitionCount; partitionId++) {
      this.remotes.set(
        partitionId,
        new RemotePartition({ partitionId, leaderAddress: () => this.leaderAddress(partitionId), pool, logger: logger.child({ partition: partitionId }) }),
      );
    }
  }

  /** `host:privatePort` of the partition's leader per cluster state (possibly this node). */
  leaderAddress(partitionId: number): string | null {
    const leader = leaderOf(this.state, partitionId);
    if (!leader) return null;
    const node = this.state.nodes.get(leader.nodeId);
    if (!node || node.state !== 'ACTIVE') return null;
    return privateAddress(node);
  }

  handle(partitionId: number): PartitionHandle {
    const local = this.members.get(partitionId)?.leader;
    if (local) return local;
    const remote = this.remotes.get(partitionId);
    if (!remote) throw new ZenError('NOT_FOUND', `Partition ${partitionId} does not exist (the cluster has ${this.partitionCount})`);
    return remote;
  }

  /** Reads from this node's replica when it is in sync; otherwise from the partition's other members, followers first. */
  async read(partitionId: number, query: PartitionRead): Promise<ReadAnswer<PartitionReadResult>> {
    // History searches keep off the leader's node while a follower can answer (ADR 010); the
    // addresses below are the other members', followers first.
    const leaderHere = isHistoryRead(query) && this.members.get(partitionId)?.readable?.role === 'LEADER';
    if (!leaderHere) {
      const local = await this.readLocally(partitionId, query);
      if (local) return local;
    }
    const failures: string[] = [];
    for (const address of this.readAddresses(partitionId)) {
      try {
        return await this.pool.read(address, partitionId, query, READ_TIMEOUT_MS);
      } catch (err) {
        failures.push(`${address}: ${(err as Error).message}`);
      }
    }
    if (leaderHere) {
      const local = await this.readLocally(partitionId, query);
      if (local) return local;
    }
    throw new ZenError('UNAVAILABLE', `No replica of partition ${partitionId} could serve the read${failures.length ? ` (${failures.join('; ')})` : ': no member is known'}`);
  }

  /** The read on this node's replica, or null when it has none in sync. */
  async readLocally(partitionId: number, query: PartitionRead): Promise<ReadAnswer<PartitionReadResult> | null> {
    const member = this.members.get(partitionId);
    const before = member?.readable;
    if (!before) return null;
    // The leader's state runs ahead of its commits: wait for what it processed to be durable.
    await before.settled();
    let readable = member!.readable;
    const deadline = Date.now() + FOLLOWER_CATCH_UP_MS;
    if (!readable) return null;
    if (query.kind === 'history' && query.fresh && readable.role === 'FOLLOWER') {
      // Every write acknowledged before this read is at or below the head etcd has now.
      const head = await member!.currentHead();
      while (member!.appliedIndex < head) {
        if (Date.now() >= deadline + FRESH_READ_EXTRA_MS) return null;
        await sleep(CATCH_UP_POLL_MS);
      }
      readable = member!.readable;
      if (!readable) return null;
    }
    const servedBy = { nodeId: this.nodeId, role: readable.role };
    if (query.kind === 'history') return { value: await readable.store.searchHistory(query.search), servedBy };
    if (query.kind === 'historyAggregate') return { value: await readable.store.aggregateHistory(query.aggregate), servedBy };
    // A follower one batch behind may not hold an instance whose creation the client has
    // already seen acknowledged (through another node): it waits a moment, then declines so
    // that another member (the leader last) answers, rather than answer a wrong "not found".
    for (;;) {
      const answer = await readable.read(query);
      if (!answer) return null;
      if (answer.reached) return { value: answer.value, servedBy: { nodeId: this.nodeId, role: readable.role } };
      if (Date.now() >= deadline) return null;
      await sleep(CATCH_UP_POLL_MS);
      readable = member!.readable;
      if (!readable) return null;
    }
  }

  /** Private addresses of the other live members of a partition: followers (spread by rotation), then the leader. */
  private readAddresses(partitionId: number): string[] {
    const leader = leaderOf(this.state, partitionId);
    const followers: string[] = [];
    let leaderAddress: string | null = null;
    for (const member of this.state.partitions.get(partitionId)?.values() ?? []) {
      const node = this.state.nodes.get(member.nodeId);
      if (member.nodeId === this.nodeId || !node || node.state !== 'ACTIVE' || member.role === 'INACTIVE') continue;
      const address = privateAddress(node);
      if (leader?.nodeId === member.nodeId) leaderAddress = address;
      else followers.push(address);
    }
    const start = followers.length > 0 ? this.readRotation++ % followers.length : 0;
    const ordered = [...followers.slice(start), ...followers.slice(0, start)];
    return leaderAddress ? [...ordered, leaderAddress] : ordered;
  }

  all(): readonly PartitionHandle[] {
    const out: PartitionHandle[] = [];
    for (let partitionId = 1; partitionId <= this.partitionCount; partitionId++) out.push(this.handle(partitionId));
    return out;
  }

  /**
   * The applied index of this node's replica of each partition (leader or follower alike): a
   * follower's moves as it applies what etcd committed. Partitions this node is no member of are
   * null: seeing them move would take an etcd read or a peer call per sample.
   */
  marks(): readonly PartitionMark[] {
    const out: PartitionMark[] = [];
    for (let partitionId = 1; partitionId <= this.partitionCount; partitionId++) {
      const member = this.members.get(partitionId);
      out.push({ partitionId, logIndex: member && member.hasReplica ? member.appliedIndex : null });
    }
    return out;
  }

  topology(): Topology {
    const brokers = [...this.state.nodes.values()]
      .filter((node) => node.state !== 'LEFT')
      .sort((a, b) => a.nodeId - b.nodeId)
      .map((node) => {
        const partitions: TopologyPartition[] = [];
        for (const [partitionId, members] of [...this.state.partitions].sort((a, b) => a[0] - b[0])) {
          const member = members.get(node.nodeId);
          if (!member) continue;
          const leader = leaderOf(this.state, partitionId);
          const role = leader?.nodeId === node.nodeId ? 'LEADER' : member.role === 'INACTIVE' ? 'INACTIVE' : 'FOLLOWER';
          partitions.push({ partitionId, role, health: this.health(node.nodeId, partitionId, node.state) });
        }
        return { nodeId: node.nodeId, host: node.addresses.host, port: node.addresses.grpcPort, version: node.version, partitions };
      });
    return {
      brokers,
      clusterSize: brokers.length,
      partitionsCount: this.partitionCount,
      replicationFactor: this.state.config?.replicationFactor ?? 1,
      gatewayVersion: this.version,
    };
  }

  private health(nodeId: number, partitionId: number, nodeState: string): TopologyPartition['health'] {
    if (nodeState !== 'ACTIVE') return 'DEAD';
    if (nodeId !== this.nodeId) return 'HEALTHY';
    const member = this.members.get(partitionId);
    return member && (member.leader || member.isInSync) ? 'HEALTHY' : 'UNHEALTHY';
  }
}
