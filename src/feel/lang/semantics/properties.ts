/** Properties of temporal, duration and range values (`d.year`, `t.time offset`, `r.start`). */
import { isoWeekday } from '../values/calendar.js';
import { DaysTimeDuration, YearsMonthsDuration } from '../values/duration.js';
import { FeelDecimal } from '../values/number.js';
import { FeelRange } from '../values/range.js';
import { FeelDate, FeelDateTime, FeelTime } from '../values/temporal.js';
import type { Value } from '../values/value.js';

const n = (v: number): Value => new FeelDecimal(v);

function timeProperty(t: FeelTime, name: string, offsetSeconds: () => number | null): Value | undefined {
  switch (name) {
    case 'hour':
      return n(t.hour);
    case 'minute':
      return n(t.minute);
    case 'second':
      return t.nanos === 0 ? n(t.second) : new FeelDecimal(t.second).plus(new FeelDecimal(t.nanos).div(1e9));
    case 'time offset': {
      const offset = offsetSeconds();
      return offset === null ? null : DaysTimeDuration.ofSeconds(offset);
    }
    case 'timezone':
      return t.zone;
  }
  return undefined;
}

function dateProperty(d: FeelDate, name: string): Value | undefined {
  switch (name) {
    case 'year':
      return n(d.year);
    case 'month':
      return n(d.month);
    case 'day':
      return n(d.day);
    case 'weekday':
      return n(isoWeekday(d.epochDay));
  }
  return undefined;
}

/** undefined when the value has no such property. */
export function propertyOf(value: Value, name: string): Value | undefined {
  if (value instanceof FeelDate) return dateProperty(value, name);
  if (value instanceof FeelDateTime) {
    return dateProperty(value.date, name) ?? timeProperty(value.time, name, () => (value.zoned ? value.offsetSeconds : null));
  }
  if (value instanceof FeelTime) return timeProperty(value, name, () => value.offset);
  if (value instanceof YearsMonthsDuration) {
    if (name === 'years') return n(value.years);
    if (name === 'months') return n(value.months % 12 || 0);
    return undefined;
  }
  if (value instanceof DaysTimeDuration) {
    if (name === 'days') return n(value.days);
    if (name === 'hours') return n(value.hours);
    if (name === 'minutes') return n(value.minutes);
    if (name === 'seconds') return value.secondsPart;
    return undefined;
  }
  if (value instanceof FeelRange) {
    if (name === 'start') return value.start;
    if (name === 'end') return value.end;
    if (name === 'start included') return value.startIncluded;
    if (name === 'end included') return value.endIncluded;
  }
  return undefined;
}
