/**
 * Message shapes as @grpc/proto-loader hands them over and takes them back with the options in
 * proto.ts: field names as in gateway.proto, int64 as decimal strings, enums as names, every
 * scalar present (defaults), unset sub-messages null. Only the messages Zen serves are listed.
 */

/** int64 on the wire, as a decimal string; never a JS number, so keys stay exact. */
export type Int64 = string;

export interface TopologyResponse {
  brokers: BrokerInfo[];
  clusterSize: number;
  partitionsCount: number;
  replicationFactor: number;
  gatewayVersion: string;
}

export interface BrokerInfo {
  nodeId: number;
  host: string;
  port: number;
  partitions: { partitionId: number; role: string; health: string }[];
  version: string;
}

export interface ResourceMessage {
  name: string;
  content: Buffer;
}

export interface DeployResourceRequest {
  resources: ResourceMessage[];
  tenantId: string;
}

export interface DeployProcessRequest {
  processes: { name: string; definition: Buffer }[];
}

export interface ProcessMetadata {
  bpmnProcessId: string;
  version: number;
  processDefinitionKey: Int64;
  resourceName: string;
  tenantId: string;
}

export interface FormMetadata {
  formId: string;
  version: number;
  formKey: Int64;
  resourceName: string;
  tenantId: string;
}

export interface DecisionMetadata {
  dmnDecisionId: string;
  dmnDecisionName: string;
  version: number;
  decisionKey: Int64;
  dmnDecisionRequirementsId: string;
  decisionRequirementsKey: Int64;
  tenantId: string;
}

export interface DecisionRequirementsMetadata {
  dmnDecisionRequirementsId: string;
  dmnDecisionRequirementsName: string;
  version: number;
  decisionRequirementsKey: Int64;
  resourceName: string;
  tenantId: string;
}

export interface DeployResourceResponse {
  key: Int64;
  /** One metadata per entry (the proto's oneof Metadata). */
  deployments: Array<{ process: ProcessMetadata } | { decision: DecisionMetadata } | { decisionRequirements: DecisionRequirementsMetadata } | { form: FormMetadata }>;
  tenantId: string;
}

export interface DeployProcessResponse {
  key: Int64;
  processes: ProcessMetadata[];
}

export interface CreateProcessInstanceRequest {
  processDefinitionKey: Int64;
  bpmnProcessId: string;
  version: number;
  variables: string;
  startInstructions: { elementId: string }[];
  tenantId: string;
}

export interface CreateProcessInstanceResponse {
  processDefinitionKey: Int64;
  bpmnProcessId: string;
  version: number;
  processInstanceKey: Int64;
  tenantId: string;
}

export interface CreateProcessInstanceWithResultRequest {
  request: CreateProcessInstanceRequest | null;
  requestTimeout: Int64;
  fetchVariables: string[];
}

export interface CreateProcessInstanceWithResultResponse extends CreateProcessInstanceResponse {
  variables: string;
}

export interface CancelProcessInstanceRequest {
  processInstanceKey: Int64;
}

export interface ActivateJobsRequest {
  type: string;
  worker: string;
  timeout: Int64;
  maxJobsToActivate: number;
  fetchVariable: string[];
  requestTimeout: Int64;
  tenantIds: string[];
}

export interface StreamActivatedJobsRequest {
  type: string;
  worker: string;
  timeout: Int64;
  fetchVariable: string[];
  tenantIds: string[];
}

export interface ActivatedJobMessage {
  key: Int64;
  type: string;
  processInstanceKey: Int64;
  bpmnProcessId: string;
  processDefinitionVersion: number;
  processDefinitionKey: Int64;
  elementId: string;
  elementInstanceKey: Int64;
  customHeaders: string;
  worker: string;
  retries: number;
  deadline: Int64;
  variables: string;
  tenantId: string;
}

export interface ActivateJobsResponse {
  jobs: ActivatedJobMessage[];
}

export interface CompleteJobRequest {
  jobKey: Int64;
  variables: string;
}

export interface FailJobRequest {
  jobKey: Int64;
  retries: number;
  errorMessage: string;
  retryBackOff: Int64;
  variables: string;
}

export interface ThrowErrorRequest {
  jobKey: Int64;
  errorCode: string;
  errorMessage: string;
  variables: string;
}

export interface UpdateJobRetriesRequest {
  jobKey: Int64;
  retries: number;
}

export interface UpdateJobTimeoutRequest {
  jobKey: Int64;
  timeout: Int64;
}

export interface PublishMessageRequest {
  name: string;
  correlationKey: string;
  timeToLive: Int64;
  messageId: string;
  variables: string;
  tenantId: string;
}

export interface PublishMessageResponse {
  key: Int64;
  tenantId: string;
}

export interface SetVariablesRequest {
  elementInstanceKey: Int64;
  variables: string;
  local: boolean;
}

export interface SetVariablesResponse {
  key: Int64;
}

export interface ResolveIncidentRequest {
  incidentKey: Int64;
}

export type Empty = Record<string, never>;

export interface BroadcastSignalRequest {
  signalName: string;
  /** JSON object text; empty = no variables. */
  variables: string;
  tenantId: string;
}

export interface BroadcastSignalResponse {
  key: string;
  tenantId: string;
}

export interface ModifyProcessInstanceRequest {
  processInstanceKey: Int64;
  activateInstructions?: Array<{
    elementId: string;
    ancestorElementInstanceKey: Int64;
    variableInstructions?: Array<{ variables: string; scopeId: string }>;
  }>;
  terminateInstructions?: Array<{ elementInstanceKey: Int64 }>;
  operationReference?: Int64;
}

export interface MigrateProcessInstanceRequest {
  processInstanceKey: Int64;
  migrationPlan?: {
    targetProcessDefinitionKey: Int64;
    mappingInstructions?: Array<{ sourceElementId: string; targetElementId: string }>;
  };
  operationReference?: Int64;
}

export interface DeleteResourceRequest {
  resourceKey: Int64;
  operationReference?: Int64;
}

export interface EvaluateDecisionRequest {
  decisionKey?: Int64;
  decisionId?: string;
  variables?: string;
  tenantId?: string;
}

export interface EvaluateDecisionResponse {
  decisionKey: Int64;
  decisionId: string;
  decisionName: string;
  decisionVersion: number;
  decisionRequirementsId: string;
  decisionRequirementsKey: Int64;
  decisionOutput: string;
  evaluatedDecisions: Array<{
    decisionKey: Int64;
    decisionId: string;
    decisionName: string;
    decisionVersion: number;
    decisionType: string;
    decisionOutput: string;
    matchedRules: Array<{ ruleId: string; ruleIndex: number; evaluatedOutputs: Array<{ outputId: string; outputName: string; outputValue: string }> }>;
    evaluatedInputs: Array<{ inputId: string; inputName: string; inputValue: string }>;
    tenantId: string;
  }>;
  failedDecisionId: string;
  failureMessage: string;
  tenantId: string;
  decisionInstanceKey: Int64;
}
