/**
 * The ad-hoc sub-process: on entry it activates the elements its `activeElementsCollection`
 * names (more come through ActivateAdHocSubProcessActivities), each in an inner instance.
 * As an inner instance completes, its `outputElement` is appended to the `outputCollection`
 * and the completion condition is checked in the sub-process's scope. It completes once no
 * inner instance runs and the condition holds (or there is none); when the condition holds
 * and `cancelRemainingInstances` is set, the inner instances still running are terminated.
 * With no condition and nothing activated, it waits for activations.
 */
import { activateAdHocElement, unknownAdHocElements } from '../../behaviors/ad-hoc.js';
import { childValue } from '../../behaviors/element-value.js';
import { closeSubscriptions, subscribeToWaitingEvents } from '../../behaviors/event-subscriptions.js';
import { evalAny, evalBoolean, evalStringList } from '../../behaviors/expressions.js';
import { raiseIncident } from '../../behaviors/incidents.js';
import { applyOutputMappings } from '../../behaviors/io-mappings.js';
import { completeScopeWhenIdle, terminate, toActivated, toCompleted } from '../../behaviors/transitions.js';
import { localVariable, propagateVariables, setLocalVariable, visibleVariables } from '../../behaviors/variables.js';
import { elementOf } from '../../models.js';
import type { ProcessingContext } from '../../processing/context.js';
import type { ElementInstance } from '../../state/types.js';
import { elementProcessor } from './element-processor.js';

function adHocElement(ctx: ProcessingContext, instance: ElementInstance) {
  return elementOf(ctx.models.get(instance.value.processDefinitionKey), instance.value);
}

function localList(ctx: ProcessingContext, scopeKey: bigint, name: string): unknown[] {
  const value = localVariable(ctx, scopeKey, name);
  return Array.isArray(value) ? value : [];
}

/** Whether the completion condition holds now: true when there is none, false when it fails to evaluate. */
function conditionHolds(ctx: ProcessingContext, adHoc: ElementInstance): boolean {
  const condition = adHocElement(ctx, adHoc).adHoc!.completionCondition;
  if (!condition) return true;
  const result = evalBoolean(condition, visibleVariables(ctx, adHoc.key), ctx.now);
  return result.ok && result.value;
}

export const adHocSubProcessProcessor = elementProcessor({
  activate(ctx, instance, element, model) {
    const adHoc = element.adHoc!;
    let elementIds: string[] = [];
    if (adHoc.activeElementsCollection) {
      const listed = evalStringList(adHoc.activeElementsCollection, visibleVariables(ctx, instance.key), ctx.now);
      if (!listed.ok) {
        raiseIncident(ctx, instance, 'EXTRACT_VALUE_ERROR', `Failed to activate ad-hoc elements. ${listed.message}`);
        return;
      }
      const unknown = unknownAdHocElements(element, listed.value);
      if (unknown.length > 0) {
        raiseIncident(ctx, instance, 'EXTRACT_VALUE_ERROR', `Failed to activate ad-hoc elements. No BPMN elements found with ids: ${unknown.join(', ')}.`);
        return;
      }
      elementIds = listed.value;
    }
    if (!subscribeToWaitingEvents(ctx, instance, element, model)) return;
    toActivated(ctx, instance);
    if (adHoc.outputCollection) setLocalVariable(ctx, instance.key, adHoc.outputCollection, [], instance.value);
    for (const id of elementIds) activateAdHocElement(ctx, instance, element, id);
  },

  onChildCompleting(ctx, scope, child) {
    const element = adHocElement(ctx, scope);
    const adHoc = element.adHoc!;
    // Everything is evaluated before anything is written: after an incident, this runs again.
    const variables = visibleVariables(ctx, scope.key);
    let collection: unknown[] | null = null;
    if (adHoc.outputCollection && adHoc.outputElement) {
      const output = evalAny(adHoc.outputElement, visibleVariables(ctx, child.key), ctx.now);
      if (!output.ok) {
        raiseIncident(ctx, child, 'EXTRACT_VALUE_ERROR', `Element '${element.id}': failed to evaluate the output element: ${output.message}`);
        return false;
      }
      collection = [...localList(ctx, scope.key, adHoc.outputCollection), output.value ?? null];
      variables[adHoc.outputCollection] = collection;
    }
    let done = false;
    if (adHoc.completionCondition) {
      const result = evalBoolean(adHoc.completionCondition, variables, ctx.now);
      if (!result.ok) {
        raiseIncident(ctx, child, 'EXTRACT_VALUE_ERROR', `Element '${element.id}': failed to evaluate the completion condition: ${result.message}`);
        return false;
      }
      done = result.value;
    }
    if (collection) setLocalVariable(ctx, scope.key, adHoc.outputCollection!, collection, scope.value);
    if (done && adHoc.cancelRemainingInstances) {
      for (const sibling of ctx.state.elementInstances.childrenOf(scope.key)) if (sibling !== child.key) terminate(ctx, sibling);
    }
    return true;
  },

  onChildCompleted(ctx, scope, _child, flowsTaken) {
    if (scope.activeChildren === 0 && conditionHolds(ctx, scope)) completeScopeWhenIdle(ctx, scope, flowsTaken);
  },

  // Inner instances terminated from outside (an instance modification): with none left, it completes, as in Zeebe.
  onChildTerminated(ctx, scope) {
    completeScopeWhenIdle(ctx, scope, 0);
  },

  complete(ctx, instance, element, model) {
    closeSubscriptions(ctx, instance);
    const name = element.adHoc!.outputCollection;
    if (name) propagateVariables(ctx, instance.value.flowScopeKey, { [name]: localList(ctx, instance.key, name) });
    if (!applyOutputMappings(ctx, instance, element)) return;
    toCompleted(ctx, instance, model, element.outgoing);
  },

  terminate(ctx, instance) {
    closeSubscriptions(ctx, instance);
  },
});

/** One activation inside an ad-hoc sub-process: starts its element, completes when that path ends. */
export const adHocInnerInstanceProcessor = elementProcessor({
  activate(ctx, instance, _element, model) {
    toActivated(ctx, instance);
    for (const id of ctx.activation?.startAt ?? []) {
      ctx.enqueue({ kind: 'ACTIVATE', key: ctx.nextKey(), value: childValue(instance.value, instance.key, model.elements.get(id)!) });
    }
  },
  onChildCompleted(ctx, scope, _child, flowsTaken) {
    completeScopeWhenIdle(ctx, scope, flowsTaken);
  },
  complete(ctx, instance, _element, model) {
    toCompleted(ctx, instance, model, []);
  },
});
