/** Node results to Camunda 8.8 REST shapes: keys as decimal strings, enums as Camunda spells them. */
import type { ActivatedJob, CreateInstanceResult, DeployResult, FormView, ProcessInstanceView, Topology, UserTaskView, Variables } from '../../node/api.js';
import { DEFAULT_TENANT } from '../../node/api.js';

export { toJson } from '../grpc/encode.js';

export function key(value: bigint): string {
  return value.toString();
}

export function tenant(tenantId: string): string {
  return tenantId === '' ? DEFAULT_TENANT : tenantId;
}

export function encodeTopology(topology: Topology) {
  return {
    brokers: topology.brokers.map((broker) => ({
      nodeId: broker.nodeId,
      host: broker.host,
      port: broker.port,
      partitions: broker.partitions.map((p) => ({
        partitionId: p.partitionId,
        role: p.role.toLowerCase(),
        health: p.health.toLowerCase(),
      })),
      version: broker.version,
    })),
    clusterSize: topology.clusterSize,
    partitionsCount: topology.partitionsCount,
    replicationFactor: topology.replicationFactor,
    gatewayVersion: topology.gatewayVersion,
    // Zen has no dynamic cluster changes yet; Zeebe reports -1 until the first one completes.
    lastCompletedChangeId: '-1',
  };
}

export function encodeDeployment(result: DeployResult) {
  return {
    deploymentKey: key(result.key),
    tenantId: tenant(result.tenantId),
    deployments: [
      ...result.processes.map((process) => ({
        processDefinition: {
          processDefinitionId: process.bpmnProcessId,
          processDefinitionVersion: process.version,
          resourceName: process.resourceName,
          tenantId: tenant(process.tenantId),
          processDefinitionKey: key(process.processDefinitionKey),
        },
      })),
      ...(result.decisions ?? []).map((decision) => ({
        decisionDefinition: {
          decisionDefinitionId: decision.decisionId,
          version: decision.version,
          name: decision.decisionName,
          tenantId: tenant(decision.tenantId),
          decisionRequirementsId: decision.decisionRequirementsId,
          decisionDefinitionKey: key(decision.decisionKey),
          decisionRequirementsKey: key(decision.decisionRequirementsKey),
        },
      })),
      ...(result.decisionRequirements ?? []).map((drg) => ({
        decisionRequirements: {
          decisionRequirementsId: drg.decisionRequirementsId,
          version: drg.version,
          decisionRequirementsName: drg.decisionRequirementsName,
          tenantId: tenant(drg.tenantId),
          resourceName: drg.resourceName,
          decisionRequirementsKey: key(drg.decisionRequirementsKey),
        },
      })),
      ...result.forms.map((form) => ({
        form: {
          formId: form.formId,
          version: form.version,
          resourceName: form.resourceName,
          tenantId: tenant(form.tenantId),
          formKey: key(form.formKey),
        },
      })),
    ],
  };
}

export function encodeCreatedInstance(result: CreateInstanceResult, variables: Variables) {
  return {
    processDefinitionId: result.bpmnProcessId,
    processDefinitionVersion: result.version,
    tenantId: tenant(result.tenantId),
    variables,
    processDefinitionKey: key(result.processDefinitionKey),
    processInstanceKey: key(result.processInstanceKey),
  };
}

export function encodeJob(job: ActivatedJob) {
  return {
    type: job.type,
    processDefinitionId: job.bpmnProcessId,
    processDefinitionVersion: job.processDefinitionVersion,
    elementId: job.elementId,
    customHeaders: job.customHeaders,
    worker: job.worker,
    retries: job.retries,
    deadline: job.deadline,
    variables: job.variables,
    tenantId: tenant(job.tenantId),
    jobKey: key(job.key),
    processInstanceKey: key(job.processInstanceKey),
    processDefinitionKey: key(job.processDefinitionKey),
    elementInstanceKey: key(job.elementInstanceKey),
    kind: job.kind,
    listenerEventType: job.listenerEventType,
    ...(job.kind === 'TASK_LISTENER' ? { userTask: listenerUserTask(job.customHeaders) } : {}),
  };
}

/** A listener job's user task, from the `io.camunda.zeebe:*` headers the engine gave it (as Camunda's gateway does). */
function listenerUserTask(headers: Readonly<Record<string, string>>) {
  const header = (name: string): string | undefined => headers[`io.camunda.zeebe:${name}`];
  const list = (name: string): string[] => {
    const text = header(name);
    return text === undefined ? [] : (JSON.parse(text) as string[]);
  };
  const formKey = header('formKey');
  const priority = header('priority');
  return {
    userTaskKey: header('userTaskKey') ?? null,
    action: header('action') ?? '',
    assignee: header('assignee') ?? null,
    candidateGroups: list('candidateGroups'),
    candidateUsers: list('candidateUsers'),
    changedAttributes: list('changedAttributes'),
    dueDate: header('dueDate') ?? null,
    followUpDate: header('followUpDate') ?? null,
    ...(formKey !== undefined ? { formKey } : {}),
    priority: priority === undefined ? null : Number(priority),
  };
}

/** An optional text field: absent when empty, as Camunda leaves out unset ones. */
function optional<K extends string>(name: K, value: string): { [P in K]?: string } {
  return (value === '' ? {} : { [name]: value }) as { [P in K]?: string };
}

export function encodeUserTask(task: UserTaskView) {
  return {
    userTaskKey: key(task.userTaskKey),
    ...optional('name', task.name),
    state: task.state,
    ...optional('assignee', task.assignee),
    candidateGroups: task.candidateGroups,
    candidateUsers: task.candidateUsers,
    ...optional('dueDate', task.dueDate),
    ...optional('followUpDate', task.followUpDate),
    creationDate: new Date(task.creationTimestamp).toISOString(),
    priority: task.priority,
    ...(task.formKey > 0n ? { formKey: key(task.formKey) } : {}),
    ...optional('externalFormReference', task.externalFormReference),
    customHeaders: task.customHeaders,
    elementId: task.elementId,
    elementInstanceKey: key(task.elementInstanceKey),
    processInstanceKey: key(task.processInstanceKey),
    processDefinitionKey: key(task.processDefinitionKey),
    processDefinitionId: task.bpmnProcessId,
    processDefinitionVersion: task.processDefinitionVersion,
    ...optional('processName', task.processName),
    tenantId: tenant(task.tenantId),
  };
}

export function encodeForm(form: FormView) {
  return {
    formKey: key(form.formKey),
    formId: form.formId,
    version: form.version,
    schema: JSON.parse(form.schema) as unknown,
    tenantId: tenant(form.tenantId),
  };
}

export function encodeProcessInstance(view: ProcessInstanceView) {
  return {
    processInstanceKey: key(view.processInstanceKey),
    processDefinitionKey: key(view.processDefinitionKey),
    processDefinitionId: view.bpmnProcessId,
    processDefinitionVersion: view.version,
    state: 'ACTIVE',
    hasIncident: view.hasIncident,
    tenantId: tenant(view.tenantId),
    ...(view.parentProcessInstanceKey >= 0n ? { parentProcessInstanceKey: key(view.parentProcessInstanceKey) } : {}),
    ...(view.parentElementInstanceKey >= 0n ? { parentElementInstanceKey: key(view.parentElementInstanceKey) } : {}),
    activeElements: view.activeElements.map((e) => ({
      elementInstanceKey: key(e.elementInstanceKey),
      elementId: e.elementId,
      type: e.elementType,
      state: e.state,
    })),
  };
}
