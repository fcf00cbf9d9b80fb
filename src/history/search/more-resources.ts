/**
 * User tasks, their variables, message subscriptions, correlated messages and decisions as
 * searchable resources, in the shapes of Camunda 8.8's REST API (spread into resources.ts).
 */
import { date, dateText, int, key, keyText, present as presentFields, text, type Field, type Resource } from './fields.js';
import { variablesOfScope } from './variable-filters.js';

const list = (column: string): Field => ({ column, type: 'string', list: true, unsortable: true });

const tenant = (value: unknown): string => (value === '' || value === null || value === undefined ? '<default>' : String(value));
const json = <T>(value: unknown): T => JSON.parse(String(value)) as T;

const present = (item: Record<string, unknown>) => presentFields(item, true);

const T = 'h_user_task';

export const USER_TASKS: Resource = {
  name: 'user task',
  table: `${T} LEFT JOIN h_process_definition d ON d.key = ${T}.process_definition_key`,
  select: `${T}.*, d.name AS process_name`,
  keyField: 'userTaskKey',
  fields: {
    userTaskKey: key(`${T}.key`),
    state: text(`${T}.state`),
    assignee: text(`${T}.assignee`, true),
    priority: int(`${T}.priority`),
    elementId: text(`${T}.element_id`),
    name: text(`${T}.name`, true),
    candidateGroup: list(`${T}.candidate_groups`),
    candidateUser: list(`${T}.candidate_users`),
    candidateGroups: list(`${T}.candidate_groups`),
    candidateUsers: list(`${T}.candidate_users`),
    tenantId: text(`${T}.tenant_id`),
    processDefinitionId: text(`${T}.bpmn_process_id`),
    processDefinitionKey: key(`${T}.process_definition_key`),
    processInstanceKey: key(`${T}.process_instance_key`),
    elementInstanceKey: key(`${T}.element_instance_key`),
    creationDate: date(`${T}.creation_date`),
    completionDate: date(`${T}.completion_date`, true),
    dueDate: date(`${T}.due_date`, true),
    followUpDate: date(`${T}.follow_up_date`, true),
    // The process instance's own variables (its root scope), as Camunda's task index has them; not those of subprocesses around the task.
    processInstanceVariables: variablesOfScope(`${T}.process_instance_key`),
    localVariables: variablesOfScope(`${T}.element_instance_key`),
  },
  toItem: (r) =>
    present({
      userTaskKey: keyText(r.key),
      name: r.name,
      state: r.state,
      assignee: r.assignee,
      candidateGroups: json<string[]>(r.candidate_groups),
      candidateUsers: json<string[]>(r.candidate_users),
      dueDate: dateText(r.due_date),
      followUpDate: dateText(r.follow_up_date),
      creationDate: dateText(r.creation_date),
      completionDate: dateText(r.completion_date),
      priority: Number(r.priority),
      formKey: keyText(r.form_key),
      externalFormReference: r.external_form_reference,
      customHeaders: json<Record<string, string>>(r.custom_headers),
      elementId: r.element_id,
      elementInstanceKey: keyText(r.element_instance_key),
      processInstanceKey: keyText(r.process_instance_key),
      processDefinitionKey: keyText(r.process_definition_key),
      processDefinitionId: r.bpmn_process_id,
      processDefinitionVersion: Number(r.process_definition_version),
      processName: r.process_name,
      tenantId: tenant(r.tenant_id),
    }),
};

/** The variables of a user task's scope and the scopes around it (`userTaskKey` is required by the route). */
export const USER_TASK_VARIABLES: Resource = {
  name: 'user task variable',
  table: 'h_variable v JOIN h_user_task_scope s ON s.scope_key = v.scope_key',
  select: 'v.*',
  keyField: 'variableKey',
  fields: {
    userTaskKey: key('s.user_task_key'),
    variableKey: key('v.key'),
    name: text('v.name'),
    value: text('v.value'),
    scopeKey: key('v.scope_key'),
    processInstanceKey: key('v.process_instance_key'),
    tenantId: text('v.tenant_id'),
  },
  toItem: (r) => ({
    name: r.name,
    value: r.value,
    isTruncated: false,
    tenantId: tenant(r.tenant_id),
    variableKey: keyText(r.key),
    scopeKey: keyText(r.scope_key),
    processInstanceKey: keyText(r.process_instance_key),
  }),
};

