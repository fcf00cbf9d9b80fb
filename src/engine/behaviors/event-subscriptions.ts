/**
 * Timers, message, signal and conditional subscriptions an element instance waits on: its own event definition
 * (intermediate catch events) or those of the boundary events attached to it.
 *
 * Everything is evaluated first and only then written, so an expression that fails raises
 * an incident without leaving half of the subscriptions behind; resolving it starts over.
 */
import type { ExecutableElement, ExecutableProcess } from '../../model/types.js';
import type { ProcessingContext } from '../processing/context.js';
import { expressionText } from '../../feel/expression.js';
import type { ConditionalSubscriptionValue, MessageSubscriptionValue, ProcessMessageSubscriptionValue, SignalSubscriptionValue, TimerValue, Variables } from '../records.js';
import type { ElementInstance } from '../state/types.js';
import { evalCorrelationKey, evalCycle, evalDateTime, evalDuration, type Evaluated, evalString } from './expressions.js';
import { raiseIncident } from './incidents.js';
import { subscriptionPartition } from './subscription-partition.js';
import { visibleVariables } from './variables.js';

interface PlannedTimer {
  readonly element: ExecutableElement;
  readonly dueDate: number;
  readonly repetitions: number;
  readonly interval: number;
  readonly cron?: string;
}

interface PlannedSignal {
  readonly element: ExecutableElement;
  readonly name: string;
}

interface PlannedMessage {
  readonly element: ExecutableElement;
  readonly name: string;
  readonly correlationKey: string;
}

export interface SubscriptionPlan {
  readonly timers: PlannedTimer[];
  readonly messages: PlannedMessage[];
  readonly signals: PlannedSignal[];
  /** Conditional events: nothing to evaluate before opening; the condition is looked at once the element is active. */
  readonly conditionals: ExecutableElement[];
}

export const EMPTY_PLAN: SubscriptionPlan = { timers: [], messages: [], signals: [], conditionals: [] };

/**
 * The events an element instance subscribes to: itself when it is a catch event, the events its
 * flows lead to when it is an event-based gateway, its own message and its boundary events
 * when it is a receive task, else the start events of its event sub-processes (a scope) and its
 * boundary events.
 */
export function waitingEvents(element: ExecutableElement, model: ExecutableProcess): ExecutableElement[] {
  if (element.type === 'INTERMEDIATE_CATCH_EVENT') return [element];
  if (element.type === 'EVENT_BASED_GATEWAY') return element.outgoing.map((flowId) => model.elements.get(model.flows.get(flowId)!.targetId)!);
  const boundaries = element.boundaryEventIds.map((id) => model.elements.get(id)!);
  if (element.type === 'RECEIVE_TASK') return [element, ...boundaries];
  // A scope listens for the start events of its event sub-processes (timers and messages; errors and escalations are thrown to it).
  const eventStarts = element.eventSubProcessStartIds.map((id) => model.elements.get(id)!);
  return eventStarts.length === 0 ? boundaries : [...eventStarts, ...boundaries];
}

function fail(element: ExecutableElement, message: string): Evaluated<never> {
  return { ok: false, message: `Element '${element.id}': ${message}` };
}

export function planTimer(
  element: ExecutableElement,
  vars: Variables,
  now: number,
): Evaluated<PlannedTimer> {
  const timer = element.timer!;
  if (timer.kind === 'duration') {
    const duration = evalDuration(timer.expression, vars, now);
    if (!duration.ok) return fail(element, duration.message);
    return { ok: true, value: { element, dueDate: now + duration.value, repetitions: 1, interval: 0 } };
  }
  if (timer.kind === 'date') {
    const date = evalDateTime(timer.expression, vars, now);
    if (!date.ok) return fail(element, date.message);
    return { ok: true, value: { element, dueDate: date.value, repetitions: 1, interval: 0 } };
  }
  const cycle = evalCycle(timer.expression, vars, now);
  if (!cycle.ok) return fail(element, cycle.message);
  const { repetitions, intervalMs, startMs, cron } = cycle.value;
  const dueDate = startMs != null && startMs > now ? startMs : now + intervalMs;
  return { ok: true, value: { element, dueDate, repetitions, interval: intervalMs, ...(cron ? { cron } : {}) } };
}

