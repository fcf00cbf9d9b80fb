/** List functions (DMN 1.5, 10.3.4.4). Aggregates take a list or the items as arguments. */
import { feelCompare } from '../semantics/compare.js';
import { feelEquals } from '../semantics/equality.js';
import { FeelDecimal, ZERO, checked, isNumber, type FeelNumber } from '../values/number.js';
import type { Value } from '../values/value.js';
import { builtin, fail, register, type Registry } from './define.js';

/** `f(list)` or `f(item1, item2, ...)`: both forms of the aggregate built-ins. */
function aggregate(name: string, impl: (items: Value[]) => Value): ReturnType<typeof builtin> {
  return builtin(
    name,
    [
      ['list: list', ([list]) => (list === null ? null : impl(list))],
      ['...c: Any', ([items]) => (items.length === 0 ? fail('no arguments') : impl(items))],
    ],
    { nulls: true },
  );
}

function numbers(items: Value[]): FeelNumber[] {
  if (!items.every(isNumber)) fail('expected a list of numbers');
  return items as FeelNumber[];
}

function extreme(items: Value[], sign: number): Value {
  if (items.length === 0) return null;
  let best: Value = items[0]!;
  for (const item of items.slice(1)) {
    const c = feelCompare(item, best);
    if (c === null) fail('items are not comparable');
    if (c * sign > 0) best = item;
  }
  if (items.length === 1 && feelCompare(best, best) === null) fail('item is not comparable');
  return best;
}

function sum(items: Value[]): Value {
  if (items.length === 0) return null;
  return checked(numbers(items).reduce((a, b) => a.plus(b), ZERO));
}

function mean(items: Value[]): Value {
  if (items.length === 0) return null;
  const total = sum(items) as FeelNumber | null;
  return total === null ? null : checked(total.div(items.length));
}

function contains(list: readonly Value[], item: Value): boolean {
  return list.some((v) => feelEquals(v, item) === true);
}

function position(list: Value[], p: FeelNumber): number {
  const i = p.toNumber();
  if (!p.isInteger() || i === 0 || Math.abs(i) > list.length) fail('position out of range');
  return i > 0 ? i - 1 : list.length + i;
}

function distinct(items: readonly Value[]): Value[] {
  const out: Value[] = [];
  for (const item of items) if (!contains(out, item)) out.push(item);
  return out;
}

function flatten(items: readonly Value[]): Value[] {
  return items.flatMap((item) => (Array.isArray(item) ? flatten(item as Value[]) : [item]));
}

function median(items: Value[]): Value {
  if (items.length === 0) return null;
  const sorted = [...numbers(items)].sort((a, b) => a.cmp(b));
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : sorted[mid - 1]!.plus(sorted[mid]!).div(2);
}

function stddev(items: Value[]): Value {
  if (items.length < 2) return null;
  const ns = numbers(items);
  const m = ns.reduce((a, b) => a.plus(b), ZERO).div(ns.length);
  const variance = ns.reduce((a, b) => a.plus(b.minus(m).pow(2)), ZERO).div(ns.length - 1);
  return variance.sqrt();
}

function mode(items: Value[]): Value {
  const ns = numbers(items);
  const counts: Array<[FeelNumber, number]> = [];
  for (const n of ns) {
    const entry = counts.find(([v]) => v.eq(n));
    if (entry) entry[1]++;
    else counts.push([n, 1]);
  }
  const max = Math.max(0, ...counts.map(([, c]) => c));
  return counts
    .filter(([, c]) => c === max)
    .map(([v]) => v)
    .sort((a, b) => a.cmp(b));
}

export function registerList(r: Registry): void {
  register(
    r,
    builtin('list contains', [['list: list, element: Any', ([list, item]) => (list === null ? null : contains(list, item))]], { nulls: true }),
    builtin('count', [['list: list', ([list]) => new FeelDecimal(list.length)]]),
    aggregate('min', (items) => extreme(items, -1)),
    aggregate('max', (items) => extreme(items, 1)),
    aggregate('sum', sum),
    aggregate('mean', mean),
    aggregate('median', median),
    aggregate('stddev', stddev),
    aggregate('mode', mode),
    aggregate('product', (items) => (items.length === 0 ? null : checked(numbers(items).reduce((a, b) => a.times(b), new FeelDecimal(1))))),
    aggregate('all', (items) => {
      if (items.some((v) => v !== null && typeof v !== 'boolean')) fail('expected booleans');
      if (items.includes(false)) return false;
      return items.includes(null) ? null : true;
    }),
    aggregate('any', (items) => {
      if (items.some((v) => v !== null && typeof v !== 'boolean')) fail('expected booleans');
      if (items.includes(true)) return true;
      return items.includes(null) ? null : false;
    }),
    builtin('sublist', [
      [
        'list: list, start position: number, length?: number',
        ([list, start, length]) => {
          const from = position(list, start);
          const count = length === undefined || length === null ? list.length - from : length.trunc().toNumber();
          if (from + count > list.length) fail('length out of range');
          return list.slice(from, from + count);
        },
      ],
    ]),
    builtin('append', [['list: list, ...items: Any', ([list, items]) => (list === null ? null : [...list, ...items])]], { nulls: true }),
    builtin('concatenate', [['...lists: Any', ([lists]) => (lists.every(Array.isArray) ? lists.flat() : fail('expected lists'))]]),
    builtin('insert before', [['list: list, position: number, newItem: Any', ([list, p, item]) => (list === null || p === null ? null : [...list.slice(0, position(list, p)), item, ...list.slice(position(list, p))])]], { nulls: true }),
    builtin('remove', [['list: list, position: number', ([list, p]) => list.filter((_: Value, i: number) => i !== position(list, p))]]),
    builtin('reverse', [['list: list', ([list]) => [...list].reverse()]]),
    builtin('index of', [['list: list, match: Any', ([list, match]) => (list === null ? null : list.flatMap((v: Value, i: number) => (feelEquals(v, match) === true ? [new FeelDecimal(i + 1)] : [])))]], { nulls: true }),
    builtin('union', [['...lists: Any', ([lists]) => (lists.every(Array.isArray) ? distinct(lists.flat()) : fail('expected lists'))]]),
    builtin('distinct values', [['list: list', ([list]) => distinct(list)]]),
    builtin('flatten', [['list: list', ([list]) => flatten(list)]]),
  );
}
