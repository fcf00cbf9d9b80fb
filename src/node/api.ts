/**
 * What a node offers to its public adapters (gRPC gateway, REST). The adapters decode and
 * validate wire input into these shapes, call the node, and map results and ZenErrors back.
 * Keys are bigint here; variables are already-parsed JSON objects.
 *
 * Every method either resolves with the result of a command that is durable (committed)
 * or rejects with a ZenError.
 */
import type { DecisionEvaluationValue } from '../engine/records.js';
import type { FormView, ProcessInstanceView, UserTaskView } from '../engine/read-views.js';
import type { BatchMigrationPlan, BatchMoveInstruction, BatchOperationType, JobKind, JobListenerEventType } from '../engine/records.js';
import type { PageRequest, SearchPage } from '../history/search/merge.js';
import type { ResourceName } from '../history/search/resources.js';
import type { SortKey } from '../history/search/run.js';
import type { ElementStatistics, SequenceFlowItem } from '../history/statistics/aggregate.js';

export type { FormView, ProcessInstanceView, UserTaskView } from '../engine/read-views.js';

export type Variables = Record<string, unknown>;

export { DEFAULT_TENANT } from '../engine/tenants.js';

export interface ActivateAdHocActivitiesRequest {
  readonly adHocSubProcessInstanceKey: bigint;
  readonly elements: readonly { readonly elementId: string; readonly variables: Variables }[];
  readonly cancelRemainingInstances: boolean;
}

export interface DeployResourceInput {
  readonly name: string;
  readonly content: Buffer;
}

export interface DeployRequest {
  readonly resources: readonly DeployResourceInput[];
  readonly tenantId: string;
}

export interface DeployedProcess {
  readonly bpmnProcessId: string;
  readonly version: number;
  readonly processDefinitionKey: bigint;
  readonly resourceName: string;
  readonly tenantId: string;
}

export interface DeployedForm {
  readonly formId: string;
  readonly version: number;
  readonly formKey: bigint;
  readonly resourceName: string;
  readonly tenantId: string;
}

export interface DeployedDecision {
  readonly decisionId: string;
  readonly decisionName: string;
  readonly version: number;
  readonly decisionKey: bigint;
  readonly decisionRequirementsId: string;
  readonly decisionRequirementsKey: bigint;
  readonly tenantId: string;
}

export interface DeployedDecisionRequirements {
  readonly decisionRequirementsId: string;
  readonly decisionRequirementsName: string;
  readonly version: number;
  readonly decisionRequirementsKey: bigint;
  readonly resourceName: string;
  readonly tenantId: string;
}

export interface DeployResult {
  readonly key: bigint;
  readonly tenantId: string;
  readonly processes: readonly DeployedProcess[];
  readonly forms: readonly DeployedForm[];
  /** Absent from fakes written before decisions existed. */
  readonly decisions?: readonly DeployedDecision[];
  readonly decisionRequirements?: readonly DeployedDecisionRequirements[];
}

export interface CreateInstanceRequest {
  /** Either bpmnProcessId (+version, -1 = latest) or processDefinitionKey is set. */
  readonly bpmnProcessId: string | null;
  readonly processDefinitionKey: bigint | null;
  readonly version: number;
  readonly variables: Variables;
  readonly tenantId: string;
  /** Element ids to start at instead of the none start event (start instructions); empty: the start event. */
  readonly startInstructions?: readonly string[];
}

export interface CreateInstanceResult {
  readonly processDefinitionKey: bigint;
  readonly bpmnProcessId: string;
  readonly version: number;
  readonly processInstanceKey: bigint;
  readonly tenantId: string;
}

export interface CreateInstanceWithResultRequest extends CreateInstanceRequest {
  /** How long to wait for completion; the call fails with DEADLINE_EXCEEDED after it. */
  readonly requestTimeoutMs: number;
  /** Variables to return; empty = all root-scope variables. */
  readonly fetchVariables: readonly string[];
}

export interface CreateInstanceWithResultResult extends CreateInstanceResult {
  readonly variables: Variables;
}

export interface ActivateJobsRequest {
  readonly type: string;
  readonly worker: string;
  readonly timeoutMs: number;
  readonly maxJobsToActivate: number;
  /** Variables to include; empty = all visible variables. */
  readonly fetchVariables: readonly string[];
  /** Long polling: how long to wait for jobs when none is available. 0 = answer at once. */
  readonly requestTimeoutMs: number;
  readonly tenantIds: readonly string[];
}

