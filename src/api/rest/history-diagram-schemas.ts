/**
 * Schemas of what a diagram reads (routes/history-diagram.ts), as Camunda 8.8's API types them:
 * the statistics request, and the statistics, sequence flow and call hierarchy items.
 */
import { keySchema, type JsonSchema } from './schemas.js';

export const ELEMENT_STATISTICS_QUERY: JsonSchema = {
  type: 'object',
  nullable: true,
  additionalProperties: false,
  properties: {
    filter: {
      type: 'object',
      nullable: true,
      additionalProperties: true,
      description:
        "Which of the definition's process instances to count: Camunda's process instance filter fields startDate, endDate, " +
        'state, hasIncident, tenantId, processInstanceKey, parentProcessInstanceKey, parentElementInstanceKey (the other ' +
        'fields are refused with 400), with $or alternatives.',
    },
  },
};

const count = (what: string): JsonSchema => ({ type: 'integer', format: 'int64', description: what });
const str = { type: 'string' } as const;
const list = (item: string): JsonSchema => ({ type: 'object', properties: { items: { type: 'array', items: { $ref: `#/components/schemas/${item}` } } } });

export const DIAGRAM_RESPONSE_SCHEMAS: Record<string, JsonSchema> = {
  ProcessElementStatisticsResult: {
    type: 'object',
    required: ['elementId', 'active', 'canceled', 'incidents', 'completed'],
    properties: {
      elementId: str,
      active: count('Active, without an incident on or inside it.'),
      canceled: count('Terminated.'),
      incidents: count('Active, with an incident on it or on an element inside it.'),
      completed: count('Completed.'),
    },
  },
  ProcessDefinitionElementStatisticsQueryResult: list('ProcessElementStatisticsResult'),
  ProcessInstanceElementStatisticsQueryResult: list('ProcessElementStatisticsResult'),
  ProcessInstanceSequenceFlowResult: {
    type: 'object',
    properties: {
      sequenceFlowId: { type: 'string', description: 'The process instance key and the flow id, joined by an underscore.' },
      processInstanceKey: keySchema('The key of the process instance.'),
      processDefinitionKey: keySchema('The key of the process definition.'),
      processDefinitionId: str,
      elementId: { type: 'string', description: 'The id of the sequence flow in the BPMN document.' },
      tenantId: str,
    },
  },
  ProcessInstanceSequenceFlowsQueryResult: list('ProcessInstanceSequenceFlowResult'),
  ProcessInstanceCallHierarchyEntry: {
    type: 'object',
    required: ['processInstanceKey', 'processDefinitionKey', 'processDefinitionName'],
    properties: {
      processInstanceKey: keySchema('The key of the process instance.'),
      processDefinitionKey: keySchema('The key of the process definition.'),
      processDefinitionName: { type: 'string', description: 'The name of the process, or its id when it has none.' },
    },
  },
  ProcessInstanceCallHierarchy: { type: 'array', items: { $ref: '#/components/schemas/ProcessInstanceCallHierarchyEntry' } },
};
