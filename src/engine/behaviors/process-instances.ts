/**
 * Starting a process instance: by a client (the none start event), or by one of the process's
 * start events firing (a timer, a message). The root's variables are written first, then the
 * process element is activated; a start event other than the none start event is named on the
 * activation, so the process begins there (processors/bpmn/process.ts).
 */
import type { ProcessingContext } from '../processing/context.js';
import type { ProcessInstanceValue, ProcessValue, Variables } from '../records.js';
import { setLocalVariables } from './variables.js';

export function processInstanceValue(process: ProcessValue, processInstanceKey: bigint): ProcessInstanceValue {
  return {
    bpmnProcessId: process.bpmnProcessId,
    version: process.version,
    processDefinitionKey: process.processDefinitionKey,
    processInstanceKey,
    elementId: process.bpmnProcessId,
    flowScopeKey: -1n,
    bpmnElementType: 'PROCESS',
    bpmnEventType: 'UNSPECIFIED',
    parentProcessInstanceKey: -1n,
    parentElementInstanceKey: -1n,
    tenantId: process.tenantId,
  };
}

/** Writes the root variables and queues the activation; returns the new instance's key. */
export function startProcessInstance(
  ctx: ProcessingContext,
  process: ProcessValue,
  variables: Variables,
  startEventId: string | null,
  processInstanceKey: bigint = ctx.nextKey(),
): bigint {
  const value = processInstanceValue(process, processInstanceKey);
  setLocalVariables(ctx, processInstanceKey, variables, value);
  ctx.enqueue(startEventId === null ? { kind: 'ACTIVATE', key: processInstanceKey, value } : { kind: 'ACTIVATE', key: processInstanceKey, value, triggeredEventId: startEventId });
  return processInstanceKey;
}