export const MESSAGE_SUBSCRIPTIONS: Resource = {
  name: 'message subscription',
  table: 'h_message_subscription',
  // The engine keeps a subscription by its element instance and message name: Zen's key is the element instance's.
  keyField: 'messageSubscriptionKey',
  tieBreakers: ['messageName'],
  fields: {
    messageSubscriptionKey: key('element_instance_key'),
    processDefinitionId: text('bpmn_process_id'),
    processDefinitionKey: key('process_definition_key'),
    processInstanceKey: key('process_instance_key'),
    elementId: text('element_id'),
    elementInstanceKey: key('element_instance_key'),
    messageSubscriptionState: text('state'),
    lastUpdatedDate: date('last_updated_date'),
    messageName: text('message_name'),
    correlationKey: text('correlation_key'),
    tenantId: text('tenant_id'),
  },
  toItem: (r) =>
    present({
      messageSubscriptionKey: keyText(r.element_instance_key),
      processDefinitionId: r.bpmn_process_id,
      processDefinitionKey: keyText(r.process_definition_key),
      processInstanceKey: keyText(r.process_instance_key),
      elementId: r.element_id,
      elementInstanceKey: keyText(r.element_instance_key),
      messageSubscriptionState: r.state,
      lastUpdatedDate: dateText(r.last_updated_date),
      messageName: r.message_name,
      correlationKey: r.correlation_key,
      tenantId: tenant(r.tenant_id),
    }),
};

export const CORRELATED_MESSAGES: Resource = {
  name: 'correlated message',
  table: 'h_correlated_message',
  keyField: 'messageKey',
  tieBreakers: ['subscriptionKey'],
  fields: {
    correlationKey: text('correlation_key'),
    correlationTime: date('correlation_time'),
    elementId: text('element_id'),
    elementInstanceKey: key('element_instance_key', true),
    messageKey: key('message_key'),
    messageName: text('message_name'),
    partitionId: int('partition_id'),
    processDefinitionId: text('bpmn_process_id'),
    processDefinitionKey: key('process_definition_key'),
    processInstanceKey: key('process_instance_key'),
    subscriptionKey: key('subscription_key'),
    tenantId: text('tenant_id'),
  },
  toItem: (r) =>
    present({
      correlationKey: r.correlation_key,
      correlationTime: dateText(r.correlation_time),
      elementId: r.element_id,
      elementInstanceKey: keyText(r.element_instance_key),
      messageKey: keyText(r.message_key),
      messageName: r.message_name,
      partitionId: Number(r.partition_id),
      processDefinitionId: r.bpmn_process_id,
      processDefinitionKey: keyText(r.process_definition_key),
      processInstanceKey: keyText(r.process_instance_key),
      subscriptionKey: keyText(r.subscription_key),
      tenantId: tenant(r.tenant_id),
    }),
};

export const DECISION_DEFINITIONS: Resource = {
  name: 'decision definition',
  table: 'h_decision_definition',
  keyField: 'decisionDefinitionKey',
  onEveryPartition: true,
  fields: {
    decisionDefinitionKey: key('key'),
    decisionDefinitionId: text('decision_id'),
    name: text('name'),
    version: int('version'),
    decisionRequirementsId: text('decision_requirements_id'),
    decisionRequirementsKey: key('decision_requirements_key'),
    tenantId: text('tenant_id'),
  },
  toItem: (r) =>
    present({
      decisionDefinitionId: r.decision_id,
      name: r.name,
      version: Number(r.version),
      decisionRequirementsId: r.decision_requirements_id,
      tenantId: tenant(r.tenant_id),
      decisionDefinitionKey: keyText(r.key),
      decisionRequirementsKey: keyText(r.decision_requirements_key),
    }),
};

export const DECISION_REQUIREMENTS: Resource = {
  name: 'decision requirements',
  table: 'h_decision_requirements',
  select: 'key, decision_requirements_id, name, version, resource_name, tenant_id',
  keyField: 'decisionRequirementsKey',
  onEveryPartition: true,
  fields: {
    decisionRequirementsKey: key('key'),
    decisionRequirementsName: text('name'),
    version: int('version'),
    decisionRequirementsId: text('decision_requirements_id'),
    resourceName: text('resource_name'),
    tenantId: text('tenant_id'),
  },
  toItem: (r) =>
    present({
      decisionRequirementsName: r.name,
      version: Number(r.version),
      decisionRequirementsId: r.decision_requirements_id,
      resourceName: r.resource_name,
      tenantId: tenant(r.tenant_id),
      decisionRequirementsKey: keyText(r.key),
    }),
};

/** The DMN XML of a decision requirements graph, or of the one a decision belongs to (`/xml` reads). */
export const DECISION_XML: Resource = {
  name: 'decision requirements',
  table: 'h_decision_requirements r LEFT JOIN h_decision_definition d ON d.decision_requirements_key = r.key',
  select: 'r.resource',
  keyField: 'decisionRequirementsKey',
  onEveryPartition: true,
  fields: {
    decisionRequirementsKey: key('r.key'),
    decisionDefinitionKey: key('d.key', true),
  },
  toItem: (r) => ({ xml: r.resource }),
};

