import { BatchOperationState } from './batch-operations.js';
import { CalledInstanceState } from './called-instances.js';
import { ConditionalSubscriptionState } from './conditionals.js';
import { CompensationSubscriptionState } from './compensations.js';
import { ElementInstanceState } from './element-instances.js';
import { FormState } from './forms.js';
import { DecisionState } from './decisions.js';
import { IncidentState } from './incidents.js';
import { JobState } from './jobs.js';
import { MessageCorrelationRequests } from './message-correlations.js';
import { MessageStartLocks } from './message-start-locks.js';
import { MessageState } from './messages.js';
import { ProcessState } from './processes.js';
import { SignalState } from './signals.js';
import { MessageSubscriptionState, ProcessMessageSubscriptionState } from './subscriptions.js';
import { Journal, type PersistentTable, stringKey, Table } from './table.js';
import { TimerState } from './timers.js';
import { UserTaskState } from './user-tasks.js';
import { UserState } from './users.js';
import { AuthorizationState } from './authorizations.js';
import { MemberSetState } from './member-sets.js';
import { MappingRuleState } from './mapping-rules.js';
import { TenantState } from './tenant-rows.js';
import type { PendingDistributionRow } from './types.js';
import { VariableState } from './variables.js';
import { storedInTenant } from '../tenants.js';

/** Zeebe's key layout: the partition id in the top bits, so any node can route a key. */
export const PARTITION_BITS_SHIFT = 51n;
export const KEY_COUNTER_MASK = (1n << PARTITION_BITS_SHIFT) - 1n;

export function partitionOfKey(key: bigint): number {
  return Number(key >> PARTITION_BITS_SHIFT);
}

function deletedVersionKey(bpmnProcessId: string, tenantId: string): string {
  return storedInTenant(tenantId, `deletedVersion:${bpmnProcessId}`);
}

function deletedFormVersionKey(formId: string, tenantId: string): string {
  return storedInTenant(tenantId, `deletedFormVersion:${formId}`);
}

/**
 * All state of one partition. Changed only by event appliers (plus the key generator),
 * persisted row by row with each batch, and rebuilt identically by replaying the log.
 */
export class EngineState {
  readonly journal = new Journal();
  readonly processes = new ProcessState(this.journal);
  readonly elementInstances = new ElementInstanceState(this.journal);
  readonly variables = new VariableState(this.journal);
  readonly jobs = new JobState(this.journal);
  readonly incidents = new IncidentState(this.journal);
  readonly timers = new TimerState(this.journal);
  readonly messages = new MessageState(this.journal);
  readonly messageSubscriptions = new MessageSubscriptionState(this.journal);
  readonly processMessageSubscriptions = new ProcessMessageSubscriptionState(this.journal);
  readonly messageStartLocks = new MessageStartLocks(this.journal);
  readonly messageCorrelations = new MessageCorrelationRequests(this.journal);
  readonly signals = new SignalState(this.journal);
  readonly conditionals = new ConditionalSubscriptionState(this.journal);
  readonly compensations = new CompensationSubscriptionState(this.journal);
  readonly userTasks = new UserTaskState(this.journal);
  readonly forms = new FormState(this.journal);
  readonly decisions = new DecisionState(this.journal);
  readonly calledInstances = new CalledInstanceState(this.journal);
  readonly batchOperations = new BatchOperationState(this.journal);
  readonly distributions = new Table<string, PendingDistributionRow>('distributions', stringKey, this.journal);
  /** Small scalars: the key counter and the last applied log position. */
  readonly meta = new Table<string, bigint | number>('meta', stringKey, this.journal);
  /** Partition 1 only: the users of basic authentication. */
  readonly users = new UserState(this.journal, this.meta);
  /** Partition 1 only: the authorizations, counted in the same identity version as the users. */
  readonly authorizations = new AuthorizationState(this.journal, this.meta);
  /** Partition 1 only: groups, roles and mapping rules, in the same identity version. */
  readonly groups = new MemberSetState('groups', this.journal, this.meta);
  readonly roles = new MemberSetState('roles', this.journal, this.meta);
  readonly mappingRules = new MappingRuleState(this.journal, this.meta);
  /** Partition 1 only: the tenants and their members, in the same identity version. */
  readonly tenants = new TenantState(this.journal, this.meta);

