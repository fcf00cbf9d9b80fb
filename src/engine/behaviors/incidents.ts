import type { ProcessingContext } from '../processing/context.js';
import type { IncidentErrorType, IncidentValue } from '../records.js';
import type { ElementInstance } from '../state/types.js';
import { jobKeyOf } from '../state/element-instances.js';

/** Raises an incident on an element instance (or on its job); the element waits for ResolveIncident. */
export function raiseIncident(
  ctx: ProcessingContext,
  instance: ElementInstance,
  errorType: IncidentErrorType,
  errorMessage: string,
  jobKey: bigint = -1n,
): void {
  const value: IncidentValue = {
    errorType,
    errorMessage,
    bpmnProcessId: instance.value.bpmnProcessId,
    processDefinitionKey: instance.value.processDefinitionKey,
    processInstanceKey: instance.value.processInstanceKey,
    elementId: instance.value.elementId,
    elementInstanceKey: instance.key,
    jobKey,
    variableScopeKey: instance.key,
    tenantId: instance.value.tenantId,
  };
  ctx.event('INCIDENT', 'CREATED', ctx.nextKey(), value);
}

/** Resolves the incidents an element holds when it goes away (termination). */
export function resolveIncidentsOf(ctx: ProcessingContext, instance: ElementInstance): void {
  const own = ctx.state.incidents.ofElementInstance(instance.key);
  if (own !== undefined) ctx.event('INCIDENT', 'RESOLVED', own, ctx.state.incidents.get(own)!.value);
  const jobKey = jobKeyOf(instance);
  if (jobKey > 0n) {
    const ofJob = ctx.state.incidents.ofJob(jobKey);
    if (ofJob !== undefined) ctx.event('INCIDENT', 'RESOLVED', ofJob, ctx.state.incidents.get(ofJob)!.value);
  }
}
