import { describe, expect, it } from 'vitest';
import { evaluate } from '../../../src/feel/evaluate.js';
import { staticExpression, toExpression } from '../../../src/feel/expression.js';

const NOW = Date.parse('2025-03-04T05:06:07.089Z');
const feel = (source: string) => toExpression(`=${source}`);

describe('evaluate', () => {
  it('returns static values as written', () => {
    expect(evaluate(staticExpression('42'), {}, NOW)).toEqual({ ok: true, value: '42', warnings: [] });
  });

  it('evaluates against variables', () => {
    expect(evaluate(feel('x > 5'), { x: 7 }, NOW)).toEqual({ ok: true, value: true, warnings: [] });
    expect(evaluate(feel('order.items[2]'), { order: { items: ['a', 'b'] } }, NOW)).toMatchObject({ value: 'b' });
  });

  it('builds JSON objects and lists', () => {
    const result = evaluate(feel('{id: order.id, total: sum(order.items.price), tags: ["a", upper case("b")]}'), {
      order: { id: 'o-1', items: [{ price: 2 }, { price: 3.5 }] },
    }, NOW);
    expect(result).toEqual({ ok: true, value: { id: 'o-1', total: 5.5, tags: ['a', 'B'] }, warnings: [] });
  });

  it('keeps warnings with a null result', () => {
    const result = evaluate(feel('missing + 1'), {}, NOW);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value).toBeNull();
    expect(result.warnings).toContainEqual({ type: 'NO_VARIABLE_FOUND', message: "No variable found with name 'missing'" });
  });

  it('uses the command time for now() and today(), not the wall clock', () => {
    expect(evaluate(feel('now()'), {}, NOW)).toMatchObject({ ok: true, value: '2025-03-04T05:06:07.089Z' });
    expect(evaluate(feel('today()'), {}, NOW)).toMatchObject({ ok: true, value: '2025-03-04' });
    expect(evaluate(feel('now() + duration("P1D")'), {}, NOW)).toMatchObject({ value: '2025-03-05T05:06:07.089Z' });
    expect(evaluate(feel('today() = date("2025-03-04")'), {}, NOW)).toMatchObject({ value: true });
    expect(evaluate(feel('{a: now(), b: string(today())}'), {}, 0)).toMatchObject({
      value: { a: '1970-01-01T00:00:00Z', b: '1970-01-01' },
    });
  });

  it('is deterministic for the same inputs', () => {
    const a = evaluate(feel('{t: now(), d: today() - @"P1D"}'), {}, NOW);
    const b = evaluate(feel('{t: now(), d: today() - @"P1D"}'), {}, NOW);
    expect(a).toEqual(b);
  });

  it('lets a process variable named now shadow the function', () => {
    expect(evaluate(feel('now'), { now: 'variable' }, NOW)).toMatchObject({ value: 'variable' });
  });

  it('serialises temporal values like Zeebe', () => {
    expect(evaluate(feel('date("2025-01-02")'), {}, NOW)).toMatchObject({ value: '2025-01-02' });
    expect(evaluate(feel('date and time("2025-01-02T10:00:00@Europe/Berlin")'), {}, NOW)).toMatchObject({
      value: '2025-01-02T10:00:00+01:00',
    });
    expect(evaluate(feel('date and time("2025-07-02T10:00:00@Europe/Berlin")'), {}, NOW)).toMatchObject({
      value: '2025-07-02T10:00:00+02:00',
    });
    expect(evaluate(feel('date and time("2025-01-02T10:00:00Z")'), {}, NOW)).toMatchObject({ value: '2025-01-02T10:00:00Z' });
    expect(evaluate(feel('date and time("2025-01-02T10:00:00")'), {}, NOW)).toMatchObject({ value: '2025-01-02T10:00:00' });
    expect(evaluate(feel('duration("PT36H")'), {}, NOW)).toMatchObject({ value: 'P1DT12H' });
    expect(evaluate(feel('duration("P14M")'), {}, NOW)).toMatchObject({ value: 'P1Y2M' });
    expect(evaluate(feel('time("10:30:00")'), {}, NOW)).toMatchObject({ value: '10:30:00' });
  });

  it('turns functions and ranges into null, as Zeebe writes nil for them', () => {
    expect(evaluate(feel('[1..3]'), {}, NOW)).toMatchObject({ ok: true, value: null });
    expect(evaluate(feel('{f: function(a) a + 1, n: 1}'), {}, NOW)).toMatchObject({ ok: true, value: { f: null, n: 1 } });
  });

  it('fails on non-finite numbers instead of producing invalid JSON', () => {
    const result = evaluate(feel('10 ** 400'), {}, NOW);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toContain("'10 ** 400'");
  });

  it('never throws, even for syntax errors that slipped through', () => {
    const result = evaluate(feel('x >'), { x: 1 }, NOW);
    expect(result).toMatchObject({ ok: false });
    if (!result.ok) expect(result.message).toContain("Failed to evaluate expression 'x >'");
    expect(evaluate({ kind: 'feel', source: '' }, {}, NOW).ok).toBe(false);
  });

  it('passes only referenced variables without changing results', () => {
    const variables: Record<string, unknown> = { x: 3, 'order total': 12, unrelated: { big: Array(1000).fill(1) } };
    expect(evaluate(feel('x + order total'), variables, NOW)).toMatchObject({ value: 15 });
    expect(evaluate(feel('{a: x}'), variables, NOW)).toMatchObject({ value: { a: 3 } });
  });

  it('handles hostile variable names', () => {
    expect(evaluate(feel('__proto__'), JSON.parse('{"__proto__": 5}') as Record<string, unknown>, NOW)).toMatchObject({
      ok: true,
    });
    expect(evaluate(feel('constructor'), {}, NOW)).toMatchObject({ ok: true });
  });
});

