/** Conversion functions (DMN 1.5, 10.3.4.1): date, time, date and time, number, string, durations. */
import { monthsBetween } from '../semantics/arithmetic.js';
import { DaysTimeDuration, YearsMonthsDuration, parseDuration } from '../values/duration.js';
import { FeelDecimal, type FeelNumber } from '../values/number.js';
import { FeelDate, FeelDateTime, FeelTime, dateFrom, parseDate, parseDateTime, parseTime } from '../values/temporal.js';
import { feelString } from '../values/text.js';
import type { Value } from '../values/value.js';
import { builtin, fail, register, type Registry } from './define.js';

function int(n: FeelNumber, what: string): number {
  if (!n.isInteger()) fail(`${what} must be an integer`);
  return n.toNumber();
}

function timeOf(hour: FeelNumber, minute: FeelNumber, second: FeelNumber, offset: DaysTimeDuration | null): FeelTime {
  const h = int(hour, 'hour');
  const m = int(minute, 'minute');
  const whole = second.floor();
  const nanos = second.minus(whole).times(1e9).round().toNumber();
  const s = whole.toNumber();
  if (h < 0 || h > 23 || m < 0 || m > 59 || s < 0 || s > 59) fail('time out of range');
  let offsetSeconds: number | null = null;
  if (offset !== null) {
    offsetSeconds = offset.seconds.toNumber();
    if (Math.abs(offsetSeconds) > 18 * 3600) fail('offset out of range');
  }
  return new FeelTime(h, m, s, nanos, offsetSeconds, null);
}

function orFail<T>(value: T | null, what: string): T {
  if (value === null) fail(`invalid ${what}`);
  return value;
}

export function registerConversion(r: Registry): void {
  register(
    r,
    builtin('date', [
      ['from: string', ([s]) => orFail(parseDate(s), `date '${s}'`)],
      ['from: date and time', ([dt]: [FeelDateTime]) => dt.date],
      ['from: date', ([d]) => d],
      ['year: number, month: number, day: number', ([y, m, d]) => orFail(dateFrom(int(y, 'year'), int(m, 'month'), int(d, 'day')), 'date')],
    ]),
    // A null offset means "no offset" here, so this one checks its nulls itself.
    builtin(
      'time',
      [
        ['from: string', ([s]) => (s === null ? null : orFail(parseTime(s), `time '${s}'`))],
        ['from: time', ([t]) => t],
        ['from: date and time', ([dt]: [FeelDateTime]) => dt?.time ?? null],
        ['from: date', ([d]) => (d === null ? null : new FeelTime(0, 0, 0, 0, 0, null))],
        ['hour: number, minute: number, second: number, offset?: days and time duration', ([h, m, s, o]) => (h === null || m === null || s === null ? null : timeOf(h, m, s, o ?? null))],
      ],
      { nulls: true },
    ),
    builtin('date and time', [
      ['from: string', ([s]) => orFail(parseDateTime(s), `date and time '${s}'`)],
      ['from: date and time', ([dt]) => dt],
      ['from: date', ([d]: [FeelDate]) => new FeelDateTime(d, new FeelTime(0, 0, 0, 0, 0, null))],
      ['date: date and time, time: time', ([dt, t]: [FeelDateTime, FeelTime]) => new FeelDateTime(dt.date, t)],
      ['date: date, time: time', ([d, t]: [FeelDate, FeelTime]) => new FeelDateTime(d, t)],
    ]),
    builtin('number', [['from: string, grouping separator?: string, decimal separator?: string', ([from, grouping, decimal]) => toNumber(from, grouping ?? null, decimal ?? null)]], { nulls: true }),
    builtin('string', [['from: Any', ([v]) => (v === null ? null : feelString(v as Value))]], { nulls: true }),
    builtin('duration', [['from: string', ([s]) => orFail(parseDuration(s), `duration '${s}'`)]]),
    builtin('years and months duration', [
      ['from: date, to: date', ([a, b]) => new YearsMonthsDuration(monthsBetween(a, b))],
      ['from: date and time, to: date and time', ([a, b]) => new YearsMonthsDuration(monthsBetween(a, b))],
      ['from: date, to: date and time', ([a, b]) => new YearsMonthsDuration(monthsBetween(a, b))],
      ['from: date and time, to: date', ([a, b]) => new YearsMonthsDuration(monthsBetween(a, b))],
    ]),
  );
}

function toNumber(from: string | null, grouping: string | null, decimal: string | null): Value {
  if (from === null) return null;
  if (grouping !== null && ![' ', ',', '.'].includes(grouping)) fail('grouping separator must be space, comma or period');
  if (decimal !== null && !['.', ','].includes(decimal)) fail('decimal separator must be comma or period');
  if (grouping !== null && grouping === decimal) fail('separators must differ');
  let text = from;
  if (grouping !== null) text = text.split(grouping).join('');
  if (decimal !== null) text = text.split(decimal).join('.');
  if (!/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(text)) fail(`'${from}' is not a number`);
  return new FeelDecimal(text);
}