export interface ActivatedJob {
  readonly key: bigint;
  readonly type: string;
  readonly processInstanceKey: bigint;
  readonly bpmnProcessId: string;
  readonly processDefinitionVersion: number;
  readonly processDefinitionKey: bigint;
  readonly elementId: string;
  readonly elementInstanceKey: bigint;
  readonly customHeaders: Readonly<Record<string, string>>;
  readonly worker: string;
  readonly retries: number;
  /** Epoch milliseconds at which the activation times out. */
  readonly deadline: number;
  readonly variables: Variables;
  readonly tenantId: string;
  /** BPMN_ELEMENT, TASK_LISTENER for a Camunda user task's listener, EXECUTION_LISTENER for an element's. */
  readonly kind: JobKind;
  readonly listenerEventType: JobListenerEventType;
}

export interface JobStreamRequest {
  readonly type: string;
  readonly worker: string;
  readonly timeoutMs: number;
  readonly fetchVariables: readonly string[];
  readonly tenantIds: readonly string[];
}

/**
 * A push target for StreamActivatedJobs. `push` returns false when the job could not be
 * handed over (client gone, buffer full); the node then makes the job activatable again.
 */
export interface JobStreamSink {
  push(job: ActivatedJob): boolean;
  /** Whether the client keeps up; when not, no job is activated for it (default: yes). */
  ready?(): boolean;
}

export interface JobStreamHandle {
  close(): void;
}

export interface FailJobRequest {
  readonly jobKey: bigint;
  readonly retries: number;
  readonly errorMessage: string;
  readonly retryBackOffMs: number;
  readonly variables: Variables;
}

export interface ThrowErrorRequest {
  readonly jobKey: bigint;
  readonly errorCode: string;
  readonly errorMessage: string;
  readonly variables: Variables;
}

/** A task listener worker's answer: deny the transition, or correct the task (only the attributes given). */
export interface JobResult {
  readonly denied: boolean;
  readonly deniedReason: string;
  readonly corrections: UserTaskChanges;
}

/** User task attributes to change; absent ones stay (an empty string or list clears one). */
export interface UserTaskChanges {
  readonly assignee?: string;
  readonly dueDate?: string;
  readonly followUpDate?: string;
  readonly candidateGroups?: readonly string[];
  readonly candidateUsers?: readonly string[];
  readonly priority?: number;
}

export interface AssignUserTaskRequest {
  readonly userTaskKey: bigint;
  /** Empty: unassign. */
  readonly assignee: string;
  /** false: only if nobody else has it (a claim). */
  readonly allowOverride: boolean;
  /** Empty: the operation's default (assign, claim, unassign). */
  readonly action: string;
  /** How long to wait for the task listeners of the transition. */
  readonly requestTimeoutMs: number;
}

export interface CompleteUserTaskRequest {
  readonly userTaskKey: bigint;
  readonly variables: Variables;
  readonly action: string;
  readonly requestTimeoutMs: number;
}

export interface UpdateUserTaskRequest {
  readonly userTaskKey: bigint;
  /** The assignee is not among them: it changes by assignment only. */
  readonly changes: Omit<UserTaskChanges, 'assignee'>;
  readonly action: string;
  readonly requestTimeoutMs: number;
}

export interface PublishMessageRequest {
  readonly name: string;
  readonly correlationKey: string;
  readonly timeToLiveMs: number;
  /** Empty string = no id (no de-duplication). */
  readonly messageId: string;
  readonly variables: Variables;
  readonly tenantId: string;
}

export interface PublishMessageResult {
  readonly key: bigint;
  readonly tenantId: string;
}

export interface CorrelateMessageRequest {
  readonly name: string;
  readonly correlationKey: string;
  readonly variables: Variables;
  readonly tenantId: string;
  /** How long to wait for the instance's partition to take the message (DEADLINE_EXCEEDED after it). */
  readonly requestTimeoutMs: number;
}

export interface CorrelateMessageResult {
  readonly messageKey: bigint;
  readonly tenantId: string;
  /** The first process instance the message reached. */
  readonly processInstanceKey: bigint;
}

export interface BroadcastSignalRequest {
  readonly signalName: string;
  readonly variables: Variables;
  readonly tenantId: string;
}

export interface BroadcastSignalResult {
  readonly key: bigint;
  readonly tenantId: string;
}

export interface EvaluateDecisionRequest {
  /** One of the two: a decision version by key, or the latest version of a decision id. */
  readonly decisionKey: bigint | null;
  readonly decisionId: string | null;
  readonly variables: Variables;
  readonly tenantId: string;
}

/** The DECISION_EVALUATION record the evaluation wrote (its key and value). */
export interface EvaluateDecisionResult {
  readonly key: bigint;
  readonly evaluation: DecisionEvaluationValue;
}

export interface EvaluateConditionalsRequest {
  readonly variables: Variables;
  /** Only this definition's conditional start events; null: the latest version of every process. */
  readonly processDefinitionKey: bigint | null;
  readonly tenantId: string;
}

