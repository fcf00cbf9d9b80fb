/**
 * One way for every trigger — a timer that came due, a correlated message, a broadcast signal,
 * a thrown error or escalation — to act on the element instance that waits for it. The trigger's own processor only finds who waits and what fires; this decides
 * what firing means:
 * - the waiting element is the event itself (an intermediate catch event): it completes;
 * - the waiting element is an event-based gateway: it completes along the flow to the event,
 *   which is activated already triggered (with the trigger's variables) and completes;
 * - the event starts an event sub-process of the waiting scope: an interrupting one terminates
 *   what else runs in the scope; the event sub-process starts there with the trigger's variables;
 * - the event is a boundary event of the waiting activity: an interrupting one terminates the
 *   activity first; either way the boundary event is activated beside it, carrying the
 *   trigger's variables.
 */
import type { ExecutableElement } from '../../model/types.js';
import type { ProcessingContext } from '../processing/context.js';
import type { Variables } from '../records.js';
import type { ElementInstance } from '../state/types.js';
import { elementOf } from '../models.js';
import { childValue } from './element-value.js';
import { closeSubscriptions } from './event-subscriptions.js';
import { terminate } from './transitions.js';

/** Events fire only while the element waiting for them is active (between ACTIVATED and COMPLETING). */
export function canBeTriggered(waiting: ElementInstance | undefined): waiting is ElementInstance {
  return waiting !== undefined && waiting.state === 'ACTIVATED';
}

/** Fires `event` for `waiting`; false when it can no longer fire (the instance moved on). */
export function triggerEvent(ctx: ProcessingContext, waiting: ElementInstance, event: ExecutableElement, variables: Variables): boolean {
  if (!canBeTriggered(waiting)) return false;
  if (event.id === waiting.value.elementId) {
    ctx.enqueue({ kind: 'COMPLETE', key: waiting.key });
    return true;
  }
  if (waiting.value.bpmnElementType === 'EVENT_BASED_GATEWAY') {
    // The first event decides: the gateway completes along its flow, the event then fires at once.
    const v = waiting.value;
    ctx.event('PROCESS_EVENT', 'TRIGGERED', waiting.key, { scopeKey: waiting.key, targetElementId: event.id, variables, processDefinitionKey: v.processDefinitionKey, processInstanceKey: v.processInstanceKey, tenantId: v.tenantId });
    ctx.enqueue({ kind: 'COMPLETE', key: waiting.key });
    return true;
  }
  if (event.type === 'START_EVENT') {
    // The start event of an event sub-process of the waiting scope: an interrupting one ends
    // everything else the scope runs first.
    const model = ctx.models.get(waiting.value.processDefinitionKey);
    if (event.cancelActivity) {
      for (const child of ctx.state.elementInstances.childrenOf(waiting.key)) terminate(ctx, child);
      // Activations queued in this command inside the scope do not start (a fork's other paths
      // after an error end event, or the scope's own start when fired as it starts): as in
      // Zeebe, an interrupted scope lets only its event sub-process begin.
      ctx.dropPendingActivations(waiting.key);
      // Its other event sub-processes can no longer start; the boundary events on the scope stay.
      const eventStarts = new Set(elementOf(model, waiting.value).eventSubProcessStartIds);
      closeSubscriptions(ctx, waiting, (eventId) => eventStarts.has(eventId));
    }
    const eventSubProcess = model.elements.get(event.flowScopeId!)!;
    ctx.enqueue({ kind: 'ACTIVATE', key: ctx.nextKey(), value: childValue(waiting.value, waiting.key, eventSubProcess), variables, triggeredEventId: event.id });
    return true;
  }
  const scope = ctx.state.elementInstances.get(waiting.value.flowScopeKey);
  if (!scope) return false;
  if (event.cancelActivity) terminate(ctx, waiting.key);
  ctx.enqueue({ kind: 'ACTIVATE', key: ctx.nextKey(), value: childValue(scope.value, scope.key, event), variables });
  return true;
}
