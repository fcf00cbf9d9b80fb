/**
 * The searchable resources, in the shapes of Camunda 8.8's REST API (`@camunda8/orchestration-
 * cluster-api`): filter fields → columns, and rows → items. Keys are strings, dates ISO-8601.
 */
import { bool, date, dateText, int, key, keyText, present, text, type Resource } from './fields.js';
import { BATCH_RESOURCES } from './batch-resources.js';
import { MORE_RESOURCES } from './more-resources.js';
import { variablesOfScope } from './variable-filters.js';

export const PROCESS_INSTANCES: Resource = {
  name: 'process instance',
  table: 'h_process_instance LEFT JOIN h_process_definition d ON d.key = h_process_instance.process_definition_key',
  select: 'h_process_instance.*, d.name, d.version_tag',
  countWithoutJoin: { table: 'h_process_instance', joinedAlias: 'd' },
  keyField: 'processInstanceKey',
  fields: {
    processInstanceKey: key('h_process_instance.key'),
    processDefinitionId: text('h_process_instance.bpmn_process_id'),
    processDefinitionName: text('d.name', true),
    processDefinitionVersion: int('h_process_instance.version'),
    processDefinitionVersionTag: text('d.version_tag', true),
    processDefinitionKey: key('h_process_instance.process_definition_key'),
    parentProcessInstanceKey: key('h_process_instance.parent_process_instance_key', true),
    parentElementInstanceKey: key('h_process_instance.parent_element_instance_key', true),
    startDate: date('h_process_instance.start_date'),
    endDate: date('h_process_instance.end_date', true),
    state: text('h_process_instance.state'),
    hasIncident: bool('h_process_instance.has_incident'),
    tenantId: text('h_process_instance.tenant_id'),
    // The instance's own variables (its root scope), read by the (scope_key, name) index: the
    // console's "variable value" filter; a subprocess's local variables do not count.
    variables: variablesOfScope('h_process_instance.key'),
  },
  toItem: (r) =>
    present({
      processDefinitionId: r.bpmn_process_id,
      processDefinitionName: r.name ?? r.bpmn_process_id,
      processDefinitionVersion: Number(r.version),
      processDefinitionVersionTag: r.version_tag ?? undefined,
      startDate: dateText(r.start_date),
      endDate: dateText(r.end_date),
      state: r.state,
      hasIncident: Number(r.has_incident) === 1,
      tenantId: r.tenant_id,
      processInstanceKey: keyText(r.key),
      processDefinitionKey: keyText(r.process_definition_key),
      parentProcessInstanceKey: keyText(r.parent_process_instance_key),
      parentElementInstanceKey: keyText(r.parent_element_instance_key),
    }),
};

export const ELEMENT_INSTANCES: Resource = {
  name: 'element instance',
  table: 'h_element_instance',
  keyField: 'elementInstanceKey',
  fields: {
    elementInstanceKey: key('key'),
    processInstanceKey: key('process_instance_key'),
    processDefinitionKey: key('process_definition_key'),
    processDefinitionId: text('bpmn_process_id'),
    elementId: text('element_id'),
    type: text('element_type'),
    state: text('state'),
    startDate: date('start_date'),
    endDate: date('end_date', true),
    incidentKey: key('incident_key', true),
    hasIncident: { column: '(incident_key IS NOT NULL)', type: 'bool' },
    tenantId: text('tenant_id'),
  },
  toItem: (r) =>
    present({
      processDefinitionId: r.bpmn_process_id,
      startDate: dateText(r.start_date),
      endDate: dateText(r.end_date),
      elementId: r.element_id,
      elementName: r.element_id,
      type: r.element_type,
      state: r.state,
      hasIncident: r.incident_key !== null && r.incident_key !== undefined,
      tenantId: r.tenant_id,
      elementInstanceKey: keyText(r.key),
      processInstanceKey: keyText(r.process_instance_key),
      processDefinitionKey: keyText(r.process_definition_key),
      incidentKey: keyText(r.incident_key),
    }),
};

export const VARIABLES: Resource = {
  name: 'variable',
  table: 'h_variable',
  keyField: 'variableKey',
  fields: {
    variableKey: key('key'),
    name: text('name'),
    value: { column: 'value', type: 'string', unsortable: true },
    scopeKey: key('scope_key'),
    processInstanceKey: key('process_instance_key'),
    tenantId: text('tenant_id'),
  },
  toItem: (r) => ({
    name: r.name,
    value: r.value,
    isTruncated: false,
    tenantId: r.tenant_id,
    variableKey: keyText(r.key),
    scopeKey: keyText(r.scope_key),
    processInstanceKey: keyText(r.process_instance_key),
  }),
};