const decisionInstanceFields = {
  decisionEvaluationInstanceKey: text('id'),
  state: text('state'),
  evaluationFailure: text('evaluation_failure', true),
  evaluationDate: date('evaluation_date'),
  decisionDefinitionId: text('decision_id'),
  decisionDefinitionName: text('decision_name'),
  decisionDefinitionVersion: int('decision_version'),
  decisionDefinitionType: text('decision_type'),
  tenantId: text('tenant_id'),
  decisionEvaluationKey: key('evaluation_key'),
  processDefinitionKey: key('process_definition_key', true),
  processInstanceKey: key('process_instance_key', true),
  decisionDefinitionKey: key('decision_key'),
  elementInstanceKey: key('element_instance_key', true),
} as const;

function decisionInstanceItem(r: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return present({
    decisionEvaluationInstanceKey: r.id,
    state: r.state,
    evaluationDate: dateText(r.evaluation_date),
    evaluationFailure: r.evaluation_failure,
    decisionDefinitionId: r.decision_id,
    decisionDefinitionName: r.decision_name,
    decisionDefinitionVersion: Number(r.decision_version),
    decisionDefinitionType: r.decision_type,
    result: r.result,
    tenantId: tenant(r.tenant_id),
    decisionEvaluationKey: keyText(r.evaluation_key),
    processDefinitionKey: keyText(r.process_definition_key),
    processInstanceKey: keyText(r.process_instance_key),
    decisionDefinitionKey: keyText(r.decision_key),
    elementInstanceKey: keyText(r.element_instance_key),
  });
}

export const DECISION_INSTANCES: Resource = {
  name: 'decision instance',
  table: 'h_decision_instance',
  keyField: 'decisionEvaluationInstanceKey',
  fields: decisionInstanceFields,
  toItem: decisionInstanceItem,
};

/** One decision instance as GET answers it: with its evaluated inputs and matched rules. */
export const DECISION_INSTANCE_DETAILS: Resource = {
  ...DECISION_INSTANCES,
  toItem: (r) => ({ ...decisionInstanceItem(r), evaluatedInputs: json(r.evaluated_inputs), matchedRules: json(r.matched_rules) }),
};

export const BATCH_OPERATIONS: Resource = {
  name: 'batch operation',
  table: 'h_batch_operation',
  keyField: 'batchOperationKey',
  onEveryPartition: true,
  fields: {
    batchOperationKey: key('key'),
    operationType: text('operation_type'),
    state: text('state'),
    startDate: date('start_date'),
    endDate: date('end_date', true),
  },
  toItem: (r) =>
    present({
      batchOperationKey: keyText(r.key),
      state: r.state,
      batchOperationType: r.operation_type,
      startDate: dateText(r.start_date),
      endDate: dateText(r.end_date),
      operationsTotalCount: Number(r.total_count),
      operationsFailedCount: Number(r.failed_count),
      operationsCompletedCount: Number(r.completed_count),
      errors: [],
    }),
};

export const BATCH_OPERATION_ITEMS: Resource = {
  name: 'batch operation item',
  table: 'h_batch_operation_item',
  keyField: 'itemKey',
  tieBreakers: ['batchOperationKey'],
  onEveryPartition: true,
  fields: {
    batchOperationKey: key('batch_operation_key'),
    itemKey: key('item_key'),
    processInstanceKey: key('process_instance_key'),
    state: text('state'),
    operationType: text('operation_type'),
  },
  toItem: (r) =>
    present({
      operationType: r.operation_type,
      batchOperationKey: keyText(r.batch_operation_key),
      itemKey: keyText(r.item_key),
      processInstanceKey: keyText(r.process_instance_key),
      state: r.state,
      processedDate: dateText(r.processed_date),
      errorMessage: r.error_message,
    }),
};

export const MORE_RESOURCES = {
  userTasks: USER_TASKS,
  userTaskVariables: USER_TASK_VARIABLES,
  messageSubscriptions: MESSAGE_SUBSCRIPTIONS,
  correlatedMessages: CORRELATED_MESSAGES,
  decisionDefinitions: DECISION_DEFINITIONS,
  decisionRequirements: DECISION_REQUIREMENTS,
  decisionXml: DECISION_XML,
  decisionInstances: DECISION_INSTANCES,
  decisionInstanceDetails: DECISION_INSTANCE_DETAILS,
  batchOperations: BATCH_OPERATIONS,
  batchOperationItems: BATCH_OPERATION_ITEMS,
} as const;
