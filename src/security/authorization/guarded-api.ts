/**
 * A node's ZenApi as one caller may use it (`--authorizations`): every operation checks its
 * permission first, as Camunda 8.8 maps them (docs/adr/013 has the table):
 *
 * - a process's instances: PROCESS_DEFINITION with the process id (bpmnProcessId) as resource id;
 *   CREATE_PROCESS_INSTANCE to start one, UPDATE_PROCESS_INSTANCE to change one (cancel, modify,
 *   migrate, variables, incidents, its jobs), READ_PROCESS_INSTANCE to read one, READ_USER_TASK /
 *   UPDATE_USER_TASK for its user tasks, READ_PROCESS_DEFINITION for the definition;
 * - deployments RESOURCE CREATE, deletion RESOURCE DELETE_RESOURCE; messages MESSAGE CREATE;
 *   decisions DECISION_DEFINITION CREATE_DECISION_INSTANCE / READ_*; the clock SYSTEM UPDATE;
 *   batch operations BATCH CREATE_BATCH_OPERATION_<type> / UPDATE / READ;
 * - searches are narrowed to the ids the caller may read (no narrowing when it may read all);
 *   a resource without a process or decision id to narrow by needs `*`, unless its filter pins one
 *   instance, user task or decision (`processInstanceKey`, `userTaskKey`, `decisionDefinitionKey`):
 *   then that one's process or decision id decides.
 *
 * Where a key names the resource, its process id is looked up first (the running instance, else
 * the history); when it cannot be found only `*` will do. Job activation hands out only jobs of
 * processes the worker may update.
 */
import type {
  ActivateAdHocActivitiesRequest,
  ActivateJobsRequest,
  ActivatedJob,
  AssignUserTaskRequest,
  BroadcastSignalRequest,
  CompleteUserTaskRequest,
  CorrelateMessageRequest,
  CreateBatchOperationRequest,
  CreateInstanceRequest,
  CreateInstanceWithResultRequest,
  DeployRequest,
  EvaluateConditionalsRequest,
  EvaluateDecisionRequest,
  FailJobRequest,
  HistorySearchAnswer,
  HistorySearchRequest,
  JobResult,
  JobStreamHandle,
  JobStreamRequest,
  JobStreamSink,
  MigrateInstanceRequest,
  ModifyInstanceRequest,
  PublishMessageRequest,
  SetVariablesRequest,
  ThrowErrorRequest,
  UpdateUserTaskRequest,
  Variables,
  ZenApi,
} from '../../node/api.js';
import { RESOURCES, type ResourceName } from '../../history/search/resources.js';
import type { Principal } from '../../node/principal.js';
import type { Access } from './access.js';
import { WILDCARD } from '../../engine/identity/authorization-rules.js';

type SearchRule = { readonly type: string; readonly permission: string; readonly field: string };

const PROCESS = 'PROCESS_DEFINITION';
const DECISION = 'DECISION_DEFINITION';
const readInstances: SearchRule = { type: PROCESS, permission: 'READ_PROCESS_INSTANCE', field: 'processDefinitionId' };

/** What each searchable resource needs, and the filter field its resource ids are in. */
export const SEARCH_RULES: Readonly<Record<ResourceName, SearchRule>> = {
  processInstances: readInstances,
  elementInstances: readInstances,
  elementInstanceScopes: readInstances,
  variables: readInstances,
  incidents: readInstances,
  jobs: readInstances,
  messageSubscriptions: readInstances,
  correlatedMessages: readInstances,
  processDefinitions: { type: PROCESS, permission: 'READ_PROCESS_DEFINITION', field: 'processDefinitionId' },
  userTasks: { type: PROCESS, permission: 'READ_USER_TASK', field: 'processDefinitionId' },
  userTaskVariables: { type: PROCESS, permission: 'READ_USER_TASK', field: 'processDefinitionId' },
  decisionDefinitions: { type: DECISION, permission: 'READ_DECISION_DEFINITION', field: 'decisionDefinitionId' },
  decisionXml: { type: DECISION, permission: 'READ_DECISION_DEFINITION', field: 'decisionDefinitionId' },
  decisionInstances: { type: DECISION, permission: 'READ_DECISION_INSTANCE', field: 'decisionDefinitionId' },
  decisionInstanceDetails: { type: DECISION, permission: 'READ_DECISION_INSTANCE', field: 'decisionDefinitionId' },
  decisionRequirements: { type: 'DECISION_REQUIREMENTS_DEFINITION', permission: 'READ', field: 'decisionRequirementsId' },
  batchOperations: { type: 'BATCH', permission: 'READ', field: '' },
  batchOperationItems: { type: 'BATCH', permission: 'READ', field: '' },
};

