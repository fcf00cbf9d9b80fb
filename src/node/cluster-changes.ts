/**
 * A node's part in cluster changes (ADR 017): it says when a membership it was given as
 * JOINING has caught up (the controller's PARTITION_JOIN step waits for that), and it prefers
 * leaders as the groups will be once the pending change completes.
 */
import type { Logger } from 'pino';
import { expectedState } from '../cluster/main/change-planner.js';
import { preferredLeader } from '../cluster/main/preferred-leader.js';
import type { ClusterCommand, ClusterState } from '../cluster/main/types.js';
import type { PartitionMember } from '../cluster/partition/partition-member.js';

const CHECK_INTERVAL_MS = 500;

/** The preferred leader of a partition; while a change is pending, in the group the change leads to. */
export function preferredLeaderDuringChanges(state: ClusterState, partitionId: number): number | null {
  const change = state.pendingChange;
  const target = change ? expectedState(state, change.operations.slice(change.completedAt.length)) : state;
  return preferredLeader(partitionId, target.partitions.get(partitionId)?.keys() ?? []);
}

export interface JoinReporterOptions {
  readonly nodeId: number;
  readonly state: () => ClusterState | null;
  readonly member: (partitionId: number) => PartitionMember | undefined;
  readonly append: (command: ClusterCommand) => Promise<void>;
  readonly logger: Logger;
}

export class JoinReporter {
  private readonly timer: NodeJS.Timeout | null;
  private readonly inFlight = new Set<number>();
  private closed = false;

  constructor(private readonly options: JoinReporterOptions | null) {
    this.timer = options ? setInterval(() => this.check(), CHECK_INTERVAL_MS) : null;
    this.timer?.unref();
  }

  /** Before the node has joined: does nothing. */
  static idle(): JoinReporter {
    return new JoinReporter(null);
  }

  /**
   * Caught up means following closely (PartitionMember.isInSync) or leading: the member could
   * take over the partition without a long catch-up, so the group may lose another member.
   */
  check(): void {
    const options = this.options;
    const state = options?.state();
    if (!options || !state || this.closed) return;
    for (const [partitionId, members] of state.partitions) {
      if (members.get(options.nodeId)?.state !== 'JOINING' || this.inFlight.has(partitionId)) continue;
      const member = options.member(partitionId);
      if (!member || !(member.leader !== null || member.isInSync)) continue;
      this.inFlight.add(partitionId);
      options.logger.info({ partition: partitionId }, 'caught up with the partition: reporting the membership ACTIVE');
      options
        .append({ type: 'ClusterNodePartitionChange', nodeId: options.nodeId, partitionId, state: 'ACTIVE' })
        .catch((err: unknown) => options.logger.warn({ err, partition: partitionId }, 'could not report the membership ACTIVE; retrying'))
        .finally(() => this.inFlight.delete(partitionId));
    }
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
  }
}
