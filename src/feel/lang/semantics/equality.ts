/**
 * FEEL equality (DMN 1.5, 10.3.2.2): values of different kinds are not comparable (null), null
 * equals only null, lists and contexts compare element-wise. `is()` is stricter: for temporals it
 * also requires the same zone representation.
 */
import { FeelContext } from '../values/context.js';
import { DaysTimeDuration, YearsMonthsDuration } from '../values/duration.js';
import { FeelFunction } from '../values/function.js';
import { compareNumbers, isNumber } from '../values/number.js';
import { FeelRange } from '../values/range.js';
import { FeelDate, FeelDateTime, FeelTime } from '../values/temporal.js';
import type { Value } from '../values/value.js';
import { comparableInstant, comparableTime } from './temporal-compare.js';

/** true, false, or null when the two values are not comparable. */
export function feelEquals(a: Value, b: Value): boolean | null {
  if (a === null || b === null) return a === b;
  if (isNumber(a)) return isNumber(b) ? compareNumbers(a, b) === 0 : null;
  if (typeof a === 'string') return typeof b === 'string' ? a === b : null;
  if (typeof a === 'boolean') return typeof b === 'boolean' ? a === b : null;
  if (a instanceof FeelDateTime) {
    if (!(b instanceof FeelDateTime)) return null;
    if (a.zoned !== b.zoned) return false;
    return comparableInstant(a).eq(comparableInstant(b));
  }
  if (a instanceof FeelDate) return b instanceof FeelDate && !(b instanceof FeelDateTime) ? a.epochDay === b.epochDay : null;
  if (a instanceof FeelTime) {
    if (!(b instanceof FeelTime)) return null;
    if (a.zoned !== b.zoned) return false;
    return comparableTime(a).eq(comparableTime(b));
  }
  if (a instanceof YearsMonthsDuration) return b instanceof YearsMonthsDuration ? a.months === b.months : null;
  if (a instanceof DaysTimeDuration) return b instanceof DaysTimeDuration ? a.seconds.eq(b.seconds) : null;
  if (Array.isArray(a)) {
    if (!Array.isArray(b)) return null;
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) {
      const same = feelEquals(a[i] as Value, b[i] as Value);
      if (same !== true) return same;
    }
    return true;
  }
  if (a instanceof FeelContext) {
    if (!(b instanceof FeelContext)) return null;
    if (a.entries.size !== b.entries.size) return false;
    for (const [key, value] of a.entries) {
      if (!b.has(key)) return false;
      const same = feelEquals(value, b.get(key)!);
      if (same !== true) return same;
    }
    return true;
  }
  if (a instanceof FeelRange) {
    if (!(b instanceof FeelRange)) return null;
    if (a.startIncluded !== b.startIncluded || a.endIncluded !== b.endIncluded) return false;
    if (a.openStart !== b.openStart || a.openEnd !== b.openEnd || a.pointed !== b.pointed) return false;
    return feelEquals(a.start, b.start) === true && feelEquals(a.end, b.end) === true;
  }
  if (a instanceof FeelFunction) return b instanceof FeelFunction ? a === b : null;
  return null;
}

/** The `is(a, b)` built-in: same type and same value, including the zone form of temporals. */
export function feelIs(a: Value, b: Value): boolean {
  if (a instanceof FeelTime && b instanceof FeelTime) {
    return a.secondOfDay === b.secondOfDay && a.nanos === b.nanos && a.offset === b.offset && a.zone === b.zone;
  }
  if (a instanceof FeelDateTime && b instanceof FeelDateTime) {
    return a.date.epochDay === b.date.epochDay && feelIs(a.time, b.time);
  }
  if ((a instanceof FeelDateTime) !== (b instanceof FeelDateTime)) return false;
  return feelEquals(a, b) === true;
}