/**
 * A filter that also demands `field` be one of `allowed`: a condition object's operators are
 * ANDed, so `$in` joins what the caller asked for (an `$in` of theirs is intersected).
 */
export function narrowFilter(filter: unknown, field: string, allowed: ReadonlySet<string>): Record<string, unknown> {
  const base = filter !== null && typeof filter === 'object' && !Array.isArray(filter) ? { ...(filter as Record<string, unknown>) } : {};
  const ids = [...allowed];
  const own = base[field];
  if (own === undefined || own === null) {
    base[field] = { $in: ids };
  } else if (typeof own !== 'object' || Array.isArray(own)) {
    base[field] = { $eq: own, $in: ids };
  } else {
    const condition = { ...(own as Record<string, unknown>) };
    condition.$in = Array.isArray(condition.$in) ? condition.$in.filter((v) => allowed.has(v as string)) : ids;
    base[field] = condition;
  }
  return base;
}

/** A key a filter condition pins to one value (`"123"`, `123`, `{ $eq: "123" }`), else undefined. */
function exactKey(condition: unknown): bigint | undefined {
  const value = condition !== null && typeof condition === 'object' && !Array.isArray(condition) ? (condition as Record<string, unknown>).$eq : condition;
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  try {
    return BigInt(value);
  } catch {
    return undefined;
  }
}

const JOB_PROCESS_MEMORY = 50_000;

/** Which process a job belongs to, remembered from activations so completing it needs no lookup. */
export class JobProcesses {
  private readonly byKey = new Map<bigint, string>();

  remember(jobKey: bigint, bpmnProcessId: string): void {
    if (this.byKey.size >= JOB_PROCESS_MEMORY) this.byKey.delete(this.byKey.keys().next().value!);
    this.byKey.set(jobKey, bpmnProcessId);
  }

  get(jobKey: bigint): string | undefined {
    return this.byKey.get(jobKey);
  }
}

function waitUntil(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done);
  });
}

export class GuardedApi implements ZenApi {
  constructor(
    private readonly api: ZenApi,
    private readonly access: Access,
    private readonly principal: Principal,
    private readonly jobs: JobProcesses,
  ) {}

  private check(type: string, permission: string, ...ids: Array<string | undefined>): void {
    this.access.check(this.principal, type, permission, ids.filter((id): id is string => id !== undefined && id !== ''));
  }

  /** A history row's field for a key (fresh: sees every acknowledged write). */
  private async lookup(resource: ResourceName, keyField: string, key: bigint, field: string): Promise<string | undefined> {
    try {
      const answer = await this.api.searchHistory(resource, { filter: { [keyField]: String(key) }, sort: [], page: { limit: 1 }, fresh: true });
      const value = answer.items[0]?.[field];
      return typeof value === 'string' ? value : undefined;
    } catch {
      return undefined;
    }
  }

  private async processOfInstance(key: bigint): Promise<string | undefined> {
    try {
      return (await this.api.getProcessInstance(key)).value.bpmnProcessId;
    } catch {
      return this.lookup('processInstances', 'processInstanceKey', key, 'processDefinitionId');
    }
  }

  private async processOfUserTask(key: bigint): Promise<string | undefined> {
    try {
      return (await this.api.getUserTask(key)).value.bpmnProcessId;
    } catch {
      return this.lookup('userTasks', 'userTaskKey', key, 'processDefinitionId');
    }
  }

  private async processOfJob(key: bigint): Promise<string | undefined> {
    return this.jobs.get(key) ?? this.lookup('jobs', 'jobKey', key, 'processDefinitionId');
  }

