/**
 * FEEL ordering (<, <=, >, >=): numbers, strings, dates, times, date-times and durations of the
 * same kind. Anything else is not comparable and yields null.
 */
import { DaysTimeDuration, YearsMonthsDuration } from '../values/duration.js';
import { compareNumbers, isNumber } from '../values/number.js';
import { FeelDate, FeelDateTime, FeelTime } from '../values/temporal.js';
import type { Value } from '../values/value.js';
import { comparableInstant, comparableTime } from './temporal-compare.js';

/** -1, 0, 1, or null when the values cannot be ordered. */
export function feelCompare(a: Value, b: Value): number | null {
  if (a === null || b === null) return null;
  if (isNumber(a)) return isNumber(b) ? compareNumbers(a, b) : null;
  if (typeof a === 'string') return typeof b === 'string' ? (a < b ? -1 : a > b ? 1 : 0) : null;
  if (a instanceof FeelDateTime) {
    if (!(b instanceof FeelDateTime) || a.zoned !== b.zoned) return null;
    return comparableInstant(a).cmp(comparableInstant(b));
  }
  if (a instanceof FeelDate) return b instanceof FeelDate && !(b instanceof FeelDateTime) ? Math.sign(a.epochDay - b.epochDay) : null;
  if (a instanceof FeelTime) {
    if (!(b instanceof FeelTime) || a.zoned !== b.zoned) return null;
    return comparableTime(a).cmp(comparableTime(b));
  }
  if (a instanceof YearsMonthsDuration) return b instanceof YearsMonthsDuration ? Math.sign(a.months - b.months) : null;
  if (a instanceof DaysTimeDuration) return b instanceof DaysTimeDuration ? a.seconds.cmp(b.seconds) : null;
  return null;
}

export function compareWith(op: '<' | '<=' | '>' | '>=', a: Value, b: Value): boolean | null {
  const c = feelCompare(a, b);
  if (c === null) return null;
  switch (op) {
    case '<':
      return c < 0;
    case '<=':
      return c <= 0;
    case '>':
      return c > 0;
    case '>=':
      return c >= 0;
  }
}
