import { beforeEach, describe, expect, it } from 'vitest';
import { evaluate } from '../../../src/feel/evaluate.js';
import { toExpression } from '../../../src/feel/expression.js';
import { clearResultCache, resultCacheSize } from '../../../src/feel/result-cache.js';
import { evaluateBoolean } from '../../../src/feel/typed.js';

const feel = (source: string) => toExpression(`=${source}`);

describe('FEEL result cache', () => {
  beforeEach(() => clearResultCache());

  it('keys on the referenced values', () => {
    expect(evaluateBoolean(feel('x > 5'), { x: 6 }, 0)).toEqual({ ok: true, value: true });
    expect(evaluateBoolean(feel('x > 5'), { x: 4 }, 0)).toEqual({ ok: true, value: false });
    expect(evaluateBoolean(feel('x > 5'), { x: 6, other: 1 }, 0)).toEqual({ ok: true, value: true });
    expect(evaluateBoolean(feel('x > 5'), {}, 0)).toMatchObject({ ok: false });
  });

  it('keys on variable names, which change how names with spaces parse and resolve', () => {
    expect(evaluate(feel('order total > 1'), { 'order total': 2 }, 0)).toMatchObject({ value: true });
    expect(evaluate(feel('order total > 1'), { order: 2, total: 2 }, 0)).toMatchObject({ value: null });
    expect(evaluate(feel('order total > 1'), { 'order total': 0 }, 0)).toMatchObject({ value: false });
  });

  it('does not cache expressions using now() or today()', () => {
    expect(evaluate(feel('now()'), {}, 0)).toMatchObject({ value: '1970-01-01T00:00:00Z' });
    expect(evaluate(feel('now()'), {}, 86_400_000)).toMatchObject({ value: '1970-01-02T00:00:00Z' });
    expect(evaluate(feel('today()'), {}, 86_400_000)).toMatchObject({ value: '1970-01-02' });
    expect(resultCacheSize()).toBe(0);
  });

  it('does not cache when a referenced value is not plain JSON', () => {
    expect(evaluate(feel('d'), { d: new Date(0) }, 0).ok).toBe(true);
    expect(evaluate(feel('n'), { n: -0 }, 0)).toMatchObject({ value: 0 });
    expect(resultCacheSize()).toBe(0);
  });

  it('returns fresh JSON values on every hit', () => {
    const first = evaluate(feel('{a: [x]}'), { x: 1 }, 0);
    if (!first.ok) throw new Error(first.message);
    (first.value as { a: number[] }).a.push(99);
    expect(evaluate(feel('{a: [x]}'), { x: 1 }, 0)).toMatchObject({ value: { a: [1] } });
  });

  it('keeps warnings on hits', () => {
    const miss = evaluate(feel('y'), {}, 0);
    const hit = evaluate(feel('y'), {}, 0);
    expect(hit).toEqual(miss);
    expect(hit).toMatchObject({ warnings: [{ type: 'NO_VARIABLE_FOUND' }] });
  });

  it('stays bounded', () => {
    for (let i = 0; i < 5000; i++) evaluate(feel('x + 1'), { x: i }, 0);
    expect(resultCacheSize()).toBeLessThanOrEqual(4096);
    expect(evaluate(feel('x + 1'), { x: 4999 }, 0)).toMatchObject({ value: 5000 });
  });
});
