/**
 * The record stream: what processing a command produces. Names follow Zeebe's protocol
 * (value types, intents, record value fields) so that tooling and people who know Zeebe
 * can read a Zen log. Keys are bigint; -1n means "no key".
 */
import type { RejectionType } from '../errors.js';
import type { BpmnElementType, BpmnEventType } from '../model/types.js';

export type RecordType = 'COMMAND' | 'EVENT' | 'COMMAND_REJECTION';

export type Variables = Record<string, unknown>;

export const NO_KEY = -1n;

export interface ZenRecord<V = unknown> {
  /** Position in the partition log; assigned when the batch is written. */
  position: number;
  /** Position of the command that caused this record; -1 for commands. */
  sourceRecordPosition: number;
  key: bigint;
  /** The command's clock (epoch ms); the engine never reads the wall clock. */
  timestamp: number;
  partitionId: number;
  recordType: RecordType;
  valueType: ValueType;
  intent: string;
  rejectionType?: RejectionType;
  rejectionReason?: string;
  value: V;
}

export type ValueType =
  | 'DEPLOYMENT'
  | 'PROCESS'
  | 'PROCESS_INSTANCE'
  | 'PROCESS_INSTANCE_CREATION'
  | 'PROCESS_EVENT'
  | 'JOB'
  | 'JOB_BATCH'
  | 'VARIABLE'
  | 'VARIABLE_DOCUMENT'
  | 'INCIDENT'
  | 'TIMER'
  | 'MESSAGE'
  | 'MESSAGE_SUBSCRIPTION'
  | 'PROCESS_MESSAGE_SUBSCRIPTION'
  | 'MESSAGE_START_EVENT_SUBSCRIPTION'
  | 'MESSAGE_CORRELATION'
  | 'COMMAND_DISTRIBUTION'
  | 'ERROR'
  | 'ESCALATION'
  | 'SIGNAL'
  | 'SIGNAL_SUBSCRIPTION'
  | 'PROCESS_INSTANCE_MODIFICATION'
  | 'PROCESS_INSTANCE_MIGRATION'
  | 'RESOURCE_DELETION'
  | 'CONDITIONAL_SUBSCRIPTION'
  | 'CONDITIONAL_EVALUATION'
  | 'AD_HOC_SUB_PROCESS_INSTRUCTION'
  | 'COMPENSATION_SUBSCRIPTION'
  | 'USER_TASK'
  | 'FORM'
  | 'DECISION_REQUIREMENTS'
  | 'DECISION'
  | 'DECISION_EVALUATION'
  | 'CALLED_PROCESS_INSTANCE'
  | 'CLOCK'
  | 'HISTORY'
  | 'BATCH_OPERATION'
  | 'USER'
  | 'AUTHORIZATION'
  | 'GROUP'
  | 'ROLE'
  | 'MAPPING_RULE'
  | 'TENANT';

/**
 * Every value type's intents: those of its commands (what processors take) and of its events
 * (what appliers apply, and all a replay reads). Typed from this table, an event written with
 * an intent its value type does not have, or an applier table that misses one, does not compile.
 */
