import { compileFeel, type Evaluation } from '../../../src/feel/lang/index.js';
import { feelString } from '../../../src/feel/lang/values/text.js';
import { simpleTypeOf } from '../../../src/feel/lang/values/types.js';

export function evaluate(source: string, context: Record<string, unknown> = {}, knownNames: string[] = []): Evaluation {
  const compiled = compileFeel(source, { profile: 'dmn', knownNames });
  if (!compiled.ok) throw new Error(compiled.message);
  return compiled.evaluate(context, { nowMs: Date.UTC(2025, 0, 15, 12, 30, 0) });
}

/** The FEEL text of the result, with its type for non-null values: `3 (number)`, `null`. */
export function show(source: string, context: Record<string, unknown> = {}, knownNames: string[] = []): string {
  const { value } = evaluate(source, context, knownNames);
  return value === null ? 'null' : `${feelString(value)} (${simpleTypeOf(value)})`;
}

export type Case = readonly [source: string, expected: string];
