/**
 * Crossing into and out of FEEL: JS input values become FEEL values (numbers -> decimals, plain
 * objects -> contexts); `toJs` turns a FEEL value back into plain JS for callers and tests.
 */
import { FeelContext } from './context.js';
import { DaysTimeDuration, YearsMonthsDuration } from './duration.js';
import { FeelFunction } from './function.js';
import { FeelDecimal, isNumber } from './number.js';
import { FeelRange } from './range.js';
import { FeelDate, FeelDateTime, FeelTime } from './temporal.js';
import type { Value } from './value.js';

export function isFeelValue(value: unknown): value is Value {
  return (
    value === null ||
    typeof value === 'boolean' ||
    typeof value === 'string' ||
    isNumber(value) ||
    value instanceof FeelDate ||
    value instanceof FeelTime ||
    value instanceof FeelDateTime ||
    value instanceof YearsMonthsDuration ||
    value instanceof DaysTimeDuration ||
    value instanceof FeelRange ||
    value instanceof FeelContext ||
    value instanceof FeelFunction
  );
}

export function fromJs(value: unknown): Value {
  if (value === undefined || value === null) return null;
  if (isFeelValue(value)) return value;
  if (typeof value === 'number') return Number.isFinite(value) ? new FeelDecimal(value) : null;
  if (typeof value === 'bigint') return new FeelDecimal(value.toString());
  if (Array.isArray(value)) return value.map(fromJs);
  if (value instanceof Map) return new FeelContext([...value].map(([k, v]) => [String(k), fromJs(v)] as [string, Value]));
  if (typeof value === 'object') return new FeelContext(Object.entries(value as object).map(([k, v]) => [k, fromJs(v)] as [string, Value]));
  return null;
}

/** Plain JS: numbers as JS numbers, temporals and durations as their ISO text, contexts as objects. */
/** 2^63: integers below it in magnitude fit an int64, as Zeebe's variables do. */
const INT64_LIMIT = new FeelDecimal('9223372036854775808');

export function toJs(value: Value): unknown {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return value;
  if (isNumber(value)) {
    // Integers beyond 2^53 stay exact (as bigint, like process variables' int64 values); others are doubles.
    if (value.isInteger() && !Number.isSafeInteger(value.toNumber()) && value.abs().lt(INT64_LIMIT)) return BigInt(value.toFixed());
    return value.toNumber();
  }
  if (Array.isArray(value)) return value.map(toJs);
  if (value instanceof FeelContext) return Object.fromEntries([...value.entries].map(([k, v]) => [k, toJs(v)]));
  if (value instanceof FeelRange) return { start: toJs(value.start), end: toJs(value.end), startIncluded: value.startIncluded, endIncluded: value.endIncluded };
  if (value instanceof FeelFunction) return `function ${value.name}`;
  return String(value);
}
