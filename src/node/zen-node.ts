/**
 * A node's public face: turns API requests into engine commands, routes each to the
 * partition that owns it, and turns responses and rejections back into results and
 * ZenErrors. Routing: deployments go to partition 1 (which distributes them), new
 * instances round-robin, messages by correlation-key hash, everything else by key.
 */
import type { Logger } from 'pino';
import { rejectionToErrorCode, ZenError } from '../errors.js';
import { subscriptionPartition } from '../engine/behaviors/subscription-partition.js';
import type { CommandResponse, EngineCommand, OutboundCommand } from '../engine/processing/types.js';
import type {
  AdHocSubProcessInstructionValue,
  ConditionalEvaluationValue,
  DecisionEvaluationValue,
  DeploymentValue,
  MessageValue,
  SignalValue,
  ProcessInstanceCreationValue,
  UserTaskCorrections,
  ProcessInstanceMigrationValue,
  ProcessInstanceModificationValue,
  ResourceDeletionValue,
  ClockValue,
  VariableDocumentValue,
} from '../engine/records.js';
import { partitionOfKey } from '../engine/state/engine-state.js';
import type { Partition, PartitionHost } from '../partition/partition.js';
import { LocalDirectory, type NodeIdentity, type PartitionDirectory } from './local-directory.js';
import type { PartitionHandle } from './partition-handle.js';
import type { UserTaskCommandValue } from '../engine/processors/commands/user-task.js';
import type { DecisionEvaluationCommand } from '../engine/processors/commands/decision-evaluation.js';
import type { UserTaskFormView, UsersView } from '../engine/read-views.js';
import type { UserCommandResult } from '../engine/processors/commands/user.js';
import type { UserValue } from '../engine/records.js';
import type { AuthorizationCommandResult } from '../engine/processors/commands/authorization.js';
import type { AuthorizationValue } from '../engine/records.js';
import type {
  AuthorizationCommands,
  AuthorizationIntent,
  MembershipCommands,
  MembershipValueType,
  TenantCommands,
  TenantIntent,
  UserCommands,
  UserIntent,
  UserSource,
} from './identity-commands.js';
import type {
  ActivateAdHocActivitiesRequest,
  ActivateJobsRequest,
  AssignUserTaskRequest,
  CompleteUserTaskRequest,
  FormView,
  JobResult,
  UpdateUserTaskRequest,
  UserTaskView,
  ActivatedJob,
  BroadcastSignalRequest,
  CorrelateMessageRequest,
  CorrelateMessageResult,
  BroadcastSignalResult,
  CreateInstanceRequest,
  CreateInstanceResult,
  CreateInstanceWithResultRequest,
  CreateInstanceWithResultResult,
  DeployRequest,
  DeployResult,
  EvaluateConditionalsRequest,
  EvaluateDecisionRequest,
  EvaluateDecisionResult,
  EvaluateConditionalsResult,
  FailJobRequest,
  JobStreamHandle,
  JobStreamRequest,
  JobStreamSink,
  MigrateInstanceRequest,
  ModifyInstanceRequest,
  ProcessInstanceView,
  PublishMessageRequest,
  PublishMessageResult,
  ReadAnswer,
  SetVariablesRequest,
  ThrowErrorRequest,
  Topology,
  Variables,
  ZenApi,
} from './api.js';
import { DEFAULT_TENANT, type CallHierarchyEntry, type CreateBatchOperationRequest, type HistoryListAnswer, type HistorySearchAnswer, type HistorySearchRequest } from './api.js';
import { ALL_TENANTS, firstRefusedTenant, jobTenantsForbidden, tenantForbidden, type TenantAccess } from './tenant-access.js';
import type { Principal } from './principal.js';
import type { TenantCommandResult } from '../engine/processors/commands/tenant.js';
import type { TenantValue } from '../engine/records.js';
import { withinTenants } from '../history/search/tenants.js';
import { compileFilter } from '../history/search/filter.js';
import { mergePages, partitionSearch } from '../history/search/merge.js';
import { RESOURCES, type ResourceName } from '../history/search/resources.js';
import { fullSort, type PartitionPage } from '../history/search/run.js';
import { JobBroker } from './job-broker.js';
import { resourceText } from './resource-text.js';
import { collectItems, creationValue, runBatchItem } from './batch-operations.js';
import type { BatchOperationRow } from '../engine/state/batch-operations.js';
import { HistoryDiagramReads } from './history-diagram.js';
import type { ElementStatistics, SequenceFlowItem } from '../history/statistics/aggregate.js';

function unwrap(response: CommandResponse): { key: bigint; value: unknown } {
  if (response.ok) return response;
  throw new ZenError(rejectionToErrorCode(response.rejectionType), response.reason);
}

export type { NodeIdentity } from './local-directory.js';

/** How the node treats tenants. */
export interface NodeTenancy {
  /** `--multi-tenancy`: requests name tenants, and a principal may use only those allowed to it. */
  readonly multiTenancy?: boolean;
  /** Which tenants a principal may use (identity); default: all. */
  readonly access?: TenantAccess;
}

