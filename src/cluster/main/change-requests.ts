/**
 * The management API's view of cluster changes (ADR 017), in the shapes of Zeebe's cluster
 * management API (`/actuator/cluster`): the topology with the pending and last change, and
 * requests that plan a change (change-planner.ts) and record it in the cluster log, or only
 * show the plan (`dryRun`).
 *
 * Any node answers: it plans from its state caught up with etcd and appends the plan; the
 * controller carries it out. Two requests racing each other both append, and the fold keeps
 * the first (change-fold.ts): the second finds that the pending change is not its own and
 * answers 409 like a request that came later.
 */
import { ZenError } from '../../errors.js';
import type { ChangeOperation, ClusterChange } from './cluster-change.js';
import { type ChangeRequest, expectedState, planChange } from './change-planner.js';
import type { ClusterCommand, ClusterState } from './types.js';

export interface ChangeSource {
  freshState(): Promise<ClusterState>;
  liveNodeIds(): Promise<Set<number>>;
  append(command: ClusterCommand): Promise<number>;
}

export interface OperationView {
  readonly operation: string;
  readonly brokerId: number;
  readonly partitionId?: number;
  /** PARTITION_LEADER_TRANSFER: the broker the leadership moves away from. */
  readonly fromBrokerId?: number;
  readonly completedAt?: string;
}

export interface BrokerView {
  readonly id: number;
  readonly state: string;
  readonly version: number;
  readonly lastUpdatedAt: string | null;
  readonly zone: string;
  readonly partitions: { readonly id: number; readonly state: string; readonly role: string }[];
}

export interface PlannedChangeView {
  readonly changeId: number;
  readonly currentTopology: BrokerView[];
  readonly plannedChanges: OperationView[];
  readonly expectedTopology: BrokerView[];
}

export class ChangeRequests {
  constructor(
    private readonly source: () => ChangeSource | null,
    private readonly now: () => number = Date.now,
  ) {}

  async topology(): Promise<Record<string, unknown>> {
    const state = await this.sourceOrFail().freshState();
    return topologyView(state);
  }

  async submit(request: ChangeRequest, dryRun: boolean): Promise<PlannedChangeView> {
    const source = this.sourceOrFail();
    const [state, live] = await Promise.all([source.freshState(), source.liveNodeIds()]);
    if (state.pendingChange) throw inProgress(state.pendingChange.id);
    const plan = planChange(state, request, live);
    if (!plan.ok) throw new ZenError(plan.code, plan.message);
    const expected = expectedState(state, plan.operations, plan.replicationFactor);
    const view = (changeId: number): PlannedChangeView => ({
      changeId,
      currentTopology: brokersView(state),
      plannedChanges: plan.operations.map(operationView),
      expectedTopology: brokersView(expected),
    });
    if (dryRun) return view(state.version + 1);
    const seq = await source.append({
      type: 'ClusterChangePlanned',
      operations: plan.operations,
      startedAt: this.now(),
      ...(plan.replicationFactor !== undefined ? { replicationFactor: plan.replicationFactor } : {}),
    });
    const after = await source.freshState();
    const mine = after.pendingChange?.id === seq || after.lastChange?.id === seq;
    if (!mine) throw inProgress(after.pendingChange?.id ?? null);
    return view(seq);
  }

  /**
   * Zeebe's `DELETE /actuator/cluster/changes/{id}`: stops the pending change where it is.
   * Steps already done stay done (as in Zeebe); the automatic planner, which stood aside while
   * the change was pending, takes over again and evens out what the change left.
   */
  async cancel(changeId: number): Promise<Record<string, unknown>> {
    const source = this.sourceOrFail();
    const state = await source.freshState();
    const pending = state.pendingChange;
    if (!pending || pending.id !== changeId) {
      const now = pending ? `the pending change is ${pending.id}` : 'no change is pending';
      throw new ZenError('NOT_FOUND', `Cluster change ${changeId} is not pending (${now}); only the pending change can be cancelled`);
    }
    await source.append({ type: 'ClusterChangeCancelled', changeId, cancelledAt: this.now(), reason: CANCELLED_BY_OPERATOR });
    const after = await source.freshState();
    // The controller's last StepDone may have landed first: then the change completed instead.
    if (after.lastChange?.id === changeId && after.lastChange.status === 'COMPLETED') {
      throw new ZenError('FAILED_PRECONDITION', `Cluster change ${changeId} completed before it could be cancelled`);
    }
    return topologyView(after);
  }

