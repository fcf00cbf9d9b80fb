import { compileFeel, type Evaluation } from '../../../src/feel/lang/index.js';
import { feelString } from '../../../src/feel/lang/values/text.js';
import { simpleTypeOf } from '../../../src/feel/lang/values/types.js';

export type ProfileName = 'dmn' | 'camunda';

export function evaluate(source: string, context: Record<string, unknown> = {}, knownNames: string[] = [], profile: ProfileName = 'dmn'): Evaluation {
  const compiled = compileFeel(source, { profile, knownNames });
  if (!compiled.ok) throw new Error(compiled.message);
  return compiled.evaluate(context, { nowMs: Date.UTC(2025, 0, 15, 12, 30, 0) });
}

/** The FEEL text of a value, with its type when not null: `3 (number)`, `null`. */
export function showValue(value: Evaluation['value']): string {
  return value === null ? 'null' : `${feelString(value)} (${simpleTypeOf(value)})`;
}

/** The FEEL text of the result, with its type for non-null values: `3 (number)`, `null`. */
export function show(source: string, context: Record<string, unknown> = {}, knownNames: string[] = [], profile: ProfileName = 'dmn'): string {
  return showValue(evaluate(source, context, knownNames, profile).value);
}

export type Case = readonly [source: string, expected: string];