/** How many called instances on other partitions one read of a process instance looks at, at most. */
const MAX_CALLED_INSTANCES_READ = 64;
/** A local leader with more commands than this waiting no longer gets every new instance. */
const LOCAL_PREFERENCE_BACKLOG = 128;

export class ZenNode implements ZenApi, PartitionHost, UserCommands, UserSource, AuthorizationCommands, MembershipCommands, TenantCommands {
  readonly jobs: JobBroker;
  readonly directory: PartitionDirectory;
  private readonly diagrams: HistoryDiagramReads;
  private roundRobin = 0;
  private localRobin = 0;

  private readonly multiTenancy: boolean;
  private readonly tenantAccess: TenantAccess;

  /** Without a directory the node is standalone: add its local partitions with addPartition. */
  constructor(
    identity: NodeIdentity,
    private readonly partitionCount: number,
    private readonly logger: Logger,
    directory?: PartitionDirectory,
    tenancy: NodeTenancy = {},
  ) {
    this.multiTenancy = tenancy.multiTenancy ?? false;
    this.tenantAccess = tenancy.access ?? ALL_TENANTS;
    this.directory = directory ?? new LocalDirectory(identity, partitionCount);
    this.jobs = new JobBroker(() => this.directory.all(), logger);
    this.diagrams = new HistoryDiagramReads(this.directory, partitionCount);
  }

  addPartition(partition: Partition): void {
    if (!(this.directory instanceof LocalDirectory)) throw new Error('addPartition is for standalone nodes');
    this.directory.add(partition);
  }

  // ---- PartitionHost ----------------------------------------------------------------------

  route(command: OutboundCommand): void {
    let target: PartitionHandle;
    try {
      target = this.directory.handle(command.partitionId);
    } catch {
      // Re-sent later: the sender keeps it as unanswered until the target answers.
      this.logger.debug({ partition: command.partitionId }, 'no route to a partition for a cross-partition command');
      return;
    }
    target.deliver({ valueType: command.valueType, intent: command.intent, key: command.key, value: command.value });
  }

  jobsAvailable(_partitionId: number, type: string): void {
    this.jobs.jobsAvailable(type);
  }

  /** Waiting workers take jobs in the batch that creates them (Partition.activateInBatch). */
  jobsCreated(_partitionId: number, type: string): void {
    this.jobs.jobsAvailable(type);
  }

  /** Partition 1's leader runs batch operation items through this node (see batch-operations.ts). */
  runBatchItem(batch: BatchOperationRow, itemKey: bigint): Promise<void> {
    return runBatchItem(this, batch, itemKey);
  }

  // ---- routing ------------------------------------------------------------------------------

  private partition(id: number): PartitionHandle {
    return this.directory.handle(id);
  }

  /** The partition that owns a key; an impossible partition means the key cannot exist. */
  private owner(key: bigint, what: string): PartitionHandle {
    const id = partitionOfKey(key);
    if (id < 1 || id > this.partitionCount) {
      throw new ZenError('NOT_FOUND', `Expected to find ${what} with key '${key}', but no such ${what} was found`);
    }
    return this.partition(id);
  }

  private async send(partition: PartitionHandle, command: Omit<EngineCommand, 'requestId'>): Promise<{ key: bigint; value: unknown }> {
    return unwrap(await this.retryOnNewLeader(partition, (p) => p.submit(command)));
  }

  /**
   * A local leader that loses its leadership answers NOT_LEADER for commands it certainly did
   * not commit; the partition's handle now points at the new leader, so try there once.
   */
  private async retryOnNewLeader(
    partition: PartitionHandle,
    attempt: (p: PartitionHandle) => Promise<CommandResponse>,
  ): Promise<CommandResponse> {
    const response = await attempt(partition);
    if (response.ok || response.rejectionType !== 'NOT_LEADER') return response;
    const current = this.directory.handle(partition.id);
    return current === partition ? response : attempt(current);
  }

  /**
   * New instances go to a partition this node leads while it keeps up — no hop over the private
   * port, which costs more CPU than creating the instance — and round-robin over all partitions
   * that can take them otherwise. With clients spread over the nodes (as behind a load
   * balancer) that spreads instances as round-robin would; a client that sends everything to
   * one node fills that node's partitions until their queues grow, then the others'.
   */
  private nextPartition(): PartitionHandle {
    const all = this.directory.all();
    for (let i = 0; i < all.length; i++) {
      const candidate = all[this.localRobin++ % all.length]!;
      if (candidate.isReady && candidate.localBacklog !== undefined && candidate.localBacklog < LOCAL_PREFERENCE_BACKLOG) return candidate;
    }
    for (let i = 0; i < all.length; i++) {
      const candidate = all[this.roundRobin++ % all.length]!;
      if (candidate.isReady) return candidate;
    }
    throw new ZenError('UNAVAILABLE', 'No partition can take new process instances right now (no leader is ready)');
  }

  // ---- tenants -----------------------------------------------------------------------------

