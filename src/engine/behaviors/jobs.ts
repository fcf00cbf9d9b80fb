import type { ExecutableElement } from '../../model/types.js';
import type { ProcessingContext } from '../processing/context.js';
import type { JobValue } from '../records.js';
import type { ElementInstance } from '../state/types.js';

export function createJob(
  ctx: ProcessingContext,
  instance: ElementInstance,
  element: ExecutableElement,
  type: string,
  retries: number,
): void {
  const v = instance.value;
  const value: JobValue = {
    type,
    worker: '',
    retries,
    retryBackoff: 0,
    recurringTime: -1,
    deadline: -1,
    timeout: 0,
    errorMessage: '',
    errorCode: '',
    customHeaders: { ...element.job!.headers },
    variables: {},
    processInstanceKey: v.processInstanceKey,
    bpmnProcessId: v.bpmnProcessId,
    processDefinitionVersion: v.version,
    processDefinitionKey: v.processDefinitionKey,
    elementId: v.elementId,
    elementInstanceKey: instance.key,
    tenantId: v.tenantId,
  };
  ctx.event('JOB', 'CREATED', ctx.nextKey(), value);
}

export function cancelJob(ctx: ProcessingContext, instance: ElementInstance): void {
  if (instance.jobKey <= 0n) return;
  const job = ctx.state.jobs.get(instance.jobKey);
  if (job) ctx.event('JOB', 'CANCELED', job.key, job.value);
}
