/**
 * BPMN expressions on Zen's FEEL (`lang/`, camunda profile). Never throws: the engine turns
 * failures into incidents.
 *
 * Each source is compiled once and kept (compilation.ts); evaluation runs the closures over the
 * variables, which are converted to FEEL values only when the expression reads them.
 *
 * Determinism: FEEL's `now()` and `today()` read the command's time (`nowMs`), never the wall
 * clock. A process variable named `now` is a variable; `now()` is still the function.
 */
import { compiledFeel } from './compilation.js';
import { toJsonValue, toPlain } from './feel-values.js';
import type { FeelResult, RawFeelResult } from './feel-result.js';
import type { Expression } from './expression.js';

export type { FeelWarning } from './warnings.js';

export type { FeelResult, RawFeelResult } from './feel-result.js';

/** An expression's result as JSON (what variables hold). */
export function evaluate(expr: Expression, variables: Readonly<Record<string, unknown>>, nowMs: number): FeelResult {
  if (expr.kind === 'static') return { ok: true, value: expr.value, warnings: [] };
  const direct = plainVariable(expr.source, variables);
  if (direct !== undefined) return direct;
  return finish(expr.source, variables, nowMs, true);
}

/**
 * FEEL source text (without the leading `=`) evaluated to a plain value: JSON shapes, but
 * temporals, durations, ranges and functions still FEEL objects (see feel-values.ts).
 */
export function evaluateFeelSource(source: string, variables: Readonly<Record<string, unknown>>, nowMs: number): RawFeelResult {
  return plainVariable(source, variables) ?? finish(source, variables, nowMs, false);
}

function finish(source: string, variables: Readonly<Record<string, unknown>>, nowMs: number, json: boolean): FeelResult {
  const compiled = compiledFeel(source);
  if (!compiled.ok) return { ok: false, message: `Failed to evaluate expression '${source}': ${compiled.message}` };
  const evaluated = compiled.evaluate(variables, { nowMs });
  // Camunda's `assert` ends the evaluation: an incident, not a null to carry on with.
  if (evaluated.failure !== undefined) return { ok: false, message: `Failed to evaluate expression '${source}': ${evaluated.failure.message}` };
  const converted = json ? toJsonValue(evaluated.value) : toPlain(evaluated.value);
  if (!converted.ok) return { ok: false, message: `Failed to evaluate expression '${source}': ${converted.message}` };
  return { ok: true, value: converted.value, warnings: evaluated.warnings };
}

/** A bare name is a variable reference (or a literal or keyword, which this leaves to the compiler). */
const PLAIN_NAME = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*$/;
const NOT_VARIABLES = new Set(['true', 'false', 'null', 'not', 'and', 'or', 'in', 'for', 'some', 'every', 'if', 'then', 'else', 'return', 'satisfies', 'between', 'instance', 'of', 'function', 'external']);

/**
 * `=orderId` and the like, the commonest expressions (correlation keys, collections), hand the
 * variable back as it is: converting it to FEEL and back would copy it twice for nothing. Only when
 * the variable exists; a missing one goes to the compiler for its warning.
 */
function plainVariable(source: string, variables: Readonly<Record<string, unknown>>): FeelResult | undefined {
  const name = PLAIN_NAME.exec(source)?.[1];
  if (name === undefined || NOT_VARIABLES.has(name) || !Object.hasOwn(variables, name)) return undefined;
  return { ok: true, value: variables[name] ?? null, warnings: [] };
}
