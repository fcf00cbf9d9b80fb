/**
 * The fold of ClusterChange* commands, called by reducer.ts. Pure like the rest of the fold:
 * every timestamp comes from the command.
 *
 * - Planned while another change is pending: ignored (one change at a time; the requester
 *   finds that the pending change's id is not the sequence number of its command).
 * - Planned with no operations completes at once (and applies its replication factor).
 * - StepDone counts only for the pending change's next step; the last one completes the change
 *   and, for a replication-factor change, sets the cluster's factor: the groups have the new
 *   size by then, so the automatic planner, which takes over again, finds nothing to do.
 * - Cancelled moves the pending change to `lastChange` as CANCELLED; the factor is unchanged.
 */
import type { ClusterChange, ClusterChangeCommand } from './cluster-change.js';
import type { ClusterState } from './types.js';

export function applyChangeCommand(state: ClusterState, command: ClusterChangeCommand, seq: number): ClusterState {
  const pending = state.pendingChange;
  switch (command.type) {
    case 'ClusterChangePlanned': {
      if (pending) return { ...state, version: seq };
      const change: ClusterChange = {
        id: seq,
        status: 'IN_PROGRESS',
        startedAt: command.startedAt,
        operations: command.operations.map((op) => ({ ...op })),
        completedAt: [],
        ...(command.replicationFactor !== undefined ? { replicationFactor: command.replicationFactor } : {}),
      };
      if (change.operations.length === 0) return complete({ ...state, version: seq }, change, command.startedAt);
      return { ...state, version: seq, pendingChange: change };
    }
    case 'ClusterChangeStepDone': {
      if (!pending || pending.id !== command.changeId || pending.completedAt.length !== command.step) return { ...state, version: seq };
      const next: ClusterChange = { ...pending, completedAt: [...pending.completedAt, command.completedAt] };
      if (next.completedAt.length >= next.operations.length) return complete({ ...state, version: seq }, next, command.completedAt);
      return { ...state, version: seq, pendingChange: next };
    }
    case 'ClusterChangeCancelled': {
      if (!pending || pending.id !== command.changeId) return { ...state, version: seq };
      const cancelled: ClusterChange = { ...pending, status: 'CANCELLED', finishedAt: command.cancelledAt, reason: command.reason };
      return { ...state, version: seq, pendingChange: null, lastChange: cancelled };
    }
  }
}

function complete(state: ClusterState, change: ClusterChange, at: number): ClusterState {
  const done: ClusterChange = { ...change, status: 'COMPLETED', finishedAt: at };
  const config =
    state.config && change.replicationFactor !== undefined ? { ...state.config, replicationFactor: change.replicationFactor } : state.config;
  return { ...state, config, pendingChange: null, lastChange: done };
}