  /**
   * The node's API as `caller` may use it: the operations that name or show tenants check them
   * against the caller's (the transports ask for this view per call, with the principal
   * authentication attached to it). The node's own methods, called without a caller, act for
   * the node itself: every tenant.
   */
  forCaller(caller: Principal): ZenApi {
    const scoped: Partial<ZenApi> = {
      deploy: (req) => this.deploy(req, caller),
      createProcessInstance: (req) => this.createProcessInstance(req, caller),
      createProcessInstanceWithResult: (req) => this.createProcessInstanceWithResult(req, caller),
      activateJobs: (req, signal) => this.activateJobs(req, signal, caller),
      openJobStream: (req, sink) => this.openJobStream(req, sink, caller),
      publishMessage: (req) => this.publishMessage(req, caller),
      correlateMessage: (req) => this.correlateMessage(req, caller),
      broadcastSignal: (req) => this.broadcastSignal(req, caller),
      evaluateConditionals: (req) => this.evaluateConditionals(req, caller),
      evaluateDecision: (req) => this.evaluateDecision(req, caller),
      getUserTask: (key) => this.getUserTask(key, caller),
      getUserTaskForm: (key) => this.getUserTaskForm(key, caller),
      searchHistory: (resource, request) => this.searchHistory(resource, request, caller),
      getProcessInstance: (key) => this.getProcessInstance(key, caller),
      createBatchOperation: (req) => this.createBatchOperation(req, caller),
      // By key: the engine finds another tenant's entity not found (the command's authorized tenants).
      cancelProcessInstance: (key) => this.cancelProcessInstance(key, caller),
      completeJob: (key, variables, result) => this.completeJob(key, variables, result, caller),
      failJob: (req) => this.failJob(req, caller),
      throwError: (req) => this.throwError(req, caller),
      updateJobRetries: (key, retries) => this.updateJobRetries(key, retries, caller),
      updateJobTimeout: (key, timeoutMs) => this.updateJobTimeout(key, timeoutMs, caller),
      setVariables: (req) => this.setVariables(req, caller),
      resolveIncident: (key) => this.resolveIncident(key, caller),
      modifyProcessInstance: (req) => this.modifyProcessInstance(req, caller),
      migrateProcessInstance: (req) => this.migrateProcessInstance(req, caller),
      deleteResource: (key) => this.deleteResource(key, caller),
      activateAdHocActivities: (req) => this.activateAdHocActivities(req, caller),
      assignUserTask: (req) => this.assignUserTask(req, caller),
      completeUserTask: (req) => this.completeUserTask(req, caller),
      updateUserTask: (req) => this.updateUserTask(req, caller),
      // Diagram reads by key: another tenant's definition or instance is not found.
      processDefinitionStatistics: (key, filter) => this.processDefinitionStatistics(key, filter, caller),
      processInstanceStatistics: (key) => this.processInstanceStatistics(key, caller),
      processInstanceSequenceFlows: (key) => this.processInstanceSequenceFlows(key, caller),
      processInstanceCallHierarchy: (key) => this.processInstanceCallHierarchy(key, caller),
      processDefinitionXml: (key) => this.processDefinitionXml(key, caller),
    };
    return new Proxy(this, {
      get(node, property) {
        if (Object.hasOwn(scoped, property)) return scoped[property as keyof ZenApi];
        const value = Reflect.get(node, property, node) as unknown;
        return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(node) : value;
      },
    }) as ZenApi;
  }

  /** The tenants the caller may use; 'all' without multi-tenancy or without a caller (the node itself). */
  private allowedTenants(caller: Principal | undefined): readonly string[] | 'all' {
    return this.multiTenancy && caller !== undefined ? this.tenantAccess.allowedTenants(caller) : 'all';
  }

  /** Refuses a request naming a tenant the caller may not use (FORBIDDEN, naming it). */
  private requireTenants(operation: string, tenantIds: readonly string[], caller: Principal | undefined): void {
    const refused = firstRefusedTenant(this.allowedTenants(caller), tenantIds);
    if (refused !== null) throw tenantForbidden(operation, refused);
  }

  /**
   * What a command by key carries of its caller: the tenants it may use, for the engine to find
   * another tenant's entity not found (Zeebe's authorized tenants). Nothing when every tenant is
   * allowed, so commands of a node without multi-tenancy are exactly as before.
   */
  private authorizedBy(caller: Principal | undefined): { authorizedTenants?: readonly string[] } {
    const allowed = this.allowedTenants(caller);
    return allowed === 'all' ? {} : { authorizedTenants: [...allowed] };
  }

  /** Whether the caller may see something of this tenant (reads by key: another tenant's is not found). */
  private maySee(tenantId: string, caller: Principal | undefined): boolean {
    return firstRefusedTenant(this.allowedTenants(caller), [tenantId]) === null;
  }

  // ---- ZenApi ------------------------------------------------------------------------------

  async topology(): Promise<Topology> {
    return this.directory.topology();
  }

