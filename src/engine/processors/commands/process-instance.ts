import { processInstanceValue } from '../../behaviors/process-instances.js';
import { setLocalVariables } from '../../behaviors/variables.js';
import { terminate } from '../../behaviors/transitions.js';
import type { ProcessingContext } from '../../processing/context.js';
import type { EngineCommand } from '../../processing/types.js';
import type { ProcessInstanceCreationValue } from '../../records.js';
import type { ProcessRow } from '../../state/types.js';

function findProcess(ctx: ProcessingContext, value: ProcessInstanceCreationValue): ProcessRow | string {
  if (value.processDefinitionKey > 0n) {
    return (
      ctx.state.processes.get(value.processDefinitionKey) ??
      `Expected to find process definition with key '${value.processDefinitionKey}', but none found`
    );
  }
  if (!value.bpmnProcessId) return 'Expected at least a bpmnProcessId or a key greater than -1, but none given';
  if (value.version > 0) {
    return (
      ctx.state.processes.byVersion(value.bpmnProcessId, value.version) ??
      `Expected to find process definition with process ID '${value.bpmnProcessId}' and version '${value.version}', but none found`
    );
  }
  return (
    ctx.state.processes.latest(value.bpmnProcessId) ??
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
  if (ctx.models.has(process.processDefinitionKey) && ctx.models.get(process.processDefinitionKey).elements.get(process.bpmnProcessId)?.noneStartEventId === null) {
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
  ctx.enqueue({ kind: 'ACTIVATE', key: processInstanceKey, value: element });
}

export function processInstanceCancel(ctx: ProcessingContext, command: EngineCommand): void {
  const instance = ctx.state.elementInstances.get(command.key);
  if (!instance || instance.value.flowScopeKey > 0n) {
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
