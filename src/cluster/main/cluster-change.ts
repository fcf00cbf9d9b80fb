/**
 * Cluster changes (ADR 017): an operator's request to add a node, drain one or change the
 * replication factor, planned once into a list of operations that the controller carries out
 * one at a time. The plan and each finished step are commands in the cluster log, so the
 * change's progress is part of the folded state: a controller elected in the middle of a
 * change resumes at the step the state says is next.
 *
 * Operation names are Zeebe's where Zeebe has one (PARTITION_JOIN, PARTITION_LEAVE,
 * BROKER_REMOVE); PARTITION_LEADER_TRANSFER is Zen's, since Zeebe moves leaders by priority.
 */

export type ChangeOperationType = 'PARTITION_JOIN' | 'PARTITION_LEADER_TRANSFER' | 'PARTITION_LEAVE' | 'BROKER_REMOVE';

export interface ChangeOperation {
  readonly operation: ChangeOperationType;
  /** The node that joins, leaves, is removed, or receives the leadership. */
  readonly nodeId: number;
  /** 0 for BROKER_REMOVE. */
  readonly partitionId: number;
  /** PARTITION_LEADER_TRANSFER: the node the leadership moves away from (it leaves later in the change). */
  readonly fromNodeId?: number;
}

export type ChangeStatus = 'IN_PROGRESS' | 'COMPLETED' | 'CANCELLED';

export interface ClusterChange {
  /** The cluster-log sequence number of the ClusterChangePlanned that started it. */
  readonly id: number;
  readonly status: ChangeStatus;
  /** ms since the epoch, as the planner wrote it (the fold reads no clock). */
  readonly startedAt: number;
  readonly operations: readonly ChangeOperation[];
  /** When each finished step finished, in order: `completedAt.length` steps are done. */
  readonly completedAt: readonly number[];
  /** The replication factor the cluster has once the change completes (unset: unchanged). */
  readonly replicationFactor?: number;
  readonly finishedAt?: number;
  /** Why a change was cancelled. */
  readonly reason?: string;
}

/**
 * ClusterChangePlanned: starts a change unless one is pending (then it is ignored: a second
 * request that raced the first sees that its id is not the pending one).
 * ClusterChangeStepDone: step `step` of change `changeId` finished; only the next step counts,
 * so a repeated report (a controller that failed over between two appends) changes nothing.
 * ClusterChangeCancelled: the change stops where it is; the automatic planner takes over.
 */
export type ClusterChangeCommand =
  | {
      readonly type: 'ClusterChangePlanned';
      readonly operations: readonly ChangeOperation[];
      readonly startedAt: number;
      readonly replicationFactor?: number;
    }
  | { readonly type: 'ClusterChangeStepDone'; readonly changeId: number; readonly step: number; readonly completedAt: number }
  | { readonly type: 'ClusterChangeCancelled'; readonly changeId: number; readonly cancelledAt: number; readonly reason: string };

/** The step the controller works on, or null when no change is pending. */
export function currentStep(change: ClusterChange | null): ChangeOperation | null {
  if (!change || change.status !== 'IN_PROGRESS') return null;
  return change.operations[change.completedAt.length] ?? null;
}
