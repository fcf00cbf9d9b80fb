/**
 * FEEL evaluation over feelin. Never throws: the engine turns failures into incidents.
 *
 * Determinism: FEEL's `now()` and `today()` read the command's time (`nowMs`), never the wall
 * clock. feelin resolves a name from the evaluation context before its built-ins, so providing
 * `now`/`today` functions in the context replaces the built-ins. A process variable with the same
 * name wins over them (feelin has one namespace for variables and functions; in FEEL-Scala both
 * would work), which is still deterministic.
 *
 * Cost: feelin re-parses the expression on every call (its parse depends on the context's variable
 * names, and its interpreter is not exported, so a parse cache is not possible from outside). What
 * we can control is the context: feelin deep-copies it and walks its names while parsing, so we
 * pass only the variables whose names occur in the source text. A variable whose name is not a
 * substring of the expression cannot be referenced by it (FEEL has no dynamic access to the
 * top-level context), so this is exact, and evaluation cost no longer grows with the number of
 * variables in scope. On top of that, results are memoised by source and referenced values
 * (see result-cache.ts).
 *
 * Semantics: ordering comparisons follow FEEL-Scala, not feelin (see comparisons.ts).
 */
import { date, evaluate as feelinEvaluate, toFeel } from 'feelin';
import type { Expression } from './expression.js';
import { withoutBigInts } from '../engine/json.js';
import { toJsonValue } from './feel-values.js';
import {
  COMPARE_FUNCTION,
  collectingComparisonWarnings,
  comparisonFunction,
  withFeelScalaComparisons,
} from './comparisons.js';
import type { FeelResult, RawFeelResult } from './feel-result.js';
import { cachedResult, cacheKeyFor, storeResult } from './result-cache.js';
import { toFeelWarning, type FeelWarning } from './warnings.js';

export type { FeelWarning } from './warnings.js';

export type { FeelResult, RawFeelResult } from './feel-result.js';

export function evaluate(expr: Expression, variables: Readonly<Record<string, unknown>>, nowMs: number): FeelResult {
  if (expr.kind === 'static') return { ok: true, value: expr.value, warnings: [] };
  const raw = evaluateFeelSource(expr.source, variables, nowMs);
  if (!raw.ok) return raw;
  const json = toJsonValue(raw.value);
  if (!json.ok) return { ok: false, message: `Failed to evaluate expression '${expr.source}': ${json.message}` };
  return { ok: true, value: json.value, warnings: raw.warnings };
}

/** Evaluates FEEL source text (without the leading `=`) and returns the raw FEEL value. */
export function evaluateFeelSource(
  source: string,
  variables: Readonly<Record<string, unknown>>,
  nowMs: number,
): RawFeelResult {
  const direct = plainVariable(source, variables);
  if (direct !== undefined) return direct;
  const context = contextFor(source, variables, nowMs);
  const key = cacheKeyFor(source, context);
  const hit = key === null ? undefined : cachedResult(key);
  if (hit !== undefined) return hit;
  let result: RawFeelResult;
  try {
    const program = withFeelScalaComparisons(source);
    const comparisonWarnings: FeelWarning[] = [];
    if (program !== source) define(context, COMPARE_FUNCTION, comparisonFunction);
    const evaluated = collectingComparisonWarnings(comparisonWarnings, () => feelinEvaluate(program, context));
    const warnings = [...evaluated.warnings.map(toFeelWarning), ...comparisonWarnings];
    result = { ok: true, value: evaluated.value ?? null, warnings };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    result = { ok: false, message: `Failed to evaluate expression '${source}': ${reason}` };
  }
  if (key !== null) storeResult(key, result);
  return result;
}

/** A bare name is a variable reference (or a literal or keyword, which this leaves to feelin). */
const PLAIN_NAME = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*$/;
const NOT_VARIABLES = new Set(['true', 'false', 'null', 'not', 'and', 'or', 'in', 'for', 'some', 'every', 'if', 'then', 'else', 'return', 'satisfies', 'between', 'instance', 'of', 'function', 'external']);

/**
 * `=orderId` and the like, the commonest expressions (correlation keys, collections), read the
 * variable without a parse: their results rarely repeat, so the result cache does not help them.
 * Only when the variable exists; a missing one goes to feelin for its warning.
 */
function plainVariable(source: string, variables: Readonly<Record<string, unknown>>): RawFeelResult | undefined {
  const name = PLAIN_NAME.exec(source)?.[1];
  if (name === undefined || NOT_VARIABLES.has(name) || !Object.hasOwn(variables, name)) return undefined;
  return { ok: true, value: withoutBigInts(variables[name]) ?? null, warnings: [] };
}

function contextFor(
  source: string,
  variables: Readonly<Record<string, unknown>>,
  nowMs: number,
): Record<string, unknown> {
  const context: Record<string, unknown> = {};
  for (const name of Object.keys(variables)) {
    // FEEL numbers are doubles: an int64 kept exact in the variables is rounded here only.
    if (name !== '' && source.includes(name)) define(context, name, withoutBigInts(variables[name]));
  }
  if (!Object.hasOwn(context, 'now') && source.includes('now')) {
    context.now = () => nowAsFeel(nowMs);
  }
  if (!Object.hasOwn(context, 'today') && source.includes('today')) {
    context.today = () => todayAsFeel(nowMs);
  }
  return context;
}

/** Plain assignment would treat a variable named `__proto__` as the prototype. */
function define(target: Record<string, unknown>, name: string, value: unknown): void {
  Object.defineProperty(target, name, { value, enumerable: true, writable: true, configurable: true });
}

function nowAsFeel(nowMs: number): unknown {
  return Number.isFinite(nowMs) ? toFeel(new Date(nowMs)) : null;
}

function todayAsFeel(nowMs: number): unknown {
  if (!Number.isFinite(nowMs)) return null;
  return date(new Date(nowMs).toISOString().slice(0, 10));
}
