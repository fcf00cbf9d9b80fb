/**
 * The ISO-8601 subset Zeebe accepts for timers, parsed the way java.time parses it
 * (`Period`/`Duration`, `ZonedDateTime`, Zeebe's `RepeatingInterval`), so that models written for
 * Zeebe mean the same here. Calendar arithmetic runs in UTC: the engine must not depend on the
 * host's time zone, where Zeebe would use the JVM's default zone.
 */
import { formatOffset, isValidZone, localToEpochMs, parseOffset } from './time-zones.js';

const MS_PER_SECOND = 1000;
const MS_PER_MINUTE = 60_000;
const MS_PER_HOUR = 3_600_000;
const MS_PER_DAY = 86_400_000;
/** ECMAScript's Date range; beyond it no instant can be represented. */
const MAX_EPOCH_MS = 8.64e15;

export interface IsoDuration {
  readonly negative: boolean;
  readonly years: number;
  readonly months: number;
  readonly weeks: number;
  readonly days: number;
  readonly hours: number;
  readonly minutes: number;
  readonly seconds: number;
  /** The fraction of the seconds, truncated to milliseconds as java.time's `toMillis` does. */
  readonly milliseconds: number;
}

export type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly message: string };

const DURATION_PATTERN =
  /^([+-])?P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)(?:[.,](\d{1,9}))?S)?)?$/;

/**
 * Parses `PnYnMnWnDTnHnMn.nS` (any subset, optionally signed). Only seconds may carry a fraction,
 * as in java.time. Returns null for anything else, including `P`, `PT` and `P1DT`.
 */
export function parseIsoDuration(text: string): IsoDuration | null {
  const match = DURATION_PATTERN.exec(text.trim());
  if (!match) return null;
  const [, sign, y, mo, w, d, h, mi, s, fraction] = match;
  const hasDate = y !== undefined || mo !== undefined || w !== undefined || d !== undefined;
  const hasTime = h !== undefined || mi !== undefined || s !== undefined;
  if (!hasDate && !hasTime) return null;
  if (text.includes('T') && !hasTime) return null;
  const numbers = [y, mo, w, d, h, mi, s].map((part) => (part === undefined ? 0 : Number(part)));
  if (!numbers.every(Number.isSafeInteger)) return null;
  const [years, months, weeks, days, hours, minutes, seconds] = numbers as [
    number, number, number, number, number, number, number,
  ];
  const milliseconds = fraction === undefined ? 0 : Number(fraction.padEnd(3, '0').slice(0, 3));
  return { negative: sign === '-', years, months, weeks, days, hours, minutes, seconds, milliseconds };
}

export function isZeroDuration(duration: IsoDuration): boolean {
  return (
    duration.years === 0 &&
    duration.months === 0 &&
    duration.weeks === 0 &&
    duration.days === 0 &&
    duration.hours === 0 &&
    duration.minutes === 0 &&
    duration.seconds === 0 &&
    duration.milliseconds === 0
  );
}

/** True when the duration is negative and not zero (`-PT0S` is zero). */
export function isNegativeDuration(duration: IsoDuration): boolean {
  return duration.negative && !isZeroDuration(duration);
}

/**
 * Adds the duration to an instant: months first (clamping the day of month, so Jan 31 + P1M is the
 * last day of February, like java.time), then days, then the exact time part. Null when the
 * result is outside the representable range.
 */
export function addIsoDuration(epochMs: number, duration: IsoDuration): number | null {
  const sign = duration.negative ? -1 : 1;
  let result = epochMs;
  const totalMonths = duration.years * 12 + duration.months;
  if (totalMonths !== 0) {
    const shifted = addMonthsUtc(result, sign * totalMonths);
    if (shifted === null) return null;
    result = shifted;
  }
  result += sign * (duration.weeks * 7 + duration.days) * MS_PER_DAY;
  result +=
    sign *
    (duration.hours * MS_PER_HOUR +
      duration.minutes * MS_PER_MINUTE +
      duration.seconds * MS_PER_SECOND +
      duration.milliseconds);
  return Number.isFinite(result) && Math.abs(result) <= MAX_EPOCH_MS ? result : null;
}

/** The duration's length in milliseconds when it starts at `fromMs` (months vary in length). */
export function isoDurationToMs(duration: IsoDuration, fromMs: number): number | null {
  const end = addIsoDuration(fromMs, duration);
  return end === null ? null : end - fromMs;
}

function addMonthsUtc(epochMs: number, months: number): number | null {
  if (Math.abs(months) > 12 * 300_000) return null;
  const date = new Date(epochMs);
  const total = date.getUTCFullYear() * 12 + date.getUTCMonth() + months;
  const year = Math.floor(total / 12);
  const month = total - year * 12;
  const day = Math.min(date.getUTCDate(), daysInMonth(year, month));
  date.setUTCFullYear(year, month, day);
  const result = date.getTime();
  return Number.isFinite(result) ? result : null;
}