  async deploy(req: DeployRequest, caller?: Principal): Promise<DeployResult> {
    this.requireTenants('DeployResource', [req.tenantId], caller);
    const value: DeploymentValue = {
      resources: req.resources.map((r) => ({ resourceName: r.name, resource: resourceText(r.name, r.content) })),
      processesMetadata: [],
      tenantId: req.tenantId,
    };
    const { key, value: deployed } = await this.send(this.partition(1), {
      valueType: 'DEPLOYMENT',
      intent: 'CREATE',
      key: -1n,
      value,
    });
    const { processesMetadata, formMetadata, decisionsMetadata, decisionRequirementsMetadata, tenantId } = deployed as DeploymentValue;
    return {
      key,
      tenantId,
      processes: processesMetadata.map((m) => ({
        bpmnProcessId: m.bpmnProcessId,
        version: m.version,
        processDefinitionKey: m.processDefinitionKey,
        resourceName: m.resourceName,
        tenantId: m.tenantId,
      })),
      forms: (formMetadata ?? []).map((m) => ({
        formId: m.formId,
        version: m.version,
        formKey: m.formKey,
        resourceName: m.resourceName,
        tenantId: m.tenantId,
      })),
      decisionRequirements: (decisionRequirementsMetadata ?? []).map((m) => ({
        decisionRequirementsId: m.decisionRequirementsId,
        decisionRequirementsName: m.decisionRequirementsName,
        version: m.decisionRequirementsVersion,
        decisionRequirementsKey: m.decisionRequirementsKey,
        resourceName: m.resourceName,
        tenantId: m.tenantId,
      })),
      decisions: (decisionsMetadata ?? []).map((m) => ({
        decisionId: m.decisionId,
        decisionName: m.decisionName,
        version: m.version,
        decisionKey: m.decisionKey,
        decisionRequirementsId: m.decisionRequirementsId,
        decisionRequirementsKey: m.decisionRequirementsKey,
        tenantId: m.tenantId,
      })),
    };
  }

  private creationValue(req: CreateInstanceRequest, fetchVariables: readonly string[] = []): ProcessInstanceCreationValue {
    return {
      bpmnProcessId: req.bpmnProcessId ?? '',
      processDefinitionKey: req.processDefinitionKey ?? -1n,
      version: req.version,
      variables: req.variables,
      processInstanceKey: -1n,
      fetchVariables: [...fetchVariables],
      tenantId: req.tenantId,
      ...(req.startInstructions && req.startInstructions.length > 0 ? { startInstructions: req.startInstructions.map((elementId) => ({ elementId })) } : {}),
    };
  }

  /**
   * Deployments reach other partitions asynchronously; right after a deploy a partition may
   * not know the process yet, while partition 1 (which deployed it) always does.
   */
  private async withDeployFallback(
    partition: PartitionHandle,
    attempt: (p: PartitionHandle) => Promise<CommandResponse>,
  ): Promise<CommandResponse> {
    const response = await attempt(partition);
    if (response.ok || response.rejectionType !== 'NOT_FOUND' || partition.id === 1) return response;
    return attempt(this.partition(1));
  }

  async createProcessInstance(req: CreateInstanceRequest, caller?: Principal): Promise<CreateInstanceResult> {
    this.requireTenants('CreateProcessInstance', [req.tenantId], caller);
    const command = { valueType: 'PROCESS_INSTANCE_CREATION' as const, intent: 'CREATE', key: -1n, value: this.creationValue(req) };
    const response = await this.withDeployFallback(this.nextPartition(), (p) => this.retryOnNewLeader(p, (h) => h.submit(command)));
    return unwrap(response).value as CreateInstanceResult;
  }

  async createProcessInstanceWithResult(req: CreateInstanceWithResultRequest, caller?: Principal): Promise<CreateInstanceWithResultResult> {
    this.requireTenants('CreateProcessInstanceWithResult', [req.tenantId], caller);
    const command = {
      valueType: 'PROCESS_INSTANCE_CREATION' as const,
      intent: 'CREATE_WITH_AWAITING_RESULT',
      key: -1n,
      value: this.creationValue(req, req.fetchVariables),
    };
    const response = await this.withDeployFallback(this.nextPartition(), (p) =>
      this.retryOnNewLeader(p, (h) => h.submitAwaiting(command, req.requestTimeoutMs)),
    );
    return unwrap(response).value as CreateInstanceWithResultResult;
  }

  async cancelProcessInstance(processInstanceKey: bigint, caller?: Principal): Promise<void> {
    await this.send(this.owner(processInstanceKey, 'process instance'), {
      valueType: 'PROCESS_INSTANCE',
      intent: 'CANCEL',
      key: processInstanceKey,
      value: {},
      ...this.authorizedBy(caller),
    });
  }

  activateJobs(req: ActivateJobsRequest, signal: AbortSignal, caller?: Principal): Promise<ActivatedJob[]> {
    try {
      this.requireJobTenants(req.tenantIds, caller);
    } catch (err) {
      return Promise.reject(err);
    }
    return this.jobs.activate(req, signal);
  }

  /** A worker naming a tenant it may not use is refused as a whole, as Zeebe refuses the job batch. */
  private requireJobTenants(tenantIds: readonly string[], caller: Principal | undefined): void {
    const allowed = this.allowedTenants(caller);
    if (firstRefusedTenant(allowed, tenantIds) !== null) throw jobTenantsForbidden(tenantIds, allowed as readonly string[]);
  }

  yieldJobs(jobKeys: readonly bigint[]): void {
    this.jobs.yieldJobs(jobKeys.map((key) => ({ key })));
  }

  openJobStream(req: JobStreamRequest, sink: JobStreamSink, caller?: Principal): JobStreamHandle {
    this.requireJobTenants(req.tenantIds, caller);
    return this.jobs.openStream(req, sink);
  }

