/**
 * The multi-instance body: runs the inner activity once per item of the input collection, all
 * at once (parallel) or one after the other (sequential). Each inner instance starts with its
 * item (`inputElement`) and `loopCounter` as local variables; as it completes, its
 * `outputElement` is written at its place in the body's `outputCollection`, and the completion
 * condition may end the loop early (remaining instances are terminated). The collection goes
 * to the body's flow scope when the body completes. Boundary events wait on the body.
 */
import { expressionText } from '../../../feel/expression.js';
import type { ExecutableElement, MultiInstanceDefinition } from '../../../model/types.js';
import { childValue } from '../../behaviors/element-value.js';
import { closeSubscriptions, subscribeToWaitingEvents } from '../../behaviors/event-subscriptions.js';
import { evalAny, evalBoolean, type Evaluated } from '../../behaviors/expressions.js';
import { raiseIncident } from '../../behaviors/incidents.js';
import { completeLater, completeScopeWhenIdle, terminate, toActivated, toCompleted } from '../../behaviors/transitions.js';
import { localVariable, propagateVariables, setLocalVariable, visibleVariables } from '../../behaviors/variables.js';
import { elementOf } from '../../models.js';
import type { ProcessingContext } from '../../processing/context.js';
import type { Variables } from '../../records.js';
import type { ElementInstance } from '../../state/types.js';
import { elementProcessor } from './element-processor.js';

function typeName(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'string') return 'STRING';
  if (typeof value === 'number' || typeof value === 'bigint') return 'NUMBER';
  if (typeof value === 'boolean') return 'BOOLEAN';
  return 'OBJECT';
}

/** The input collection, evaluated in the body's scope (again for every sequential step, as Zeebe does). */
function inputItems(ctx: ProcessingContext, body: ElementInstance, mi: MultiInstanceDefinition): Evaluated<unknown[]> {
  const result = evalAny(mi.inputCollection, visibleVariables(ctx, body.key), ctx.now);
  if (!result.ok) return { ok: false, message: `failed to evaluate the input collection: ${result.message}` };
  if (!Array.isArray(result.value)) {
    const source = mi.inputCollection.kind === 'feel' ? mi.inputCollection.source : expressionText(mi.inputCollection);
    return { ok: false, message: `Expected result of the expression '${source}' to be 'ARRAY', but was '${typeName(result.value)}'.` };
  }
  return { ok: true, value: result.value };
}

function activateItem(ctx: ProcessingContext, body: ElementInstance, element: ExecutableElement, items: readonly unknown[], index: number): void {
  const mi = element.multiInstance!;
  const local: Variables = {};
  if (mi.inputElement) local[mi.inputElement] = items[index] ?? null;
  local.loopCounter = index + 1;
  ctx.enqueue({ kind: 'ACTIVATE', key: ctx.nextKey(), value: childValue(body.value, body.key, element.innerActivity!), localVariables: local });
}

function bodyElement(ctx: ProcessingContext, body: ElementInstance): ExecutableElement {
  return elementOf(ctx.models.get(body.value.processDefinitionKey), body.value);
}

export const multiInstanceBodyProcessor = elementProcessor({
  activate(ctx, body, element, model) {
    const mi = element.multiInstance!;
    const items = inputItems(ctx, body, mi);
    if (!items.ok) {
      raiseIncident(ctx, body, 'EXTRACT_VALUE_ERROR', `Element '${element.id}': ${items.message}`);
      return;
    }
    if (!subscribeToWaitingEvents(ctx, body, element, model)) return;
    toActivated(ctx, body);
    if (mi.outputCollection) setLocalVariable(ctx, body.key, mi.outputCollection, items.value.map(() => null), body.value);
    if (items.value.length === 0) {
      completeLater(ctx, body);
      return;
    }
    const count = mi.sequential ? 1 : items.value.length;
    for (let i = 0; i < count; i++) activateItem(ctx, body, element, items.value, i);
  },

  onChildCompleting(ctx, body, child) {
    const element = bodyElement(ctx, body);
    const mi = element.multiInstance!;
    const childVariables = visibleVariables(ctx, child.key);
    const loopCounter = Number(localVariable(ctx, child.key, 'loopCounter'));
    if (mi.outputCollection && mi.outputElement) {
      const output = evalAny(mi.outputElement, childVariables, ctx.now);
      if (!output.ok) {
        raiseIncident(ctx, child, 'EXTRACT_VALUE_ERROR', `Element '${element.id}': failed to evaluate the output element: ${output.message}`);
        return false;
      }
      const collection = localVariable(ctx, body.key, mi.outputCollection);
      const updated = Array.isArray(collection) ? [...collection] : [];
      updated[loopCounter - 1] = output.value ?? null;
      setLocalVariable(ctx, body.key, mi.outputCollection, updated, body.value);
    }
    if (!mi.completionCondition && !mi.sequential) return true;
    const items = inputItems(ctx, body, mi);
    if (!items.ok) {
      raiseIncident(ctx, child, 'EXTRACT_VALUE_ERROR', `Element '${element.id}': ${items.message}`);
      return false;
    }
    const payload = body.payload.kind === 'multiInstance' ? body.payload : { started: 0, completed: 0 };
    if (mi.completionCondition) {
      const completed = payload.completed + 1;
      const active = body.activeChildren - 1;
      const counts = {
        numberOfInstances: items.value.length,
        numberOfActiveInstances: active,
        numberOfCompletedInstances: completed,
        numberOfTerminatedInstances: payload.started - completed - active,
      };
      const done = evalBoolean(mi.completionCondition, { ...childVariables, ...counts }, ctx.now);
      if (!done.ok) {
        raiseIncident(ctx, child, 'EXTRACT_VALUE_ERROR', `Element '${element.id}': failed to evaluate the completion condition: ${done.message}`);
        return false;
      }
      if (done.value) {
        for (const sibling of ctx.state.elementInstances.childrenOf(body.key)) if (sibling !== child.key) terminate(ctx, sibling);
        return true;
      }
    }
    // Sequential: the next item starts once this one has completed (it is queued behind it).
    if (mi.sequential && payload.started < items.value.length) activateItem(ctx, body, element, items.value, payload.started);
    return true;
  },

  onChildCompleted(ctx, body, _child, flowsTaken) {
    completeScopeWhenIdle(ctx, body, flowsTaken);
  },

  complete(ctx, body, element, model) {
    closeSubscriptions(ctx, body);
    const name = element.multiInstance!.outputCollection;
    if (name) propagateVariables(ctx, body.value.flowScopeKey, { [name]: localVariable(ctx, body.key, name) ?? [] });
    toCompleted(ctx, body, model, element.outgoing);
  },

  terminate(ctx, body) {
    closeSubscriptions(ctx, body);
  },
});
