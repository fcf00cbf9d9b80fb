/**
 * PROCESS_INSTANCE_MODIFICATION MODIFY (ModifyProcessInstance): activates elements of a running
 * instance (creating the flow scopes they need) and terminates element instances, in one command,
 * as Zeebe 8.8 does. A scope left with nothing running after a termination is terminated too, up
 * to the process instance, unless an activation of this command goes into it. Every instruction
 * is checked before anything is written; what can only be found out while writing (a flow scope
 * that cannot be chosen or created) rejects the whole command.
 */
import type { BpmnElementType, ExecutableElement, ExecutableProcess } from '../../../model/types.js';
import { activateElementByHand } from '../../behaviors/element-activation.js';
import { terminate } from '../../behaviors/transitions.js';
import type { ProcessingContext } from '../../processing/context.js';
import { CommandRejected } from '../../processing/rejection.js';
import type { EngineCommand } from '../../processing/types.js';
import type { ModificationActivateInstruction, ProcessInstanceModificationValue, Variables } from '../../records.js';
import { hasPendingTokens } from '../../state/join-tokens.js';
import type { ElementInstance } from '../../state/types.js';

/** Zeebe's element types in the order of its enum, as its rejection lists the supported ones. */
const ELEMENT_TYPE_ORDER: readonly BpmnElementType[] = [
  'PROCESS', 'SUB_PROCESS', 'EVENT_SUB_PROCESS', 'AD_HOC_SUB_PROCESS', 'AD_HOC_SUB_PROCESS_INNER_INSTANCE', 'START_EVENT', 'INTERMEDIATE_CATCH_EVENT', 'INTERMEDIATE_THROW_EVENT',
  'BOUNDARY_EVENT', 'END_EVENT', 'SERVICE_TASK', 'RECEIVE_TASK', 'USER_TASK', 'MANUAL_TASK', 'TASK', 'EXCLUSIVE_GATEWAY',
  'PARALLEL_GATEWAY', 'EVENT_BASED_GATEWAY', 'INCLUSIVE_GATEWAY', 'COMPLEX_GATEWAY', 'MULTI_INSTANCE_BODY', 'CALL_ACTIVITY',
  'BUSINESS_RULE_TASK', 'SCRIPT_TASK', 'SEND_TASK', 'SEQUENCE_FLOW',
];
/**
 * What cannot be activated by hand: start events (of event sub-processes too: activate the event
 * sub-process instead), boundary events and flows, as in Zeebe; and the process itself, which
 * already runs (Zeebe leaves that case undefined).
 */
const UNSUPPORTED: ReadonlySet<BpmnElementType> = new Set(['PROCESS', 'START_EVENT', 'BOUNDARY_EVENT', 'SEQUENCE_FLOW', 'AD_HOC_SUB_PROCESS_INNER_INSTANCE']);

type Rejection = { readonly type: 'INVALID_ARGUMENT'; readonly reason: string };

const invalid = (reason: string): Rejection => ({ type: 'INVALID_ARGUMENT', reason });

export function processInstanceModify(ctx: ProcessingContext, command: EngineCommand): void {
  const value = command.value as ProcessInstanceModificationValue;
  const eventKey = command.key > 0n ? command.key : value.processInstanceKey;
  const processInstance = ctx.state.elementInstances.get(value.processInstanceKey);
  if (!processInstance || processInstance.value.flowScopeKey > 0n || !ctx.mayUseTenant(processInstance.value.tenantId)) {
    ctx.reject('NOT_FOUND', `Expected to modify process instance but no process instance found with key '${eventKey}'`);
    return;
  }
  const model = ctx.models.get(processInstance.value.processDefinitionKey);
  const activations = value.activateInstructions ?? [];
  const terminations = value.terminateInstructions ?? [];
  const problem = validate(ctx, processInstance, model, activations, terminations);
  if (problem) {
    ctx.reject(problem.type, problem.reason);
    return;
  }

  const required = new Set<bigint>();
  const activated: ModificationActivateInstruction[] = [];
  for (const instruction of activations) {
    const element = model.elements.get(instruction.elementId)!;
    const variablesFor = (elementId: string): Variables | null => {
      let merged: Variables | null = null;
      for (const v of instruction.variableInstructions ?? []) {
        if (v.elementId === elementId || (v.elementId === '' && elementId === model.id)) merged = { ...(merged ?? {}), ...v.variables };
      }
      return merged;
    };
    const keys = activateElementByHand(ctx, processInstance, model, element, instruction.ancestorScopeKey, variablesFor);
    for (const key of keys) required.add(key);
    activated.push({ ...instruction, variableInstructions: instruction.variableInstructions ?? [], ancestorScopeKeys: keys });
  }
  for (const { elementInstanceKey } of terminations) {
    // Already gone with a scope an earlier instruction terminated.
    const instance = ctx.state.elementInstances.get(elementInstanceKey);
    if (!instance) continue;
    terminate(ctx, elementInstanceKey);
    terminateEmptyScopes(ctx, instance.value.flowScopeKey, required);
  }
  const modified: ProcessInstanceModificationValue = {
    processInstanceKey: value.processInstanceKey,
    activateInstructions: activated,
    terminateInstructions: terminations.map((t) => ({ elementInstanceKey: t.elementInstanceKey })),
    ancestorScopeKeys: [...required],
    tenantId: processInstance.value.tenantId,
  };
  ctx.event('PROCESS_INSTANCE_MODIFICATION', 'MODIFIED', eventKey, modified);
  ctx.respond(eventKey, modified);
}

