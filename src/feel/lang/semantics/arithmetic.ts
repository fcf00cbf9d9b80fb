/**
 * FEEL arithmetic (DMN 1.5, 10.3.2.3): decimal numbers, string concatenation with `+`, and the
 * temporal/duration combinations. An undefined combination is null plus a warning.
 */
import { DaysTimeDuration, YearsMonthsDuration } from '../values/duration.js';
import { FeelDecimal, checked, isNumber, type FeelNumber } from '../values/number.js';
import { FeelDate, FeelDateTime, FeelTime, dateTimeFromLocal } from '../values/temporal.js';
import { daysInMonth } from '../values/calendar.js';
import type { Value } from '../values/value.js';
import type { ArithOp } from '../syntax/ast.js';
import { timeValue } from './temporal-compare.js';

export function addMonths(date: FeelDate, months: number): FeelDate | null {
  const total = date.year * 12 + (date.month - 1) + months;
  const year = Math.floor(total / 12);
  const month = total - year * 12 + 1;
  if (Math.abs(year) > 999_999_999) return null;
  return new FeelDate(year, month, Math.min(date.day, daysInMonth(year, month)));
}

function dateTimePlusSeconds(dt: FeelDateTime, seconds: FeelNumber): FeelDateTime {
  const local = new FeelDecimal(dt.localSeconds).plus(new FeelDecimal(dt.time.nanos).div(1e9)).plus(seconds);
  return dateTimeFromLocal(local, dt.time);
}

function timePlusSeconds(t: FeelTime, seconds: FeelNumber): FeelTime {
  const total = new FeelDecimal(t.secondOfDay).plus(new FeelDecimal(t.nanos).div(1e9)).plus(seconds).mod(86400);
  const wrapped = total.isNegative() ? total.plus(86400) : total;
  const dt = dateTimeFromLocal(wrapped, t);
  return dt.time;
}

/** A date in date-time arithmetic is midnight UTC (DMN 1.5). */
function asDateTime(d: FeelDate): FeelDateTime {
  return new FeelDateTime(d, new FeelTime(0, 0, 0, 0, 0, null));
}

/** Months between two dates/date-times, whole months only (years and months duration(a, b)). */
export function monthsBetween(from: FeelDate | FeelDateTime, to: FeelDate | FeelDateTime): number {
  const a = from instanceof FeelDateTime ? from : asDateTime(from);
  const b = to instanceof FeelDateTime ? to : asDateTime(to);
  let months = (b.date.year - a.date.year) * 12 + (b.date.month - a.date.month);
  if (months > 0 && b.date.day < a.date.day) months--;
  else if (months < 0 && b.date.day > a.date.day) months++;
  return months;
}

function subtractDateTimes(a: FeelDateTime, b: FeelDateTime): Value {
  if (a.zoned !== b.zoned) return null;
  return new DaysTimeDuration(a.instant.minus(b.instant));
}

export function arithmetic(op: ArithOp, a: Value, b: Value): Value | undefined {
  if (a === null || b === null) return null;
  if (isNumber(a) && isNumber(b)) return numeric(op, a, b);
  switch (op) {
    case '+':
      return add(a, b) ?? (isDurationValue(a) && !isDurationValue(b) ? add(b, a) : undefined);
    case '-':
      return subtract(a, b);
    case '*':
      if (isNumber(b)) return scale(a, b, false);
      if (isNumber(a)) return scale(b, a, false);
      return undefined;
    case '/':
      if (isNumber(b)) return scale(a, b, true);
      if (a instanceof DaysTimeDuration && b instanceof DaysTimeDuration) return b.seconds.isZero() ? null : checked(a.seconds.div(b.seconds));
      if (a instanceof YearsMonthsDuration && b instanceof YearsMonthsDuration) return b.months === 0 ? null : checked(new FeelDecimal(a.months).div(b.months));
      return undefined;
    case '**':
      return undefined;
  }
}

function isDurationValue(v: Value): boolean {
  return v instanceof DaysTimeDuration || v instanceof YearsMonthsDuration;
}

function numeric(op: ArithOp, a: FeelNumber, b: FeelNumber): Value {
  switch (op) {
    case '+':
      return checked(a.plus(b));
    case '-':
      return checked(a.minus(b));
    case '*':
      return checked(a.times(b));
    case '/':
      return b.isZero() ? null : checked(a.div(b));
    case '**': {
      if (a.isZero() && b.isNegative()) return null;
      if (!b.isInteger() && a.isNegative()) return null;
      if (b.abs().gt(999_999_999)) return null;
      return checked(a.pow(b));
    }
  }
}

function add(a: Value, b: Value): Value | undefined {
  if (typeof a === 'string' && typeof b === 'string') return a + b;
  if (a instanceof YearsMonthsDuration) {
    if (b instanceof YearsMonthsDuration) return new YearsMonthsDuration(a.months + b.months);
    return undefined;
  }
  if (a instanceof DaysTimeDuration) {
    if (b instanceof DaysTimeDuration) return new DaysTimeDuration(a.seconds.plus(b.seconds));
    return undefined;
  }
  if (b instanceof YearsMonthsDuration) {
    if (a instanceof FeelDate) return addMonths(a, b.months);
    if (a instanceof FeelDateTime) {
      const date = addMonths(a.date, b.months);
      return date === null ? null : new FeelDateTime(date, a.time);
    }
    return undefined;
  }
  if (b instanceof DaysTimeDuration) {
    if (a instanceof FeelDateTime) return dateTimePlusSeconds(a, b.seconds);
    if (a instanceof FeelDate) return dateTimePlusSeconds(asDateTime(a), b.seconds).date;
    if (a instanceof FeelTime) return timePlusSeconds(a, b.seconds);
  }
  return undefined;
}

function subtract(a: Value, b: Value): Value | undefined {
  if (b instanceof YearsMonthsDuration) {
    if (a instanceof YearsMonthsDuration) return new YearsMonthsDuration(a.months - b.months);
    return add(a, new YearsMonthsDuration(-b.months));
  }
  if (b instanceof DaysTimeDuration) {
    if (a instanceof DaysTimeDuration) return new DaysTimeDuration(a.seconds.minus(b.seconds));
    return add(a, new DaysTimeDuration(b.seconds.neg()));
  }
  if (a instanceof FeelDateTime || a instanceof FeelDate) {
    const left = a instanceof FeelDate ? asDateTime(a) : a;
    if (b instanceof FeelDateTime || b instanceof FeelDate) return subtractDateTimes(left, b instanceof FeelDate ? asDateTime(b) : b);
    return undefined;
  }
  if (a instanceof FeelTime && b instanceof FeelTime) {
    if (a.zoned !== b.zoned) return null;
    return new DaysTimeDuration(timeValue(a).minus(timeValue(b)));
  }
  return undefined;
}

function scale(a: Value, n: FeelNumber, divide: boolean): Value | undefined {
  if (divide && n.isZero()) return null;
  if (a instanceof DaysTimeDuration) return new DaysTimeDuration(divide ? a.seconds.div(n) : a.seconds.times(n));
  if (a instanceof YearsMonthsDuration) {
    const months = divide ? new FeelDecimal(a.months).div(n) : n.times(a.months);
    return new YearsMonthsDuration(months.trunc().toNumber());
  }
  return undefined;
}