export const INTENTS = {
  DEPLOYMENT: { commands: ['CREATE'], events: ['CREATED'] },
  /**
   * A command that partition 1 processed and hands to every other partition (deployments),
   * at least once: DISTRIBUTING is kept in state until the target ACKNOWLEDGEs.
   */
  COMMAND_DISTRIBUTION: { commands: ['ACKNOWLEDGE'], events: ['DISTRIBUTING', 'ACKNOWLEDGED'] },
  /**
   * A definition deleted: DELETING takes it out of use (no longer found by id or version, no start
   * events); DELETED removes it, once no instance runs on it any more.
   */
  PROCESS: { commands: [], events: ['CREATED', 'DELETING', 'DELETED'] },
  PROCESS_INSTANCE: {
    commands: ['CANCEL'],
    events: ['ELEMENT_ACTIVATING', 'ELEMENT_ACTIVATED', 'ELEMENT_COMPLETING', 'ELEMENT_COMPLETED', 'ELEMENT_TERMINATING', 'ELEMENT_TERMINATED', 'SEQUENCE_FLOW_TAKEN', 'ELEMENT_MIGRATED'],
  },
  PROCESS_INSTANCE_CREATION: { commands: ['CREATE', 'CREATE_WITH_AWAITING_RESULT'], events: ['CREATED'] },
  PROCESS_EVENT: { commands: [], events: ['TRIGGERED'] },
  JOB: {
    // YIELD: a pushed job could not be handed to its stream; it becomes activatable again.
    commands: ['COMPLETE', 'FAIL', 'THROW_ERROR', 'TIME_OUT', 'UPDATE_RETRIES', 'UPDATE_TIMEOUT', 'RECUR_AFTER_BACKOFF', 'YIELD'],
    events: ['CREATED', 'COMPLETED', 'FAILED', 'ERROR_THROWN', 'TIMED_OUT', 'RETRIES_UPDATED', 'TIMEOUT_UPDATED', 'RECURRED_AFTER_BACKOFF', 'YIELDED', 'CANCELED', 'MIGRATED'],
  },
  JOB_BATCH: { commands: ['ACTIVATE'], events: ['ACTIVATED'] },
  VARIABLE: { commands: [], events: ['CREATED', 'UPDATED', 'MIGRATED'] },
  VARIABLE_DOCUMENT: { commands: ['UPDATE'], events: ['UPDATED'] },
  INCIDENT: { commands: ['RESOLVE'], events: ['CREATED', 'RESOLVED', 'MIGRATED'] },
  TIMER: { commands: ['TRIGGER'], events: ['CREATED', 'TRIGGERED', 'CANCELED', 'MIGRATED'] },
  MESSAGE: { commands: ['PUBLISH', 'EXPIRE'], events: ['PUBLISHED', 'EXPIRED'] },
  /** The message partition's side of a subscription. */
  MESSAGE_SUBSCRIPTION: {
    commands: ['CREATE', 'CORRELATE', 'REJECT', 'DELETE'],
    events: ['CREATED', 'CORRELATING', 'CORRELATED', 'REJECTED', 'DELETED'],
  },
  /** The process instance partition's side of a subscription. */
  PROCESS_MESSAGE_SUBSCRIPTION: {
    commands: ['CREATE', 'CORRELATE', 'DELETE'],
    events: ['CREATING', 'CREATED', 'CORRELATED', 'DELETING', 'DELETED', 'MIGRATED'],
  },
  /** A message that started an instance at a message start event. */
  MESSAGE_START_EVENT_SUBSCRIPTION: { commands: [], events: ['CORRELATED'] },
  /**
   * A message correlated on request (POST /v2/messages/correlation): published with no TTL and
   * answered with the first instance it reached. CORRELATING keeps the request until a process
   * instance took the message (CORRELATED) or none did (NOT_CORRELATED).
   */
  MESSAGE_CORRELATION: { commands: ['CORRELATE'], events: ['CORRELATING', 'CORRELATED', 'NOT_CORRELATED'] },
  ERROR: { commands: [], events: ['CREATED'] },
  /** An escalation thrown: caught by a boundary event (ESCALATED) or by none (NOT_ESCALATED, not an incident). */
  ESCALATION: { commands: [], events: ['ESCALATED', 'NOT_ESCALATED'] },
  /** A signal broadcast: on the partition that took it (key -1) and, distributed, on every other one. */
  SIGNAL: { commands: ['BROADCAST'], events: ['BROADCASTED'] },
  /** An element instance waiting for a signal, on its own partition (signals reach every partition). */
  SIGNAL_SUBSCRIPTION: { commands: [], events: ['CREATED', 'DELETED'] },
  /** Elements of a running instance activated and terminated by hand (ModifyProcessInstance). */
  PROCESS_INSTANCE_MODIFICATION: { commands: ['MODIFY'], events: ['MODIFIED'] },
  /** A running instance moved to another process definition (MigrateProcessInstance). */
  PROCESS_INSTANCE_MIGRATION: { commands: ['MIGRATE'], events: ['MIGRATED'] },
  /** A deployed resource deleted, on partition 1 and, distributed, on every other one. */
  RESOURCE_DELETION: { commands: ['DELETE'], events: ['DELETING', 'DELETED'] },
  /**
   * A conditional event waiting in a running instance (Camunda 8.9's value type). Zeebe triggers
   * through a TRIGGER command; Zen triggers within the command that changed the variables.
   * RESET is Zen's own: the condition of a non-interrupting event that fired turned false, so
   * the event may fire again once it turns true.
   */
  CONDITIONAL_SUBSCRIPTION: { commands: [], events: ['CREATED', 'TRIGGERED', 'RESET', 'DELETED'] },
  /** Conditional start events evaluated against a request's variables (POST /v2/conditionals/evaluation). */
  CONDITIONAL_EVALUATION: { commands: ['EVALUATE'], events: ['EVALUATED'] },
  /** ActivateAdHocSubProcessActivities: elements started in a running ad-hoc sub-process. */
  AD_HOC_SUB_PROCESS_INSTRUCTION: { commands: ['ACTIVATE'], events: ['ACTIVATED'] },
  /**
   * A completed activity that can be compensated: CREATED as it completes, TRIGGERED by a
   * compensation throw event (its handler activated), COMPLETED when the handler did, DELETED
   * when the process instance ends first.
   */
  COMPENSATION_SUBSCRIPTION: { commands: [], events: ['CREATED', 'TRIGGERED', 'COMPLETED', 'DELETED'] },
  /**
   * A Camunda user task. A transition (creating, assigning, claiming, updating, completing) starts
   * with its -ING event and ends with its -ED event, or with *_DENIED when a task listener denies
   * it; while listeners run, CORRECTED records their corrections. Listener jobs are completed with
   * JOB COMPLETE, which continues the transition in the same command.
   */
  USER_TASK: {
    commands: ['ASSIGN', 'CLAIM', 'UPDATE', 'COMPLETE'],
    events: [
      'CREATING',
      'CREATED',
      'ASSIGNING',
      'CLAIMING',
      'ASSIGNED',
      'UPDATING',
      'UPDATED',
      'COMPLETING',
      'COMPLETED',
      'CANCELING',
      'CANCELED',
      'CORRECTED',
      'COMPLETION_DENIED',
      'ASSIGNMENT_DENIED',
      'UPDATE_DENIED',
    ],
  },
  /** A deployed form (`.form` resource); DELETED by DeleteResource. */
  FORM: { commands: [], events: ['CREATED', 'DELETED'] },
  /** A deployed DMN document (its definitions), and each decision in it; DELETED by DeleteResource (the document's key). */
  DECISION_REQUIREMENTS: { commands: [], events: ['CREATED', 'DELETED'] },
  DECISION: { commands: [], events: ['CREATED', 'DELETED'] },
  /**
   * A decision evaluated, by a business rule task or by EvaluateDecision (EVALUATE): the audit
   * trail, in the log like everything else. FAILED carries the decision that failed and why.
   */
  DECISION_EVALUATION: { commands: ['EVALUATE'], events: ['EVALUATED', 'FAILED'] },
  /**
   * Zen's own (Zeebe runs a called process on its caller's partition): a call activity whose
   * child runs on another partition (docs/adr/008). Keyed by the call activity's element
   * instance. The caller asks (CREATE, CANCEL) and is told (COMPLETE, and a THROW of an error or
   * escalation nobody caught in the child); every command is re-sent until the other side
   * confirms it, and taken at most once.
   * Caller side: CREATING (asked, not confirmed), CREATED (the child exists), COMPLETED (the
   * child's completion taken), CANCELING (cancel asked, not confirmed), CANCELED.
   * Child side: ACCEPTED (the child created for the caller), RETURNING (completed, its variables
   * on their way), RELEASED (done: remembered an hour so a late CREATE creates nothing).
   * Thrower side: THROWING (waits for the verdict of the call activities above), THROW_ANSWERED.
   * Catcher side: CAUGHT (remembered an hour, so a re-sent THROW does not fire the catch twice).
   */
  CALLED_PROCESS_INSTANCE: {
    commands: ['CREATE', 'CONFIRM_CREATE', 'COMPLETE', 'CONFIRM_COMPLETE', 'CANCEL', 'CONFIRM_CANCEL', 'THROW', 'ANSWER_THROW'],
    events: ['CREATING', 'CREATED', 'COMPLETED', 'CANCELING', 'CANCELED', 'ACCEPTED', 'RETURNING', 'RELEASED', 'THROWING', 'CAUGHT', 'THROW_ANSWERED'],
  },
  /**
   * The engine clock pinned to an instant (PIN → PINNED) or back on the system clock (RESET →
   * RESETTED): from partition 1, distributed to every other partition. Kept in state, so a
   * replay uses the same time.
   */
  CLOCK: { commands: ['PIN', 'RESET'], events: ['PINNED', 'RESETTED'] },
  /**
   * Zen's own: the queryable history (ADR 010) of instances that ended before `cutoff` deleted,
   * up to `limit` instances per command. The leader writes CLEAN_UP periodically with the cutoff
   * of `--history-retention`; every replica's projection deletes the same rows at the same log
   * index. Engine state is untouched.
   */
  HISTORY: { commands: ['CLEAN_UP'], events: ['CLEANED_UP'] },
  /**
   * Zen's own (Camunda 8.8 keeps batch operations in its own records): one command over many
   * process instances, kept on partition 1. CREATE names the instances (found in the history
   * by the node that took the request); partition 1's leader runs each instance's ordinary
   * command and reports it with COMPLETE_ITEM or FAIL_ITEM. The last item's report also writes
   * COMPLETED; CANCEL, SUSPEND and RESUME are the client's.
   */
  BATCH_OPERATION: {
    commands: ['CREATE', 'COMPLETE_ITEM', 'FAIL_ITEM', 'CANCEL', 'SUSPEND', 'RESUME'],
    events: ['CREATED', 'ITEM_COMPLETED', 'ITEM_FAILED', 'COMPLETED', 'CANCELED', 'SUSPENDED', 'RESUMED'],
  },
  /**
   * A user of basic authentication (Zeebe 8.8's USER), kept on partition 1 only: nodes read the
   * table from there (docs/adr/012). `password` is always a hash made by the node that took the
   * request; the engine refuses anything else.
   */
  USER: { commands: ['CREATE', 'UPDATE', 'DELETE'], events: ['CREATED', 'UPDATED', 'DELETED'] },
  /**
   * A permission grant (Zeebe 8.8's AUTHORIZATION), kept on partition 1 beside the users and read
   * by every node the same way (docs/adr/013).
   */
  AUTHORIZATION: { commands: ['CREATE', 'UPDATE', 'DELETE'], events: ['CREATED', 'UPDATED', 'DELETED'] },
  /** Zeebe 8.8's GROUP and ROLE: named sets of members (users, clients, mapping rules; roles also groups), on partition 1. */
  GROUP: {
    commands: ['CREATE', 'UPDATE', 'DELETE', 'ADD_ENTITY', 'REMOVE_ENTITY'],
    events: ['CREATED', 'UPDATED', 'DELETED', 'ENTITY_ADDED', 'ENTITY_REMOVED'],
  },
  ROLE: {
    commands: ['CREATE', 'UPDATE', 'DELETE', 'ADD_ENTITY', 'REMOVE_ENTITY'],
    events: ['CREATED', 'UPDATED', 'DELETED', 'ENTITY_ADDED', 'ENTITY_REMOVED'],
  },
  /** A claim of an OIDC token that makes its bearer a member of groups and roles (Zeebe 8.8's MAPPING_RULE). */
  MAPPING_RULE: { commands: ['CREATE', 'UPDATE', 'DELETE'], events: ['CREATED', 'UPDATED', 'DELETED'] },
  /**
   * A tenant (Zeebe 8.8's TENANT) and who is assigned to it, kept on partition 1 beside the users
   * and read by every node with them (docs/adr/013).
   */
  TENANT: {
    commands: ['CREATE', 'UPDATE', 'DELETE', 'ADD_ENTITY', 'REMOVE_ENTITY'],
    events: ['CREATED', 'UPDATED', 'DELETED', 'ENTITY_ADDED', 'ENTITY_REMOVED'],
  },
} as const satisfies Record<ValueType, { readonly commands: readonly string[]; readonly events: readonly string[] }>;

