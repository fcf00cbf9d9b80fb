/**
 * The element lifecycle shared by every element kind:
 *   ACTIVATING → ACTIVATED → COMPLETING → COMPLETED (→ outgoing flows)
 *   any active state → TERMINATING → TERMINATED
 * Element processors decide what happens inside each step; this file owns the steps, and what
 * every element does around its own activation: input mappings and start execution listeners.
 */
import type { ExecutableElement, ExecutableProcess } from '../../model/types.js';
import { elementOf } from '../models.js';
import type { ProcessingContext } from '../processing/context.js';
import type { ElementCommand } from '../processing/element-commands.js';
import { partitionOfKey } from '../state/engine-state.js';
import { hasPendingTokens } from '../state/join-tokens.js';
import { activateReadyJoins, joinIsComplete } from './join.js';
import { setLocalVariables } from './variables.js';
import { listenerWaits } from './execution-listeners.js';
import { applyInputMappings } from './io-mappings.js';
import type { ProcessEventValue, Variables } from '../records.js';
import type { ElementInstance } from '../state/types.js';
import { childValue } from './element-value.js';
import { resolveIncidentsOf } from './incidents.js';
import { removeDeletedDefinition } from './process-definitions.js';
import { completeCompensationHandler, subscribeCompletedActivity } from './compensation.js';

function modelOf(ctx: ProcessingContext, instance: ElementInstance): [ExecutableProcess, ExecutableElement] {
  const model = ctx.models.get(instance.value.processDefinitionKey);
  return [model, elementOf(model, instance.value)];
}

export function runActivate(ctx: ProcessingContext, command: Extract<ElementCommand, { kind: 'ACTIVATE' }>): void {
  const { value } = command;
  const model = ctx.models.get(value.processDefinitionKey);
  const element = elementOf(model, value);
  if (value.flowScopeKey > 0n) {
    const scope = ctx.state.elementInstances.get(value.flowScopeKey);
    // The scope may have been terminated by an interrupting event earlier in this command.
    if (!scope || scope.state !== 'ACTIVATED') return;
    if (!command.direct && !joinIsComplete(ctx, scope, element)) {
      // A join is often queued twice (the flow into it, and the check that found it complete);
      // the second finds its tokens taken. Other inclusive or complex joins of the scope counted
      // this queued activation as a token that could still come: with it gone, look at them again.
      activateReadyJoins(ctx, scope);
      return;
    }
  } else if (value.parentElementInstanceKey > 0n && partitionOfKey(value.parentElementInstanceKey) === ctx.partitionId) {
    // A called process whose call activity was ended by an event earlier in this command.
    const caller = ctx.state.elementInstances.get(value.parentElementInstanceKey);
    if (!caller || caller.state !== 'ACTIVATED') return;
  }
  if (command.rootVariables) setLocalVariables(ctx, command.key, command.rootVariables, value);
  ctx.event('PROCESS_INSTANCE', 'ELEMENT_ACTIVATING', command.key, value);
  if (command.triggeredEventId || (command.variables && (command.triggered || Object.keys(command.variables).length > 0))) {
    const trigger: ProcessEventValue = {
      scopeKey: command.key,
      targetElementId: command.triggeredEventId ?? value.elementId,
      variables: command.variables ?? {},
      processDefinitionKey: value.processDefinitionKey,
      processInstanceKey: value.processInstanceKey,
      tenantId: value.tenantId,
    };
    ctx.event('PROCESS_EVENT', 'TRIGGERED', command.key, trigger);
  }
  if (command.localVariables) setLocalVariables(ctx, command.key, command.localVariables, value);
  ctx.activation = command;
  try {
    beginActivation(ctx, ctx.state.elementInstances.get(command.key)!, element, model);
  } finally {
    ctx.activation = null;
  }
}

/**
 * The ACTIVATING step, Zeebe's order: input mappings, then the start execution listeners one by
 * one (the element waits for each job), then the element's own behaviour. A scope entered at
 * given elements (start instructions) is placed directly, without its start listeners, as Zeebe
 * does for the scopes of start and modification instructions.
 */
