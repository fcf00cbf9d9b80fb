/** The text FEEL's `string()` gives a value, also used in messages. */
import { FeelContext } from './context.js';
import { FeelFunction } from './function.js';
import { isNumber } from './number.js';
import { FeelRange } from './range.js';
import type { Value } from './value.js';

/** A value as messages show it: strings quoted, the rest as `string()` gives them. */
export function quoted(value: Value): string {
  return typeof value === 'string' ? JSON.stringify(value) : feelString(value);
}

export function feelString(value: Value): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return String(value);
  if (isNumber(value)) return value.toFixed();
  if (Array.isArray(value)) return `[${value.map((v: Value) => quoted(v)).join(', ')}]`;
  if (value instanceof FeelContext) return `{${[...value.entries].map(([k, v]) => `${k}: ${quoted(v)}`).join(', ')}}`;
  if (value instanceof FeelRange) {
    if (value.start === null) return `${value.endIncluded ? '<=' : '<'} ${quoted(value.end)}`;
    if (value.end === null) return `${value.startIncluded ? '>=' : '>'} ${quoted(value.start)}`;
    return `${value.startIncluded ? '[' : '('}${quoted(value.start)}..${quoted(value.end)}${value.endIncluded ? ']' : ')'}`;
  }
  if (value instanceof FeelFunction) return `function ${value.name}`;
  return String(value);
}