export type EventIntent<T extends ValueType> = (typeof INTENTS)[T]['events'][number];
export type CommandIntent<T extends ValueType> = (typeof INTENTS)[T]['commands'][number];

// ---- record values ----------------------------------------------------------------------

export interface ProcessInstanceValue {
  bpmnProcessId: string;
  version: number;
  processDefinitionKey: bigint;
  processInstanceKey: bigint;
  elementId: string;
  flowScopeKey: bigint;
  bpmnElementType: BpmnElementType;
  bpmnEventType: BpmnEventType;
  parentProcessInstanceKey: bigint;
  parentElementInstanceKey: bigint;
  tenantId: string;
}

export interface ProcessInstanceCreationValue {
  bpmnProcessId: string;
  processDefinitionKey: bigint;
  version: number;
  variables: Variables;
  processInstanceKey: bigint;
  fetchVariables: string[];
  tenantId: string;
  /** Elements to start at instead of the none start event (CreateProcessInstance start instructions). */
  startInstructions?: Array<{ elementId: string }>;
}

export interface ProcessEventValue {
  scopeKey: bigint;
  targetElementId: string;
  variables: Variables;
  processDefinitionKey: bigint;
  processInstanceKey: bigint;
  tenantId: string;
}

export interface DeploymentResource {
  resourceName: string;
  resource: string;
}

