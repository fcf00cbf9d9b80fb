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
  | 'COMMAND_DISTRIBUTION'
  | 'ERROR';

export const DeploymentIntent = { CREATE: 'CREATE', CREATED: 'CREATED' } as const;

/**
 * A command that partition 1 processed and hands to every other partition (deployments),
 * at least once: DISTRIBUTING is kept in state until the target ACKNOWLEDGEs.
 */
export const CommandDistributionIntent = {
  DISTRIBUTING: 'DISTRIBUTING',
  ACKNOWLEDGE: 'ACKNOWLEDGE',
  ACKNOWLEDGED: 'ACKNOWLEDGED',
} as const;

export const ProcessIntent = { CREATED: 'CREATED' } as const;

export const ProcessInstanceIntent = {
  CANCEL: 'CANCEL',
  ELEMENT_ACTIVATING: 'ELEMENT_ACTIVATING',
  ELEMENT_ACTIVATED: 'ELEMENT_ACTIVATED',
  ELEMENT_COMPLETING: 'ELEMENT_COMPLETING',
  ELEMENT_COMPLETED: 'ELEMENT_COMPLETED',
  ELEMENT_TERMINATING: 'ELEMENT_TERMINATING',
  ELEMENT_TERMINATED: 'ELEMENT_TERMINATED',
  SEQUENCE_FLOW_TAKEN: 'SEQUENCE_FLOW_TAKEN',
} as const;

export const ProcessInstanceCreationIntent = {
  CREATE: 'CREATE',
  CREATE_WITH_AWAITING_RESULT: 'CREATE_WITH_AWAITING_RESULT',
  CREATED: 'CREATED',
} as const;

export const ProcessEventIntent = { TRIGGERED: 'TRIGGERED' } as const;

export const JobIntent = {
  CREATED: 'CREATED',
  COMPLETE: 'COMPLETE',
  COMPLETED: 'COMPLETED',
  FAIL: 'FAIL',
  FAILED: 'FAILED',
  THROW_ERROR: 'THROW_ERROR',
  ERROR_THROWN: 'ERROR_THROWN',
  TIME_OUT: 'TIME_OUT',
  TIMED_OUT: 'TIMED_OUT',
  UPDATE_RETRIES: 'UPDATE_RETRIES',
  RETRIES_UPDATED: 'RETRIES_UPDATED',
  UPDATE_TIMEOUT: 'UPDATE_TIMEOUT',
  TIMEOUT_UPDATED: 'TIMEOUT_UPDATED',
  RECUR_AFTER_BACKOFF: 'RECUR_AFTER_BACKOFF',
  RECURRED_AFTER_BACKOFF: 'RECURRED_AFTER_BACKOFF',
  /** A pushed job could not be handed to its stream; it becomes activatable again. */
  YIELD: 'YIELD',
  YIELDED: 'YIELDED',
  CANCELED: 'CANCELED',
} as const;

export const JobBatchIntent = { ACTIVATE: 'ACTIVATE', ACTIVATED: 'ACTIVATED' } as const;

export const VariableIntent = { CREATED: 'CREATED', UPDATED: 'UPDATED' } as const;

export const VariableDocumentIntent = { UPDATE: 'UPDATE', UPDATED: 'UPDATED' } as const;

export const IncidentIntent = { CREATED: 'CREATED', RESOLVE: 'RESOLVE', RESOLVED: 'RESOLVED' } as const;

export const TimerIntent = {
  CREATED: 'CREATED',
  TRIGGER: 'TRIGGER',
  TRIGGERED: 'TRIGGERED',
  CANCELED: 'CANCELED',
} as const;

export const MessageIntent = {
  PUBLISH: 'PUBLISH',
  PUBLISHED: 'PUBLISHED',
  EXPIRE: 'EXPIRE',
  EXPIRED: 'EXPIRED',
} as const;

/** The message partition's side of a subscription. */
export const MessageSubscriptionIntent = {
  CREATE: 'CREATE',
  CREATED: 'CREATED',
  CORRELATING: 'CORRELATING',
  CORRELATE: 'CORRELATE',
  CORRELATED: 'CORRELATED',
  REJECT: 'REJECT',
  REJECTED: 'REJECTED',
  DELETE: 'DELETE',
  DELETED: 'DELETED',
} as const;

/** The process instance partition's side of a subscription. */
export const ProcessMessageSubscriptionIntent = {
  CREATING: 'CREATING',
  CREATE: 'CREATE',
  CREATED: 'CREATED',
  CORRELATE: 'CORRELATE',
  CORRELATED: 'CORRELATED',
  DELETING: 'DELETING',
  DELETE: 'DELETE',
  DELETED: 'DELETED',
} as const;

export const ErrorIntent = { CREATED: 'CREATED' } as const;

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

export interface DeploymentValue {
  resources: DeploymentResource[];
  processesMetadata: ProcessMetadataValue[];
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
  | 'CONDITION_ERROR'
  | 'EXTRACT_VALUE_ERROR'
  | 'UNHANDLED_ERROR_EVENT'
  | 'MESSAGE_SIZE_EXCEEDED';

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

export interface CommandDistributionValue {
  partitionId: number;
  valueType: ValueType;
  intent: string;
  commandValue: unknown;
}

export interface ErrorValue {
  exceptionMessage: string;
  processInstanceKey: bigint;
}