  private async jobCommand(jobKey: bigint, intent: string, value: Record<string, unknown>, caller: Principal | undefined): Promise<void> {
    await this.send(this.owner(jobKey, 'job'), { valueType: 'JOB', intent, key: jobKey, value, ...this.authorizedBy(caller) });
  }

  completeJob(jobKey: bigint, variables: Variables, result?: JobResult, caller?: Principal): Promise<void> {
    if (!result) return this.jobCommand(jobKey, 'COMPLETE', { variables }, caller);
    const { candidateGroups, candidateUsers, ...rest } = result.corrections;
    const corrections: UserTaskCorrections = {
      ...rest,
      ...(candidateGroups !== undefined ? { candidateGroupsList: [...candidateGroups] } : {}),
      ...(candidateUsers !== undefined ? { candidateUsersList: [...candidateUsers] } : {}),
    };
    return this.jobCommand(jobKey, 'COMPLETE', { variables, result: { denied: result.denied, deniedReason: result.deniedReason, corrections } }, caller);
  }

  failJob(req: FailJobRequest, caller?: Principal): Promise<void> {
    const value = { retries: req.retries, errorMessage: req.errorMessage, retryBackoff: req.retryBackOffMs, variables: req.variables };
    return this.jobCommand(req.jobKey, 'FAIL', value, caller);
  }

  throwError(req: ThrowErrorRequest, caller?: Principal): Promise<void> {
    return this.jobCommand(req.jobKey, 'THROW_ERROR', { errorCode: req.errorCode, errorMessage: req.errorMessage, variables: req.variables }, caller);
  }

  updateJobRetries(jobKey: bigint, retries: number, caller?: Principal): Promise<void> {
    return this.jobCommand(jobKey, 'UPDATE_RETRIES', { retries }, caller);
  }

  updateJobTimeout(jobKey: bigint, timeoutMs: number, caller?: Principal): Promise<void> {
    return this.jobCommand(jobKey, 'UPDATE_TIMEOUT', { timeout: timeoutMs }, caller);
  }

  async publishMessage(req: PublishMessageRequest, caller?: Principal): Promise<PublishMessageResult> {
    this.requireTenants('PublishMessage', [req.tenantId], caller);
    const value: MessageValue = {
      name: req.name,
      correlationKey: req.correlationKey,
      timeToLive: req.timeToLiveMs,
      messageId: req.messageId,
      variables: req.variables,
      deadline: -1,
      tenantId: req.tenantId,
    };
    const partition = this.partition(subscriptionPartition(req.correlationKey, this.partitionCount));
    const { key } = await this.send(partition, { valueType: 'MESSAGE', intent: 'PUBLISH', key: -1n, value });
    return { key, tenantId: req.tenantId };
  }

  async correlateMessage(req: CorrelateMessageRequest, caller?: Principal): Promise<CorrelateMessageResult> {
    this.requireTenants('CorrelateMessage', [req.tenantId], caller);
    const value = { name: req.name, correlationKey: req.correlationKey, variables: req.variables, tenantId: req.tenantId };
    // Answered by the message's partition: at once for a message start event, else once the
    // waiting instance's partition confirmed the message.
    const partition = this.partition(subscriptionPartition(req.correlationKey, this.partitionCount));
    const response = await this.retryOnNewLeader(partition, (p) =>
      p.submitAwaiting({ valueType: 'MESSAGE_CORRELATION', intent: 'CORRELATE', key: -1n, value }, req.requestTimeoutMs),
    );
    return unwrap(response).value as CorrelateMessageResult;
  }

  async broadcastSignal(req: BroadcastSignalRequest, caller?: Principal): Promise<BroadcastSignalResult> {
    this.requireTenants('BroadcastSignal', [req.tenantId], caller);
    const value: SignalValue = { signalName: req.signalName, variables: req.variables, tenantId: req.tenantId };
    // Any partition will do: it fires the signal and distributes it to the others. Partition 1
    // also holds the deployments, so signal start events see the latest versions there first.
    const { key } = await this.send(this.partition(1), { valueType: 'SIGNAL', intent: 'BROADCAST', key: -1n, value });
    return { key, tenantId: req.tenantId };
  }

  async evaluateConditionals(req: EvaluateConditionalsRequest, caller?: Principal): Promise<EvaluateConditionalsResult> {
    this.requireTenants('EvaluateConditionals', [req.tenantId], caller);
    const value: ConditionalEvaluationValue = {
      processDefinitionKey: req.processDefinitionKey ?? -1n,
      variables: req.variables,
      tenantId: req.tenantId,
      startedProcessInstances: [],
    };
    // Like signals: partition 1 holds the deployments first, so it sees the latest versions.
    const response = await this.send(this.partition(1), { valueType: 'CONDITIONAL_EVALUATION', intent: 'EVALUATE', key: -1n, value });
    const result = response.value as { processInstances: EvaluateConditionalsResult['processInstances'] };
    return { key: response.key, tenantId: req.tenantId, processInstances: result.processInstances };
  }

