/** Functions that call back into FEEL functions: sort(list, precedes) and list replace(…, match). */
import { invoke } from '../compiler/invoke.js';
import type { Run } from '../compiler/run.js';
import { feelCompare } from '../semantics/compare.js';
import type { FeelNumber } from '../values/number.js';
import { FeelFunction } from '../values/function.js';
import type { Value } from '../values/value.js';
import { builtin, fail, register, type Registry } from './define.js';

function call(fn: FeelFunction, args: Value[], run: Run): Value {
  return invoke(fn, fn.name, args, null, run);
}

function sortList(list: Value[], precedes: FeelFunction | null, run: Run): Value {
  const copy = [...list];
  if (precedes === null) {
    copy.sort((a, b) => {
      const c = feelCompare(a, b);
      if (c === null) fail('items are not comparable');
      return c;
    });
    return copy;
  }
  copy.sort((a, b) => {
    if (call(precedes, [a, b], run) === true) return -1;
    if (call(precedes, [b, a], run) === true) return 1;
    return 0;
  });
  return copy;
}

export function registerSort(r: Registry): void {
  register(
    r,
    builtin('sort', [
      ['list: list, precedes: function', ([list, precedes], run) => sortList(list, precedes, run)],
      ['list: list', ([list], run) => sortList(list, null, run)],
    ]),
    builtin(
      'list replace',
      [
        [
          'list: list, position: number, newItem: Any',
          ([list, p, item]: [Value[], FeelNumber, Value]) => {
            if (list === null || p === null) return null;
            const i = p.trunc().toNumber();
            if ( i === 0 || Math.abs(i) > list.length) fail('position out of range');
            const at = i > 0 ? i - 1 : list.length + i;
            return list.map((v, k) => (k === at ? item : v));
          },
        ],
        [
          'list: list, match: function, newItem: Any',
          ([list, match, item]: [Value[], FeelFunction, Value], run) => {
            if (list === null || match === null) return null;
            if (!match.signatures.some((s) => s.params.length === 2)) fail('match must take two parameters (item, newItem)');
            return list.map((v) => {
              const matched = call(match, [v, item], run);
              if (typeof matched !== 'boolean' && matched !== null) fail('match must return a boolean');
              return matched === true ? item : v;
            });
          },
        ],
      ],
      { nulls: true },
    ),
  );
}
