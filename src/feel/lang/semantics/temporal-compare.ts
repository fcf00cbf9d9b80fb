/**
 * Ordering values for times and date-times. Arithmetic uses the exact seconds; equality and
 * ordering use milliseconds, the resolution the DMN TCK expects (0068 time_005,
 * datetime_003_a: values a tenth of a millisecond apart are equal) and the one JSON clients keep.
 */
import { FeelDecimal, type FeelNumber } from '../values/number.js';
import type { FeelDateTime, FeelTime } from '../values/temporal.js';
import { offsetForLocal } from '../values/zones.js';

/** Seconds since midnight UTC for a zoned time, local seconds otherwise. */
export function timeValue(t: FeelTime): FeelNumber {
  let offset = t.offset ?? 0;
  if (t.zone !== null) offset = offsetForLocal(t.zone, t.secondOfDay * 1000);
  const seconds = new FeelDecimal(t.secondOfDay - offset);
  return t.nanos === 0 ? seconds : seconds.plus(new FeelDecimal(t.nanos).div(1e9));
}

/** A time's value for equality and ordering: seconds at millisecond resolution. */
export function comparableTime(t: FeelTime): FeelNumber {
  return atMillis(timeValue(t), t.nanos);
}

/** A date-time's instant for equality and ordering, at millisecond resolution. */
export function comparableInstant(dt: FeelDateTime): FeelNumber {
  return atMillis(dt.instant, dt.time.nanos);
}

/** `exact` (which ends in `nanos` of a second) with the sub-millisecond part dropped. */
function atMillis(exact: FeelNumber, nanos: number): FeelNumber {
  const dropped = nanos % 1e6;
  return dropped === 0 ? exact : exact.minus(new FeelDecimal(dropped).div(1e9));
}
