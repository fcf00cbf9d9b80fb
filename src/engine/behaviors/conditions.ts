/**
 * Conditional events in running instances (intermediate catch, boundary, event sub-process
 * start). A subscription fires when its condition turns true:
 * - when it opens, once the element that waits is active (Camunda: "on scope activation");
 * - when a variable it can see is created or updated: in its scope or an ancestor (a job's result
 *   or an output mapping that propagates up is a change in the scope it lands in), filtered by
 *   `zeebe:conditionalFilter`. Changes are collected while the command runs and looked at once
 *   its element steps are drained, outer scopes first, each subscription at most once per command.
 * It fires on a change from false to true: a non-interrupting event that fired fires again only
 * after its condition was seen false (RESET) and then true. A condition that cannot be evaluated
 * (not a boolean, or an error) raises an incident on the waiting element, whose conditions then
 * rest until it is resolved; `null` (a variable not set yet) counts as false.
 */
import type { ProcessingContext } from '../processing/context.js';
import type { VariableChange } from '../processing/condition-work.js';
import type { ConditionalSubscriptionRow } from '../state/conditionals.js';
import type { ElementInstance } from '../state/types.js';
import type { Variables } from '../records.js';
import type { ConditionalDefinition } from '../../model/types.js';
import { canBeTriggered, triggerEvent } from './event-triggers.js';
import { evalAny, type Evaluated } from './expressions.js';
import { raiseIncident } from './incidents.js';
import { scopeChain, visibleVariables } from './variables.js';
import { resultTypeOf } from '../../feel/feel-values.js';

/** The condition's value: true, false (also for null), or why it is neither. */
export function evalCondition(conditional: ConditionalDefinition, vars: Variables, now: number): Evaluated<boolean> {
  const result = evalAny(conditional.condition, vars, now);
  if (!result.ok) return result;
  if (result.value === null || result.value === undefined) return { ok: true, value: false };
  if (typeof result.value === 'boolean') return { ok: true, value: result.value };
  const source = conditional.condition.kind === 'feel' ? conditional.condition.source : conditional.condition.value;
  return { ok: false, message: `Expected result of the expression '${source}' to be 'BOOLEAN', but was '${resultTypeOf(result.value)}'.` };
}

/** Looks at the subscriptions opened since the last look (their element is active by now). */
export function evaluateOpenedConditions(ctx: ProcessingContext): void {
  const { opened } = ctx.conditions;
  while (opened.length > 0) {
    for (const key of opened.splice(0)) {
      const row = ctx.state.conditionals.get(key);
      if (row) reevaluate(ctx, row);
    }
  }
}

/** The conditions of an element whose incident was resolved are looked at again, as if just opened. */
export function reopenConditions(ctx: ProcessingContext, instance: ElementInstance): void {
  for (const row of ctx.state.conditionals.ofElementInstance(instance.key)) ctx.conditions.opened.push(row.key);
}

/**
 * Looks at the subscriptions that can see the variables written since the last look. True when
 * one fired or reset (its consequences are queued): the engine drains them and looks again.
 */
export function evaluateChangedConditions(ctx: ProcessingContext): boolean {
  const changes = ctx.conditions.changes.splice(0);
  if (changes.length === 0) return false;
  const byInstance = new Map<bigint, VariableChange[]>();
  for (const change of changes) {
    const list = byInstance.get(change.processInstanceKey);
    if (list) list.push(change);
    else byInstance.set(change.processInstanceKey, [change]);
  }
  let acted = false;
  for (const [processInstanceKey, instanceChanges] of byInstance) {
    const candidates: Array<{ row: ConditionalSubscriptionRow; depth: number }> = [];
    for (const row of ctx.state.conditionals.ofProcessInstance(processInstanceKey)) {
      const chain = scopeChain(ctx, row.value.scopeKey);
      if (instanceChanges.some((change) => sees(ctx, row, chain, change))) candidates.push({ row, depth: chain.length });
    }
    // Outer scopes first: an interrupting event there ends the inner ones before they are looked at.
    candidates.sort((a, b) => a.depth - b.depth || (a.row.key < b.row.key ? -1 : 1));
    for (const { row } of candidates) {
      const current = ctx.state.conditionals.get(row.key);
      if (current && reevaluate(ctx, current)) acted = true;
    }
  }
  return acted;
}

/** Whether the subscription sees this change: it passes the filter, and no inner scope shadows the name. */
function sees(ctx: ProcessingContext, row: ConditionalSubscriptionRow, chain: readonly bigint[], change: VariableChange): boolean {
  const { variableNames, variableEvents } = row.value;
  if (variableNames.length > 0 && !variableNames.includes(change.name)) return false;
  if (variableEvents.length > 0 && !variableEvents.includes(change.kind)) return false;
  for (const scopeKey of chain) {
    if (scopeKey === change.scopeKey) return true;
    if (ctx.state.variables.get(scopeKey, change.name)) return false;
  }
  return false;
}

/** Evaluates one subscription and acts on a change of its value; true when it fired or reset. */
function reevaluate(ctx: ProcessingContext, row: ConditionalSubscriptionRow): boolean {
  if (ctx.conditions.fired.has(row.key)) return false;
  const waiting = ctx.state.elementInstances.get(row.value.elementInstanceKey);
  // An incident on the element holds its conditions until it is resolved.
  if (!canBeTriggered(waiting) || ctx.state.incidents.ofElementInstance(waiting.key) !== undefined) return false;
  const model = ctx.models.get(row.value.processDefinitionKey);
  const event = model.elements.get(row.value.catchEventId)!;
  const result = evalCondition(event.conditional!, visibleVariables(ctx, row.value.scopeKey), ctx.now);
  if (!result.ok) {
    raiseIncident(ctx, waiting, 'EXTRACT_VALUE_ERROR', `Element '${event.id}': failed to evaluate the condition: ${result.message}`);
    return false;
  }
  if (result.value === row.fired) return false;
  if (!result.value) {
    ctx.event('CONDITIONAL_SUBSCRIPTION', 'RESET', row.key, row.value);
    return true;
  }
  ctx.conditions.fired.add(row.key);
  ctx.event('CONDITIONAL_SUBSCRIPTION', 'TRIGGERED', row.key, row.value);
  triggerEvent(ctx, waiting, event, {});
  return true;
}
