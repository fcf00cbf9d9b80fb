import { describe, expect, it } from 'vitest';
import { evaluate } from '../../../src/feel/evaluate.js';
import { toExpression } from '../../../src/feel/expression.js';
import { evaluateBoolean } from '../../../src/feel/typed.js';

const feel = (source: string) => toExpression(`=${source}`);
const value = (source: string, variables: Record<string, unknown> = {}) => {
  const result = evaluate(feel(source), variables, 0);
  if (!result.ok) throw new Error(result.message);
  return result.value;
};

describe('ordering comparisons with FEEL-Scala semantics', () => {
  it('compares numbers, strings and temporals of one kind', () => {
    expect(value('x > 5', { x: 7 })).toBe(true);
    expect(value('x <= 5', { x: 7 })).toBe(false);
    expect(value('"b" > "a"')).toBe(true);
    expect(value('date("2025-01-02") > date("2025-01-01")')).toBe(true);
    expect(value('@"PT2H" >= @"PT90M"')).toBe(true);
    expect(value('date and time("2025-01-01T10:00:00Z") < date and time("2025-01-01T10:00:00+01:00")')).toBe(false);
  });

  it('yields null with a NOT_COMPARABLE warning for different kinds, as Zeebe reports it', () => {
    expect(evaluateBoolean(feel('orderValue >= 100'), { orderValue: '99' }, 0)).toEqual({
      ok: false,
      message:
        "Expected result of the expression 'orderValue >= 100' to be 'BOOLEAN', but was 'NULL'. The evaluation reported the following warnings:\n" +
        "[NOT_COMPARABLE] Can't compare '\"99\"' with '100'",
    });
    expect(value('true > false')).toBeNull();
    expect(value('date("2025-01-01") < 5')).toBeNull();
  });

  it('yields null without an extra warning when an operand is null', () => {
    expect(evaluate(feel('x > 5'), {}, 0)).toEqual({
      ok: true,
      value: null,
      warnings: [{ type: 'NO_VARIABLE_FOUND', message: "No variable found with name 'x'" }],
    });
  });

  it('keeps three-valued logic around comparisons', () => {
    expect(value('x > 5 or y', { x: 'a', y: true })).toBe(true);
    expect(value('x > 5 and y', { x: 'a', y: true })).toBeNull();
    expect(value('if x > 5 then "big" else "small"', { x: 'a' })).toBe('small');
  });

  it('keeps filters, quantifiers, loops and functions working', () => {
    expect(value('[1, 2, 3][item > 1]')).toEqual([2, 3]);
    expect(value('orders[total > 10].id', { orders: [{ id: 1, total: 5 }, { id: 2, total: 20 }] })).toEqual([2]);
    expect(value('orders[(total > 10)].id', { orders: [{ id: 1, total: 5 }, { id: 2, total: 20 }] })).toEqual([2]);
    expect(value('orders[total > 10 and id < 5].id', { orders: [{ id: 1, total: 50 }, { id: 7, total: 20 }] })).toEqual([1]);
    expect(value('[1, 2, 3][1]')).toBe(1);
    expect(value('some x in [1, 2] satisfies x >= 2')).toBe(true);
    expect(value('for x in [1, 2, 3] return x > 1')).toEqual([false, true, true]);
    expect(value('{f: function(a) a > 1, r: f(5)}.r')).toBe(true);
    expect(value('count([1, 5, 9][item >= 5]) > 1')).toBe(true);
  });
});