  private processOfDefinition(key: bigint): Promise<string | undefined> {
    return this.lookup('processDefinitions', 'processDefinitionKey', key, 'processDefinitionId');
  }

  private processOfElement(key: bigint): Promise<string | undefined> {
    return this.lookup('elementInstances', 'elementInstanceKey', key, 'processDefinitionId');
  }

  /**
   * The process of the one user task or instance an exact `userTaskKey` / `processInstanceKey`
   * filter names, or the decision id of the one `decisionDefinitionKey`.
   */
  private async idOfPinned(type: string, filter: unknown): Promise<string | undefined> {
    if (filter === null || typeof filter !== 'object' || Array.isArray(filter)) return undefined;
    const f = filter as Record<string, unknown>;
    if (type === DECISION) {
      const decision = exactKey(f.decisionDefinitionKey);
      return decision !== undefined ? this.lookup('decisionDefinitions', 'decisionDefinitionKey', decision, 'decisionDefinitionId') : undefined;
    }
    if (type !== PROCESS) return undefined;
    const userTask = exactKey(f.userTaskKey);
    if (userTask !== undefined) return this.processOfUserTask(userTask);
    const instance = exactKey(f.processInstanceKey);
    return instance !== undefined ? this.processOfInstance(instance) : undefined;
  }

  private async updateInstance(key: bigint): Promise<void> {
    this.check(PROCESS, 'UPDATE_PROCESS_INSTANCE', await this.processOfInstance(key));
  }

  private async updateJob(key: bigint): Promise<void> {
    this.check(PROCESS, 'UPDATE_PROCESS_INSTANCE', await this.processOfJob(key));
  }

  private mayUpdateJob(job: ActivatedJob, permitted: typeof WILDCARD | ReadonlySet<string>): boolean {
    return permitted === WILDCARD || permitted.has(job.bpmnProcessId);
  }

  topology() {
    return this.api.topology();
  }

  async searchHistory(resource: ResourceName, request: HistorySearchRequest): Promise<HistorySearchAnswer> {
    const rule = SEARCH_RULES[resource];
    const permitted = this.access.permitted(this.principal, rule.type, rule.permission);
    if (permitted === WILDCARD) return this.api.searchHistory(resource, request);
    if (rule.field === '' || !(rule.field in RESOURCES[resource].fields)) {
      // Nothing to narrow by; but a filter pinned to one instance, user task or decision (a
      // task's variables, an instance's, a decision's XML) reads only that one's rows: its
      // process or decision decides.
      this.check(rule.type, rule.permission, await this.idOfPinned(rule.type, request.filter));
      return this.api.searchHistory(resource, request);
    }
    return this.api.searchHistory(resource, { ...request, filter: narrowFilter(request.filter, rule.field, permitted) });
  }

  deploy(req: DeployRequest) {
    this.check('RESOURCE', 'CREATE');
    return this.api.deploy(req);
  }

  private async checkCreate(req: CreateInstanceRequest): Promise<void> {
    const id = req.bpmnProcessId ?? (req.processDefinitionKey !== null ? await this.processOfDefinition(req.processDefinitionKey) : undefined);
    this.check(PROCESS, 'CREATE_PROCESS_INSTANCE', id);
  }

  async createProcessInstance(req: CreateInstanceRequest) {
    await this.checkCreate(req);
    return this.api.createProcessInstance(req);
  }

  async createProcessInstanceWithResult(req: CreateInstanceWithResultRequest) {
    await this.checkCreate(req);
    return this.api.createProcessInstanceWithResult(req);
  }

  async cancelProcessInstance(processInstanceKey: bigint) {
    await this.updateInstance(processInstanceKey);
    return this.api.cancelProcessInstance(processInstanceKey);
  }

