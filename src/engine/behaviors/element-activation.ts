/**
 * Activating an element of a running instance by hand (ModifyProcessInstance), as Zeebe's element
 * activation does: the element goes into an instance of its flow scope, which is found among the
 * running ones (one of them, or the one below the chosen ancestor) or else created. A created scope
 * is written straight to ACTIVATED (no input mappings, no start event) and opens its boundary
 * events and event sub-process subscriptions; the element itself then runs as any activation.
 */
import type { ExecutableElement, ExecutableProcess } from '../../model/types.js';
import type { ProcessingContext } from '../processing/context.js';
import { CommandRejected } from '../processing/rejection.js';
import type { Variables } from '../records.js';
import type { ElementInstance } from '../state/types.js';
import { childValue } from './element-value.js';
import { openSubscriptions, planSubscriptions, waitingEvents } from './event-subscriptions.js';
import { setLocalVariables, visibleVariables } from './variables.js';

/** A flow scope on the way down to an element: `inBody` for the inner activity of a multi-instance. */
interface ScopeStep {
  readonly element: ExecutableElement;
  readonly inBody: boolean;
}

/** The element's flow scopes from the process down; a multi-instance is its body, then its inner activity. */
export function flowScopesOf(model: ExecutableProcess, element: ExecutableElement): ScopeStep[] {
  const steps: ScopeStep[] = [];
  for (let id = element.flowScopeId; id !== null; ) {
    const scope = model.elements.get(id)!;
    if (scope.innerActivity) steps.unshift({ element: scope, inBody: false }, { element: scope.innerActivity, inBody: true });
    else steps.unshift({ element: scope, inBody: false });
    id = scope.flowScopeId;
  }
  return steps;
}

/** Whether `ancestorKey` is a flow scope of `instance`, at any depth. */
function isAncestorOf(ctx: ProcessingContext, ancestorKey: bigint, instance: ElementInstance): boolean {
  for (let key = instance.value.flowScopeKey; key > 0n; ) {
    if (key === ancestorKey) return true;
    const scope = ctx.state.elementInstances.get(key);
    if (!scope) return false;
    key = scope.value.flowScopeKey;
  }
  return false;
}

function moreThanOneScope(processId: string, scopeId: string): CommandRejected {
  return new CommandRejected(
    'INVALID_ARGUMENT',
    `Expected to modify instance of process '${processId}' but it contains one or more activate instructions for an element that has a flow scope with more than one active instance: '${scopeId}'. Can't decide in which instance of the flow scope the element should be activated. Please specify an ancestor element instance key for this activate instruction.`,
  );
}

/** The running instance of `scope` under `flowScopeKey` the element goes into; null: a new one is needed. */
function reusableScope(ctx: ProcessingContext, processId: string, scope: ExecutableElement, flowScopeKey: bigint, ancestorKey: bigint): bigint | null {
  const found: ElementInstance[] = [];
  for (const key of ctx.state.elementInstances.childrenOf(flowScopeKey)) {
    const child = ctx.state.elementInstances.get(key);
    if (child && child.value.elementId === scope.id && child.state !== 'TERMINATING') found.push(child);
  }
  const selected = ancestorKey > 0n;
  if (found.length === 0) return null;
  if (found.length === 1) {
    // Below the chosen ancestor: that one is not in the chosen ancestor's line, a new one is.
    return selected && isAncestorOf(ctx, ancestorKey, found[0]!) ? null : found[0]!.key;
  }
  if (!selected) throw moreThanOneScope(processId, scope.id);
  if (found.some((instance) => instance.key === ancestorKey)) return ancestorKey;
  if (found.some((instance) => isAncestorOf(ctx, ancestorKey, instance))) return null;
  const ancestor = ctx.state.elementInstances.get(ancestorKey);
  const above = ancestor && found.find((instance) => isAncestorOf(ctx, instance.key, ancestor));
  if (above) return above.key;
  throw moreThanOneScope(processId, scope.id);
}

function createScope(ctx: ProcessingContext, model: ExecutableProcess, parent: ElementInstance, scope: ExecutableElement, variables: Variables | null): bigint {
  const key = ctx.nextKey();
  const value = childValue(parent.value, parent.key, scope);
  ctx.event('PROCESS_INSTANCE', 'ELEMENT_ACTIVATING', key, value);
  if (variables) setLocalVariables(ctx, key, variables, value);
  ctx.event('PROCESS_INSTANCE', 'ELEMENT_ACTIVATED', key, value);
  const plan = planSubscriptions(waitingEvents(scope, model), () => visibleVariables(ctx, key), ctx.now);
  if (!plan.ok) throw new CommandRejected('INVALID_ARGUMENT', `Expected to subscribe to catch event(s) of '${scope.id}' but ${plan.message}`);
  openSubscriptions(ctx, ctx.state.elementInstances.get(key)!, plan.value);
  return key;
}

/**
 * Activates `element` in `processInstance`, creating the flow scopes it needs; `variablesFor` gives
 * the local variables for a scope or the element by element id (null: none). Returns the keys of
 * the flow scope instances it went into, the process instance first.
 */
export function activateElementByHand(
  ctx: ProcessingContext,
  processInstance: ElementInstance,
  model: ExecutableProcess,
  element: ExecutableElement,
  ancestorKey: bigint,
  variablesFor: (elementId: string) => Variables | null,
): bigint[] {
  const [, ...below] = flowScopesOf(model, element);
  const rootVariables = variablesFor(model.id);
  if (rootVariables) setLocalVariables(ctx, processInstance.key, rootVariables, processInstance.value);
  const keys = [processInstance.key];
  let scope = processInstance;
  for (const step of below) {
    let key = reusableScope(ctx, model.id, step.element, scope.key, ancestorKey);
    const variables = variablesFor(step.element.id);
    if (key !== null) {
      if (variables) setLocalVariables(ctx, key, variables);
    } else {
      if (step.element.type === 'MULTI_INSTANCE_BODY' || step.inBody) {
        throw new CommandRejected(
          'INVALID_ARGUMENT',
          `Expected to modify instance of process '${model.id}' but it contains one or more activate instructions that would result in the activation of multi-instance element '${step.element.id}', which is currently unsupported.`,
        );
      }
      key = createScope(ctx, model, scope, step.element, variables);
    }
    keys.push(key);
    scope = ctx.state.elementInstances.get(key)!;
  }
  const own = variablesFor(element.id);
  ctx.enqueue({ kind: 'ACTIVATE', key: ctx.nextKey(), value: childValue(scope.value, scope.key, element), direct: true, ...(own ? { localVariables: own } : {}) });
  return keys;
}