export interface ProcessMetadataValue {
  bpmnProcessId: string;
  version: number;
  processDefinitionKey: bigint;
  resourceName: string;
  checksum: string;
  duplicate: boolean;
  tenantId: string;
}

export interface FormMetadataValue {
  formId: string;
  version: number;
  formKey: bigint;
  resourceName: string;
  checksum: string;
  /** The deployment that first deployed this version (a duplicate keeps its original one). */
  deploymentKey: bigint;
  duplicate: boolean;
  tenantId: string;
}

export interface DeploymentValue {
  resources: DeploymentResource[];
  processesMetadata: ProcessMetadataValue[];
  /** Absent in deployments logged before forms existed. */
  formMetadata?: FormMetadataValue[];
  /** Absent in deployments logged before decisions existed. */
  decisionRequirementsMetadata?: DecisionRequirementsMetadataValue[];
  decisionsMetadata?: DecisionMetadataValue[];
  tenantId: string;
}

export interface DecisionRequirementsMetadataValue {
  decisionRequirementsId: string;
  decisionRequirementsName: string;
  decisionRequirementsVersion: number;
  decisionRequirementsKey: bigint;
  namespace: string;
  resourceName: string;
  checksum: string;
  duplicate: boolean;
  tenantId: string;
}

/** The DMN XML is kept here, as the process XML is in PROCESS records: compiled models are rebuilt from state. */
export interface DecisionRequirementsValue extends Omit<DecisionRequirementsMetadataValue, 'duplicate'> {
  resource: string;
  deploymentKey: bigint;
}

