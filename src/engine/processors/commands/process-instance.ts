import type { ExecutableProcess } from '../../../model/types.js';
import { processInstanceValue } from '../../behaviors/process-instances.js';
import { setLocalVariables } from '../../behaviors/variables.js';
import { terminate } from '../../behaviors/transitions.js';
import type { ProcessingContext } from '../../processing/context.js';
import type { EngineCommand } from '../../processing/types.js';
import type { ProcessInstanceCreationValue } from '../../records.js';
import type { ProcessRow } from '../../state/types.js';
import { tenantOf } from '../../tenants.js';

/** The definition to start, of the request's tenant: another tenant's is not found, as in Zeebe. */
function findProcess(ctx: ProcessingContext, value: ProcessInstanceCreationValue): ProcessRow | string {
  const tenantId = tenantOf(value.tenantId);
  if (value.processDefinitionKey > 0n) {
    return (
      ctx.state.processes.usableInTenant(value.processDefinitionKey, tenantId) ??
      `Expected to find process definition with key '${value.processDefinitionKey}', but none found`
    );
  }
  if (!value.bpmnProcessId) return 'Expected at least a bpmnProcessId or a key greater than -1, but none given';
  if (value.version > 0) {
    return (
      ctx.state.processes.byVersion(value.bpmnProcessId, value.version, tenantId) ??
      `Expected to find process definition with process ID '${value.bpmnProcessId}' and version '${value.version}', but none found`
    );
  }
  return (
    ctx.state.processes.latest(value.bpmnProcessId, tenantId) ??
    `Expected to find process definition with process ID '${value.bpmnProcessId}', but none found`
  );
}

/** CREATE and CREATE_WITH_AWAITING_RESULT. The latter answers when the instance completes. */
export function processInstanceCreate(ctx: ProcessingContext, command: EngineCommand): void {
  const value = command.value as ProcessInstanceCreationValue;
  const found = findProcess(ctx, value);
  if (typeof found === 'string') {
    ctx.reject('NOT_FOUND', found);
    return;
  }
  const process = found.value;
  const startAt = (value.startInstructions ?? []).map((i) => i.elementId);
  if (startAt.length > 0) {
    const problem = startInstructionProblem(ctx.models.get(process.processDefinitionKey), startAt);
    if (problem) {
      ctx.reject('INVALID_ARGUMENT', problem);
      return;
    }
  } else if (ctx.models.has(process.processDefinitionKey) && ctx.models.get(process.processDefinitionKey).elements.get(process.bpmnProcessId)?.noneStartEventId === null) {
    ctx.reject('INVALID_ARGUMENT', `Expected to create instance of process with none start event, but there is no such event in process '${process.bpmnProcessId}'`);
    return;
  }
  const processInstanceKey = ctx.nextKey();
  const element = processInstanceValue(process, processInstanceKey);
  setLocalVariables(ctx, processInstanceKey, value.variables ?? {}, element);
  const created: ProcessInstanceCreationValue = {
    bpmnProcessId: process.bpmnProcessId,
    processDefinitionKey: process.processDefinitionKey,
    version: process.version,
    variables: value.variables ?? {},
    processInstanceKey,
    fetchVariables: value.fetchVariables ?? [],
    tenantId: process.tenantId,
  };
  ctx.event('PROCESS_INSTANCE_CREATION', 'CREATED', processInstanceKey, created);
  if (command.intent === 'CREATE_WITH_AWAITING_RESULT' && command.requestId) {
    // Registered before the instance runs: it may complete within this very command.
    ctx.awaiting.add(processInstanceKey, { requestId: command.requestId, fetchVariables: value.fetchVariables ?? [] });
    ctx.onRollback.push(() => ctx.awaiting.remove(processInstanceKey));
  } else {
    ctx.respond(processInstanceKey, {
      processDefinitionKey: process.processDefinitionKey,
      bpmnProcessId: process.bpmnProcessId,
      version: process.version,
      processInstanceKey,
      tenantId: process.tenantId,
    });
  }
  ctx.enqueue(startAt.length > 0 ? { kind: 'ACTIVATE', key: processInstanceKey, value: element, startAt } : { kind: 'ACTIVATE', key: processInstanceKey, value: element });
}

/** Why these start instructions cannot be followed, naming the element; null when they can. */
function startInstructionProblem(model: ExecutableProcess, elementIds: readonly string[]): string | null {
  for (const id of elementIds) {
    const element = model.elements.get(id);
    const prefix = `Expected to create an instance of process '${model.id}' starting at element '${id}'`;
    if (!element || id === model.id) return `${prefix}, but the process has no such element`;
    if (element.type === 'BOUNDARY_EVENT') return `${prefix}, but it is a boundary event: start at its activity or after it`;
    for (let scopeId = element.flowScopeId; scopeId !== null && scopeId !== model.id; scopeId = model.elements.get(scopeId)!.flowScopeId) {
      const scope = model.elements.get(scopeId)!;
      if (scope.type === 'MULTI_INSTANCE_BODY') return `${prefix}, but it is inside the multi-instance '${scopeId}': start at the multi-instance activity`;
      if (scope.type === 'EVENT_SUB_PROCESS') return `${prefix}, but it is inside the event sub-process '${scopeId}', which only its event starts`;
      if (scope.type === 'AD_HOC_SUB_PROCESS') return `${prefix}, but it is inside the ad-hoc sub-process '${scopeId}', which activates its elements itself: start at the ad-hoc sub-process`;
    }
    if (element.type === 'EVENT_SUB_PROCESS') return `${prefix}, but an event sub-process is only started by its event`;
  }
  return null;
}

export function processInstanceCancel(ctx: ProcessingContext, command: EngineCommand): void {
  const instance = ctx.state.elementInstances.get(command.key);
  if (!instance || instance.value.flowScopeKey > 0n || !ctx.mayUseTenant(instance.value.tenantId)) {
    ctx.reject('NOT_FOUND', `Expected to cancel a process instance with key '${command.key}', but no such process was found`);
    return;
  }
  if (instance.value.parentProcessInstanceKey > 0n) {
    ctx.reject(
      'INVALID_STATE',
      `Expected to cancel a process instance with key '${command.key}', but it is created by a parent process instance. Cancel the root process instance '${rootOf(ctx, instance.value.parentProcessInstanceKey)}' instead.`,
    );
    return;
  }
  terminate(ctx, command.key);
  ctx.respond(command.key, {});
}

/** The process instance at the top of a call hierarchy. */
function rootOf(ctx: ProcessingContext, processInstanceKey: bigint): bigint {
  let key = processInstanceKey;
  for (;;) {
    const parent = ctx.state.elementInstances.get(key)?.value.parentProcessInstanceKey ?? -1n;
    if (parent <= 0n) return key;
    key = parent;
  }
}