export interface EvaluateConditionalsResult {
  readonly key: bigint;
  readonly tenantId: string;
  readonly processInstances: ReadonlyArray<{ readonly processDefinitionKey: bigint; readonly processInstanceKey: bigint }>;
}

export interface SetVariablesRequest {
  readonly elementInstanceKey: bigint;
  readonly variables: Variables;
  readonly local: boolean;
}

/** ModifyProcessInstance: elements to activate (with variables per scope) and element instances to terminate. */
export interface ModifyInstanceRequest {
  readonly processInstanceKey: bigint;
  readonly activateInstructions: ReadonlyArray<{
    readonly elementId: string;
    /** The ancestor element instance to activate in; null: the flow scope's one running instance (or a new one). */
    readonly ancestorElementInstanceKey: bigint | null;
    /** `scopeId` '' is the process instance. */
    readonly variableInstructions: ReadonlyArray<{ readonly scopeId: string; readonly variables: Variables }>;
  }>;
  readonly terminateInstructions: readonly bigint[];
}

/** MigrateProcessInstance: the target definition and the element mapping (source id → target id). */
export interface MigrateInstanceRequest {
  readonly processInstanceKey: bigint;
  readonly targetProcessDefinitionKey: bigint;
  readonly mappingInstructions: ReadonlyArray<{ readonly sourceElementId: string; readonly targetElementId: string }>;
}

import type { PartitionRole } from '../metrics/zen-metrics.js';
export type { PartitionRole } from '../metrics/zen-metrics.js';
export type PartitionHealth = 'HEALTHY' | 'UNHEALTHY' | 'DEAD';

export interface TopologyPartition {
  readonly partitionId: number;
  readonly role: PartitionRole;
  readonly health: PartitionHealth;
}

export interface TopologyBroker {
  readonly nodeId: number;
  readonly host: string;
  readonly port: number;
  readonly version: string;
  readonly partitions: readonly TopologyPartition[];
}

export interface Topology {
  readonly brokers: readonly TopologyBroker[];
  readonly clusterSize: number;
  readonly partitionsCount: number;
  readonly replicationFactor: number;
  readonly gatewayVersion: string;
}

/** Which replica answered a read: reads are served by leaders and by followers in sync. */
export interface ServedBy {
  readonly nodeId: number;
  readonly role: 'LEADER' | 'FOLLOWER';
}

export interface ReadAnswer<T> {
  readonly value: T;
  readonly servedBy: ServedBy;
}

/** A search of the history (ADR 010): Camunda's `{filter, sort, page}`. */
export interface HistorySearchRequest {
  readonly filter?: unknown;
  readonly sort: readonly SortKey[];
  readonly page: PageRequest;
  /** Read your writes: see every write acknowledged before the search (ADR 010). */
  readonly fresh?: boolean;
}

/** A merged page, and which replica of each partition answered. */
export interface HistorySearchAnswer extends SearchPage {
  readonly servedBy: ReadonlyArray<ServedBy & { readonly partitionId: number }>;
}

/** Statistics, flows, call hierarchy and XML for a process diagram: see history-diagram.ts. */
/** Items with the replica of each partition that answered. */
export interface HistoryListAnswer<T> {
  readonly items: T[];
  readonly servedBy: ReadonlyArray<ServedBy & { readonly partitionId: number }>;
}

/** Camunda's ProcessInstanceCallHierarchyEntry. */
export interface CallHierarchyEntry {
  readonly processInstanceKey: string;
  readonly processDefinitionKey: string;
  readonly processDefinitionName: string;
}

export interface DiagramReads {
  processDefinitionStatistics(processDefinitionKey: bigint, filter: unknown): Promise<HistoryListAnswer<ElementStatistics>>;
  processInstanceStatistics(processInstanceKey: bigint): Promise<HistoryListAnswer<ElementStatistics>>;
  processInstanceSequenceFlows(processInstanceKey: bigint): Promise<HistoryListAnswer<SequenceFlowItem>>;
  /** Root first, the instance itself last; empty for an instance no other one called. */
  processInstanceCallHierarchy(processInstanceKey: bigint): Promise<HistoryListAnswer<CallHierarchyEntry>>;
  processDefinitionXml(processDefinitionKey: bigint): Promise<ReadAnswer<string>>;
}

/** A batch operation over the running instances a process instance filter matches. */
export interface CreateBatchOperationRequest {
  readonly batchOperationType: BatchOperationType;
  /** A process instance search filter, as `POST /v2/process-instances/search` takes it. */
  readonly filter: unknown;
  readonly migrationPlan?: BatchMigrationPlan;
  readonly moveInstructions?: readonly BatchMoveInstruction[];
}