export function planSubscriptions(
  events: readonly ExecutableElement[],
  vars: () => Variables,
  now: number,
): Evaluated<SubscriptionPlan> {
  if (events.length === 0) return { ok: true, value: EMPTY_PLAN };
  const timers: PlannedTimer[] = [];
  const messages: PlannedMessage[] = [];
  const signals: PlannedSignal[] = [];
  const conditionals: ExecutableElement[] = [];
  const context = vars();
  for (const event of events) {
    if (event.timer) {
      const planned = planTimer(event, context, now);
      if (!planned.ok) return planned;
      timers.push(planned.value);
    } else if (event.message) {
      const name = evalString(event.message.name, context, now);
      if (!name.ok) return fail(event, `failed to evaluate the message name: ${name.message}`);
      const correlationKey = evalCorrelationKey(event.message.correlationKey!, context, now);
      if (!correlationKey.ok) return fail(event, `failed to evaluate the correlation key: ${correlationKey.message}`);
      messages.push({ element: event, name: name.value, correlationKey: correlationKey.value });
    } else if (event.signal) {
      const name = evalString(event.signal.name, context, now);
      if (!name.ok) return fail(event, `failed to evaluate the signal name: ${name.message}`);
      signals.push({ element: event, name: name.value });
    } else if (event.conditional) conditionals.push(event);
  }
  return { ok: true, value: { timers, messages, signals, conditionals } };
}

export function createTimer(ctx: ProcessingContext, instance: ElementInstance, timer: PlannedTimer): void {
  const value: TimerValue = {
    elementInstanceKey: instance.key,
    processInstanceKey: instance.value.processInstanceKey,
    processDefinitionKey: instance.value.processDefinitionKey,
    dueDate: timer.dueDate,
    targetElementId: timer.element.id,
    repetitions: timer.repetitions,
    interval: timer.interval,
    ...(timer.cron ? { cron: timer.cron } : {}),
    tenantId: instance.value.tenantId,
  };
  ctx.event('TIMER', 'CREATED', ctx.nextKey(), value);
}

export function openSubscriptions(ctx: ProcessingContext, instance: ElementInstance, plan: SubscriptionPlan): void {
  for (const timer of plan.timers) createTimer(ctx, instance, timer);
  for (const signal of plan.signals) {
    const v = instance.value;
    const value: SignalSubscriptionValue = {
      signalName: signal.name,
      elementInstanceKey: instance.key,
      catchElementId: signal.element.id,
      processInstanceKey: v.processInstanceKey,
      processDefinitionKey: v.processDefinitionKey,
      bpmnProcessId: v.bpmnProcessId,
      tenantId: v.tenantId,
    };
    ctx.event('SIGNAL_SUBSCRIPTION', 'CREATED', instance.key, value);
  }
  for (const event of plan.conditionals) {
    const v = instance.value;
    const conditional = event.conditional!;
    const value: ConditionalSubscriptionValue = {
      scopeKey: instance.key,
      elementInstanceKey: instance.key,
      processInstanceKey: v.processInstanceKey,
      processDefinitionKey: v.processDefinitionKey,
      bpmnProcessId: v.bpmnProcessId,
      catchEventId: event.id,
      condition: expressionText(conditional.condition),
      variableNames: [...conditional.variableNames],
      variableEvents: [...conditional.variableEvents],
      interrupting: event.type === 'BOUNDARY_EVENT' || event.type === 'START_EVENT' ? event.cancelActivity : true,
      tenantId: v.tenantId,
    };
    const key = ctx.nextKey();
    ctx.event('CONDITIONAL_SUBSCRIPTION', 'CREATED', key, value);
    ctx.conditions.opened.push(key);
  }
  for (const message of plan.messages) {
    const partitionId = subscriptionPartition(message.correlationKey, ctx.config.partitionCount);
    const interrupting = message.element.type === 'BOUNDARY_EVENT' || message.element.type === 'START_EVENT' ? message.element.cancelActivity : true;
    const value: ProcessMessageSubscriptionValue = {
      processInstanceKey: instance.value.processInstanceKey,
      elementInstanceKey: instance.key,
      processDefinitionKey: instance.value.processDefinitionKey,
      bpmnProcessId: instance.value.bpmnProcessId,
      messageName: message.name,
      correlationKey: message.correlationKey,
      messageKey: -1n,
      variables: {},
      interrupting,
      tenantId: instance.value.tenantId,
      elementId: message.element.id,
      subscriptionPartitionId: partitionId,
    };
    ctx.event('PROCESS_MESSAGE_SUBSCRIPTION', 'CREATING', instance.key, value);
    ctx.send({
      partitionId,
      valueType: 'MESSAGE_SUBSCRIPTION',
      intent: 'CREATE',
      key: instance.key,
      value: toMessageSubscription(value),
    });
  }
}

