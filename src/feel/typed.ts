/**
 * Typed evaluation with the incident messages Zeebe writes, word for word where Zeebe has one
 * (users compare them with Camunda's docs and forum answers). Each helper returns a message
 * instead of throwing; the engine raises the incident.
 */
import { nextCronTime, parseCron } from './cron.js';
import type { Expression } from './expression.js';
import { evaluateFeelSource } from './evaluate.js';
import { feelDateTimeToEpochMs, resultTypeOf, type FeelResultType } from './feel-values.js';
import { isDuration } from './lang/values/duration.js';
import { FeelDateTime } from './lang/values/temporal.js';
import {
  isNegativeDuration,
  isZeroDuration,
  isoDurationToMs,
  parseIsoDateTime,
  parseIsoDuration,
  parseRepeatingInterval,
  type IsoDuration,
} from './iso8601.js';
import { warningsSuffix, type FeelWarning } from './warnings.js';

export type Typed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly message: string };

type Variables = Readonly<Record<string, unknown>>;

interface Evaluated {
  readonly value: unknown;
  readonly type: FeelResultType;
  readonly warnings: readonly FeelWarning[];
}

/** The expression as Zeebe prints it in messages: FEEL without its `=`, static values as written. */
function textOf(expr: Expression): string {
  return expr.kind === 'feel' ? expr.source : expr.value;
}

const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/** Zeebe types static values: `null`, `true`/`false` and numbers are not strings. */
function staticValue(text: string): { value: unknown; type: FeelResultType } {
  if (text === 'null') return { value: null, type: 'NULL' };
  if (text === 'true' || text === 'false') return { value: text === 'true', type: 'BOOLEAN' };
  if (DECIMAL.test(text)) return { value: Number(text), type: 'NUMBER' };
  return { value: text, type: 'STRING' };
}

function run(expr: Expression, variables: Variables, nowMs: number, typedStatics: boolean): Typed<Evaluated> {
  if (expr.kind === 'static') {
    const typed = typedStatics ? staticValue(expr.value) : { value: expr.value, type: 'STRING' as const };
    return { ok: true, value: { ...typed, warnings: [] } };
  }
  const result = evaluateFeelSource(expr.source, variables, nowMs);
  if (!result.ok) return result;
  return { ok: true, value: { value: result.value, type: resultTypeOf(result.value), warnings: result.warnings } };
}

function fail(message: string, warnings: readonly FeelWarning[]): { ok: false; message: string } {
  return { ok: false, message: message + warningsSuffix(warnings) };
}

function expected(expr: Expression, type: string, got: Evaluated): { ok: false; message: string } {
  return fail(`Expected result of the expression '${textOf(expr)}' to be '${type}', but was '${got.type}'.`, got.warnings);
}

function expectedOneOf(expr: Expression, types: readonly string[], got: Evaluated): { ok: false; message: string } {
  return fail(
    `Expected result of the expression '${textOf(expr)}' to be one of '[${types.join(', ')}]', but was '${got.type}'.`,
    got.warnings,
  );
}

/** Sequence-flow conditions and other boolean expressions. */
export function evaluateBoolean(expr: Expression, variables: Variables, nowMs: number): Typed<boolean> {
  const result = run(expr, variables, nowMs, true);
  if (!result.ok) return result;
  if (typeof result.value.value === 'boolean') return { ok: true, value: result.value.value };
  return expected(expr, 'BOOLEAN', result.value);
}

/**
 * Job types, message names and other strings. A static value is taken as written, even `123`
 * (recent Zeebe versions would type that as a number and refuse it; we choose not to).
 */
export function evaluateString(expr: Expression, variables: Variables, nowMs: number): Typed<string> {
  const result = run(expr, variables, nowMs, false);
  if (!result.ok) return result;
  if (typeof result.value.value === 'string') return { ok: true, value: result.value.value };
  return expected(expr, 'STRING', result.value);
}

/** Correlation keys: strings, or numbers converted like Zeebe does (`Long.toString(longValue())`). */
export function evaluateCorrelationKey(expr: Expression, variables: Variables, nowMs: number): Typed<string> {
  const result = run(expr, variables, nowMs, false);
  if (!result.ok) return result;
  const { value } = result.value;
  if (typeof value === 'string') return { ok: true, value };
  if (typeof value === 'number' && Number.isFinite(value)) {
    return { ok: true, value: BigInt(Math.trunc(value)).toString() };
  }
  if (typeof value === 'bigint') return { ok: true, value: value.toString() };
  return fail(
    `Failed to extract the correlation key for '${textOf(expr)}': The value must be either a string or a number, but was '${result.value.type}'.`,
    result.value.warnings,
  );
}

