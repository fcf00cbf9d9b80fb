/** Ordering values for times and date-times (seconds, exact). */
import { FeelDecimal, type FeelNumber } from '../values/number.js';
import type { FeelTime } from '../values/temporal.js';
import { offsetForLocal } from '../values/zones.js';

/** Seconds since midnight UTC for a zoned time, local seconds otherwise. */
export function timeValue(t: FeelTime): FeelNumber {
  let offset = t.offset ?? 0;
  if (t.zone !== null) offset = offsetForLocal(t.zone, t.secondOfDay * 1000);
  const seconds = new FeelDecimal(t.secondOfDay - offset);
  return t.nanos === 0 ? seconds : seconds.plus(new FeelDecimal(t.nanos).div(1e9));
}