  constructor(readonly partitionId: number) {}

  /** Every persisted table, in a fixed order (snapshots and comparisons rely on it). */
  tables(): PersistentTable[] {
    return [
      this.meta,
      this.processes.table,
      this.elementInstances.table,
      this.variables.table,
      this.jobs.table,
      this.incidents.table,
      this.timers.table,
      this.messages.table,
      this.messages.correlated,
      this.messageSubscriptions.table,
      this.messageSubscriptions.tombstones.table,
      this.processMessageSubscriptions.table,
      this.distributions,
      this.messageStartLocks.table,
      this.signals.subscriptions,
      this.signals.received.table,
      this.conditionals.table,
      this.compensations.table,
      this.userTasks.table,
      this.forms.table,
      this.forms.deployments,
      this.decisions.requirements,
      this.decisions.decisions,
      this.decisions.deployments,
      this.calledInstances.calls,
      this.calledInstances.children,
      this.calledInstances.released.table,
      this.calledInstances.throws,
      this.calledInstances.caught.table,
      this.messageCorrelations.table,
      this.batchOperations.batches,
      this.batchOperations.items,
      this.users.table,
      this.authorizations.table,
      this.groups.table,
      this.roles.table,
      this.mappingRules.table,
      this.tenants.table,
    ];
  }

  /** Next key of this partition. Keys are never reused: the counter is persisted with every batch. */
  nextKey(): bigint {
    const counter = (this.meta.get('keyCounter') as bigint | undefined) ?? 0n;
    const next = counter + 1n;
    if (next > KEY_COUNTER_MASK) throw new Error(`Partition ${this.partitionId} ran out of keys`);
    this.meta.set('keyCounter', next);
    return (BigInt(this.partitionId) << PARTITION_BITS_SHIFT) | next;
  }

  /** The highest deleted version of a tenant's process: versions are never handed out twice. */
  highestDeletedVersion(bpmnProcessId: string, tenantId: string): number {
    return (this.meta.get(deletedVersionKey(bpmnProcessId, tenantId)) as number | undefined) ?? 0;
  }

  noteDeletedVersion(bpmnProcessId: string, tenantId: string, version: number): void {
    if (version > this.highestDeletedVersion(bpmnProcessId, tenantId)) this.meta.set(deletedVersionKey(bpmnProcessId, tenantId), version);
  }

  /** The highest deleted version of a tenant's form id (form versions, like process versions, are never handed out twice). */
  highestDeletedFormVersion(formId: string, tenantId: string): number {
    return (this.meta.get(deletedFormVersionKey(formId, tenantId)) as number | undefined) ?? 0;
  }

  noteDeletedFormVersion(formId: string, tenantId: string, version: number): void {
    if (version > this.highestDeletedFormVersion(formId, tenantId)) this.meta.set(deletedFormVersionKey(formId, tenantId), version);
  }

  /**
   * Whether this partition had the resource (process definition, decision requirements, form) and
   * deleted it: a re-sent deletion is then only acknowledged.
   */
  wasDeleted(resourceKey: bigint): boolean {
    return this.meta.has(`deletedDefinition:${resourceKey}`);
  }

  /**
   * The instant the engine clock is pinned at (PUT /v2/clock), or null on the system clock. While
   * pinned, every command on this partition is processed at this instant: time stands still.
   */
  get pinnedClock(): number | null {
    return (this.meta.get('clockPinnedAt') as number | undefined) ?? null;
  }

  /** The key of the last clock change taken here: a re-sent older one must not undo a newer one. */
  get clockChangeKey(): bigint {
    return (this.meta.get('clockChangeKey') as bigint | undefined) ?? 0n;
  }

  setClock(pinnedAt: number | null, changeKey: bigint): void {
    if (pinnedAt === null) this.meta.delete('clockPinnedAt');
    else this.meta.set('clockPinnedAt', pinnedAt);
    this.meta.set('clockChangeKey', changeKey);
  }

  get keyCounter(): bigint {
    return (this.meta.get('keyCounter') as bigint | undefined) ?? 0n;
  }

  setKeyCounter(counter: bigint): void {
    if (counter !== this.keyCounter) this.meta.set('keyCounter', counter);
  }
}
