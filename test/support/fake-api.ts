/**
 * An in-memory ZenApi for driving the public adapters (gRPC gateway, REST): records every call,
 * answers with fixed results whose keys lie above 2^53 (so any trip through a JS number shows),
 * and keeps a tiny job queue for long polling and job streams.
 */
import type { CreateBatchOperationRequest } from '../../src/node/api.js';
import type {
  HistorySearchAnswer,
  HistorySearchRequest,
  ActivateAdHocActivitiesRequest,
  BroadcastSignalRequest,
  BroadcastSignalResult,
  ActivatedJob,
  ActivateJobsRequest,
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
  AssignUserTaskRequest,
  CompleteUserTaskRequest,
  FormView,
  JobResult,
  UpdateUserTaskRequest,
  UserTaskView,
  ProcessInstanceView,
  ReadAnswer,
  JobStreamHandle,
  JobStreamRequest,
  JobStreamSink,
  MigrateInstanceRequest,
  ModifyInstanceRequest,
  PublishMessageRequest,
  CorrelateMessageRequest,
  CorrelateMessageResult,
  PublishMessageResult,
  SetVariablesRequest,
  ThrowErrorRequest,
  Topology,
  Variables,
  ZenApi,
} from '../../src/node/api.js';
import type { CallHierarchyEntry, HistoryListAnswer } from '../../src/node/api.js';
import type { ElementStatistics, SequenceFlowItem } from '../../src/history/statistics/aggregate.js';

/** 2^51 + n: partition 1's first keys in Zeebe's layout, all beyond Number.MAX_SAFE_INTEGER. */
export const KEYS = {
  deployment: 2251799813685249n,
  processDefinition: 2251799813685250n,
  processInstance: 2251799813685251n,
  job: 2251799813685253n,
  elementInstance: 2251799813685254n,
  message: 2251799813685255n,
  variableDocument: 2251799813685256n,
  incident: 2251799813685257n,
  signal: 2251799813685258n,
  conditionalEvaluation: 2251799813685259n,
  userTask: 2251799813685261n,
  form: 2251799813685262n,
} as const;

/** An int64 near the top of the range: exact only as a string or bigint. */
export const HUGE_KEY = 9223372036854775807n;

export const TOPOLOGY: Topology = {
  brokers: [
    {
      nodeId: 0,
      host: '127.0.0.1',
      port: 26501,
      version: '0.1.0',
      partitions: [
        { partitionId: 1, role: 'LEADER', health: 'HEALTHY' },
        { partitionId: 2, role: 'FOLLOWER', health: 'UNHEALTHY' },
        { partitionId: 3, role: 'INACTIVE', health: 'DEAD' },
      ],
    },
  ],
  clusterSize: 1,
  partitionsCount: 3,
  replicationFactor: 1,
  gatewayVersion: '0.1.0',
};

export function makeJob(overrides: Partial<ActivatedJob> = {}): ActivatedJob {
  return {
    key: KEYS.job,
    type: 'payment',
    processInstanceKey: KEYS.processInstance,
    bpmnProcessId: 'order',
    processDefinitionVersion: 3,
    processDefinitionKey: KEYS.processDefinition,
    elementId: 'charge',
    elementInstanceKey: KEYS.elementInstance,
    customHeaders: { method: 'card' },
    worker: 'w1',
    retries: 3,
    deadline: 1_700_000_000_123,
    variables: { amount: 42 },
    tenantId: '<default>',
    kind: 'BPMN_ELEMENT',
    listenerEventType: 'UNSPECIFIED',
    ...overrides,
  };
}

