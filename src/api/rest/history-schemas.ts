/**
 * Schemas of the history searches (ADR 010): one request shape for every resource, and each
 * resource's item as Camunda 8.8's API types it (documentation only, like the other responses).
 */
import { DECISION_INSTANCE_GET, MORE_HISTORY_ITEMS } from './history-more-schemas.js';
import { keySchema, type JsonSchema } from './schemas.js';

export const SEARCH_QUERY_REQUEST: JsonSchema = {
  type: 'object',
  nullable: true,
  additionalProperties: false,
  properties: {
    filter: {
      type: 'object',
      nullable: true,
      additionalProperties: true,
      description:
        'Field conditions, all of which must hold: a value (equality) or an object of operators ' +
        '$eq, $neq, $exists, $in, $notIn, $like (* and ? wildcards), $gt, $gte, $lt, $lte. Keys are strings, dates ISO-8601.',
    },
    sort: {
      type: 'array',
      nullable: true,
      items: {
        type: 'object',
        required: ['field'],
        additionalProperties: false,
        properties: { field: { type: 'string' }, order: { type: 'string', enum: ['ASC', 'DESC', 'asc', 'desc'] } },
      },
      description: 'Sort fields in order; the key breaks ties.',
    },
    page: {
      type: 'object',
      nullable: true,
      additionalProperties: false,
      properties: {
        limit: { type: 'integer', format: 'int32', minimum: 1, maximum: 10000 },
        from: { type: 'integer', format: 'int32', minimum: 0 },
        after: { type: 'string', minLength: 1 },
        before: { type: 'string', minLength: 1 },
      },
      description: 'limit (100 by default) with one of from (an offset), after or before (cursors from a previous page).',
    },
  },
};

const str = { type: 'string' } as const;
const int = { type: 'integer', format: 'int32' } as const;
const bool = { type: 'boolean' } as const;
const date = { type: 'string', format: 'date-time' } as const;
const key = (what: string) => keySchema(`The key of the ${what}.`);

const ITEMS: Record<string, { required: string[]; properties: Record<string, JsonSchema> }> = {
  ProcessInstanceSearchResult: {
    required: ['processInstanceKey', 'processDefinitionKey', 'processDefinitionId', 'state', 'startDate', 'hasIncident', 'tenantId'],
    properties: {
      processInstanceKey: key('process instance'), processDefinitionKey: key('process definition'), processDefinitionId: str,
      processDefinitionName: str, processDefinitionVersion: int, processDefinitionVersionTag: str,
      startDate: date, endDate: date, state: { type: 'string', enum: ['ACTIVE', 'COMPLETED', 'TERMINATED'] }, hasIncident: bool,
      tenantId: str, parentProcessInstanceKey: key('parent process instance'), parentElementInstanceKey: key('call activity instance'),
    },
  },
  ElementInstanceSearchResult: {
    required: ['elementInstanceKey', 'processInstanceKey', 'elementId', 'type', 'state', 'startDate', 'hasIncident', 'tenantId'],
    properties: {
      elementInstanceKey: key('element instance'), processInstanceKey: key('process instance'), processDefinitionKey: key('process definition'),
      processDefinitionId: str, elementId: str, elementName: str, type: str, state: { type: 'string', enum: ['ACTIVE', 'COMPLETED', 'TERMINATED'] },
      startDate: date, endDate: date, hasIncident: bool, incidentKey: key('incident'), tenantId: str,
    },
  },
  VariableSearchResult: {
    required: ['variableKey', 'name', 'value', 'scopeKey', 'processInstanceKey', 'tenantId'],
    properties: {
      variableKey: key('variable'), name: str, value: { type: 'string', description: 'The value as JSON text.' }, isTruncated: bool,
      scopeKey: key('scope (element instance)'), processInstanceKey: key('process instance'), tenantId: str,
    },
  },
  IncidentSearchResult: {
    required: ['incidentKey', 'processInstanceKey', 'errorType', 'errorMessage', 'state', 'creationTime', 'tenantId'],
    properties: {
      incidentKey: key('incident'), processDefinitionId: str, processDefinitionKey: key('process definition'),
      processInstanceKey: key('process instance'), errorType: str, errorMessage: str, elementId: str,
      elementInstanceKey: key('element instance'), creationTime: date, state: { type: 'string', enum: ['ACTIVE', 'RESOLVED'] },
      jobKey: key('job'), tenantId: str,
    },
  },
  JobSearchResult: {
    required: ['jobKey', 'type', 'state', 'kind', 'retries', 'processInstanceKey', 'elementId', 'tenantId'],
    properties: {
      jobKey: key('job'), type: str, worker: str, state: str, kind: str, listenerEventType: str, retries: int,
      hasFailedWithRetriesLeft: bool, isDenied: bool, errorCode: str, errorMessage: str, customHeaders: { type: 'object', additionalProperties: { type: 'string' } },
      deadline: date, creationTime: date, endTime: date, processDefinitionId: str, processDefinitionKey: key('process definition'),
      processInstanceKey: key('process instance'), elementId: str, elementInstanceKey: key('element instance'), tenantId: str,
    },
  },
  ProcessDefinitionSearchResult: {
    required: ['processDefinitionKey', 'processDefinitionId', 'version', 'resourceName', 'tenantId'],
    properties: {
      processDefinitionKey: key('process definition'), processDefinitionId: str, name: str, version: int, versionTag: str,
      resourceName: str, tenantId: str, hasStartForm: bool,
    },
  },
  ...MORE_HISTORY_ITEMS,
};

const ref = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` });

export const HISTORY_RESPONSE_SCHEMAS: Record<string, JsonSchema> = {
  DecisionInstanceGetQueryResult: DECISION_INSTANCE_GET,
  SearchQueryPageResponse: {
    type: 'object',
    required: ['totalItems'],
    properties: {
      totalItems: { type: 'integer', format: 'int64' },
      startCursor: { type: 'string', description: 'Pass as page.before for the page before this one.' },
      endCursor: { type: 'string', description: 'Pass as page.after for the page after this one.' },
    },
  },
  ...Object.fromEntries(
    Object.entries(ITEMS).flatMap(([name, item]) => [
      [name, { type: 'object', required: item.required, properties: item.properties }],
      [name.replace('SearchResult', 'SearchQueryResult'), { type: 'object', required: ['items', 'page'], properties: { items: { type: 'array', items: ref(name) }, page: ref('SearchQueryPageResponse') } }],
    ]),
  ),
};
