import type { ExecutableProcess } from '../../model/types.js';
import type { ApplierTable } from './applier.js';
import type { ProcessInstanceValue, ZenRecord } from '../records.js';
import type { EngineState } from '../state/engine-state.js';
import { type ElementState, NO_PAYLOAD } from '../state/types.js';
import { withoutListeners } from '../state/element-instances.js';
import { addJoinToken, consumeComplexTokens, consumeJoinTokens, isJoiningGateway } from '../state/join-tokens.js';

function setState(state: EngineState, key: bigint, next: ElementState): void {
  // ACTIVATED and COMPLETING begin a step whose execution listeners start from the first;
  // TERMINATING keeps a running listener's job for the termination to cancel.
  state.elementInstances.update(key, (instance) => ({ ...(next === 'TERMINATING' ? instance : withoutListeners(instance)), state: next }));
}

function removeInstance(state: EngineState, record: ZenRecord<ProcessInstanceValue>): void {
  state.elementInstances.remove(record.key);
  if (record.value.bpmnElementType === 'PROCESS') state.messageStartLocks.release(record.key);
  state.variables.removeScope(record.key);
  // A thrower ended while the call activities above were still deciding on its throw.
  state.calledInstances.throws.delete(record.key);
  const scopeKey = record.value.flowScopeKey;
  if (scopeKey > 0n) {
    const completed = record.intent === 'ELEMENT_COMPLETED';
    // A terminate end event ends its scope: tokens still waiting at a join there are void.
    const terminates = completed && record.value.bpmnEventType === 'TERMINATE';
    state.elementInstances.update(scopeKey, (scope) => ({
      ...scope,
      activeChildren: scope.activeChildren - 1,
      joinTokens: terminates ? {} : scope.joinTokens,
      payload: completed && scope.payload.kind === 'multiInstance' ? { ...scope.payload, completed: scope.payload.completed + 1 } : scope.payload,
    }));
  }
}

function interruptingEventSubProcess(model: ExecutableProcess, eventSubProcessId: string): boolean {
  for (const element of model.elements.values()) {
    if (element.type === 'START_EVENT' && element.flowScopeId === eventSubProcessId) return element.cancelActivity;
  }
  return false;
}

export const processInstanceAppliers: ApplierTable<'PROCESS_INSTANCE'> = {
  ELEMENT_ACTIVATING(state, record: ZenRecord<ProcessInstanceValue>, models) {
    state.elementInstances.put({
      key: record.key,
      state: 'ACTIVATING',
      value: record.value,
      activeChildren: 0,
      joinTokens: {},
      triggerVariables: null,
      payload: record.value.bpmnElementType === 'MULTI_INSTANCE_BODY' ? { kind: 'multiInstance', started: 0, completed: 0 } : NO_PAYLOAD,
    });
    const scopeKey = record.value.flowScopeKey;
    // A process started by a call activity: the caller keeps its key.
    const caller = record.value.parentElementInstanceKey;
    if (scopeKey <= 0n && caller > 0n) state.elementInstances.update(caller, (instance) => ({ ...instance, payload: { kind: 'callActivity', calledInstanceKey: record.key } }));
    if (scopeKey <= 0n) return;
    const type = record.value.bpmnElementType;
    const element = type.endsWith('_GATEWAY') || type === 'EVENT_SUB_PROCESS' ? models.get(record.value.processDefinitionKey).elements.get(record.value.elementId) : undefined;
    // An interrupting event sub-process ends the rest of its scope: tokens waiting at joins there are void.
    const interrupts = type === 'EVENT_SUB_PROCESS' && interruptingEventSubProcess(models.get(record.value.processDefinitionKey), record.value.elementId);
    state.elementInstances.update(scopeKey, (scope) => ({
      ...scope,
      activeChildren: scope.activeChildren + 1,
      // A complex gateway consumes when it is activated: until then its activation condition may still hold it.
      joinTokens: interrupts ? {} : element && isJoiningGateway(element) && element.type !== 'COMPLEX_GATEWAY' ? consumeJoinTokens(scope.joinTokens, element) : scope.joinTokens,
      payload: scope.payload.kind === 'multiInstance' ? { ...scope.payload, started: scope.payload.started + 1 } : scope.payload,
    }));
  },
  ELEMENT_ACTIVATED(state, record: ZenRecord<ProcessInstanceValue>, models) {
    setState(state, record.key, 'ACTIVATED');
    if (record.value.bpmnElementType !== 'COMPLEX_GATEWAY') return;
    const gateway = models.get(record.value.processDefinitionKey).elements.get(record.value.elementId)!;
    if (!isJoiningGateway(gateway)) return;
    state.elementInstances.update(record.value.flowScopeKey, (scope) => ({ ...scope, joinTokens: consumeComplexTokens(scope.joinTokens, scope, gateway) }));
  },
  ELEMENT_COMPLETING(state, record) {
    setState(state, record.key, 'COMPLETING');
  },
  ELEMENT_COMPLETED: removeInstance,
  ELEMENT_TERMINATING(state, record) {
    setState(state, record.key, 'TERMINATING');
  },
  ELEMENT_TERMINATED: removeInstance,
  /** Moved to another process definition: the same instance, now of the target element. */
  ELEMENT_MIGRATED(state, record: ZenRecord<ProcessInstanceValue>) {
    state.elementInstances.update(record.key, (instance) => ({ ...instance, value: record.value }));
  },
  SEQUENCE_FLOW_TAKEN(state, record: ZenRecord<ProcessInstanceValue>, models) {
    // Only flows into a joining gateway leave a token behind; other targets are activated
    // right away by the same command.
    const model = models.get(record.value.processDefinitionKey);
    const flow = model.flows.get(record.value.elementId)!;
    const target = model.elements.get(flow.targetId)!;
    if (!isJoiningGateway(target)) return;
    state.elementInstances.update(record.value.flowScopeKey, (scope) => ({ ...scope, joinTokens: addJoinToken(scope.joinTokens, target.id, flow.id) }));
  },
};