  async evaluateDecision(req: EvaluateDecisionRequest, caller?: Principal): Promise<EvaluateDecisionResult> {
    this.requireTenants('EvaluateDecision', [req.tenantId], caller);
    const value: DecisionEvaluationCommand = { decisionKey: req.decisionKey ?? -1n, decisionId: req.decisionId ?? '', variables: req.variables, tenantId: req.tenantId };
    // Partition 1 deployed the decisions, so it knows every version first.
    const response = await this.send(this.partition(1), { valueType: 'DECISION_EVALUATION', intent: 'EVALUATE', key: -1n, value });
    return { key: response.key, evaluation: response.value as DecisionEvaluationValue };
  }

  async setVariables(req: SetVariablesRequest, caller?: Principal): Promise<bigint> {
    const value: VariableDocumentValue = {
      scopeKey: req.elementInstanceKey,
      updateSemantics: req.local ? 'LOCAL' : 'PROPAGATE',
      variables: req.variables,
      tenantId: DEFAULT_TENANT,
    };
    const { key } = await this.send(this.owner(req.elementInstanceKey, 'element instance'), {
      valueType: 'VARIABLE_DOCUMENT',
      intent: 'UPDATE',
      key: -1n,
      value,
      ...this.authorizedBy(caller),
    });
    return key;
  }

  async resolveIncident(incidentKey: bigint, caller?: Principal): Promise<void> {
    await this.send(this.owner(incidentKey, 'incident'), { valueType: 'INCIDENT', intent: 'RESOLVE', key: incidentKey, value: {}, ...this.authorizedBy(caller) });
  }

  async modifyProcessInstance(req: ModifyInstanceRequest, caller?: Principal): Promise<void> {
    const value: ProcessInstanceModificationValue = {
      processInstanceKey: req.processInstanceKey,
      activateInstructions: req.activateInstructions.map((a) => ({
        elementId: a.elementId,
        ancestorScopeKey: a.ancestorElementInstanceKey ?? -1n,
        variableInstructions: a.variableInstructions.map((v) => ({ elementId: v.scopeId, variables: v.variables })),
        ancestorScopeKeys: [],
      })),
      terminateInstructions: req.terminateInstructions.map((elementInstanceKey) => ({ elementInstanceKey })),
      ancestorScopeKeys: [],
      tenantId: DEFAULT_TENANT,
    };
    await this.send(this.owner(req.processInstanceKey, 'process instance'), {
      valueType: 'PROCESS_INSTANCE_MODIFICATION',
      intent: 'MODIFY',
      key: req.processInstanceKey,
      value,
      ...this.authorizedBy(caller),
    });
  }

  async migrateProcessInstance(req: MigrateInstanceRequest, caller?: Principal): Promise<void> {
    const value: ProcessInstanceMigrationValue = {
      processInstanceKey: req.processInstanceKey,
      targetProcessDefinitionKey: req.targetProcessDefinitionKey,
      mappingInstructions: req.mappingInstructions.map((m) => ({ sourceElementId: m.sourceElementId, targetElementId: m.targetElementId })),
      tenantId: DEFAULT_TENANT,
    };
    await this.send(this.owner(req.processInstanceKey, 'process instance'), {
      valueType: 'PROCESS_INSTANCE_MIGRATION',
      intent: 'MIGRATE',
      key: req.processInstanceKey,
      value,
      ...this.authorizedBy(caller),
    });
  }

  async deleteResource(resourceKey: bigint, caller?: Principal): Promise<void> {
    const value: ResourceDeletionValue = { resourceKey, tenantId: DEFAULT_TENANT };
    // Partition 1 holds every deployment first; it distributes the deletion to the others.
    await this.send(this.partition(1), { valueType: 'RESOURCE_DELETION', intent: 'DELETE', key: -1n, value, ...this.authorizedBy(caller) });
  }

  async pinClock(time: number): Promise<void> {
    // Partition 1 distributes clock changes to the others, as it does deployments.
    await this.send(this.partition(1), { valueType: 'CLOCK', intent: 'PIN', key: -1n, value: { time } satisfies ClockValue });
  }

  async createBatchOperation(req: CreateBatchOperationRequest, caller?: Principal): Promise<{ batchOperationKey: bigint; batchOperationType: string }> {
    // The items are those the caller can see: another tenant's instances are not among them.
    const itemKeys = await collectItems(caller ? this.forCaller(caller) : this, req);
    const { key } = await this.send(this.partition(1), { valueType: 'BATCH_OPERATION', intent: 'CREATE', key: -1n, value: creationValue(req, itemKeys) });
    return { batchOperationKey: key, batchOperationType: req.batchOperationType };
  }

  async changeBatchOperation(batchOperationKey: bigint, intent: 'CANCEL' | 'SUSPEND' | 'RESUME'): Promise<void> {
    // Every batch operation lives on partition 1: a key of another partition names none.
    if (partitionOfKey(batchOperationKey) !== 1) {
      throw new ZenError('NOT_FOUND', `Expected to find a batch operation with key '${batchOperationKey}', but none was found`);
    }
    await this.send(this.partition(1), { valueType: 'BATCH_OPERATION', intent, key: batchOperationKey, value: {} });
  }

  // ---- users (docs/adr/012): kept on partition 1, read from a replica of it --------------------