export function toMessageSubscription(value: ProcessMessageSubscriptionValue): MessageSubscriptionValue {
  return {
    processInstanceKey: value.processInstanceKey,
    elementInstanceKey: value.elementInstanceKey,
    processDefinitionKey: value.processDefinitionKey,
    bpmnProcessId: value.bpmnProcessId,
    messageName: value.messageName,
    correlationKey: value.correlationKey,
    messageKey: value.messageKey,
    variables: value.variables,
    interrupting: value.interrupting,
    tenantId: value.tenantId,
  };
}

/** Cancels the element's timers, signal and conditional subscriptions and starts closing its message subscriptions (`only`: those of these events). */
export function closeSubscriptions(ctx: ProcessingContext, instance: ElementInstance, only: (eventId: string) => boolean = () => true): void {
  for (const row of ctx.state.conditionals.ofElementInstance(instance.key)) {
    if (only(row.value.catchEventId)) ctx.event('CONDITIONAL_SUBSCRIPTION', 'DELETED', row.key, row.value);
  }
  for (const subscription of ctx.state.signals.ofElementInstance(instance.key)) {
    if (only(subscription.catchElementId)) ctx.event('SIGNAL_SUBSCRIPTION', 'DELETED', instance.key, subscription);
  }
  for (const timerKey of ctx.state.timers.ofElementInstance(instance.key)) {
    const timer = ctx.state.timers.get(timerKey)!;
    if (only(timer.value.targetElementId)) ctx.event('TIMER', 'CANCELED', timerKey, timer.value);
  }
  for (const row of ctx.state.processMessageSubscriptions.ofElementInstance(instance.key)) {
    if (row.state === 'DELETING' || !only(row.value.elementId)) continue;
    ctx.event('PROCESS_MESSAGE_SUBSCRIPTION', 'DELETING', instance.key, row.value);
    ctx.send({
      partitionId: row.value.subscriptionPartitionId,
      valueType: 'MESSAGE_SUBSCRIPTION',
      intent: 'DELETE',
      key: instance.key,
      value: toMessageSubscription(row.value),
    });
  }
}

/**
 * Opens the timers and message subscriptions of everything `instance` waits on (waitingEvents);
 * false when an expression failed and an incident was raised instead (nothing was opened).
 */
export function subscribeToWaitingEvents(
  ctx: ProcessingContext,
  instance: ElementInstance,
  element: ExecutableElement,
  model: ExecutableProcess,
  vars: () => Variables = () => visibleVariables(ctx, instance.key),
): boolean {
  const plan = planSubscriptions(waitingEvents(element, model), vars, ctx.now);
  if (!plan.ok) {
    raiseIncident(ctx, instance, 'EXTRACT_VALUE_ERROR', plan.message);
    return false;
  }
  openSubscriptions(ctx, instance, plan.value);
  return true;
}
