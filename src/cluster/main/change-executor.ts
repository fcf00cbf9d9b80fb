/**
 * What the controller appends for the pending change's next step, as a pure function of the
 * folded state, the live registrations and the time. Every step is idempotent: it looks at the
 * state to see whether its effect is already there, so a controller elected in the middle of
 * a step (the previous one appended the membership but died before StepDone) finishes it
 * without doing it twice.
 *
 * - PARTITION_JOIN n p: adds n as JOINING; done once n reports ACTIVE, which it does when its
 *   replica has caught up with the partition log (cluster-runtime.ts). A joining node that is
 *   not ACTIVE and registered is waited for (a restart) up to JOIN_DOWN_TIMEOUT_MS from the
 *   start of the step, then the change is cancelled: a change that waits forever would also
 *   keep the automatic planner off.
 * - PARTITION_LEADER_TRANSFER p → n (from f): the leader hands over when it sees this step
 *   (partition-member.ts); done when n leads, or when someone other than f leads. A target
 *   that is gone, or a hand-over that has not happened within TRANSFER_TIMEOUT_MS, is given up
 *   on: the leave that follows then ends the leadership by resigning, a short election.
 * - PARTITION_LEAVE n p: removes the member; BROKER_REMOVE n: marks n LEFT. Both finish in
 *   the same append as their StepDone.
 */
import { type ClusterChange, currentStep } from './cluster-change.js';
import { type ClusterCommand, type ClusterState, leaderOf } from './types.js';

export const TRANSFER_TIMEOUT_MS = 30_000;
/** How long a join waits for its node to come back (a restart) before the change is cancelled. */
export const JOIN_DOWN_TIMEOUT_MS = 60_000;

export function changeStepCommands(state: ClusterState, live: ReadonlySet<number>, now: number): ClusterCommand[] {
  const change = state.pendingChange;
  const step = currentStep(change);
  if (!change || !step) return [];
  const index = change.completedAt.length;
  const done: ClusterCommand = { type: 'ClusterChangeStepDone', changeId: change.id, step: index, completedAt: now };
  const member = state.partitions.get(step.partitionId)?.get(step.nodeId);
  const nodeUp = state.nodes.get(step.nodeId)?.state === 'ACTIVE' && live.has(step.nodeId);
  switch (step.operation) {
    case 'PARTITION_JOIN':
      if (member?.state === 'ACTIVE') return [done];
      if (!nodeUp) {
        if (now - stepStartedAt(change) < JOIN_DOWN_TIMEOUT_MS) return [];
        return [{ type: 'ClusterChangeCancelled', changeId: change.id, cancelledAt: now, reason: `node ${step.nodeId} is not running: it could not join partition ${step.partitionId}` }];
      }
      if (!member) return [{ type: 'ClusterNodePartitionChange', nodeId: step.nodeId, partitionId: step.partitionId, state: 'JOINING' }];
      return [];
    case 'PARTITION_LEADER_TRANSFER': {
      const leader = leaderOf(state, step.partitionId);
      if (leader && (leader.nodeId === step.nodeId || (step.fromNodeId !== undefined && leader.nodeId !== step.fromNodeId))) return [done];
      if (!member || !nodeUp || now - stepStartedAt(change) >= TRANSFER_TIMEOUT_MS) return [done];
      return [];
    }
    case 'PARTITION_LEAVE':
      if (!member) return [done];
      return [{ type: 'ClusterNodePartitionChange', nodeId: step.nodeId, partitionId: step.partitionId, state: 'REMOVED' }, done];
    case 'BROKER_REMOVE':
      if (state.nodes.get(step.nodeId)?.state === 'LEFT') return [done];
      return [{ type: 'ClusterNodeChange', nodeId: step.nodeId, state: 'LEFT' }, done];
  }
}

function stepStartedAt(change: ClusterChange): number {
  return change.completedAt[change.completedAt.length - 1] ?? change.startedAt;
}