  async submitUserCommand(intent: UserIntent, value: UserValue): Promise<UserCommandResult> {
    const { value: result } = await this.send(this.partition(1), { valueType: 'USER', intent, key: -1n, value });
    return result as UserCommandResult;
  }

  async submitAuthorizationCommand(intent: AuthorizationIntent, value: AuthorizationValue): Promise<AuthorizationCommandResult> {
    const { value: result } = await this.send(this.partition(1), { valueType: 'AUTHORIZATION', intent, key: -1n, value });
    return result as AuthorizationCommandResult;
  }

  async submitMembershipCommand(valueType: MembershipValueType, intent: string, value: object): Promise<unknown> {
    const { value: result } = await this.send(this.partition(1), { valueType, intent, key: -1n, value });
    return result;
  }

  async submitTenantCommand(intent: TenantIntent, value: TenantValue): Promise<TenantCommandResult> {
    const { value: result } = await this.send(this.partition(1), { valueType: 'TENANT', intent, key: -1n, value });
    return result as TenantCommandResult;
  }

  async readUsers(since: number): Promise<UsersView> {
    const answer = await this.directory.read(1, { kind: 'users', since });
    return answer.value as UsersView;
  }

  async resetClock(): Promise<void> {
    await this.send(this.partition(1), { valueType: 'CLOCK', intent: 'RESET', key: -1n, value: { time: 0 } satisfies ClockValue });
  }

  async activateAdHocActivities(req: ActivateAdHocActivitiesRequest, caller?: Principal): Promise<void> {
    const key = req.adHocSubProcessInstanceKey;
    const value: AdHocSubProcessInstructionValue = {
      adHocSubProcessInstanceKey: key,
      activateElements: req.elements.map((e) => ({ elementId: e.elementId, variables: e.variables })),
      cancelRemainingInstances: req.cancelRemainingInstances,
      tenantId: DEFAULT_TENANT,
    };
    await this.send(this.owner(key, 'ad-hoc sub-process instance'), { valueType: 'AD_HOC_SUB_PROCESS_INSTRUCTION', intent: 'ACTIVATE', key, value, ...this.authorizedBy(caller) });
  }

  /** A user task command answers when its transition is done: after the task listeners of its event. */
  private async userTaskCommand(userTaskKey: bigint, intent: string, value: UserTaskCommandValue, timeoutMs: number, caller: Principal | undefined): Promise<void> {
    const partition = this.owner(userTaskKey, 'user task');
    const command = { valueType: 'USER_TASK' as const, intent, key: userTaskKey, value, ...this.authorizedBy(caller) };
    unwrap(await this.retryOnNewLeader(partition, (p) => p.submitAwaiting(command, timeoutMs)));
  }

  assignUserTask(req: AssignUserTaskRequest, caller?: Principal): Promise<void> {
    // Camunda's gateway: allowOverride=false is a CLAIM; an empty assignee unassigns.
    const intent = req.allowOverride || req.assignee === '' ? 'ASSIGN' : 'CLAIM';
    const action = req.action !== '' ? req.action : req.assignee === '' ? 'unassign' : '';
    return this.userTaskCommand(req.userTaskKey, intent, { assignee: req.assignee, action }, req.requestTimeoutMs, caller);
  }

  completeUserTask(req: CompleteUserTaskRequest, caller?: Principal): Promise<void> {
    return this.userTaskCommand(req.userTaskKey, 'COMPLETE', { variables: req.variables, action: req.action }, req.requestTimeoutMs, caller);
  }

  updateUserTask(req: UpdateUserTaskRequest, caller?: Principal): Promise<void> {
    const { candidateGroups, candidateUsers, ...rest } = req.changes;
    const changeset: UserTaskCorrections = {
      ...rest,
      ...(candidateGroups !== undefined ? { candidateGroupsList: [...candidateGroups] } : {}),
      ...(candidateUsers !== undefined ? { candidateUsersList: [...candidateUsers] } : {}),
    };
    return this.userTaskCommand(req.userTaskKey, 'UPDATE', { changeset, action: req.action }, req.requestTimeoutMs, caller);
  }

  private userTaskNotFound(userTaskKey: bigint): ZenError {
    return new ZenError(
      'NOT_FOUND',
      `Expected to find an active user task with key '${userTaskKey}', but none was found (completed and canceled user tasks are not kept)`,
    );
  }

  async getUserTask(userTaskKey: bigint, caller?: Principal): Promise<ReadAnswer<UserTaskView>> {
    const partitionId = partitionOfKey(userTaskKey);
    if (partitionId < 1 || partitionId > this.partitionCount) throw this.userTaskNotFound(userTaskKey);
    const answer = await this.directory.read(partitionId, { kind: 'userTask', key: userTaskKey });
    if (!answer.value || !this.maySee((answer.value as UserTaskView).tenantId, caller)) throw this.userTaskNotFound(userTaskKey);
    return { value: answer.value as UserTaskView, servedBy: answer.servedBy };
  }

