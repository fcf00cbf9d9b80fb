/**
 * Camunda's list functions: `duplicate values`, `is empty`, `partition`, and `string join` with a
 * prefix and suffix.
 */
import { feelEquals } from '../../semantics/equality.js';
import type { FeelFunction } from '../../values/function.js';
import type { FeelNumber } from '../../values/number.js';
import type { Value } from '../../values/value.js';
import { builtin, fail } from '../define.js';
import { widened } from './overloads.js';

/** In the order of first occurrence, as FEEL-Scala's `distinct.filter(count > 1)` gives them. */
function duplicates(list: readonly Value[]): Value[] {
  const distinct: Value[] = [];
  for (const item of list) if (!distinct.some((d) => feelEquals(d, item) === true)) distinct.push(item);
  return distinct.filter((d) => list.filter((item) => feelEquals(d, item) === true).length > 1);
}

function partition(list: readonly Value[], size: FeelNumber): Value[] {
  // FEEL-Scala reads the size as an int (truncating); none left means no partition at all.
  const n = size.trunc().toNumber();
  if (n < 1) fail('size must be a positive number');
  const parts: Value[] = [];
  for (let i = 0; i < list.length; i += n) parts.push(list.slice(i, i + n));
  return parts;
}

/** FEEL-Scala accepts the prefix and suffix only together: both strings, or both null. */
function join(list: readonly Value[] | null, delimiter: string | null, prefix: string | null, suffix: string | null): Value {
  if (list === null) return null;
  if ((prefix === null) !== (suffix === null)) fail('prefix and suffix must both be given');
  const items = list.filter((v) => v !== null);
  if (items.some((v) => typeof v !== 'string')) fail('string join needs a list of strings');
  return (prefix ?? '') + items.join(delimiter ?? '') + (suffix ?? '');
}

export function listFunctions(): FeelFunction[] {
  return [
    builtin('duplicate values', [['list: list', ([list]) => duplicates(list)]]),
    builtin('is empty', [['list: list', ([list]: [Value[]]) => list.length === 0]]),
    builtin('partition', [['list: list, size: number', ([list, size]) => partition(list, size)]]),
    widened(
      'string join',
      builtin('string join', [['list: list, delimiter: string, prefix: string, suffix: string', ([list, delimiter, prefix, suffix]) => join(list, delimiter, prefix, suffix)]], { nulls: true }),
    ),
  ];
}