/**
 * Zeebe's rule: a flow scope left with no element instance running, no token on its way to a join
 * and no activation of this command going into it has nothing left to do and is terminated, and
 * so on upwards. An instance started by a call activity is never ended this way: its parent is.
 */
function terminateEmptyScopes(ctx: ProcessingContext, scopeKey: bigint, required: ReadonlySet<bigint>): void {
  for (let scope = ctx.state.elementInstances.get(scopeKey); scope && canEnd(ctx, scope, required); ) {
    if (scope.value.flowScopeKey <= 0n && scope.value.parentProcessInstanceKey > 0n) {
      throw new CommandRejected(
        'INVALID_ARGUMENT',
        `Expected to modify instance of process '${scope.value.bpmnProcessId}' but the given instructions would terminate the instance. The instance was created by a call activity in the parent process. To terminate this instance please modify the parent process instead.`,
      );
    }
    const next = scope.value.flowScopeKey;
    terminate(ctx, scope.key);
    scope = ctx.state.elementInstances.get(next);
  }
}

function canEnd(ctx: ProcessingContext, scope: ElementInstance, required: ReadonlySet<bigint>): boolean {
  if (scope.state === 'TERMINATING' || scope.activeChildren > 0 || hasPendingTokens(scope) || required.has(scope.key)) return false;
  return !ctx.pendingElementCommands().some((c) => c.kind === 'ACTIVATE' && c.value.flowScopeKey === scope.key);
}

// ---- validation, in Zeebe's order --------------------------------------------------------

function validate(
  ctx: ProcessingContext,
  processInstance: ElementInstance,
  model: ExecutableProcess,
  activations: readonly ModificationActivateInstruction[],
  terminations: ReadonlyArray<{ elementInstanceKey: bigint }>,
): Rejection | null {
  const processId = model.id;
  const prefix = `Expected to modify instance of process '${processId}' but it contains one or more`;
  const elementIds = [...new Set(activations.map((a) => a.elementId))];

  const unknown = elementIds.filter((id) => !model.elements.has(id) && !model.flows.has(id));
  if (unknown.length > 0) return invalid(`${prefix} activate instructions with an element that could not be found: '${unknown.join("', '")}'`);

  const afterEventGateway = elementIds.filter((id) => isEventOfEventBasedGateway(model, model.elements.get(id)));
  if (afterEventGateway.length > 0) {
    return invalid(`${prefix} activate instructions for elements that are unsupported: '${afterEventGateway.join("', '")}'. The activation of events belonging to an event-based gateway is not supported.`);
  }
  const unsupported = elementIds.map((id) => ({ id, type: model.flows.has(id) ? ('SEQUENCE_FLOW' as const) : model.elements.get(id)!.type })).filter((e) => UNSUPPORTED.has(e.type));
  if (unsupported.length > 0) {
    const types = [...new Set(unsupported.map((e) => e.type))].join("', '");
    const supported = ELEMENT_TYPE_ORDER.filter((t) => !UNSUPPORTED.has(t)).join(', ');
    return invalid(
      `${prefix} activate instructions for elements that are unsupported: '${unsupported.map((e) => e.id).join("', '")}'. The activation of elements with type '${types}' is not supported. Supported element types are: [${supported}].`,
    );
  }

  // An ad-hoc sub-process starts its inner elements itself (each in an inner instance of its own).
  const inAdHoc = elementIds.map((id) => ({ id, adHoc: flowScopeIds(model, id).find((scopeId) => model.elements.get(scopeId)?.type === 'AD_HOC_SUB_PROCESS') })).filter((e) => e.adHoc);
  if (inAdHoc.length > 0) {
    return invalid(
      `${prefix} activate instructions for elements inside the ad-hoc sub-process '${inAdHoc[0]!.adHoc}': '${inAdHoc.map((e) => e.id).join("', '")}', which is currently unsupported. Activate them with ActivateAdHocSubProcessActivities.`,
    );
  }

  const terminateKeys = [...new Set(terminations.map((t) => t.elementInstanceKey))];
  // Only element instances of this process instance (Zeebe would take any it finds).
  const missing = terminateKeys.filter((key) => ctx.state.elementInstances.get(key)?.value.processInstanceKey !== processInstance.key);
  if (missing.length > 0) return invalid(`${prefix} terminate instructions with an element instance that could not be found: '${missing.join("', '")}'`);
  if (terminateKeys.includes(processInstance.key)) {
    return invalid(`${prefix} terminate instructions for the process instance itself: '${processInstance.key}'. Cancel the process instance instead.`);
  }

  const scopeIds = new Set(activations.flatMap((a) => (a.variableInstructions ?? []).map((v) => v.elementId)).filter((id) => id !== ''));
  const unknownScopes = [...scopeIds].filter((id) => !model.elements.has(id));
  if (unknownScopes.length > 0) {
    return invalid(`${prefix} variable instructions with a scope element id that could not be found: '${unknownScopes.join("', '")}'`);
  }
  const notFlowScope = activations.some((a) =>
    (a.variableInstructions ?? []).some((v) => v.elementId !== '' && v.elementId !== a.elementId && !flowScopeIds(model, a.elementId).includes(v.elementId)),
  );
  if (notFlowScope) {
    return invalid(
      `${prefix} variable instructions with a scope element that doesn't belong to the activating element's flow scope. These variables should be set before or after the modification.`,
    );
  }

  const ancestorProblem = validateAncestors(ctx, processInstance, model, prefix, activations);
  if (ancestorProblem) return ancestorProblem;

  const conflicts: string[] = [];
  for (const key of terminateKeys) {
    const terminated = ctx.state.elementInstances.get(key)!;
    for (const a of activations) {
      const conflict = a.ancestorScopeKey > 0n ? a.ancestorScopeKey === key : flowScopeIds(model, a.elementId).includes(terminated.value.elementId);
      if (conflict) conflicts.push(`element '${a.elementId}' requires flow scope instance '${key}' which is being terminated`);
    }
  }
  if (conflicts.length > 0) {
    return invalid(
      `${prefix} activate instructions for elements whose required flow scope instance is also being terminated: ${conflicts.join(', ')}. Please provide a valid ancestor scope key for the activation or avoid terminating the required flow scope.`,
    );
  }
  return null;
}

