/**
 * The engine's view of FEEL: every evaluation goes through here, with the command's clock,
 * and comes back as a value or a message for an incident. Nothing here throws.
 */
import {
  applyMappings,
  evaluate,
  evaluateBoolean,
  evaluateCorrelationKey,
  evaluateCycle,
  evaluateDateTime,
  evaluateDuration,
  evaluateInteger,
  evaluateOptionalDateTime,
  evaluateString,
  evaluateStringList,
} from '../../feel/index.js';
import type { Expression } from '../../feel/expression.js';
import type { MappingOptions } from '../../feel/index.js';
import type { VariableMapping } from '../../model/types.js';
import type { Variables } from '../records.js';

export type Evaluated<T> = { ok: true; value: T } | { ok: false; message: string };

export function evalAny(expr: Expression, vars: Variables, now: number): Evaluated<unknown> {
  const result = evaluate(expr, vars, now);
  return result.ok ? { ok: true, value: result.value } : result;
}

export function evalBoolean(expr: Expression, vars: Variables, now: number): Evaluated<boolean> {
  return evaluateBoolean(expr, vars, now);
}

export function evalString(expr: Expression, vars: Variables, now: number): Evaluated<string> {
  return evaluateString(expr, vars, now);
}

export function evalCorrelationKey(expr: Expression, vars: Variables, now: number): Evaluated<string> {
  return evaluateCorrelationKey(expr, vars, now);
}

export function evalInteger(expr: Expression, vars: Variables, now: number): Evaluated<number> {
  return evaluateInteger(expr, vars, now);
}

export function evalStringList(expr: Expression, vars: Variables, now: number): Evaluated<string[]> {
  return evaluateStringList(expr, vars, now);
}

export function evalOptionalDateTime(expr: Expression, vars: Variables, now: number): Evaluated<number | null> {
  return evaluateOptionalDateTime(expr, vars, now);
}

export function evalDuration(expr: Expression, vars: Variables, now: number): Evaluated<number> {
  return evaluateDuration(expr, vars, now);
}

export function evalDateTime(expr: Expression, vars: Variables, now: number): Evaluated<number> {
  return evaluateDateTime(expr, vars, now);
}

export function evalCycle(
  expr: Expression,
  vars: Variables,
  now: number,
): Evaluated<{ repetitions: number; intervalMs: number; startMs?: number | null; cron?: string }> {
  return evaluateCycle(expr, vars, now);
}

export function evalMappings(
  mappings: readonly VariableMapping[],
  source: Variables,
  now: number,
  options: MappingOptions = {},
): Evaluated<Variables> {
  const result = applyMappings(mappings, source, now, options);
  return result.ok ? { ok: true, value: result.result } : { ok: false, message: result.message };
}

/** True when evaluating the expression needs variables at all (static values do not). */
export function needsVariables(expr: Expression | null | undefined): boolean {
  return !!expr && expr.kind === 'feel';
}