  async activateJobs(req: ActivateJobsRequest, signal: AbortSignal): Promise<ActivatedJob[]> {
    const permitted = this.access.permitted(this.principal, PROCESS, 'UPDATE_PROCESS_INSTANCE');
    if (permitted !== WILDCARD && permitted.size === 0) {
      // Nothing this worker may work on: hold the poll as an empty one would be held.
      await waitUntil(req.requestTimeoutMs, signal);
      return [];
    }
    const jobs = await this.api.activateJobs(req, signal);
    const mine = jobs.filter((job) => this.mayUpdateJob(job, permitted));
    const others = jobs.filter((job) => !this.mayUpdateJob(job, permitted));
    // Activated for nobody: back at once, for a worker that may take them.
    if (others.length > 0) this.api.yieldJobs(others.map((j) => j.key));
    for (const job of mine) this.jobs.remember(job.key, job.bpmnProcessId);
    return mine;
  }

  openJobStream(req: JobStreamRequest, sink: JobStreamSink): JobStreamHandle {
    const permitted = this.access.permitted(this.principal, PROCESS, 'UPDATE_PROCESS_INSTANCE');
    if (permitted !== WILDCARD && permitted.size === 0) return { close() {} };
    return this.api.openJobStream(req, {
      push: (job) => {
        if (!this.mayUpdateJob(job, permitted)) return false;
        this.jobs.remember(job.key, job.bpmnProcessId);
        return sink.push(job);
      },
      ...(sink.ready ? { ready: () => sink.ready!() } : {}),
    });
  }

  yieldJobs(jobKeys: readonly bigint[]) {
    this.api.yieldJobs(jobKeys);
  }

  async completeJob(jobKey: bigint, variables: Variables, result?: JobResult) {
    await this.updateJob(jobKey);
    return this.api.completeJob(jobKey, variables, result);
  }

  async failJob(req: FailJobRequest) {
    await this.updateJob(req.jobKey);
    return this.api.failJob(req);
  }

  async throwError(req: ThrowErrorRequest) {
    await this.updateJob(req.jobKey);
    return this.api.throwError(req);
  }

  async updateJobRetries(jobKey: bigint, retries: number) {
    await this.updateJob(jobKey);
    return this.api.updateJobRetries(jobKey, retries);
  }

  async updateJobTimeout(jobKey: bigint, timeoutMs: number) {
    await this.updateJob(jobKey);
    return this.api.updateJobTimeout(jobKey, timeoutMs);
  }

  publishMessage(req: PublishMessageRequest) {
    this.check('MESSAGE', 'CREATE');
    return this.api.publishMessage(req);
  }

  correlateMessage(req: CorrelateMessageRequest) {
    this.check('MESSAGE', 'CREATE');
    return this.api.correlateMessage(req);
  }

  broadcastSignal(req: BroadcastSignalRequest) {
    // A signal may start and reach instances of any process.
    this.check(PROCESS, 'UPDATE_PROCESS_INSTANCE');
    return this.api.broadcastSignal(req);
  }

  async evaluateConditionals(req: EvaluateConditionalsRequest) {
    this.check(PROCESS, 'CREATE_PROCESS_INSTANCE', req.processDefinitionKey !== null ? await this.processOfDefinition(req.processDefinitionKey) : undefined);
    return this.api.evaluateConditionals(req);
  }

  async evaluateDecision(req: EvaluateDecisionRequest) {
    const id = req.decisionId ?? (req.decisionKey !== null ? await this.lookup('decisionDefinitions', 'decisionDefinitionKey', req.decisionKey, 'decisionDefinitionId') : undefined);
    this.check(DECISION, 'CREATE_DECISION_INSTANCE', id ?? undefined);
    return this.api.evaluateDecision(req);
  }

  async setVariables(req: SetVariablesRequest) {
    this.check(PROCESS, 'UPDATE_PROCESS_INSTANCE', (await this.processOfElement(req.elementInstanceKey)) ?? (await this.processOfInstance(req.elementInstanceKey)));
    return this.api.setVariables(req);
  }

  async resolveIncident(incidentKey: bigint) {
    this.check(PROCESS, 'UPDATE_PROCESS_INSTANCE', await this.lookup('incidents', 'incidentKey', incidentKey, 'processDefinitionId'));
    return this.api.resolveIncident(incidentKey);
  }

  async modifyProcessInstance(req: ModifyInstanceRequest) {
    await this.updateInstance(req.processInstanceKey);
    return this.api.modifyProcessInstance(req);
  }