function validateAncestors(
  ctx: ProcessingContext,
  processInstance: ElementInstance,
  model: ExecutableProcess,
  prefix: string,
  activations: readonly ModificationActivateInstruction[],
): Rejection | null {
  const ancestorKeys = [...new Set(activations.map((a) => a.ancestorScopeKey).filter((key) => key > 0n))];
  const inactive = ancestorKeys.filter((key) => {
    const instance = ctx.state.elementInstances.get(key);
    return !instance || instance.state === 'TERMINATING';
  });
  if (inactive.length > 0) {
    return invalid(`${prefix} activate instructions with an ancestor scope key that does not exist, or is not in an active state: '${inactive.join("', '")}'`);
  }
  const foreign = ancestorKeys.filter((key) => ctx.state.elementInstances.get(key)!.value.processInstanceKey !== processInstance.key);
  if (foreign.length > 0) {
    return invalid(`${prefix} activate instructions with an ancestor scope key that does not belong to the modified process instance: '${foreign.join("', '")}'`);
  }
  const notAncestor = activations
    .filter((a) => a.ancestorScopeKey > 0n)
    .map((a) => ({ key: a.ancestorScopeKey, ancestorId: ctx.state.elementInstances.get(a.ancestorScopeKey)!.value.elementId, elementId: a.elementId }))
    .filter((a) => !flowScopeIds(model, a.elementId).includes(a.ancestorId))
    .map((a) => `\n- instance '${a.key}' of element '${a.ancestorId}' is not an ancestor of element '${a.elementId}'`);
  if (notAncestor.length > 0) return invalid(`${prefix} activate instructions with an ancestor scope key that is not an ancestor of the element to activate:${notAncestor.join('')}`);
  return null;
}

/** Ids of the element's flow scopes, innermost first, up to the process. */
function flowScopeIds(model: ExecutableProcess, elementId: string): string[] {
  const ids: string[] = [];
  for (let id = model.elements.get(elementId)?.flowScopeId ?? null; id !== null; id = model.elements.get(id)!.flowScopeId) ids.push(id);
  return ids;
}

function isEventOfEventBasedGateway(model: ExecutableProcess, element: ExecutableElement | undefined): boolean {
  if (!element || element.type !== 'INTERMEDIATE_CATCH_EVENT' && element.type !== 'RECEIVE_TASK') return false;
  return element.incoming.some((flowId) => model.elements.get(model.flows.get(flowId)!.sourceId)?.type === 'EVENT_BASED_GATEWAY');
}