/** Job retries and other whole numbers; static `"3"` is 3. */
export function evaluateInteger(expr: Expression, variables: Variables, nowMs: number): Typed<number> {
  const result = run(expr, variables, nowMs, true);
  if (!result.ok) return result;
  const { value } = result.value;
  if (typeof value === 'bigint') {
    return fail(`Expected result of the expression '${textOf(expr)}' to be an integer, but was out of range.`, result.value.warnings);
  }
  if (typeof value !== 'number') return expected(expr, 'NUMBER', result.value);
  if (!Number.isInteger(value)) {
    return fail(
      `Expected result of the expression '${textOf(expr)}' to be an integer, but was a decimal.`,
      result.value.warnings,
    );
  }
  if (!Number.isSafeInteger(value)) {
    return fail(`Expected result of the expression '${textOf(expr)}' to be an integer, but was out of range.`, result.value.warnings);
  }
  return { ok: true, value };
}

/** Candidate groups/users: a list of strings. */
export function evaluateStringList(expr: Expression, variables: Variables, nowMs: number): Typed<string[]> {
  if (expr.kind === 'static') {
    const list = parseCsvList(expr.value);
    if (list) return { ok: true, value: list };
    return { ok: false, message: `Expected to parse list of CSV, but ${expr.value} is not CSV` };
  }
  const result = run(expr, variables, nowMs, false);
  if (!result.ok) return result;
  const { value } = result.value;
  if (!Array.isArray(value)) return expected(expr, 'ARRAY', result.value);
  if (!value.every((item): item is string => typeof item === 'string')) {
    return fail(
      `Expected result of the expression '${textOf(expr)}' to be 'ARRAY' containing 'STRING' items, but was 'ARRAY' containing at least one non-'STRING' item.`,
      result.value.warnings,
    );
  }
  return { ok: true, value: [...value] };
}

/** Zeebe's static CSV lists (`a, b,c`): trimmed, and no blank entries. Empty text is an empty list. */
export function parseCsvList(text: string): string[] | null {
  if (text === '') return [];
  const parts = text.split(',');
  if (parts.some((part) => part.trim() === '')) return null;
  return parts.map((part) => part.trim());
}

const DURATION_TYPES = ['DURATION', 'PERIOD', 'STRING'] as const;
const DATE_TIME_TYPES = ['DATE_TIME', 'STRING'] as const;
const OVERFLOW = 'Timer duration is too large and results in arithmetic overflow. Please use a smaller duration value.';

function durationOf(expr: Expression, got: Evaluated): Typed<IsoDuration> {
  const { value } = got;
  let text: string;
  if (isDuration(value)) text = value.toString();
  else if (typeof value === 'string') text = value;
  else return expectedOneOf(expr, DURATION_TYPES, got);
  const duration = parseIsoDuration(text);
  if (!duration) return fail(`Invalid duration format '${text}' for expression '${textOf(expr)}'.`, got.warnings);
  if (isNegativeDuration(duration)) {
    return fail(`Invalid duration '${text}' for expression '${textOf(expr)}': a timer duration must not be negative.`, got.warnings);
  }
  return { ok: true, value: duration };
}

/**
 * Timer durations, in milliseconds, from an ISO-8601 duration string or a FEEL duration. Years
 * and months count from `nowMs` in UTC. Negative durations are refused (Zeebe would fire at once).
 */
export function evaluateDuration(expr: Expression, variables: Variables, nowMs: number): Typed<number> {
  const result = run(expr, variables, nowMs, false);
  if (!result.ok) return result;
  const duration = durationOf(expr, result.value);
  if (!duration.ok) return duration;
  const ms = isoDurationToMs(duration.value, nowMs);
  return ms === null ? { ok: false, message: OVERFLOW } : { ok: true, value: ms };
}