export interface DecisionMetadataValue {
  decisionId: string;
  decisionName: string;
  version: number;
  /** Zeebe's field; Zen reads no version tag from DMN yet, so it is ''. */
  versionTag: string;
  decisionKey: bigint;
  decisionRequirementsId: string;
  decisionRequirementsKey: bigint;
  /** The deployment that first deployed this version (a duplicate keeps its original one). */
  deploymentKey: bigint;
  duplicate: boolean;
  tenantId: string;
}

export type DecisionValue = Omit<DecisionMetadataValue, 'duplicate'>;

export interface EvaluatedDecisionValue {
  decisionId: string;
  decisionName: string;
  decisionKey: bigint;
  decisionVersion: number;
  decisionType: string;
  /** JSON text, as in Zeebe. */
  decisionOutput: string;
  evaluatedInputs: Array<{ inputId: string; inputName: string; inputValue: string }>;
  matchedRules: Array<{ ruleId: string; ruleIndex: number; evaluatedOutputs: Array<{ outputId: string; outputName: string; outputValue: string }> }>;
  tenantId: string;
}

export interface DecisionEvaluationValue {
  decisionKey: bigint;
  decisionId: string;
  decisionName: string;
  decisionVersion: number;
  decisionRequirementsId: string;
  decisionRequirementsKey: bigint;
  /** JSON text of the result ('null' when the evaluation failed). */
  decisionOutput: string;
  variables: Variables;
  /** The business rule task's instance, or '' / -1 when evaluated through EvaluateDecision. */
  bpmnProcessId: string;
  processDefinitionKey: bigint;
  processInstanceKey: bigint;
  elementId: string;
  elementInstanceKey: bigint;
  evaluatedDecisions: EvaluatedDecisionValue[];
  evaluationFailureMessage: string;
  failedDecisionId: string;
  tenantId: string;
}

export interface FormValue {
  formId: string;
  version: number;
  formKey: bigint;
  resourceName: string;
  checksum: string;
  /** The form-js JSON as deployed. */
  resource: string;
  /** `versionTag` of the form JSON; '' when it has none. */
  versionTag: string;
  deploymentKey: bigint;
  tenantId: string;
}

export interface ProcessValue {
  bpmnProcessId: string;
  version: number;
  processDefinitionKey: bigint;
  resourceName: string;
  checksum: string;
  resource: string;
  deploymentKey: bigint;
  tenantId: string;
}

/** What a job is for: a task of the process, a task listener of a Camunda user task, or an execution listener. */
export type JobKind = 'BPMN_ELEMENT' | 'TASK_LISTENER' | 'EXECUTION_LISTENER';
export type JobListenerEventType = 'UNSPECIFIED' | 'START' | 'END' | 'CREATING' | 'ASSIGNING' | 'UPDATING' | 'COMPLETING' | 'CANCELING';

/** What a task listener's worker answered: deny the transition, or correct the task's properties. */
export interface JobResultValue {
  denied: boolean;
  deniedReason: string;
  /** The properties corrected, by the user task record's field names (e.g. `candidateGroupsList`). */
  correctedAttributes: string[];
  corrections: UserTaskCorrections;
}

export interface UserTaskCorrections {
  assignee?: string;
  dueDate?: string;
  followUpDate?: string;
  candidateGroupsList?: string[];
  candidateUsersList?: string[];
  priority?: number;
}

export interface JobValue {
  type: string;
  worker: string;
  retries: number;
  retryBackoff: number;
  recurringTime: number;
  /** Epoch ms when an activated job times out; -1 when not activated. */
  deadline: number;
  timeout: number;
  errorMessage: string;
  errorCode: string;
  customHeaders: Record<string, string>;
  variables: Variables;
  processInstanceKey: bigint;
  bpmnProcessId: string;
  processDefinitionVersion: number;
  processDefinitionKey: bigint;
  elementId: string;
  elementInstanceKey: bigint;
  tenantId: string;
  /** Absent on jobs logged before task listeners existed: BPMN_ELEMENT. */
  jobKind?: JobKind;
  jobListenerEventType?: JobListenerEventType;
  /** Set on COMPLETED when the worker sent a result (task listeners). */
  result?: JobResultValue;
}

export interface JobBatchValue {
  type: string;
  worker: string;
  timeout: number;
  maxJobsToActivate: number;
  fetchVariables: string[];
  tenantIds: string[];
  jobKeys: bigint[];
  jobs: JobValue[];
  truncated: boolean;
}

export interface VariableValue {
  name: string;
  /** The value as JSON text. */
  value: string;
  scopeKey: bigint;
  processInstanceKey: bigint;
  processDefinitionKey: bigint;
  bpmnProcessId: string;
  tenantId: string;
}

export interface VariableDocumentValue {
  scopeKey: bigint;
  updateSemantics: 'LOCAL' | 'PROPAGATE';
  variables: Variables;
  tenantId: string;
}