describe('a bare variable reference (read without parsing)', () => {
  it('gives what feelin gives for the same reference in parentheses', () => {
    const values: Record<string, unknown> = {
      text: 'order-17',
      count: 42,
      big: 9007199254740993n,
      flag: false,
      nothing: null,
      list: [1, 'a', { b: [true] }],
      nested: { a: { b: 'c' } },
      date: '2026-01-01',
    };
    for (const name of Object.keys(values)) {
      const direct = evaluate(toExpression(`=${name}`), values, 0);
      const parsed = evaluate(toExpression(`=(${name})`), values, 0);
      expect(direct, name).toEqual(parsed);
    }
  });

  it('leaves literals, keywords and missing variables to feelin', () => {
    const shadowing = { null: 5, true: 'no' };
    for (const literal of ['null', 'true']) expect(evaluate(toExpression(`=${literal}`), shadowing, 0), literal).toEqual(evaluate(toExpression(`=(${literal})`), shadowing, 0));
    const missing = evaluate(toExpression('=absent'), {}, 0);
    expect(missing).toMatchObject({ ok: true, value: null });
    expect(missing.ok && missing.warnings.length).toBeGreaterThan(0);
  });
});

describe("Camunda's FEEL in BPMN expressions", () => {
  it('reads backtick names and knows Camunda built-ins', () => {
    expect(evaluate(toExpression('=`order-id` + 1'), { 'order-id': 41 }, 0)).toMatchObject({ ok: true, value: 42 });
    expect(evaluate(toExpression('=get or else(missing, "default")'), {}, 0)).toMatchObject({ ok: true, value: 'default' });
    expect(evaluate(toExpression('=is defined(x)'), { x: 1 }, 0)).toMatchObject({ ok: true, value: true });
    expect(evaluate(toExpression('=last day of month(date("2024-02-10"))'), {}, 0)).toMatchObject({ ok: true, value: '2024-02-29' });
  });

  it('computes with exact decimals', () => {
    expect(evaluate(toExpression('=0.1 + 0.2 = 0.3'), {}, 0)).toMatchObject({ ok: true, value: true });
    expect(evaluate(toExpression('=amount * 3'), { amount: 0.1 }, 0)).toMatchObject({ ok: true, value: 0.3 });
  });

  it('fails the evaluation when an assert fails', () => {
    const result = evaluate(toExpression('=assert(x, x > 5, "x must be above 5")'), { x: 3 }, 0);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toContain('x must be above 5');
    expect(evaluate(toExpression('=assert(x, x > 5)'), { x: 7 }, 0)).toMatchObject({ ok: true, value: 7 });
  });
});