export const INCIDENTS: Resource = {
  name: 'incident',
  table: 'h_incident',
  keyField: 'incidentKey',
  fields: {
    incidentKey: key('key'),
    processDefinitionId: text('bpmn_process_id'),
    processDefinitionKey: key('process_definition_key'),
    processInstanceKey: key('process_instance_key'),
    errorType: text('error_type'),
    errorMessage: text('error_message'),
    elementId: text('element_id'),
    elementInstanceKey: key('element_instance_key'),
    creationTime: date('creation_time'),
    state: text('state'),
    jobKey: key('job_key', true),
    tenantId: text('tenant_id'),
  },
  toItem: (r) =>
    present({
      processDefinitionId: r.bpmn_process_id,
      errorType: r.error_type,
      errorMessage: r.error_message,
      elementId: r.element_id,
      creationTime: dateText(r.creation_time),
      state: r.state,
      tenantId: r.tenant_id,
      incidentKey: keyText(r.key),
      processDefinitionKey: keyText(r.process_definition_key),
      processInstanceKey: keyText(r.process_instance_key),
      elementInstanceKey: keyText(r.element_instance_key),
      jobKey: keyText(r.job_key),
    }),
};

export const JOBS: Resource = {
  name: 'job',
  table: 'h_job',
  keyField: 'jobKey',
  fields: {
    jobKey: key('key'),
    type: text('type'),
    worker: text('worker'),
    state: text('state'),
    kind: text('kind'),
    listenerEventType: text('listener_event_type'),
    retries: int('retries'),
    errorMessage: text('error_message'),
    errorCode: text('error_code'),
    deadline: date('deadline', true),
    processDefinitionId: text('bpmn_process_id'),
    processDefinitionKey: key('process_definition_key'),
    processInstanceKey: key('process_instance_key'),
    elementId: text('element_id'),
    elementInstanceKey: key('element_instance_key'),
    tenantId: text('tenant_id'),
    creationTime: date('creation_time'),
    endTime: date('end_time', true),
  },
  toItem: (r) =>
    present({
      customHeaders: JSON.parse(String(r.custom_headers)) as Record<string, string>,
      elementInstanceKey: keyText(r.element_instance_key),
      elementId: r.element_id,
      errorCode: r.error_code === '' ? undefined : r.error_code,
      errorMessage: r.error_message === '' ? undefined : r.error_message,
      hasFailedWithRetriesLeft: r.state === 'FAILED' && Number(r.retries) > 0,
      isDenied: false,
      jobKey: keyText(r.key),
      kind: r.kind,
      listenerEventType: r.listener_event_type,
      processDefinitionId: r.bpmn_process_id,
      processDefinitionKey: keyText(r.process_definition_key),
      processInstanceKey: keyText(r.process_instance_key),
      retries: Number(r.retries),
      state: r.state,
      tenantId: r.tenant_id,
      type: r.type,
      worker: r.worker,
      deadline: dateText(r.deadline),
      creationTime: dateText(r.creation_time),
      endTime: dateText(r.end_time),
    }),
};

export const PROCESS_DEFINITIONS: Resource = {
  name: 'process definition',
  table: 'h_process_definition',
  keyField: 'processDefinitionKey',
  fields: {
    processDefinitionKey: key('key'),
    processDefinitionId: text('bpmn_process_id'),
    name: text('name', true),
    version: int('version'),
    versionTag: text('version_tag', true),
    resourceName: text('resource_name'),
    tenantId: text('tenant_id'),
  },
  toItem: (r) =>
    present({
      name: r.name ?? undefined,
      resourceName: r.resource_name,
      version: Number(r.version),
      versionTag: r.version_tag ?? undefined,
      processDefinitionId: r.bpmn_process_id,
      tenantId: r.tenant_id,
      processDefinitionKey: keyText(r.key),
      hasStartForm: false,
    }),
};

export const RESOURCES = {
  processInstances: PROCESS_INSTANCES,
  elementInstances: ELEMENT_INSTANCES,
  variables: VARIABLES,
  incidents: INCIDENTS,
  jobs: JOBS,
  processDefinitions: PROCESS_DEFINITIONS,
  ...MORE_RESOURCES,
  ...BATCH_RESOURCES,
} as const;

export type ResourceName = keyof typeof RESOURCES;