  async getUserTaskForm(userTaskKey: bigint, caller?: Principal): Promise<ReadAnswer<FormView | null>> {
    const partitionId = partitionOfKey(userTaskKey);
    if (partitionId < 1 || partitionId > this.partitionCount) throw this.userTaskNotFound(userTaskKey);
    const answer = await this.directory.read(partitionId, { kind: 'userTaskForm', key: userTaskKey });
    // The form is of the task's tenant.
    const form = (answer.value as UserTaskFormView | null)?.form;
    if (!answer.value || (form && !this.maySee(form.tenantId, caller))) throw this.userTaskNotFound(userTaskKey);
    return { value: (answer.value as UserTaskFormView).form, servedBy: answer.servedBy };
  }

  async searchHistory(resource: ResourceName, request: HistorySearchRequest, caller?: Principal): Promise<HistorySearchAnswer> {
    // Other tenants' rows are not there for the caller.
    const allowed = this.allowedTenants(caller);
    const filter = allowed === 'all' ? request.filter : withinTenants(RESOURCES[resource], request.filter, allowed);
    // Checked here, so a bad search is a 400 and not a partition's failure.
    compileFilter(RESOURCES[resource], filter);
    const sort = fullSort(resource, request.sort);
    const search = partitionSearch({ resource, filter, sort: request.sort }, request.page);
    // Every partition holds every definition: one answers for all.
    const partitionIds = resource === 'processDefinitions' || RESOURCES[resource].onEveryPartition ? [1] : Array.from({ length: this.partitionCount }, (_, i) => i + 1);
    const answers = await Promise.all(
      partitionIds.map(async (partitionId) => {
        try {
          const answer = await this.directory.read(partitionId, { kind: 'history', search, ...(request.fresh ? { fresh: true } : {}) });
          return { page: answer.value as PartitionPage, servedBy: { ...answer.servedBy, partitionId } };
        } catch (err) {
          // Never a silently partial answer: the whole search fails, naming the partition.
          throw new ZenError('UNAVAILABLE', `Partition ${partitionId} could not answer the ${RESOURCES[resource].name} search: ${(err as Error).message}`);
        }
      }),
    );
    return { ...mergePages(answers.map((a) => a.page), sort, request.page), servedBy: answers.map((a) => a.servedBy) };
  }

  async getProcessInstance(processInstanceKey: bigint, caller?: Principal): Promise<ReadAnswer<ProcessInstanceView>> {
    const notFound = () =>
      new ZenError(
        'NOT_FOUND',
        `Expected to find an active process instance with key '${processInstanceKey}', but none was found`,
      );
    const partitionId = partitionOfKey(processInstanceKey);
    if (partitionId < 1 || partitionId > this.partitionCount) throw notFound();
    const answer = await this.directory.read(partitionId, { kind: 'processInstance', key: processInstanceKey });
    if (!answer.value || !this.maySee((answer.value as ProcessInstanceView).tenantId, caller)) throw notFound();
    const view = answer.value as ProcessInstanceView;
    const hasIncident = view.hasIncident || (await this.remoteIncident(view.remoteCalledInstances, new Set([processInstanceKey])));
    return { value: hasIncident === view.hasIncident ? view : { ...view, hasIncident }, servedBy: answer.servedBy };
  }

  /**
   * Whether a called instance on another partition (or one it called) has an incident: a caller
   * shows its callees' incidents, wherever they run. A callee that cannot be read right now (or
   * has just ended) counts as without one.
   */
  private async remoteIncident(keys: readonly bigint[], seen: Set<bigint>): Promise<boolean> {
    for (const key of keys) {
      if (seen.has(key) || seen.size > MAX_CALLED_INSTANCES_READ) continue;
      seen.add(key);
      const partitionId = partitionOfKey(key);
      if (partitionId < 1 || partitionId > this.partitionCount) continue;
      const answer = await this.directory.read(partitionId, { kind: 'processInstance', key }).catch(() => null);
      const called = answer?.value as ProcessInstanceView | null | undefined;
      if (!called) continue;
      if (called.hasIncident || (await this.remoteIncident(called.remoteCalledInstances, seen))) return true;
    }
    return false;
  }

  processDefinitionStatistics(processDefinitionKey: bigint, filter: unknown, caller?: Principal): Promise<HistoryListAnswer<ElementStatistics>> {
    return this.diagrams.processDefinitionStatistics(processDefinitionKey, filter, this.allowedTenants(caller));
  }

  processInstanceStatistics(processInstanceKey: bigint, caller?: Principal): Promise<HistoryListAnswer<ElementStatistics>> {
    return this.diagrams.processInstanceStatistics(processInstanceKey, this.allowedTenants(caller));
  }

  processInstanceSequenceFlows(processInstanceKey: bigint, caller?: Principal): Promise<HistoryListAnswer<SequenceFlowItem>> {
    return this.diagrams.processInstanceSequenceFlows(processInstanceKey, this.allowedTenants(caller));
  }

  processInstanceCallHierarchy(processInstanceKey: bigint, caller?: Principal): Promise<HistoryListAnswer<CallHierarchyEntry>> {
    return this.diagrams.processInstanceCallHierarchy(processInstanceKey, this.allowedTenants(caller));
  }

  processDefinitionXml(processDefinitionKey: bigint, caller?: Principal): Promise<ReadAnswer<string>> {
    return this.diagrams.processDefinitionXml(processDefinitionKey, this.allowedTenants(caller));
  }
}
