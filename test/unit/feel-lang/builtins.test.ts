import { describe, expect, it } from 'vitest';
import { show, type Case } from './support.js';

const families: Record<string, Case[]> = {
  string: [
    ['substring("foobar", 3)', 'obar (string)'],
    ['substring("foobar", -2, 1)', 'a (string)'],
    ['string length("a😀")', '2 (number)'],
    ['upper case("abc")', 'ABC (string)'],
    ['substring before("foobar", "bar")', 'foo (string)'],
    ['substring after("foobar", "ob")', 'ar (string)'],
    ['replace("facetiously", "[iouy]", "[$0]")', 'facet[i][o][u]sl[y] (string)'],
    ['matches("Abc", "^a", "i")', 'true (boolean)'],
    ['split("a,b,,c", ",")', '["a", "b", "", "c"] (list)'],
    ['string join(["a", null, "b"], ", ")', 'a, b (string)'],
    ['starts with("foobar", "foo")', 'true (boolean)'],
  ],
  list: [
    ['list contains([1, null], null)', 'true (boolean)'],
    ['count([1, 2])', '2 (number)'],
    ['min(3, 1, 2)', '1 (number)'],
    ['max([])', 'null'],
    ['sum([1, 2.5])', '3.5 (number)'],
    ['mean(1, 2, 3, 4)', '2.5 (number)'],
    ['median(8, 2, 5, 3, 4)', '4 (number)'],
    ['stddev(2, 4, 7, 5)', '2.081665999466132735282297706979931 (number)'],
    ['mode(6, 3, 9, 6, 6)', '[6] (list)'],
    ['all([true, null])', 'null'],
    ['any([false, true])', 'true (boolean)'],
    ['sublist([1, 2, 3], 2)', '[2, 3] (list)'],
    ['append([1], 2, 3)', '[1, 2, 3] (list)'],
    ['concatenate([1], [2, 3])', '[1, 2, 3] (list)'],
    ['insert before([1, 3], 2, 2)', '[1, 2, 3] (list)'],
    ['remove([1, 2, 3], 2)', '[1, 3] (list)'],
    ['reverse([1, 2, 3])', '[3, 2, 1] (list)'],
    ['index of([1, 2, 1], 1)', '[1, 3] (list)'],
    ['union([1, 2], [2, 3])', '[1, 2, 3] (list)'],
    ['distinct values([1, 2, 1])', '[1, 2] (list)'],
    ['flatten([[1, [2]], 3])', '[1, 2, 3] (list)'],
    ['product(2, 3, 4)', '24 (number)'],
    ['list replace([1, 2, 3], 2, 4)', '[1, 4, 3] (list)'],
    ['list replace([2, 4], function(item, newItem) item = 2, 5)', '[5, 4] (list)'],
    ['sort([3, 1, 2])', '[1, 2, 3] (list)'],
    ['sort([3, 1, 2], function(a, b) a > b)', '[3, 2, 1] (list)'],
  ],
  context: [
    ['get value({a: 1}, "a")', '1 (number)'],
    ['get entries({a: 1})', '[{key: "a", value: 1}] (list)'],
    ['context([{key: "a", value: 1}])', '{a: 1} (context)'],
    ['context put({a: 1}, "b", 2)', '{a: 1, b: 2} (context)'],
    ['context put({a: {b: 1}}, ["a", "b"], 2)', '{a: {b: 2}} (context)'],
    ['context merge([{a: 1}, {a: 2, b: 3}])', '{a: 2, b: 3} (context)'],
  ],
  invocation: [
    ['abs(n: -1)', '1 (number)'],
    ['abs(number: -1)', 'null'],
    ['abs()', 'null'],
    ['abs(1, 1)', 'null'],
    ['substring(string: "abc", start position: 2)', 'bc (string)'],
    ['abs([-2])', '2 (number)'],
  ],
};

describe('DMN 1.5 built-in functions', () => {
  for (const [family, cases] of Object.entries(families)) {
    describe(family, () => {
      it.each(cases)('%s = %s', (source, expected) => {
        expect(show(source)).toBe(expected);
      });
    });
  }
});
