/**
 * Range functions (DMN 1.5, 10.3.4.9): the interval algebra over points and ranges, and
 * `range(from: string)`. A point is treated as the closed range [p..p].
 */
import { feelCompare } from '../semantics/compare.js';
import { feelEquals } from '../semantics/equality.js';
import { FeelRange } from '../values/range.js';
import { simpleTypeOf } from '../values/types.js';
import type { Value } from '../values/value.js';
import { builtin, fail, parseRangeLiteral, register, type Registry } from './define.js';

function asRange(v: Value): FeelRange {
  return v instanceof FeelRange ? v : new FeelRange(v, v, true, true);
}

function cmp(a: Value, b: Value): number {
  const c = feelCompare(a, b);
  if (c === null) fail('values are not comparable');
  return c;
}

/** a.end is before b.start (strictly, or touching with an open side). */
function endBeforeStart(a: FeelRange, b: FeelRange): boolean {
  if (a.end === null || b.start === null) return false;
  const c = cmp(a.end, b.start);
  return c < 0 || (c === 0 && (!a.endIncluded || !b.startIncluded));
}

function sameEnd(a: Value, aIncluded: boolean, b: Value, bIncluded: boolean): boolean {
  if (a === null || b === null) return a === b && aIncluded === bIncluded;
  return feelEquals(a, b) === true && aIncluded === bIncluded;
}

/** a starts at or before b's start (taking inclusion into account). */
function startsNoLaterThan(a: FeelRange, b: FeelRange): boolean {
  if (a.start === null) return true;
  if (b.start === null) return false;
  const c = cmp(a.start, b.start);
  return c < 0 || (c === 0 && (a.startIncluded || !b.startIncluded));
}

function endsNoEarlierThan(a: FeelRange, b: FeelRange): boolean {
  if (a.end === null) return true;
  if (b.end === null) return false;
  const c = cmp(a.end, b.end);
  return c > 0 || (c === 0 && (a.endIncluded || !b.endIncluded));
}

function includes(a: FeelRange, b: FeelRange): boolean {
  return startsNoLaterThan(a, b) && endsNoEarlierThan(a, b);
}

function overlaps(a: FeelRange, b: FeelRange): boolean {
  return !endBeforeStart(a, b) && !endBeforeStart(b, a);
}

function meets(a: FeelRange, b: FeelRange): boolean {
  return a.endIncluded && b.startIncluded && a.end !== null && b.start !== null && feelEquals(a.end, b.start) === true;
}

type Relation = (a: FeelRange, b: FeelRange, pointA: boolean, pointB: boolean) => boolean;

const RELATIONS: Record<string, Relation> = {
  before: (a, b) => endBeforeStart(a, b),
  after: (a, b) => endBeforeStart(b, a),
  meets: (a, b) => meets(a, b),
  'met by': (a, b) => meets(b, a),
  overlaps: (a, b) => overlaps(a, b),
  'overlaps before': (a, b) => overlaps(a, b) && startsNoLaterThan(a, b) && !sameStartRange(a, b) && !endsNoEarlierThan(a, b),
  'overlaps after': (a, b) => overlaps(a, b) && startsNoLaterThan(b, a) && !sameStartRange(a, b) && !endsNoEarlierThan(b, a),
  finishes: (a, b) => sameEnd(a.end, a.endIncluded, b.end, b.endIncluded) && startsNoLaterThan(b, a),
  'finished by': (a, b) => sameEnd(a.end, a.endIncluded, b.end, b.endIncluded) && startsNoLaterThan(a, b),
  includes: (a, b) => includes(a, b),
  during: (a, b) => includes(b, a),
  starts: (a, b) => sameEnd(a.start, a.startIncluded, b.start, b.startIncluded) && endsNoEarlierThan(b, a),
  'started by': (a, b) => sameEnd(a.start, a.startIncluded, b.start, b.startIncluded) && endsNoEarlierThan(a, b),
  coincides: (a, b) => sameEnd(a.start, a.startIncluded, b.start, b.startIncluded) && sameEnd(a.end, a.endIncluded, b.end, b.endIncluded),
};

function sameStartRange(a: FeelRange, b: FeelRange): boolean {
  return sameEnd(a.start, a.startIncluded, b.start, b.startIncluded);
}

/** Which argument kinds each relation accepts (point/range), per the DMN 1.5 table. */
const SHAPES: Record<string, Array<[string, string]>> = {
  before: [['point1', 'point2'], ['point', 'range'], ['range', 'point'], ['range1', 'range2']],
  after: [['point1', 'point2'], ['point', 'range'], ['range', 'point'], ['range1', 'range2']],
  meets: [['range1', 'range2']],
  'met by': [['range1', 'range2']],
  overlaps: [['range1', 'range2']],
  'overlaps before': [['range1', 'range2']],
  'overlaps after': [['range1', 'range2']],
  finishes: [['point', 'range'], ['range1', 'range2']],
  'finished by': [['range', 'point'], ['range1', 'range2']],
  includes: [['range', 'point'], ['range1', 'range2']],
  during: [['point', 'range'], ['range1', 'range2']],
  starts: [['point', 'range'], ['range1', 'range2']],
  'started by': [['range', 'point'], ['range1', 'range2']],
  coincides: [['point1', 'point2'], ['range1', 'range2']],
};

function rangeFunction(name: string): ReturnType<typeof builtin> {
  const relation = RELATIONS[name]!;
  return builtin(
    name,
    SHAPES[name]!.map(([p1, p2]) => [
      `${p1}: Any, ${p2}: Any`,
      ([a, b]: Value[]) => {
        const aIsRange = a instanceof FeelRange;
        const bIsRange = b instanceof FeelRange;
        if (aIsRange !== p1.startsWith('range') || bIsRange !== p2.startsWith('range')) fail('argument kinds do not fit');
        return relation(asRange(a!), asRange(b!), !aIsRange, !bIsRange);
      },
    ] as const),
  );
}

const ENDPOINT_TYPES = new Set(['number', 'string', 'date', 'time', 'date and time', 'days and time duration', 'years and months duration']);

/** `range("[1..10)")`: the text is a FEEL range literal (or `> 5` style). */
function parseRange(text: string): Value {
  const value = parseRangeLiteral(text);
  if (value === undefined) fail(`invalid range '${text}'`);
  if (!(value instanceof FeelRange)) fail(`'${text}' is not a range`);
  for (const end of [value.start, value.end]) {
    if (end !== null && !ENDPOINT_TYPES.has(simpleTypeOf(end))) fail('invalid range endpoint');
  }
  return value;
}

export function registerRange(r: Registry): void {
  register(r, ...Object.keys(RELATIONS).map(rangeFunction), builtin('range', [['from: string', ([s]) => parseRange(s)]]));
}
