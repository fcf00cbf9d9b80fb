/** Whether a point lies in a range; null when the point cannot be compared with an endpoint. */
import type { FeelRange } from '../values/range.js';
import type { Value } from '../values/value.js';
import { feelCompare } from './compare.js';

export function rangeIncludes(range: FeelRange, value: Value): boolean | null {
  if (value === null) return null;
  if ((range.start === null && !range.openStart) || (range.end === null && !range.openEnd)) return null;
  if (range.start !== null) {
    const c = feelCompare(value, range.start);
    if (c === null) return null;
    if (c < 0 || (c === 0 && !range.startIncluded)) return false;
  }
  if (range.end !== null) {
    const c = feelCompare(value, range.end);
    if (c === null) return null;
    if (c > 0 || (c === 0 && !range.endIncluded)) return false;
  }
  return true;
}
