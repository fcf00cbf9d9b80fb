/**
 * Compensation, as Zeebe runs it, over compensation subscriptions:
 * - an activity with a compensation boundary event gets a subscription as it completes (once per
 *   completion: a loop that ran it twice compensates it twice); so does a completed sub-process or
 *   multi-instance body that holds subscriptions of its own, which is how compensation reaches
 *   into it; an activity that never completed has none;
 * - a compensation throw or end event triggers the untriggered subscriptions of its scope (inside
 *   an event sub-process, also of the scope around it), or only those of its `activityRef`, and
 *   from each one those inside it, top to bottom: a handler is activated beside the thrower (its
 *   boundary event activated and completed on the way), all of them at once;
 * - a handler's completion completes its subscription, then those of the sub-processes around it
 *   that have nothing left inside; once no subscription of the thrower is left, it completes;
 * - the process instance ending deletes what is left; a terminated sub-process deletes those inside it.
 * A triggered subscription is never triggered again, and a completed one is gone.
 */
import type { ExecutableElement, ExecutableProcess } from '../../model/types.js';
import type { ProcessingContext } from '../processing/context.js';
import type { CompensationSubscriptionValue, ProcessInstanceValue } from '../records.js';
import type { CompensationSubscriptionRow } from '../state/compensations.js';
import type { ElementInstance } from '../state/types.js';

const COMPENSABLE_TYPES: ReadonlySet<string> = new Set([
  'SERVICE_TASK',
  'SEND_TASK',
  'BUSINESS_RULE_TASK',
  'SCRIPT_TASK',
  'USER_TASK',
  'TASK',
  'MANUAL_TASK',
  'RECEIVE_TASK',
  'SUB_PROCESS',
  'CALL_ACTIVITY',
  'MULTI_INSTANCE_BODY',
]);

function compensationBoundary(model: ExecutableProcess, activity: ExecutableElement): ExecutableElement | undefined {
  for (const id of activity.boundaryEventIds) {
    const boundary = model.elements.get(id)!;
    if (boundary.eventType === 'COMPENSATION') return boundary;
  }
  return undefined;
}

const isTriggered = (row: CompensationSubscriptionRow): boolean => row.value.throwEventId !== '';

/** Just before an activity's ELEMENT_COMPLETED: the subscription that makes it compensable, if it is. */
export function subscribeCompletedActivity(ctx: ProcessingContext, instance: ElementInstance, element: ExecutableElement): void {
  if (!COMPENSABLE_TYPES.has(element.type)) return;
  const v = instance.value;
  const model = ctx.models.get(v.processDefinitionKey);
  const boundary = compensationBoundary(model, element);
  if (!boundary) {
    // A scope is worth a subscription only when something inside it can be compensated.
    if (element.type !== 'SUB_PROCESS' && element.type !== 'MULTI_INSTANCE_BODY') return;
    if (!ctx.state.compensations.ofProcessInstance(v.processInstanceKey).some((row) => row.value.compensableActivityScopeKey === instance.key)) return;
  }
  const value: CompensationSubscriptionValue = {
    tenantId: v.tenantId,
    processInstanceKey: v.processInstanceKey,
    processDefinitionKey: v.processDefinitionKey,
    compensableActivityId: element.id,
    compensableActivityScopeKey: v.flowScopeKey,
    compensableActivityInstanceKey: instance.key,
    throwEventId: '',
    throwEventInstanceKey: -1n,
    compensationHandlerId: boundary?.compensation?.handlerId ?? '',
    compensationHandlerInstanceKey: -1n,
    variables: {},
  };
  ctx.event('COMPENSATION_SUBSCRIPTION', 'CREATED', ctx.nextKey(), value);
}

/**
 * A compensation throw or end event, activated: triggers what it compensates. True when it
 * triggered something and now waits for the handlers; false when there was nothing to compensate.
 */
export function throwCompensation(ctx: ProcessingContext, thrower: ElementInstance, element: ExecutableElement): boolean {
  const v = thrower.value;
  const model = ctx.models.get(v.processDefinitionKey);
  const scopes = new Set([v.flowScopeKey]);
  const scope = ctx.state.elementInstances.get(v.flowScopeKey);
  if (scope && model.elements.get(element.flowScopeId!)?.type === 'EVENT_SUB_PROCESS') scopes.add(scope.value.flowScopeKey);
  const activityRef = element.compensation?.activityRef ?? null;
  const open = ctx.state.compensations.ofProcessInstance(v.processInstanceKey).filter((row) => !isTriggered(row));
  const selected = open.filter((row) => scopes.has(row.value.compensableActivityScopeKey) && (activityRef === null || row.value.compensableActivityId === activityRef));
  if (selected.length === 0) return false;
  // All handlers run at once, in no order Zeebe promises; Zen starts the most recently completed first.
  for (const row of newestFirst(selected)) trigger(ctx, thrower, model, open, row);
  return true;
}

function newestFirst(rows: readonly CompensationSubscriptionRow[]): CompensationSubscriptionRow[] {
  return [...rows].reverse();
}