export function makeUserTask(overrides: Partial<UserTaskView> = {}): UserTaskView {
  return {
    userTaskKey: KEYS.userTask,
    state: 'CREATED',
    name: 'Approve',
    assignee: 'demo',
    candidateGroups: ['sales'],
    candidateUsers: [],
    dueDate: '2030-01-01T12:00:00Z',
    followUpDate: '',
    formKey: KEYS.form,
    externalFormReference: '',
    priority: 50,
    customHeaders: { kind: 'approval' },
    elementId: 'approve',
    elementInstanceKey: KEYS.elementInstance,
    processInstanceKey: KEYS.processInstance,
    processDefinitionKey: KEYS.processDefinition,
    bpmnProcessId: 'order',
    processDefinitionVersion: 3,
    processName: 'Order',
    creationTimestamp: Date.UTC(2026, 0, 1),
    tenantId: '<default>',
    ...overrides,
  };
}

interface Call {
  readonly method: keyof ZenApi;
  readonly args: readonly unknown[];
}

export interface Poll {
  readonly request: ActivateJobsRequest;
  readonly signal: AbortSignal;
}

export interface OpenStream {
  readonly request: JobStreamRequest;
  readonly sink: JobStreamSink;
  closed: boolean;
}

export class FakeApi implements ZenApi {
  readonly calls: Call[] = [];
  readonly polls: Poll[] = [];
  readonly streams: OpenStream[] = [];
  topologyResult: Topology = TOPOLOGY;
  /** Merged into the variables createProcessInstanceWithResult answers with. */
  resultExtras: Variables = {};
  private readonly queue: ActivatedJob[] = [];
  private readonly waiters = new Set<() => void>();
  private readonly failures = new Map<keyof ZenApi, unknown>();

  /** The next call of `method` throws `err`. */
  failNext(method: keyof ZenApi, err: unknown): void {
    this.failures.set(method, err);
  }

  argsOf(method: keyof ZenApi): unknown[][] {
    return this.calls.filter((c) => c.method === method).map((c) => [...c.args]);
  }

  lastArg<T>(method: keyof ZenApi, index = 0): T {
    const calls = this.argsOf(method);
    if (calls.length === 0) throw new Error(`${method} was not called`);
    return calls[calls.length - 1]![index] as T;
  }

  addJob(job: ActivatedJob): void {
    this.queue.push(job);
    for (const wake of [...this.waiters]) wake();
  }

  private enter(method: keyof ZenApi, ...args: unknown[]): void {
    this.calls.push({ method, args });
    if (this.failures.has(method)) {
      const err = this.failures.get(method);
      this.failures.delete(method);
      throw err;
    }
  }

  async topology(): Promise<Topology> {
    this.enter('topology');
    return this.topologyResult;
  }

  async deploy(req: DeployRequest): Promise<DeployResult> {
    this.enter('deploy', req);
    const dmn = req.resources.map((r, i) => ({ r, i })).filter(({ r }) => r.name.endsWith('.dmn'));
    return {
      key: KEYS.deployment,
      tenantId: req.tenantId,
      processes: req.resources.flatMap((r, i) =>
        r.name.endsWith('.dmn')
          ? []
          : [{ bpmnProcessId: r.name.replace(/\.bpmn$/, ''), version: 1, processDefinitionKey: KEYS.processDefinition + BigInt(i), resourceName: r.name, tenantId: req.tenantId }],
      ),
      forms: [],
      // A `.dmn` resource deploys one decision named after the file.
      decisionRequirements: dmn.map(({ r, i }) => ({
        decisionRequirementsId: `${r.name.replace(/\.dmn$/, '')}-drg`,
        decisionRequirementsName: 'Decisions',
        version: 1,
        decisionRequirementsKey: KEYS.processDefinition + 100n + BigInt(i),
        resourceName: r.name,
        tenantId: req.tenantId,
      })),
      decisions: dmn.map(({ r, i }) => ({
        decisionId: r.name.replace(/\.dmn$/, ''),
        decisionName: 'Decision',
        version: 1,
        decisionKey: KEYS.processDefinition + 200n + BigInt(i),
        decisionRequirementsId: `${r.name.replace(/\.dmn$/, '')}-drg`,
        decisionRequirementsKey: KEYS.processDefinition + 100n + BigInt(i),
        tenantId: req.tenantId,
      })),
    };
  }