function daysInMonth(year: number, month: number): number {
  const lastDay = new Date(0);
  lastDay.setUTCFullYear(year, month + 1, 0);
  return lastDay.getUTCDate();
}

/** A date-time split into its wall-clock part and whatever follows it. */
export interface DateTimeParts {
  /** `YYYY-MM-DDTHH:mm:ss[.fraction]`, seconds always present. */
  readonly local: string;
  /** The wall-clock time read as if it were UTC. */
  readonly localAsUtcMs: number;
  /** `Z`/`+01:00`-style offset, if any. */
  readonly offset: string | null;
  /** IANA zone id from `[Europe/Berlin]` or FEEL's `@Europe/Berlin`, if any. */
  readonly zone: string | null;
}

const DATE_TIME_PATTERN =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(Z|z|[+-]\d{2}(?::?\d{2}(?::?\d{2})?)?)?(?:\[([^\]]+)\]|@(.+))?$/;

export function splitIsoDateTime(text: string): DateTimeParts | null {
  const match = DATE_TIME_PATTERN.exec(text.trim());
  if (!match) return null;
  const [, y, mo, d, h, mi, s, fraction, offset, bracketZone, atZone] = match;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = s === undefined ? 0 : Number(s);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month - 1)) return null;
  if (hour > 23 || minute > 59 || second > 59) return null;
  const millis = fraction === undefined ? 0 : Number(fraction.padEnd(3, '0').slice(0, 3));
  const wallClock = new Date(0);
  wallClock.setUTCFullYear(year, month - 1, day);
  wallClock.setUTCHours(hour, minute, second, millis);
  const secondsText = s === undefined ? '00' : s;
  const fractionText = fraction === undefined ? '' : `.${fraction}`;
  return {
    local: `${y}-${mo}-${d}T${h}:${mi}:${secondsText}${fractionText}`,
    localAsUtcMs: wallClock.getTime(),
    offset: offset ?? null,
    zone: bracketZone ?? atZone ?? null,
  };
}

/**
 * Parses an ISO date-time to epoch milliseconds. An offset or a zone id is required (as for
 * java.time's `ZonedDateTime.parse`), unless `localAsUtc` is set, in which case a zone-less
 * value is read as UTC. With both an offset and a zone, the offset decides the instant.
 */
export function parseIsoDateTime(text: string, options: { localAsUtc?: boolean } = {}): number | null {
  const parts = splitIsoDateTime(text);
  if (!parts) return null;
  if (parts.zone !== null && !isValidZone(parts.zone)) return null;
  if (parts.offset !== null) {
    const offsetMs = parseOffset(parts.offset);
    return offsetMs === null ? null : parts.localAsUtcMs - offsetMs;
  }
  if (parts.zone !== null) return localToEpochMs(parts.localAsUtcMs, parts.zone);
  return options.localAsUtc ? parts.localAsUtcMs : null;
}

/** Formats an instant as java.time's `ISO_OFFSET_DATE_TIME` would, e.g. `2020-01-01T10:00:00+01:00`. */
export function formatOffsetDateTime(local: string, offsetMs: number): string {
  return `${local}${formatOffset(offsetMs)}`;
}

export interface RepeatingInterval {
  /** -1 for `R/…` (repeat forever). */
  readonly repetitions: number;
  /** Epoch ms of an explicit start (`R3/2025-01-01T00:00:00Z/PT1H`), else null. */
  readonly startMs: number | null;
  readonly interval: IsoDuration;
}

/** Parses `R[n]/[start/]duration` with the rules and messages of Zeebe's `RepeatingInterval.parse`. */
export function parseRepeatingInterval(text: string): Parsed<RepeatingInterval> {
  const trimmed = text.trim();
  if (!trimmed.startsWith('R')) return { ok: false, message: 'Repetition spec must start with R' };
  const slash = trimmed.indexOf('/');
  if (slash === -1) return { ok: false, message: 'No interval given' };
  let repetitions = -1;
  if (slash > 1) {
    const count = trimmed.slice(1, slash);
    if (!/^\d+$/.test(count) || !Number.isSafeInteger(Number(count)) || Number(count) > 2_147_483_647) {
      return { ok: false, message: 'Cannot parse repetitions count' };
    }
    repetitions = Number(count);
  }
  const intervalText = trimmed.slice(slash + 1);
  const lastSlash = intervalText.lastIndexOf('/');
  let startMs: number | null = null;
  if (lastSlash > 0) {
    const startText = intervalText.slice(0, lastSlash);
    startMs = parseIsoDateTime(startText);
    if (startMs === null) return { ok: false, message: `Invalid start date-time '${startText}'` };
  }
  const durationText = intervalText.slice(lastSlash + 1);
  const interval = parseIsoDuration(durationText);
  if (!interval) return { ok: false, message: `Invalid duration '${durationText}'` };
  return { ok: true, value: { repetitions, startMs, interval } };
}