function trigger(ctx: ProcessingContext, thrower: ElementInstance, model: ExecutableProcess, open: readonly CompensationSubscriptionRow[], row: CompensationSubscriptionRow): void {
  const handlerKey = row.value.compensationHandlerId === '' ? -1n : activateHandler(ctx, thrower, model, row.value.compensableActivityId);
  ctx.event('COMPENSATION_SUBSCRIPTION', 'TRIGGERED', row.key, {
    ...row.value,
    throwEventId: thrower.value.elementId,
    throwEventInstanceKey: thrower.key,
    compensationHandlerInstanceKey: handlerKey,
  });
  const inside = open.filter((other) => other.value.compensableActivityScopeKey === row.value.compensableActivityInstanceKey);
  for (const other of newestFirst(inside)) trigger(ctx, thrower, model, open, other);
}

/**
 * The compensation boundary event passes (activated and completed at once) and the handler is
 * activated, both in the thrower's scope: the compensated activity's own scope may be gone.
 */
function activateHandler(ctx: ProcessingContext, thrower: ElementInstance, model: ExecutableProcess, activityId: string): bigint {
  // A multi-instance activity's id names its body, which holds the boundary events.
  const boundary = compensationBoundary(model, model.elements.get(activityId)!)!;
  const boundaryValue: ProcessInstanceValue = { ...thrower.value, elementId: boundary.id, bpmnElementType: 'BOUNDARY_EVENT', bpmnEventType: 'COMPENSATION' };
  const boundaryKey = ctx.nextKey();
  ctx.event('PROCESS_INSTANCE', 'ELEMENT_ACTIVATING', boundaryKey, boundaryValue);
  ctx.event('PROCESS_INSTANCE', 'ELEMENT_ACTIVATED', boundaryKey, boundaryValue);
  ctx.event('PROCESS_INSTANCE', 'ELEMENT_COMPLETING', boundaryKey, boundaryValue);
  ctx.event('PROCESS_INSTANCE', 'ELEMENT_COMPLETED', boundaryKey, boundaryValue);
  const handler = model.elements.get(boundary.compensation!.handlerId!)!;
  const handlerKey = ctx.nextKey();
  const value: ProcessInstanceValue = { ...thrower.value, elementId: handler.id, bpmnElementType: handler.type, bpmnEventType: 'COMPENSATION' };
  ctx.enqueue({ kind: 'ACTIVATE', key: handlerKey, value });
  return handlerKey;
}

/** Just after an element's ELEMENT_COMPLETED: when it was a compensation handler, its subscription is done. */
export function completeCompensationHandler(ctx: ProcessingContext, instance: ElementInstance): void {
  if (instance.value.bpmnEventType !== 'COMPENSATION') return;
  const processInstanceKey = instance.value.processInstanceKey;
  const row = ctx.state.compensations.ofProcessInstance(processInstanceKey).find((r) => isTriggered(r) && r.value.compensationHandlerInstanceKey === instance.key);
  if (!row) return;
  ctx.event('COMPENSATION_SUBSCRIPTION', 'COMPLETED', row.key, row.value);
  completeEmptiedScopes(ctx, processInstanceKey, row.value.compensableActivityScopeKey);
  const throwKey = row.value.throwEventInstanceKey;
  if (ctx.state.compensations.ofProcessInstance(processInstanceKey).some((r) => r.value.throwEventInstanceKey === throwKey)) return;
  const thrower = ctx.state.elementInstances.get(throwKey);
  if (thrower && thrower.state === 'ACTIVATED') ctx.enqueue({ kind: 'COMPLETE', key: throwKey });
}

/** A sub-process's subscription (one without a handler) completes once nothing inside it is left, and so on outwards. */
function completeEmptiedScopes(ctx: ProcessingContext, processInstanceKey: bigint, scopeKey: bigint): void {
  const rows = ctx.state.compensations.ofProcessInstance(processInstanceKey);
  if (rows.some((r) => r.value.compensableActivityScopeKey === scopeKey)) return;
  const scopeRow = rows.find((r) => r.value.compensableActivityInstanceKey === scopeKey && r.value.compensationHandlerId === '');
  if (!scopeRow) return;
  ctx.event('COMPENSATION_SUBSCRIPTION', 'COMPLETED', scopeRow.key, scopeRow.value);
  completeEmptiedScopes(ctx, processInstanceKey, scopeRow.value.compensableActivityScopeKey);
}

/** The process instance ended (completed or terminated): nothing of it can be compensated any more. */
export function deleteCompensationSubscriptions(ctx: ProcessingContext, processInstance: ElementInstance): void {
  for (const row of ctx.state.compensations.ofProcessInstance(processInstance.key)) ctx.event('COMPENSATION_SUBSCRIPTION', 'DELETED', row.key, row.value);
}

/** A sub-process was terminated: the subscriptions in it (and in the sub-processes it completed) go with it. */
export function deleteCompensationSubscriptionsIn(ctx: ProcessingContext, scope: ElementInstance): void {
  const rows = ctx.state.compensations.ofProcessInstance(scope.value.processInstanceKey);
  const remove = (scopeKey: bigint): void => {
    for (const row of rows) {
      if (row.value.compensableActivityScopeKey !== scopeKey) continue;
      ctx.event('COMPENSATION_SUBSCRIPTION', 'DELETED', row.key, row.value);
      remove(row.value.compensableActivityInstanceKey);
    }
  };
  remove(scope.key);
}
