/**
 * ClusterChange* commands and the snapshot's pending/last change <-> the protobuf objects of
 * proto/cluster.proto, for codec.ts. Same conventions: enums by name, unset optionals stay
 * unset, numbers range-checked before protobufjs could wrap them.
 */
import type { ChangeOperation, ChangeOperationType, ChangeStatus, ClusterChange, ClusterChangeCommand } from './cluster-change.js';

const OPERATIONS: Record<ChangeOperationType, string> = {
  PARTITION_JOIN: 'CHANGE_OPERATION_PARTITION_JOIN',
  PARTITION_LEADER_TRANSFER: 'CHANGE_OPERATION_PARTITION_LEADER_TRANSFER',
  PARTITION_LEAVE: 'CHANGE_OPERATION_PARTITION_LEAVE',
  BROKER_REMOVE: 'CHANGE_OPERATION_BROKER_REMOVE',
};
const STATUSES: readonly ChangeStatus[] = ['IN_PROGRESS', 'COMPLETED', 'CANCELLED'];
const MAX_TIME = Number.MAX_SAFE_INTEGER;

type Obj = Record<string, unknown>;

export function changeCommandToMessage(command: ClusterChangeCommand): Obj {
  switch (command.type) {
    case 'ClusterChangePlanned':
      return {
        changePlanned: dropUndefined({
          operations: command.operations.map(operationTo),
          startedAt: check(command.startedAt, 'startedAt', MAX_TIME),
          replicationFactor: command.replicationFactor === undefined ? undefined : check(command.replicationFactor, 'replicationFactor'),
        }),
      };
    case 'ClusterChangeStepDone':
      return {
        changeStepDone: {
          changeId: check(command.changeId, 'changeId', MAX_TIME),
          step: check(command.step, 'step'),
          completedAt: check(command.completedAt, 'completedAt', MAX_TIME),
        },
      };
    case 'ClusterChangeCancelled':
      return {
        changeCancelled: {
          changeId: check(command.changeId, 'changeId', MAX_TIME),
          cancelledAt: check(command.cancelledAt, 'cancelledAt', MAX_TIME),
          reason: command.reason,
        },
      };
  }
}

/** The change command in a decoded ClusterCommand object, or null when it holds another variant. */
export function changeCommandFromObject(object: Record<string, Obj | undefined>): ClusterChangeCommand | null {
  if (object.changePlanned) {
    const m = object.changePlanned;
    return dropUndefined({
      type: 'ClusterChangePlanned',
      operations: ((m.operations as Obj[] | undefined) ?? []).map(operationFrom),
      startedAt: uint(m.startedAt),
      replicationFactor: m.replicationFactor === undefined ? undefined : uint(m.replicationFactor),
    }) as ClusterChangeCommand;
  }
  if (object.changeStepDone) {
    const m = object.changeStepDone;
    return { type: 'ClusterChangeStepDone', changeId: uint(m.changeId), step: uint(m.step), completedAt: uint(m.completedAt) };
  }
  if (object.changeCancelled) {
    const m = object.changeCancelled;
    return { type: 'ClusterChangeCancelled', changeId: uint(m.changeId), cancelledAt: uint(m.cancelledAt), reason: (m.reason as string | undefined) ?? '' };
  }
  return null;
}

export function changeToSnapshot(change: ClusterChange | null): Obj | undefined {
  if (!change) return undefined;
  return dropUndefined({
    id: check(change.id, 'id', MAX_TIME),
    status: change.status,
    startedAt: check(change.startedAt, 'startedAt', MAX_TIME),
    operations: change.operations.map(operationTo),
    completedAt: change.completedAt.map((t) => check(t, 'completedAt', MAX_TIME)),
    replicationFactor: change.replicationFactor === undefined ? undefined : check(change.replicationFactor, 'replicationFactor'),
    finishedAt: change.finishedAt === undefined ? undefined : check(change.finishedAt, 'finishedAt', MAX_TIME),
    reason: change.reason,
  });
}

export function changeFromSnapshot(m: Obj | undefined): ClusterChange | null {
  if (!m) return null;
  const status = m.status as ChangeStatus;
  if (!STATUSES.includes(status)) throw new Error(`Cluster snapshot holds a change with an unknown status ${String(m.status)}`);
  return dropUndefined({
    id: uint(m.id),
    status,
    startedAt: uint(m.startedAt),
    operations: ((m.operations as Obj[] | undefined) ?? []).map(operationFrom),
    completedAt: ((m.completedAt as unknown[] | undefined) ?? []).map(uint),
    replicationFactor: m.replicationFactor === undefined ? undefined : uint(m.replicationFactor),
    finishedAt: m.finishedAt === undefined ? undefined : uint(m.finishedAt),
    reason: m.reason as string | undefined,
  }) as ClusterChange;
}

function operationTo(op: ChangeOperation): Obj {
  return dropUndefined({
    operation: OPERATIONS[op.operation],
    nodeId: check(op.nodeId, 'nodeId'),
    partitionId: check(op.partitionId, 'partitionId'),
    fromNodeId: op.fromNodeId === undefined ? undefined : check(op.fromNodeId, 'fromNodeId'),
  });
}

function operationFrom(m: Obj): ChangeOperation {
  const entry = Object.entries(OPERATIONS).find(([, wire]) => wire === m.operation);
  if (!entry) throw new Error(`Cluster command has an unknown change operation ${String(m.operation)}`);
  return dropUndefined({
    operation: entry[0] as ChangeOperationType,
    nodeId: uint(m.nodeId),
    partitionId: uint(m.partitionId),
    fromNodeId: m.fromNodeId === undefined ? undefined : uint(m.fromNodeId),
  });
}

function uint(value: unknown): number {
  return value === undefined ? 0 : Number(value);
}

function check(value: number, field: string, max = 0xffffffff): number {
  if (!Number.isInteger(value) || value < 0 || value > max) {
    throw new RangeError(`Cluster change field ${field} must be an integer in [0, ${max}], got ${value}`);
  }
  return value;
}

function dropUndefined<T extends object>(object: T): T {
  return Object.fromEntries(Object.entries(object).filter(([, v]) => v !== undefined)) as T;
}
