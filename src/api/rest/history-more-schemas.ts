/** Items of the message subscription, correlated message and decision searches (documentation only). */
import { keySchema, type JsonSchema } from './schemas.js';

const str = { type: 'string' } as const;
const int = { type: 'integer', format: 'int32' } as const;
const date = { type: 'string', format: 'date-time' } as const;
const key = (what: string) => keySchema(`The key of the ${what}.`);

export const MORE_HISTORY_ITEMS: Record<string, { required: string[]; properties: Record<string, JsonSchema> }> = {
  BatchOperationSearchResult: {
    required: ['batchOperationKey', 'state', 'batchOperationType', 'operationsTotalCount', 'operationsFailedCount', 'operationsCompletedCount'],
    properties: {
      batchOperationKey: key('batch operation'),
      state: { type: 'string', enum: ['ACTIVE', 'SUSPENDED', 'COMPLETED', 'PARTIALLY_COMPLETED', 'CANCELED'] },
      batchOperationType: { type: 'string', enum: ['CANCEL_PROCESS_INSTANCE', 'RESOLVE_INCIDENT', 'MIGRATE_PROCESS_INSTANCE', 'MODIFY_PROCESS_INSTANCE'] },
      startDate: date, endDate: date, operationsTotalCount: int, operationsFailedCount: int, operationsCompletedCount: int,
      errors: { type: 'array', items: { type: 'object', properties: { partitionId: int, type: str, message: str } } },
    },
  },
  BatchOperationItemSearchResult: {
    required: ['batchOperationKey', 'itemKey', 'processInstanceKey', 'state', 'operationType'],
    properties: {
      operationType: str, batchOperationKey: key('batch operation'), itemKey: keySchema('The item: its process instance key.'),
      processInstanceKey: key('process instance'), state: { type: 'string', enum: ['ACTIVE', 'COMPLETED', 'CANCELED', 'FAILED'] },
      processedDate: date, errorMessage: str,
    },
  },
  MessageSubscriptionSearchResult: {
    required: ['messageSubscriptionKey', 'processInstanceKey', 'elementId', 'messageSubscriptionState', 'messageName', 'tenantId'],
    properties: {
      messageSubscriptionKey: keySchema("The subscription's key: in Zen its element instance's (with messageName, it names the subscription)."),
      processDefinitionId: str, processDefinitionKey: key('process definition'), processInstanceKey: key('process instance'),
      elementId: str, elementInstanceKey: key('element instance'),
      messageSubscriptionState: { type: 'string', enum: ['CREATED', 'CORRELATED', 'DELETED', 'MIGRATED'] },
      lastUpdatedDate: date, messageName: str, correlationKey: str, tenantId: str,
    },
  },
  CorrelatedMessageSubscriptionSearchResult: {
    required: ['correlationKey', 'correlationTime', 'elementId', 'messageKey', 'messageName', 'partitionId', 'processDefinitionId', 'processInstanceKey', 'subscriptionKey', 'tenantId'],
    properties: {
      correlationKey: str, correlationTime: date, elementId: str, elementInstanceKey: key('element instance (absent for a start event)'),
      messageKey: key('message'), messageName: str, partitionId: int, processDefinitionId: str, processDefinitionKey: key('process definition'),
      processInstanceKey: key('process instance'), subscriptionKey: keySchema('The subscription: its element instance, or the process definition for a message start event.'),
      tenantId: str,
    },
  },
  DecisionDefinitionSearchResult: {
    required: ['decisionDefinitionKey', 'decisionDefinitionId', 'name', 'version', 'decisionRequirementsKey', 'decisionRequirementsId', 'tenantId'],
    properties: {
      decisionDefinitionKey: key('decision definition'), decisionDefinitionId: str, name: str, version: int,
      decisionRequirementsKey: key('decision requirements'), decisionRequirementsId: str, tenantId: str,
    },
  },
  DecisionRequirementsSearchResult: {
    required: ['decisionRequirementsKey', 'decisionRequirementsId', 'decisionRequirementsName', 'version', 'resourceName', 'tenantId'],
    properties: { decisionRequirementsKey: key('decision requirements'), decisionRequirementsId: str, decisionRequirementsName: str, version: int, resourceName: str, tenantId: str },
  },
  DecisionInstanceSearchResult: {
    required: ['decisionEvaluationInstanceKey', 'decisionEvaluationKey', 'state', 'evaluationDate', 'decisionDefinitionKey', 'decisionDefinitionId', 'tenantId'],
    properties: {
      decisionEvaluationInstanceKey: { type: 'string', description: '`<decisionEvaluationKey>-<index>`, the index 1-based in the evaluation.' },
      decisionEvaluationKey: key('decision evaluation'), state: { type: 'string', enum: ['EVALUATED', 'FAILED'] }, evaluationDate: date,
      evaluationFailure: str, decisionDefinitionKey: key('decision definition'), decisionDefinitionId: str, decisionDefinitionName: str,
      decisionDefinitionVersion: int, decisionDefinitionType: str, result: { type: 'string', description: 'The output as JSON text.' },
      processDefinitionKey: key('process definition'), processInstanceKey: key('process instance'), elementInstanceKey: key('business rule task instance'),
      tenantId: str,
    },
  },
};

const nameValue = (names: string[]): JsonSchema => ({ type: 'object', properties: Object.fromEntries(names.map((n) => [n, str])) });

export const DECISION_INSTANCE_GET: JsonSchema = {
  type: 'object',
  required: MORE_HISTORY_ITEMS.DecisionInstanceSearchResult!.required,
  properties: {
    ...MORE_HISTORY_ITEMS.DecisionInstanceSearchResult!.properties,
    evaluatedInputs: { type: 'array', items: nameValue(['inputId', 'inputName', 'inputValue']) },
    matchedRules: {
      type: 'array',
      items: { type: 'object', properties: { ruleId: str, ruleIndex: int, evaluatedOutputs: { type: 'array', items: nameValue(['outputId', 'outputName', 'outputValue']) } } },
    },
  },
};