export type IncidentErrorType =
  | 'UNKNOWN'
  | 'IO_MAPPING_ERROR'
  | 'JOB_NO_RETRIES'
  | 'EXECUTION_LISTENER_NO_RETRIES'
  | 'CONDITION_ERROR'
  | 'EXTRACT_VALUE_ERROR'
  | 'UNHANDLED_ERROR_EVENT'
  | 'CALLED_ELEMENT_ERROR'
  | 'MESSAGE_SIZE_EXCEEDED'
  | 'FORM_NOT_FOUND'
  | 'CALLED_DECISION_ERROR'
  | 'DECISION_EVALUATION_ERROR';

export interface MessageStartEventSubscriptionValue {
  processDefinitionKey: bigint;
  bpmnProcessId: string;
  startEventId: string;
  messageName: string;
  messageKey: bigint;
  correlationKey: string;
  processInstanceKey: bigint;
  variables: Variables;
  tenantId: string;
}

export interface EscalationValue {
  processInstanceKey: bigint;
  escalationCode: string;
  throwElementId: string;
  /** The boundary event that caught it; '' when none did. */
  catchElementId: string;
}

export interface AdHocSubProcessInstructionValue {
  adHocSubProcessInstanceKey: bigint;
  activateElements: { elementId: string; variables: Variables }[];
  cancelRemainingInstances: boolean;
  tenantId: string;
}

export interface SignalValue {
  signalName: string;
  variables: Variables;
  tenantId: string;
}

export interface SignalSubscriptionValue {
  signalName: string;
  elementInstanceKey: bigint;
  /** The catch event, boundary event or event sub-process start event that waits. */
  catchElementId: string;
  processInstanceKey: bigint;
  processDefinitionKey: bigint;
  bpmnProcessId: string;
  tenantId: string;
}

export interface CompensationSubscriptionValue {
  tenantId: string;
  processInstanceKey: bigint;
  processDefinitionKey: bigint;
  /** The completed activity (a multi-instance activity: its body, once all its instances completed). */
  compensableActivityId: string;
  /** Its flow scope instance: a throw event there compensates it. */
  compensableActivityScopeKey: bigint;
  compensableActivityInstanceKey: bigint;
  /** '' until a compensation throw event triggers it. */
  throwEventId: string;
  throwEventInstanceKey: bigint;
  /**
   * '' for a completed sub-process (or multi-instance body) that has none of its own but holds
   * compensable activities: triggering it triggers those.
   */
  compensationHandlerId: string;
  compensationHandlerInstanceKey: bigint;
  variables: Variables;
}

export interface IncidentValue {
  errorType: IncidentErrorType;
  errorMessage: string;
  bpmnProcessId: string;
  processDefinitionKey: bigint;
  processInstanceKey: bigint;
  elementId: string;
  elementInstanceKey: bigint;
  jobKey: bigint;
  variableScopeKey: bigint;
  tenantId: string;
}

export interface TimerValue {
  elementInstanceKey: bigint;
  processInstanceKey: bigint;
  processDefinitionKey: bigint;
  dueDate: number;
  targetElementId: string;
  /** Remaining repetitions for cycles; -1 = infinite; 1 for one-shot timers. */
  repetitions: number;
  /** Cycle interval in ms (0 for one-shot timers), so the next timer can be computed. */
  interval: number;
  /** A cron cycle's expression: the next timer is its schedule's next time (absent otherwise). */
  cron?: string;
  tenantId: string;
}

export interface MessageValue {
  name: string;
  correlationKey: string;
  timeToLive: number;
  messageId: string;
  variables: Variables;
  deadline: number;
  tenantId: string;
}

export interface MessageCorrelationValue {
  name: string;
  correlationKey: string;
  variables: Variables;
  tenantId: string;
  messageKey: bigint;
  /** The request waiting for the answer ('' when none): Zeebe's requestId/requestStreamId. */
  requestId: string;
  /** The first process instance the message reached; -1n until known. */
  processInstanceKey: bigint;
}

export interface MessageSubscriptionValue {
  processInstanceKey: bigint;
  elementInstanceKey: bigint;
  processDefinitionKey: bigint;
  bpmnProcessId: string;
  messageName: string;
  correlationKey: string;
  messageKey: bigint;
  variables: Variables;
  interrupting: boolean;
  tenantId: string;
}

export interface ProcessMessageSubscriptionValue extends MessageSubscriptionValue {
  elementId: string;
  /** Partition that holds the message side (hash of the correlation key). */
  subscriptionPartitionId: number;
}

/** HISTORY CLEAN_UP / CLEANED_UP: instances that ended before `cutoff` (epoch ms), at most `limit` of them. */
export interface HistoryCleanupValue {
  cutoff: number;
  limit: number;
}

export type BatchOperationType = 'CANCEL_PROCESS_INSTANCE' | 'RESOLVE_INCIDENT' | 'MIGRATE_PROCESS_INSTANCE' | 'MODIFY_PROCESS_INSTANCE';

