/** Node results to Camunda 8.8 REST shapes: keys as decimal strings, enums as Camunda spells them. */
import type { ActivatedJob, CreateInstanceResult, DeployResult, ProcessInstanceView, Topology, Variables } from '../../node/api.js';
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
    deployments: result.processes.map((process) => ({
      processDefinition: {
        processDefinitionId: process.bpmnProcessId,
        processDefinitionVersion: process.version,
        resourceName: process.resourceName,
        tenantId: tenant(process.tenantId),
        processDefinitionKey: key(process.processDefinitionKey),
      },
    })),
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
    // Zen creates jobs for service-task-like elements only (no listeners yet).
    kind: 'BPMN_ELEMENT',
    listenerEventType: 'UNSPECIFIED',
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
