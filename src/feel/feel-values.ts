/**
 * FEEL values as the rest of the engine sees them: JSON, shaped like Zeebe's FEEL→MessagePack
 * conversion, and the result-type names Zeebe prints in incident messages.
 */
import { FeelDate, FeelDateTime, FeelDuration, FeelTime, isFunction, isRange } from 'feelin';
import { formatOffsetDateTime, splitIsoDateTime } from './iso8601.js';
import { parseOffset, zoneOffsetMs, localToEpochMs } from './time-zones.js';

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

export function resultTypeOf(value: unknown): FeelResultType {
  if (value === null || value === undefined) return 'NULL';
  switch (typeof value) {
    case 'boolean':
      return 'BOOLEAN';
    case 'number':
      return 'NUMBER';
    case 'string':
      return 'STRING';
    default:
  }
  if (Array.isArray(value)) return 'ARRAY';
  if (isDateTime(value)) return 'DATE_TIME';
  if (isDate(value)) return 'DATE';
  if (isDuration(value)) return value.yearsMonths ? 'PERIOD' : 'DURATION';
  if (isPlainObject(value)) return 'OBJECT';
  // FEEL times, ranges and functions have no Zeebe result type either.
  return 'UNKNOWN';
}

export function isDateTime(value: unknown): value is FeelDateTime {
  return value instanceof FeelDateTime;
}

export function isDate(value: unknown): value is FeelDate {
  return value instanceof FeelDate;
}

export function isDuration(value: unknown): value is FeelDuration {
  return value instanceof FeelDuration;
}

export function isTime(value: unknown): value is FeelTime {
  return value instanceof FeelTime;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

export type JsonConversion = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly message: string };

/**
 * Converts a FEEL result to JSON. Temporal values become the strings Zeebe writes (a zoned
 * date-time with its offset, not its zone id); functions and ranges become null, as Zeebe writes
 * nil for values it cannot serialise. Non-finite numbers are an error: they have no JSON form and
 * Zeebe's decimals cannot produce them.
 */
export function toJsonValue(value: unknown): JsonConversion {
  const problem: { message: string | null } = { message: null };
  const converted = convert(value, problem, 0);
  return problem.message === null ? { ok: true, value: converted } : { ok: false, message: problem.message };
}

const MAX_DEPTH = 1000;

function convert(value: unknown, problem: { message: string | null }, depth: number): unknown {
  if (problem.message !== null) return null;
  if (depth > MAX_DEPTH) {
    problem.message = `the result is nested deeper than ${MAX_DEPTH} levels`;
    return null;
  }
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      if (!Number.isFinite(value)) {
        problem.message = `the result is not a finite number (${String(value)})`;
        return null;
      }
      return Object.is(value, -0) ? 0 : value;
    case 'bigint':
      return Number(value);
    default:
  }
  if (Array.isArray(value)) return value.map((item) => convert(item, problem, depth + 1));
  if (isDateTime(value)) return dateTimeToJson(value);
  if (isDate(value) || isTime(value) || isDuration(value)) return value.iso;
  if (isRange(value) || isFunction(value) || typeof value === 'function') return null;
  if (isPlainObject(value)) {
    const result: Record<string, unknown> = {};
    for (const [key, entry] of Object.entries(value)) {
      Object.defineProperty(result, key, {
        value: convert(entry, problem, depth + 1),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return result;
  }
  return null;
}

/** `2020-01-01T10:00:00@Europe/Berlin` → `2020-01-01T10:00:00+01:00`; zone-less stays local. */
function dateTimeToJson(value: FeelDateTime): string {
  const parts = splitIsoDateTime(value.iso);
  if (!parts) return value.iso;
  if (parts.offset !== null) {
    const offset = parseOffset(parts.offset);
    return offset === null ? value.iso : formatOffsetDateTime(parts.local, offset);
  }
  if (parts.zone !== null) {
    const epochMs = localToEpochMs(parts.localAsUtcMs, parts.zone);
    const offset = epochMs === null ? null : zoneOffsetMs(parts.zone, epochMs);
    return offset === null ? value.iso : formatOffsetDateTime(parts.local, offset);
  }
  return parts.local;
}

/** Epoch milliseconds of a FEEL date-time; a zone-less one is read as UTC. */
export function feelDateTimeToEpochMs(value: FeelDateTime): number | null {
  const parts = splitIsoDateTime(value.iso);
  if (!parts) return null;
  if (parts.offset !== null) {
    const offset = parseOffset(parts.offset);
    return offset === null ? null : parts.localAsUtcMs - offset;
  }
  if (parts.zone !== null) return localToEpochMs(parts.localAsUtcMs, parts.zone);
  return parts.localAsUtcMs;
}