/** What every item of a migration batch is migrated with (Camunda's migrationPlan). */
export interface BatchMigrationPlan {
  targetProcessDefinitionKey: bigint;
  mappingInstructions: Array<{ sourceElementId: string; targetElementId: string }>;
}

/** A modification batch: each item's active instances of `sourceElementId` move to `targetElementId`. */
export interface BatchMoveInstruction {
  sourceElementId: string;
  targetElementId: string;
}

/**
 * BATCH_OPERATION CREATE / CREATED (keyed by the batch operation), and CANCELED, SUSPENDED,
 * RESUMED, COMPLETED with the counts so far (`itemKeys` empty on those). `state` is the
 * batch's state after the event.
 */
export interface BatchOperationValue {
  batchOperationType: BatchOperationType;
  /** The process instances, in the order they are run. */
  itemKeys: bigint[];
  migrationPlan?: BatchMigrationPlan;
  moveInstructions?: BatchMoveInstruction[];
  state: 'ACTIVE' | 'SUSPENDED' | 'COMPLETED' | 'PARTIALLY_COMPLETED' | 'CANCELED';
  operationsTotalCount: number;
  operationsCompletedCount: number;
  operationsFailedCount: number;
}

/** BATCH_OPERATION COMPLETE_ITEM / FAIL_ITEM and their events (keyed by the batch operation). */
export interface BatchOperationItemValue {
  batchOperationType: BatchOperationType;
  itemKey: bigint;
  /** Why the item's command failed; '' when it did not. */
  errorMessage: string;
}

/** Zeebe's ClockRecord: the pinned instant in epoch milliseconds (0 on a reset). */
export interface ClockValue {
  time: number;
}

/**
 * Zeebe's UserRecord. In a CREATE or UPDATE command an empty name, email or password leaves the
 * stored one as it is (UPDATE) or empty (CREATE); events carry the user as stored.
 */
export interface UserValue {
  userKey: bigint;
  username: string;
  name: string;
  email: string;
  /** A PHC string (`$scrypt$ln=…,r=…,p=…$salt$hash`), never a password; '' in DELETED. */
  password: string;
}

/**
 * Zeebe's AuthorizationRecord: an owner (user, client, group, role, mapping rule) holds
 * `permissionTypes` on one resource of `resourceType`, or on all of them (`resourceMatcher`
 * ANY, `resourceId` '*'). Names as Camunda's enums spell them (engine/identity/authorization-rules.ts).
 */
export interface AuthorizationValue {
  authorizationKey: bigint;
  ownerId: string;
  ownerType: string;
  resourceMatcher: 'ANY' | 'ID';
  resourceId: string;
  resourceType: string;
  permissionTypes: string[];
}

/** Zeebe's GroupRecord: the group's own fields, and for ENTITY_ADDED / ENTITY_REMOVED the member. */
export interface GroupValue {
  groupKey: bigint;
  groupId: string;
  name: string;
  description: string;
  /** USER, CLIENT or MAPPING_RULE; empty when the record is about the group itself. */
  entityType: string;
  entityId: string;
}

/** Zeebe's RoleRecord: as a group's, and a role may also have GROUP members. */
export interface RoleValue {
  roleKey: bigint;
  roleId: string;
  name: string;
  description: string;
  entityType: string;
  entityId: string;
}

/** Zeebe's MappingRuleRecord: a token whose claim `claimName` is (or contains) `claimValue` matches. */
export interface MappingRuleValue {
  mappingRuleKey: bigint;
  mappingRuleId: string;
  claimName: string;
  claimValue: string;
  name: string;
}

/** Who may be assigned to a tenant (Zeebe 8.8's EntityType, the kinds a tenant takes). */
export type TenantEntityType = 'USER' | 'CLIENT' | 'GROUP' | 'ROLE' | 'MAPPING_RULE';

/**
 * Zeebe's TenantRecord. CREATE / UPDATE carry the name and description; ADD_ENTITY /
 * REMOVE_ENTITY name one member by `entityType` and `entityId` ('' and 'UNSPECIFIED' otherwise).
 */
export interface TenantValue {
  tenantKey: bigint;
  tenantId: string;
  name: string;
  description: string;
  entityId: string;
  entityType: TenantEntityType | 'UNSPECIFIED';
}

export interface CommandDistributionValue {
  partitionId: number;
  valueType: ValueType;
  intent: string;
  commandValue: unknown;
}

export interface ModificationVariableInstruction {
  /** The element in whose scope the variables are created; '' for the process instance. */
  elementId: string;
  variables: Variables;
}

export interface ModificationActivateInstruction {
  elementId: string;
  /** The ancestor element instance to activate the element in; -1 for none. */
  ancestorScopeKey: bigint;
  variableInstructions: ModificationVariableInstruction[];
  /** On MODIFIED: the flow scope instances the element was activated in (found or created). */
  ancestorScopeKeys: bigint[];
}