function beginActivation(ctx: ProcessingContext, instance: ElementInstance, element: ExecutableElement, model: ExecutableProcess): void {
  if (!applyInputMappings(ctx, instance, element)) return;
  if (!ctx.activation?.startAt && listenerWaits(ctx, instance.key, element, 'start')) return;
  ctx.processors.of(element).activate(ctx, ctx.state.elementInstances.get(instance.key)!, element, model);
}

/**
 * An execution listener's job completed: the next listener of the step runs, or the step goes on
 * (the element's own activation, or its completion: output mappings are not applied again).
 */
export function continueAfterListener(ctx: ProcessingContext, instance: ElementInstance): void {
  const [model, element] = modelOf(ctx, instance);
  if (instance.state === 'ACTIVATING') {
    if (listenerWaits(ctx, instance.key, element, 'start')) return;
    ctx.processors.of(element).activate(ctx, ctx.state.elementInstances.get(instance.key)!, element, model);
  } else if (instance.state === 'COMPLETING') {
    ctx.processors.of(element).complete(ctx, instance, element, model);
  }
}

export function runComplete(ctx: ProcessingContext, key: bigint): void {
  const instance = ctx.state.elementInstances.get(key);
  if (!instance || instance.state !== 'ACTIVATED') return;
  // A scope asked to complete may have received new children since; it completes later.
  if (instance.activeChildren > 0 || hasPendingTokens(instance)) return;
  const [model, element] = modelOf(ctx, instance);
  ctx.event('PROCESS_INSTANCE', 'ELEMENT_COMPLETING', key, instance.value);
  ctx.processors.of(element).complete(ctx, ctx.state.elementInstances.get(key)!, element, model);
}

/** Re-runs the step an incident interrupted, from its start (execution listeners from the first). */
export function continueAfterIncident(ctx: ProcessingContext, instance: ElementInstance): void {
  const [model, element] = modelOf(ctx, instance);
  if (instance.state === 'ACTIVATING') beginActivation(ctx, instance, element, model);
  else if (instance.state === 'COMPLETING') ctx.processors.of(element).complete(ctx, instance, element, model);
}

export function toActivated(ctx: ProcessingContext, instance: ElementInstance): void {
  ctx.event('PROCESS_INSTANCE', 'ELEMENT_ACTIVATED', instance.key, instance.value);
}

export function toCompleting(ctx: ProcessingContext, instance: ElementInstance): void {
  ctx.event('PROCESS_INSTANCE', 'ELEMENT_COMPLETING', instance.key, instance.value);
}

/** Completes the element and continues the flow: outgoing flows, or the end of this path. */
export function toCompleted(
  ctx: ProcessingContext,
  instance: ElementInstance,
  model: ExecutableProcess,
  flowIds: readonly string[],
  /** The targets are events that already fired, with these variables (an event-based gateway). */
  trigger?: Variables,
): void {
  const scope = instance.value.flowScopeKey > 0n ? ctx.state.elementInstances.get(instance.value.flowScopeKey) : undefined;
  // While the child's variables are still there (a multi-instance body collects its output).
  if (scope && !ctx.processors.of(modelOf(ctx, scope)[1]).onChildCompleting(ctx, scope, instance)) return;
  subscribeCompletedActivity(ctx, instance, elementOf(model, instance.value));
  ctx.event('PROCESS_INSTANCE', 'ELEMENT_COMPLETED', instance.key, instance.value);
  completeCompensationHandler(ctx, instance);
  if (instance.value.flowScopeKey > 0n) takeFlows(ctx, instance, model, flowIds, trigger);
  else removeDeletedDefinition(ctx, instance.value.processDefinitionKey);
}

export function completeLater(ctx: ProcessingContext, instance: ElementInstance): void {
  ctx.enqueue({ kind: 'COMPLETE', key: instance.key });
}