function dateTimeOf(expr: Expression, got: Evaluated): Typed<number> {
  const { value } = got;
  if (value instanceof FeelDateTime) {
    const epochMs = feelDateTimeToEpochMs(value);
    if (epochMs !== null) return { ok: true, value: epochMs };
    return fail(`Invalid date-time format '${value.toString()}' for expression '${textOf(expr)}'.`, got.warnings);
  }
  if (typeof value !== 'string') return expectedOneOf(expr, DATE_TIME_TYPES, got);
  const epochMs = parseIsoDateTime(value);
  if (epochMs === null) return fail(`Invalid date-time format '${value}' for expression '${textOf(expr)}'.`, got.warnings);
  return { ok: true, value: epochMs };
}

/**
 * Timer dates, as epoch ms, from an ISO date-time string with an offset or zone id, or a FEEL
 * date-time. A FEEL date-time without a zone is read as UTC (Zeebe uses the JVM's zone).
 */
export function evaluateDateTime(expr: Expression, variables: Variables, nowMs: number): Typed<number> {
  const result = run(expr, variables, nowMs, false);
  if (!result.ok) return result;
  return dateTimeOf(expr, result.value);
}

/** Like `evaluateDateTime`, but null and `''` mean "not set" (user-task due and follow-up dates). */
export function evaluateOptionalDateTime(expr: Expression, variables: Variables, nowMs: number): Typed<number | null> {
  const result = run(expr, variables, nowMs, false);
  if (!result.ok) return result;
  const { value } = result.value;
  if (value === null || value === '') return { ok: true, value: null };
  if (!(value instanceof FeelDateTime) && typeof value !== 'string') return expectedOneOf(expr, ['NULL', ...DATE_TIME_TYPES], result.value);
  return dateTimeOf(expr, result.value);
}

export interface TimerCycle {
  /** -1 repeats forever. */
  readonly repetitions: number;
  /** The interval's length counted from `startMs` if given, else from `nowMs`. */
  readonly intervalMs: number;
  /** The interval itself, so the engine can add months exactly for each occurrence; null for cron. */
  readonly interval: IsoDuration | null;
  /** A cron cycle (its expression): each occurrence is the schedule's next time after the previous one. */
  readonly cron?: string;
  /**
   * Explicit start (`R3/2025-01-01T00:00:00Z/PT1H`). In Zeebe it is the first due date, or now if
   * it has already passed; later occurrences follow at `interval` after the previous due date.
   */
  readonly startMs?: number;
}

/** Timer cycles: `R5/PT10S`, `R/PT1M`, `R3/2025-01-01T00:00:00Z/PT1H`, or cron (`0 0 9 * * MON-FRI`, feel/cron.ts). */
export function evaluateCycle(expr: Expression, variables: Variables, nowMs: number): Typed<TimerCycle> {
  const result = run(expr, variables, nowMs, false);
  if (!result.ok) return result;
  const { value } = result.value;
  if (typeof value !== 'string') return expected(expr, 'STRING', result.value);
  return parseCycle(value, textOf(expr), nowMs, result.value.warnings);
}

/** Shared with deploy-time validation of static cycles. */
export function parseCycle(
  value: string,
  exprText: string,
  nowMs: number,
  warnings: readonly FeelWarning[] = [],
): Typed<TimerCycle> {
  const invalid = (reason: string): { ok: false; message: string } =>
    fail(`Invalid time cycle '${value}' for expression '${exprText}': ${reason}.`, warnings);
  if (!value.trim().startsWith('R')) {
    const cron = parseCron(value);
    if (!cron.ok) return invalid(cron.message);
    const first = nextCronTime(cron.value, nowMs);
    if (first === null) return invalid('the cron expression never fires');
    return { ok: true, value: { repetitions: -1, intervalMs: 0, interval: null, cron: cron.value.source, startMs: first } };
  }
  const parsed = parseRepeatingInterval(value);
  if (!parsed.ok) return invalid(parsed.message);
  const { repetitions, startMs, interval } = parsed.value;
  if (isNegativeDuration(interval) || isZeroDuration(interval)) return invalid('the interval must be longer than zero');
  const intervalMs = isoDurationToMs(interval, startMs ?? nowMs);
  if (intervalMs === null) return { ok: false, message: OVERFLOW };
  return {
    ok: true,
    value: startMs === null ? { repetitions, intervalMs, interval } : { repetitions, intervalMs, interval, startMs },
  };
}