  async migrateProcessInstance(req: MigrateInstanceRequest) {
    await this.updateInstance(req.processInstanceKey);
    return this.api.migrateProcessInstance(req);
  }

  deleteResource(resourceKey: bigint) {
    this.check('RESOURCE', 'DELETE_RESOURCE');
    return this.api.deleteResource(resourceKey);
  }

  pinClock(time: number) {
    this.check('SYSTEM', 'UPDATE');
    return this.api.pinClock(time);
  }

  resetClock() {
    this.check('SYSTEM', 'UPDATE');
    return this.api.resetClock();
  }

  createBatchOperation(req: CreateBatchOperationRequest) {
    this.check('BATCH', `CREATE_BATCH_OPERATION_${req.batchOperationType}`);
    return this.api.createBatchOperation(req);
  }

  changeBatchOperation(batchOperationKey: bigint, intent: 'CANCEL' | 'SUSPEND' | 'RESUME') {
    this.check('BATCH', 'UPDATE');
    return this.api.changeBatchOperation(batchOperationKey, intent);
  }

  async activateAdHocActivities(req: ActivateAdHocActivitiesRequest) {
    this.check(PROCESS, 'UPDATE_PROCESS_INSTANCE', await this.processOfElement(req.adHocSubProcessInstanceKey));
    return this.api.activateAdHocActivities(req);
  }

  async getProcessInstance(processInstanceKey: bigint) {
    const answer = await this.api.getProcessInstance(processInstanceKey);
    this.check(PROCESS, 'READ_PROCESS_INSTANCE', answer.value.bpmnProcessId);
    return answer;
  }

  async assignUserTask(req: AssignUserTaskRequest) {
    this.check(PROCESS, 'UPDATE_USER_TASK', await this.processOfUserTask(req.userTaskKey));
    return this.api.assignUserTask(req);
  }

  async completeUserTask(req: CompleteUserTaskRequest) {
    this.check(PROCESS, 'UPDATE_USER_TASK', await this.processOfUserTask(req.userTaskKey));
    return this.api.completeUserTask(req);
  }

  async updateUserTask(req: UpdateUserTaskRequest) {
    this.check(PROCESS, 'UPDATE_USER_TASK', await this.processOfUserTask(req.userTaskKey));
    return this.api.updateUserTask(req);
  }

  async getUserTask(userTaskKey: bigint) {
    const answer = await this.api.getUserTask(userTaskKey);
    this.check(PROCESS, 'READ_USER_TASK', answer.value.bpmnProcessId);
    return answer;
  }

  async getUserTaskForm(userTaskKey: bigint) {
    this.check(PROCESS, 'READ_USER_TASK', await this.processOfUserTask(userTaskKey));
    return this.api.getUserTaskForm(userTaskKey);
  }

  async processDefinitionStatistics(processDefinitionKey: bigint, filter: unknown) {
    this.check(PROCESS, 'READ_PROCESS_INSTANCE', await this.processOfDefinition(processDefinitionKey));
    return this.api.processDefinitionStatistics(processDefinitionKey, filter);
  }

  async processInstanceStatistics(processInstanceKey: bigint) {
    this.check(PROCESS, 'READ_PROCESS_INSTANCE', await this.processOfInstance(processInstanceKey));
    return this.api.processInstanceStatistics(processInstanceKey);
  }

  async processInstanceSequenceFlows(processInstanceKey: bigint) {
    this.check(PROCESS, 'READ_PROCESS_INSTANCE', await this.processOfInstance(processInstanceKey));
    return this.api.processInstanceSequenceFlows(processInstanceKey);
  }

  async processInstanceCallHierarchy(processInstanceKey: bigint) {
    this.check(PROCESS, 'READ_PROCESS_INSTANCE', await this.processOfInstance(processInstanceKey));
    return this.api.processInstanceCallHierarchy(processInstanceKey);
  }

  async processDefinitionXml(processDefinitionKey: bigint) {
    this.check(PROCESS, 'READ_PROCESS_DEFINITION', await this.processOfDefinition(processDefinitionKey));
    return this.api.processDefinitionXml(processDefinitionKey);
  }
}