function takeFlows(ctx: ProcessingContext, instance: ElementInstance, model: ExecutableProcess, flowIds: readonly string[], trigger?: Variables): void {
  const scopeKey = instance.value.flowScopeKey;
  const scope = ctx.state.elementInstances.get(scopeKey);
  if (!scope) return;
  for (const flowId of flowIds) {
    const flow = model.flows.get(flowId)!;
    ctx.event('PROCESS_INSTANCE', 'SEQUENCE_FLOW_TAKEN', ctx.nextKey(), {
      ...instance.value,
      elementId: flowId,
      bpmnElementType: 'SEQUENCE_FLOW' as const,
      bpmnEventType: 'UNSPECIFIED' as const,
    });
    const target = model.elements.get(flow.targetId)!;
    const value = childValue(scope.value, scopeKey, target);
    ctx.enqueue(trigger ? { kind: 'ACTIVATE', key: ctx.nextKey(), value, variables: trigger, triggered: true } : { kind: 'ACTIVATE', key: ctx.nextKey(), value });
  }
  activateReadyJoins(ctx, ctx.state.elementInstances.get(scopeKey)!);
  const [, scopeElement] = modelOf(ctx, scope);
  ctx.processors.of(scopeElement).onChildCompleted(ctx, scope, instance, flowIds.length);
}

/**
 * A container's usual rule: once a path ended (no flow taken) and nothing inside is active or
 * still on its way to a join, the container completes.
 */
export function completeScopeWhenIdle(ctx: ProcessingContext, scope: ElementInstance, flowsTaken: number): void {
  if (flowsTaken === 0 && scope.activeChildren === 0 && !hasPendingTokens(scope)) ctx.enqueue({ kind: 'COMPLETE', key: scope.key });
}

/** Terminates an element and everything inside it, synchronously. */
export function terminate(ctx: ProcessingContext, key: bigint): void {
  const instance = ctx.state.elementInstances.get(key);
  if (!instance || instance.state === 'TERMINATING') return;
  ctx.event('PROCESS_INSTANCE', 'ELEMENT_TERMINATING', key, instance.value);
  for (const child of ctx.state.elementInstances.childrenOf(key)) terminate(ctx, child);
  cancelListenerJob(ctx, instance);
  const [model, element] = modelOf(ctx, instance);
  ctx.processors.of(element).terminate(ctx, instance, element, model);
  resolveIncidentsOf(ctx, instance);
  ctx.event('PROCESS_INSTANCE', 'ELEMENT_TERMINATED', key, instance.value);
  if (instance.value.flowScopeKey <= 0n) removeDeletedDefinition(ctx, instance.value.processDefinitionKey);
  // A scope that is itself being terminated is not told: it is going away with its children.
  const scope = ctx.state.elementInstances.get(instance.value.flowScopeKey);
  if (scope && scope.state !== 'TERMINATING') {
    activateReadyJoins(ctx, scope);
    const [, scopeElement] = modelOf(ctx, scope);
    ctx.processors.of(scopeElement).onChildTerminated(ctx, scope, instance);
  }
}

/** An execution listener's job still running when its element is terminated goes with it. */
function cancelListenerJob(ctx: ProcessingContext, instance: ElementInstance): void {
  const jobKey = instance.listeners?.jobKey ?? -1n;
  const job = jobKey > 0n ? ctx.state.jobs.get(jobKey) : undefined;
  if (job) ctx.event('JOB', 'CANCELED', job.key, job.value);
}

/**
 * Start instructions: instead of its start event, `scope` begins at the given elements. One
 * directly inside is activated there; one deeper gets its ancestor inside `scope` activated with
 * the rest of the way (one ancestor instance for all the elements below it).
 */
export function startScopeAt(ctx: ProcessingContext, scope: ElementInstance, model: ExecutableProcess, elementIds: readonly string[]): void {
  const scopeId = scope.value.elementId;
  const viaChild = new Map<string, string[]>();
  for (const id of elementIds) {
    let child = model.elements.get(id)!;
    while (child.flowScopeId !== scopeId) child = model.elements.get(child.flowScopeId!)!;
    if (child.id === id) ctx.enqueue({ kind: 'ACTIVATE', key: ctx.nextKey(), value: childValue(scope.value, scope.key, child) });
    else viaChild.set(child.id, [...(viaChild.get(child.id) ?? []), id]);
  }
  for (const [ancestorId, below] of viaChild) {
    ctx.enqueue({ kind: 'ACTIVATE', key: ctx.nextKey(), value: childValue(scope.value, scope.key, model.elements.get(ancestorId)!), startAt: below });
  }
}
