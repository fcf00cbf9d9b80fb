/**
 * FEEL values as the rest of the engine sees them. Evaluation yields FEEL values (decimals, Zen's
 * temporals, contexts); the engine works on two forms of them:
 * - *plain* values (`toPlain`): JSON shapes with numbers as JS numbers (int64-exact integers as
 *   bigint, like process variables), but temporals, durations, ranges and functions still FEEL
 *   objects, so timers read a date-time without a detour through text and incident messages can
 *   name Zeebe's result type;
 * - JSON (`toJsonValue`): what variables hold, shaped like Zeebe's FEEL→MessagePack conversion.
 */
import { FeelContext } from './lang/values/context.js';
import { DaysTimeDuration, YearsMonthsDuration } from './lang/values/duration.js';
import { FeelFunction } from './lang/values/function.js';
import { isNumber, type FeelNumber } from './lang/values/number.js';
import { FeelRange } from './lang/values/range.js';
import { FeelDate, FeelDateTime, FeelTime, offsetText } from './lang/values/temporal.js';

/** Zeebe's `ResultType` names, as they appear in "to be 'X', but was 'Y'" messages. */
export type FeelResultType =
  | 'NULL'
  | 'BOOLEAN'
  | 'NUMBER'
  | 'STRING'
  | 'ARRAY'
  | 'OBJECT'
  | 'DURATION'
  | 'PERIOD'
  | 'DATE'
  | 'DATE_TIME'
  | 'UNKNOWN';

/** The result type of a plain value. */
export function resultTypeOf(value: unknown): FeelResultType {
  if (value === null || value === undefined) return 'NULL';
  switch (typeof value) {
    case 'boolean':
      return 'BOOLEAN';
    case 'number':
    case 'bigint':
      return 'NUMBER';
    case 'string':
      return 'STRING';
    default:
  }
  if (Array.isArray(value)) return 'ARRAY';
  if (value instanceof FeelDateTime) return 'DATE_TIME';
  if (value instanceof FeelDate) return 'DATE';
  if (value instanceof YearsMonthsDuration) return 'PERIOD';
  if (value instanceof DaysTimeDuration) return 'DURATION';
  if (isPlainObject(value)) return 'OBJECT';
  // FEEL times, ranges and functions have no Zeebe result type either.
  return 'UNKNOWN';
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

export type JsonConversion = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly message: string };

/** 2^63: integers below it in magnitude fit an int64, as Zeebe's variables do. */
const INT64_LIMIT = 9223372036854775808n;
const MAX_DEPTH = 1000;

interface Problem {
  message: string | null;
}

/** A FEEL value (or a plain one) as a plain value; a number beyond a double's range is a problem. */
export function toPlain(value: unknown): JsonConversion {
  return convert(value, false);
}

/**
 * A FEEL value (or a plain one) as JSON. Temporal values become the strings Zeebe writes (a zoned
 * date-time with its offset, not its zone id); functions and ranges become null, as Zeebe writes
 * nil for values it cannot serialise. A number beyond a double's range is an error: it has no
 * JSON form.
 */
export function toJsonValue(value: unknown): JsonConversion {
  return convert(value, true);
}

function convert(value: unknown, json: boolean): JsonConversion {
  const problem: Problem = { message: null };
  const converted = walk(value, json, problem, 0);
  return problem.message === null ? { ok: true, value: converted } : { ok: false, message: problem.message };
}

function walk(value: unknown, json: boolean, problem: Problem, depth: number): unknown {
  if (problem.message !== null) return null;
  if (depth > MAX_DEPTH) {
    problem.message = `the result is nested deeper than ${MAX_DEPTH} levels`;
    return null;
  }
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case 'string':
    case 'boolean':
    case 'bigint':
      return value;
    case 'number':
      if (!Number.isFinite(value)) {
        problem.message = `the result is not a finite number (${String(value)})`;
        return null;
      }
      return Object.is(value, -0) ? 0 : value;
    default:
  }
  if (isNumber(value)) return numberOf(value, problem);
  if (Array.isArray(value)) return value.map((item) => walk(item, json, problem, depth + 1));
  if (value instanceof FeelContext) return objectOf(value.entries, json, problem, depth);
  if (isPlainObject(value)) return objectOf(Object.entries(value), json, problem, depth);
  if (!json) return value;
  if (value instanceof FeelDateTime) return dateTimeText(value);
  if (value instanceof FeelDate || value instanceof FeelTime || value instanceof YearsMonthsDuration || value instanceof DaysTimeDuration) return value.toString();
  if (value instanceof FeelRange || value instanceof FeelFunction) return null;
  return null;
}

function objectOf(entries: Iterable<[string, unknown]>, json: boolean, problem: Problem, depth: number): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [key, entry] of entries) {
    // Plain assignment would treat a key named `__proto__` as the prototype.
    Object.defineProperty(result, key, { value: walk(entry, json, problem, depth + 1), enumerable: true, writable: true, configurable: true });
  }
  return result;
}

/** Integers stay exact up to int64 (as bigint beyond 2^53); everything else becomes a double. */
function numberOf(value: FeelNumber, problem: Problem): number | bigint | null {
  const n = value.toNumber();
  if (!Number.isFinite(n)) {
    problem.message = `the result is not a finite number (${value.toString()})`;
    return null;
  }
  if (Number.isSafeInteger(n) || !value.isInteger()) return Object.is(n, -0) ? 0 : n;
  const big = BigInt(value.toFixed());
  return big < INT64_LIMIT && big >= -INT64_LIMIT ? big : n;
}

/** `2020-01-01T10:00:00@Europe/Berlin` → `2020-01-01T10:00:00+01:00`; zone-less stays local. */
function dateTimeText(value: FeelDateTime): string {
  const { time } = value;
  if (time.zone === null) return value.toString();
  const local = new FeelDateTime(value.date, new FeelTime(time.hour, time.minute, time.second, time.nanos, null, null)).toString();
  return local + offsetText(value.offsetSeconds);
}

/** Epoch milliseconds of a FEEL date-time; a zone-less one is read as UTC. */
export function feelDateTimeToEpochMs(value: FeelDateTime): number | null {
  const ms = value.instant.times(1000).floor().toNumber();
  return Number.isSafeInteger(ms) ? ms : null;
}