export interface ZenApi extends DiagramReads {
  topology(): Promise<Topology>;
  /** Searches finished and running instances, elements, variables, jobs, incidents, definitions. */
  searchHistory(resource: ResourceName, request: HistorySearchRequest): Promise<HistorySearchAnswer>;
  deploy(req: DeployRequest): Promise<DeployResult>;
  createProcessInstance(req: CreateInstanceRequest): Promise<CreateInstanceResult>;
  createProcessInstanceWithResult(
    req: CreateInstanceWithResultRequest,
  ): Promise<CreateInstanceWithResultResult>;
  cancelProcessInstance(processInstanceKey: bigint): Promise<void>;
  /**
   * Activates up to maxJobsToActivate jobs. Holds the call (long polling) until at least one
   * job is activated, requestTimeoutMs passes (resolves []), or `signal` aborts (resolves []).
   */
  activateJobs(req: ActivateJobsRequest, signal: AbortSignal): Promise<ActivatedJob[]>;
  openJobStream(req: JobStreamRequest, sink: JobStreamSink): JobStreamHandle;
  /**
   * Hands back jobs that were activated for a caller that went away before it got them: they
   * become activatable again at once instead of after their timeout. Best effort.
   */
  yieldJobs(jobKeys: readonly bigint[]): void;
  /** `result`: a task listener's answer (deny, corrections). */
  completeJob(jobKey: bigint, variables: Variables, result?: JobResult): Promise<void>;
  failJob(req: FailJobRequest): Promise<void>;
  throwError(req: ThrowErrorRequest): Promise<void>;
  updateJobRetries(jobKey: bigint, retries: number): Promise<void>;
  updateJobTimeout(jobKey: bigint, timeoutMs: number): Promise<void>;
  publishMessage(req: PublishMessageRequest): Promise<PublishMessageResult>;
  /**
   * Publishes a message without TTL that must reach a waiting instance or a message start event
   * now: resolves with the first instance it reached, or fails NOT_FOUND.
   */
  correlateMessage(req: CorrelateMessageRequest): Promise<CorrelateMessageResult>;
  /** Fires a signal on every partition; resolves once the partition that took it committed it. */
  broadcastSignal(req: BroadcastSignalRequest): Promise<BroadcastSignalResult>;
  /**
   * Evaluates process-level conditional start events against the variables; each that is true
   * starts an instance (Camunda 8.9's POST /v2/conditionals/evaluation).
   */
  evaluateConditionals(req: EvaluateConditionalsRequest): Promise<EvaluateConditionalsResult>;
  evaluateDecision(req: EvaluateDecisionRequest): Promise<EvaluateDecisionResult>;
  /** Returns the key of the variable-document command. */
  setVariables(req: SetVariablesRequest): Promise<bigint>;
  resolveIncident(incidentKey: bigint): Promise<void>;
  modifyProcessInstance(req: ModifyInstanceRequest): Promise<void>;
  migrateProcessInstance(req: MigrateInstanceRequest): Promise<void>;
  /** Deletes a deployed resource (a process definition) on every partition; resolves once partition 1 committed it. */
  deleteResource(resourceKey: bigint): Promise<void>;
  /**
   * Pins the engine clock of every partition at `time` (epoch ms) or puts it back on the system
   * clock; resolve once partition 1 committed it (the others follow within moments).
   */
  pinClock(time: number): Promise<void>;
  /** A batch operation over the running instances a process instance filter matches (see batch-operations.ts). */
  createBatchOperation(req: CreateBatchOperationRequest): Promise<{ batchOperationKey: bigint; batchOperationType: string }>;
  changeBatchOperation(batchOperationKey: bigint, intent: 'CANCEL' | 'SUSPEND' | 'RESUME'): Promise<void>;
  resetClock(): Promise<void>;
  /** Starts elements in a running ad-hoc sub-process (ActivateAdHocSubProcessActivities). */
  activateAdHocActivities(req: ActivateAdHocActivitiesRequest): Promise<void>;
  /**
   * An active process instance, read from a replica of its partition (this node's, else
   * another member's): a follower may be a few milliseconds behind the leader.
   */
  getProcessInstance(processInstanceKey: bigint): Promise<ReadAnswer<ProcessInstanceView>>;
  /**
   * Camunda user task operations: each resolves once the transition is done, after the task
   * listeners of its event (or rejects when one denies it, or after requestTimeoutMs).
   */
  assignUserTask(req: AssignUserTaskRequest): Promise<void>;
  completeUserTask(req: CompleteUserTaskRequest): Promise<void>;
  updateUserTask(req: UpdateUserTaskRequest): Promise<void>;
  /** An active user task (completed and canceled ones are not kept), from a replica of its partition. */
  getUserTask(userTaskKey: bigint): Promise<ReadAnswer<UserTaskView>>;
  /** The form linked to an active user task; null when it has none. */
  getUserTaskForm(userTaskKey: bigint): Promise<ReadAnswer<FormView | null>>;
}
