import { describe, expect, it } from 'vitest';
import { evaluate, show, type Case } from './support.js';

const cases: Case[] = [
  // equality and ordering
  ['1 = 1.0', 'true (boolean)'],
  ['1 = "1"', 'null'],
  ['null = null', 'true (boolean)'],
  ['[1, 2] = [1, 2]', 'true (boolean)'],
  ['{a: 1} = {a: 1}', 'true (boolean)'],
  ['(< 10) = (null..10)', 'false (boolean)'],
  ['(=10) = [10..10]', 'false (boolean)'],
  ['(=10) = (=10)', 'true (boolean)'],
  ['10 in (=10)', 'true (boolean)'],
  // equality and order at millisecond resolution, arithmetic exact
  ['time("10:30:00.0001") = time("10:30:00.0002")', 'true (boolean)'],
  ['time("10:30:00.001") = time("10:30:00.002")', 'false (boolean)'],
  ['time("10:30:00.001") < time("10:30:00.002")', 'true (boolean)'],
  ['date and time("2018-12-08T00:00:00.0001") = date and time("2018-12-08T00:00:00")', 'true (boolean)'],
  ['date and time("2018-12-08T00:00:00.0001") > date and time("2018-12-08T00:00:00")', 'false (boolean)'],
  ['date and time("2018-12-08T00:00:00.5") > date and time("2018-12-08T00:00:00")', 'true (boolean)'],
  ['"b" > "a"', 'true (boolean)'],
  ['true < false', 'null'],
  ['is(time("10:00:00+01:00"), time("10:00:00@Europe/Paris"))', 'false (boolean)'],
  // three-valued logic
  ['true and null', 'null'],
  ['false and null', 'false (boolean)'],
  ['true or null', 'true (boolean)'],
  ['not(null)', 'null'],
  // in, between, ranges
  ['5 in [1..10)', 'true (boolean)'],
  ['10 in [1..10)', 'false (boolean)'],
  ['5 in (1, 2, > 3)', 'true (boolean)'],
  ['5 in (null..10]', 'null'],
  ['true in [false, 2, 3]', 'false (boolean)'],
  ['[1,2,3] in [[1,2,3,4], [1,2,3]]', 'true (boolean)'],
  ['5 between 1 and 10', 'true (boolean)'],
  ['(> 5).start', '5 (number)'],
  ['before(1, 10)', 'true (boolean)'],
  ['overlaps([1..5], [3..8])', 'true (boolean)'],
  ['meets([1..5], [5..8])', 'true (boolean)'],
  ['includes([1..10], 5)', 'true (boolean)'],
  ['range("[1..2)")', '[1..2) (range)'],
  // lists, contexts, filters, iteration
  ['[1, 2, 3][item > 1]', '[2, 3] (list)'],
  ['[1, 2, 3][-1]', '3 (number)'],
  ['[{a: 1}, {a: 2}][a > 1].a', '[2] (list)'],
  ['[{item: 1}, {item: 2}][item >= 2]', '[{item: 2}] (list)'],
  ['{a: 1, b: a + 1}.b', '2 (number)'],
  ['{a: 1}.b', 'null'],
  ['for i in 1..3 return i * i', '[1, 4, 9] (list)'],
  ['for i in 3..1 return i', '[3, 2, 1] (list)'],
  ['for i in [2..1] return i', 'null'],
  ['for x in [1, 2], y in [10] return x + y', '[11, 12] (list)'],
  ['for i in 1..4 return if i = 1 then 1 else i * partial[-1]', '[1, 2, 6, 24] (list)'],
  ['some x in [1, 2] satisfies x > 1', 'true (boolean)'],
  ['every x in [1, 2] satisfies x > 1', 'false (boolean)'],
  ['if 1 + "a" = null then "error" else "ok"', 'error (string)'],
  // functions and types
  ['(function(a, b) a + b)(1, 2)', '3 (number)'],
  ['(function(a: number) a)("x")', 'null'],
  ['{f: function(n) if n = 0 then 1 else n * f(n - 1), r: f(5)}.r', '120 (number)'],
  ['[1, 2] instance of list<number>', 'true (boolean)'],
  ['null instance of number', 'false (boolean)'],
  ['1 instance of Any', 'true (boolean)'],
];

describe('FEEL semantics (DMN 1.5)', () => {
  it.each(cases)('%s = %s', (source, expected) => {
    expect(show(source)).toBe(expected);
  });

  it('checks generic context types', () => {
    expect(show('x instance of context<a: number>', { x: { a: 1 } })).toBe('true (boolean)');
    expect(show('x instance of context<a: string>', { x: { a: 1 } })).toBe('false (boolean)');
  });

  it('resolves names with spaces given the names in scope', () => {
    expect(show('Full Name + "!"', { 'Full Name': 'Ann' }, ['Full Name'])).toBe('Ann! (string)');
  });

  it('reports an unknown variable as a warning with a null result, never a throw', () => {
    const result = evaluate('missing + 1');
    expect(result.value).toBeNull();
    expect(result.warnings).toEqual([{ type: 'NO_VARIABLE_FOUND', message: "No variable found with name 'missing'" }]);
  });
});