export interface ProcessInstanceModificationValue {
  processInstanceKey: bigint;
  activateInstructions: ModificationActivateInstruction[];
  terminateInstructions: Array<{ elementInstanceKey: bigint }>;
  /** On MODIFIED: the union of the activate instructions' ancestorScopeKeys. */
  ancestorScopeKeys: bigint[];
  tenantId: string;
}

export interface ProcessInstanceMigrationValue {
  processInstanceKey: bigint;
  targetProcessDefinitionKey: bigint;
  mappingInstructions: Array<{ sourceElementId: string; targetElementId: string }>;
  tenantId: string;
}

export interface ResourceDeletionValue {
  resourceKey: bigint;
  tenantId: string;
}

export interface ErrorValue {
  exceptionMessage: string;
  processInstanceKey: bigint;
}

/**
 * A conditional event waiting in a running instance. `scopeKey` and `elementInstanceKey` are
 * the instance that waits: the catch event itself, the activity a boundary event is attached
 * to, or the scope of an event sub-process (as in Camunda 8.9).
 */
export interface ConditionalSubscriptionValue {
  scopeKey: bigint;
  elementInstanceKey: bigint;
  processInstanceKey: bigint;
  processDefinitionKey: bigint;
  bpmnProcessId: string;
  catchEventId: string;
  /** The condition as modelled, with its `=`. */
  condition: string;
  variableNames: string[];
  variableEvents: string[];
  interrupting: boolean;
  tenantId: string;
}

export interface ConditionalStartedProcessInstance {
  processDefinitionKey: bigint;
  processInstanceKey: bigint;
}

export interface ConditionalEvaluationValue {
  /** Only this definition's conditional start events; -1: the latest version of every process. */
  processDefinitionKey: bigint;
  variables: Variables;
  tenantId: string;
  startedProcessInstances: ConditionalStartedProcessInstance[];
}

/** A Camunda user task, in the shape of Zeebe's UserTaskRecord. Dates are ISO 8601 text, '' when unset. */
export interface UserTaskValue {
  userTaskKey: bigint;
  assignee: string;
  candidateGroupsList: string[];
  candidateUsersList: string[];
  dueDate: string;
  followUpDate: string;
  /** The linked form's key; -1 when none. */
  formKey: bigint;
  externalFormReference: string;
  customHeaders: Record<string, string>;
  priority: number;
  /** The properties this transition changes (record field names). */
  changedAttributes: string[];
  /** What the transition was asked as (`assign`, `claim`, `complete`, `update`, `unassign` or the caller's own). */
  action: string;
  /** Completion variables (COMPLETING, COMPLETED). */
  variables: Variables;
  /** A task listener's reason on *_DENIED. */
  deniedReason: string;
  elementId: string;
  elementInstanceKey: bigint;
  processInstanceKey: bigint;
  processDefinitionKey: bigint;
  bpmnProcessId: string;
  processDefinitionVersion: number;
  /** The command's clock when the task was created (epoch ms). */
  creationTimestamp: number;
  tenantId: string;
}

/**
 * A call activity and the child it runs on another partition. `processInstanceKey` is the
 * child's (-1 until the child partition confirmed it); `variables` are those handed over
 * (CREATE) or handed back (COMPLETE).
 */
export interface CalledProcessInstanceValue {
  parentProcessInstanceKey: bigint;
  parentElementInstanceKey: bigint;
  /** The partition the child runs on. */
  childPartitionId: number;
  processInstanceKey: bigint;
  processDefinitionKey: bigint;
  bpmnProcessId: string;
  version: number;
  variables: Variables;
  tenantId: string;
}

/**
 * An error or escalation thrown in a child and caught by nothing inside it, on its way to the
 * call activities above (THROW), or the answer that came back (ANSWER_THROW): `caught` NONE
 * when nobody caught it, NON_INTERRUPTING when a catch let the thrower go on (an interrupting
 * catch sends no answer: it cancels the call activity's child, and the thrower with it).
 */
export interface CalledProcessThrowValue {
  kind: 'ERROR' | 'ESCALATION';
  /** This throw (a thrower that throws again after an incident throws anew). */
  throwKey: bigint;
  code: string;
  message: string;
  variables: Variables;
  /** The element that threw, and the job it threw with (-1 when an event threw). */
  throwElementInstanceKey: bigint;
  throwElementId: string;
  throwProcessInstanceKey: bigint;
  jobKey: bigint;
  /** Where the search goes on: a call activity, and its child the throw came out of. */
  callActivityInstanceKey: bigint;
  calledProcessInstanceKey: bigint;
  /** PENDING on its way up; on CAUGHT how it was caught; on ANSWER_THROW the verdict the thrower acts on. */
  caught: 'PENDING' | 'NONE' | 'INTERRUPTING' | 'NON_INTERRUPTING';
}