  private sourceOrFail(): ChangeSource {
    const source = this.source();
    if (!source) throw new ZenError('UNAVAILABLE', 'This node has not joined the cluster yet');
    return source;
  }
}

export const CANCELLED_BY_OPERATOR = 'cancelled by an operator';

function inProgress(id: number | null): ZenError {
  return new ZenError(
    'FAILED_PRECONDITION',
    id === null ? 'Another cluster change was requested at the same time' : `Cluster change ${id} is in progress; request the next change once it has completed`,
  );
}

export function topologyView(state: ClusterState): Record<string, unknown> {
  return {
    version: state.version,
    partitionCount: state.config?.partitionCount ?? 0,
    replicationFactor: state.config?.replicationFactor ?? 0,
    brokers: brokersView(state),
    ...(state.pendingChange ? { pendingChange: pendingView(state.pendingChange) } : {}),
    ...(state.lastChange ? { lastChange: finishedView(state.lastChange) } : {}),
  };
}

/**
 * Zeebe's broker states, from Zen's: a node that a pending change removes is LEAVING; one that
 * is DOWN (its registration expired) says so, a state Zeebe's topology does not have.
 */
export function brokersView(state: ClusterState): BrokerView[] {
  const leaving = new Set<number>();
  for (const op of state.pendingChange?.operations.slice(state.pendingChange.completedAt.length) ?? []) {
    if (op.operation === 'BROKER_REMOVE') leaving.add(op.nodeId);
  }
  return [...state.nodes.values()]
    .sort((a, b) => a.nodeId - b.nodeId)
    .map((node) => ({
      id: node.nodeId,
      state: node.state === 'ACTIVE' && leaving.has(node.nodeId) ? 'LEAVING' : node.state,
      version: node.since,
      // The fold reads no clock, so a node's state carries no time.
      lastUpdatedAt: null,
      zone: node.zone,
      partitions: [...state.partitions]
        .filter(([, members]) => members.has(node.nodeId))
        .sort((a, b) => a[0] - b[0])
        .map(([id, members]) => {
          const m = members.get(node.nodeId)!;
          return { id, state: m.state, role: m.role };
        }),
    }));
}

function operationView(op: ChangeOperation): OperationView {
  return {
    operation: op.operation,
    brokerId: op.nodeId,
    ...(op.operation === 'BROKER_REMOVE' ? {} : { partitionId: op.partitionId }),
    ...(op.fromNodeId !== undefined ? { fromBrokerId: op.fromNodeId } : {}),
  };
}

function pendingView(change: ClusterChange): Record<string, unknown> {
  return {
    id: change.id,
    status: change.status,
    startedAt: iso(change.startedAt),
    ...(change.replicationFactor !== undefined ? { replicationFactor: change.replicationFactor } : {}),
    completed: change.operations.slice(0, change.completedAt.length).map((op, i) => ({ ...operationView(op), completedAt: iso(change.completedAt[i]!) })),
    pending: change.operations.slice(change.completedAt.length).map(operationView),
  };
}

function finishedView(change: ClusterChange): Record<string, unknown> {
  return {
    id: change.id,
    status: change.status,
    startedAt: iso(change.startedAt),
    ...(change.finishedAt !== undefined ? { completedAt: iso(change.finishedAt) } : {}),
    ...(change.reason !== undefined ? { reason: change.reason } : {}),
    ...(change.replicationFactor !== undefined ? { replicationFactor: change.replicationFactor } : {}),
  };
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