  async createProcessInstance(req: CreateInstanceRequest): Promise<CreateInstanceResult> {
    this.enter('createProcessInstance', req);
    return created(req);
  }

  async createProcessInstanceWithResult(req: CreateInstanceWithResultRequest): Promise<CreateInstanceWithResultResult> {
    this.enter('createProcessInstanceWithResult', req);
    return { ...created(req), variables: { ...req.variables, done: true, ...this.resultExtras } };
  }

  async cancelProcessInstance(processInstanceKey: bigint): Promise<void> {
    this.enter('cancelProcessInstance', processInstanceKey);
  }

  activateJobs(req: ActivateJobsRequest, signal: AbortSignal): Promise<ActivatedJob[]> {
    try {
      this.enter('activateJobs', req);
    } catch (err) {
      return Promise.reject(err);
    }
    this.polls.push({ request: req, signal });
    const take = () => {
      const jobs: ActivatedJob[] = [];
      for (let i = 0; i < this.queue.length && jobs.length < req.maxJobsToActivate; ) {
        if (this.queue[i]!.type === req.type) jobs.push(...this.queue.splice(i, 1));
        else i++;
      }
      return jobs;
    };
    const now = take();
    if (now.length > 0 || req.requestTimeoutMs === 0 || signal.aborted) return Promise.resolve(now);
    return new Promise((resolve) => {
      const done = (jobs: ActivatedJob[]) => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        this.waiters.delete(wake);
        resolve(jobs);
      };
      const onAbort = () => done([]);
      const wake = () => {
        const jobs = take();
        if (jobs.length > 0) done(jobs);
      };
      const timer = setTimeout(() => done([]), req.requestTimeoutMs);
      signal.addEventListener('abort', onAbort);
      this.waiters.add(wake);
    });
  }

  openJobStream(req: JobStreamRequest, sink: JobStreamSink): JobStreamHandle {
    this.enter('openJobStream', req);
    const stream: OpenStream = { request: req, sink, closed: false };
    this.streams.push(stream);
    return {
      close: () => {
        stream.closed = true;
      },
    };
  }

  yieldJobs(jobKeys: readonly bigint[]): void {
    this.enter('yieldJobs', jobKeys);
  }

  async completeJob(jobKey: bigint, variables: Variables, result?: JobResult): Promise<void> {
    if (result === undefined) this.enter('completeJob', jobKey, variables);
    else this.enter('completeJob', jobKey, variables, result);
  }

  async assignUserTask(req: AssignUserTaskRequest): Promise<void> {
    this.enter('assignUserTask', req);
  }

  async completeUserTask(req: CompleteUserTaskRequest): Promise<void> {
    this.enter('completeUserTask', req);
  }

  async updateUserTask(req: UpdateUserTaskRequest): Promise<void> {
    this.enter('updateUserTask', req);
  }

  async getUserTask(userTaskKey: bigint): Promise<ReadAnswer<UserTaskView>> {
    this.enter('getUserTask', userTaskKey);
    return { value: makeUserTask({ userTaskKey }), servedBy: { nodeId: 0, role: 'LEADER' } };
  }

  /** What getUserTaskForm answers (null: the task has no form). */
  userTaskForm: FormView | null = { formKey: KEYS.form, formId: 'approve', version: 2, schema: '{"id":"approve","components":[]}', tenantId: '<default>' };

  async getUserTaskForm(userTaskKey: bigint): Promise<ReadAnswer<FormView | null>> {
    this.enter('getUserTaskForm', userTaskKey);
    return { value: this.userTaskForm, servedBy: { nodeId: 0, role: 'LEADER' } };
  }

  /** Set by a test to answer history searches; the default is an empty page. */
  historyAnswer: HistorySearchAnswer = { items: [], page: { totalItems: 0 }, servedBy: [{ partitionId: 1, nodeId: 0, role: 'FOLLOWER' }] };

  async searchHistory(resource: string, request: HistorySearchRequest): Promise<HistorySearchAnswer> {
    this.enter('searchHistory', { resource, ...request });
    return this.historyAnswer;
  }

  /** Set by a test to answer the diagram reads (statistics, flows, hierarchy); the default is empty. */
  diagramItems: unknown[] = [];

  async processDefinitionStatistics(processDefinitionKey: bigint, filter: unknown): Promise<HistoryListAnswer<ElementStatistics>> {
    this.enter('processDefinitionStatistics', { processDefinitionKey, filter });
    return { items: this.diagramItems as ElementStatistics[], servedBy: [{ partitionId: 1, nodeId: 0, role: 'FOLLOWER' }] };
  }

  async processInstanceStatistics(processInstanceKey: bigint): Promise<HistoryListAnswer<ElementStatistics>> {
    this.enter('processInstanceStatistics', { processInstanceKey });
    return { items: this.diagramItems as ElementStatistics[], servedBy: [{ partitionId: 1, nodeId: 0, role: 'FOLLOWER' }] };
  }

  async processInstanceSequenceFlows(processInstanceKey: bigint): Promise<HistoryListAnswer<SequenceFlowItem>> {
    this.enter('processInstanceSequenceFlows', { processInstanceKey });
    return { items: this.diagramItems as SequenceFlowItem[], servedBy: [{ partitionId: 1, nodeId: 0, role: 'FOLLOWER' }] };
  }

  async processInstanceCallHierarchy(processInstanceKey: bigint): Promise<HistoryListAnswer<CallHierarchyEntry>> {
    this.enter('processInstanceCallHierarchy', { processInstanceKey });
    return { items: this.diagramItems as CallHierarchyEntry[], servedBy: [{ partitionId: 1, nodeId: 0, role: 'FOLLOWER' }] };
  }

  async processDefinitionXml(processDefinitionKey: bigint): Promise<ReadAnswer<string>> {
    this.enter('processDefinitionXml', { processDefinitionKey });
    return { value: '<definitions/>', servedBy: { nodeId: 0, role: 'FOLLOWER' } };
  }

  async failJob(req: FailJobRequest): Promise<void> {
    this.enter('failJob', req);
  }

  async throwError(req: ThrowErrorRequest): Promise<void> {
    this.enter('throwError', req);
  }

  async updateJobRetries(jobKey: bigint, retries: number): Promise<void> {
    this.enter('updateJobRetries', jobKey, retries);
  }

  async updateJobTimeout(jobKey: bigint, timeoutMs: number): Promise<void> {
    this.enter('updateJobTimeout', jobKey, timeoutMs);
  }

  async publishMessage(req: PublishMessageRequest): Promise<PublishMessageResult> {
    this.enter('publishMessage', req);
    return { key: KEYS.message, tenantId: req.tenantId };
  }

  async correlateMessage(req: CorrelateMessageRequest): Promise<CorrelateMessageResult> {
    this.enter('correlateMessage', req);
    return { messageKey: KEYS.message, tenantId: req.tenantId, processInstanceKey: KEYS.processInstance };
  }

  async broadcastSignal(req: BroadcastSignalRequest): Promise<BroadcastSignalResult> {
    this.enter('broadcastSignal', req);
    return { key: KEYS.signal, tenantId: req.tenantId };
  }

  async evaluateConditionals(req: EvaluateConditionalsRequest): Promise<EvaluateConditionalsResult> {
    this.enter('evaluateConditionals', req);
    return {
      key: KEYS.conditionalEvaluation,
      tenantId: req.tenantId,
      processInstances: [{ processDefinitionKey: KEYS.processDefinition, processInstanceKey: KEYS.processInstance }],
    };
  }

  async evaluateDecision(req: EvaluateDecisionRequest): Promise<EvaluateDecisionResult> {
    this.enter('evaluateDecision', req);
    const decisionKey = req.decisionKey ?? KEYS.processDefinition + 200n;
    const output = JSON.stringify(req.variables.expected ?? null);
    return {
      key: KEYS.conditionalEvaluation + 1n,
      evaluation: {
        decisionKey,
        decisionId: req.decisionId ?? 'pricing',
        decisionName: 'Decision',
        decisionVersion: 1,
        decisionRequirementsId: 'pricing-drg',
        decisionRequirementsKey: KEYS.processDefinition + 100n,
        decisionOutput: output,
        variables: req.variables,
        bpmnProcessId: '',
        processDefinitionKey: -1n,
        processInstanceKey: -1n,
        elementId: '',
        elementInstanceKey: -1n,
        evaluatedDecisions: [
          {
            decisionId: req.decisionId ?? 'pricing',
            decisionName: 'Decision',
            decisionKey,
            decisionVersion: 1,
            decisionType: 'DECISION_TABLE',
            decisionOutput: output,
            evaluatedInputs: [{ inputId: 'in1', inputName: 'Expected', inputValue: output }],
            matchedRules: [{ ruleId: 'r1', ruleIndex: 1, evaluatedOutputs: [{ outputId: 'out1', outputName: 'o', outputValue: output }] }],
            tenantId: req.tenantId,
          },
        ],
        evaluationFailureMessage: '',
        failedDecisionId: '',
        tenantId: req.tenantId,
      },
    };
  }

  async setVariables(req: SetVariablesRequest): Promise<bigint> {
    this.enter('setVariables', req);
    return KEYS.variableDocument;
  }

  async resolveIncident(incidentKey: bigint): Promise<void> {
    this.enter('resolveIncident', incidentKey);
  }

  async modifyProcessInstance(req: ModifyInstanceRequest): Promise<void> {
    this.enter('modifyProcessInstance', req);
  }

  async migrateProcessInstance(req: MigrateInstanceRequest): Promise<void> {
    this.enter('migrateProcessInstance', req);
  }

  async deleteResource(resourceKey: bigint): Promise<void> {
    this.enter('deleteResource', resourceKey);
  }

  async pinClock(time: number): Promise<void> {
    this.enter('pinClock', time);
  }

  async resetClock(): Promise<void> {
    this.enter('resetClock');
  }

  async createBatchOperation(req: CreateBatchOperationRequest): Promise<{ batchOperationKey: bigint; batchOperationType: string }> {
    this.enter('createBatchOperation', req);
    return { batchOperationKey: 2251799813685300n, batchOperationType: req.batchOperationType };
  }

  async changeBatchOperation(batchOperationKey: bigint, intent: 'CANCEL' | 'SUSPEND' | 'RESUME'): Promise<void> {
    this.enter('changeBatchOperation', batchOperationKey, intent);
  }

  async activateAdHocActivities(req: ActivateAdHocActivitiesRequest): Promise<void> {
    this.enter('activateAdHocActivities', req);
  }

  async getProcessInstance(processInstanceKey: bigint): Promise<ReadAnswer<ProcessInstanceView>> {
    this.enter('getProcessInstance', processInstanceKey);
    return {
      value: {
        processInstanceKey,
        processDefinitionKey: KEYS.processDefinition,
        bpmnProcessId: 'order',
        version: 3,
        tenantId: '<default>',
        parentProcessInstanceKey: -1n,
        parentElementInstanceKey: -1n,
        hasIncident: true,
        activeElements: [{ elementInstanceKey: processInstanceKey + 1n, elementId: 'ship', elementType: 'SERVICE_TASK', state: 'ACTIVATED' }],
        remoteCalledInstances: [],
      },
      servedBy: { nodeId: 2, role: 'FOLLOWER' },
    };
  }
}

function created(req: CreateInstanceRequest): CreateInstanceResult {
  return {
    processDefinitionKey: req.processDefinitionKey ?? KEYS.processDefinition,
    bpmnProcessId: req.bpmnProcessId ?? 'order',
    version: 3,
    processInstanceKey: KEYS.processInstance,
    tenantId: req.tenantId,
  };
}
