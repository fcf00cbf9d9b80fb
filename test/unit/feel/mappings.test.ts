import { describe, expect, it } from 'vitest';
import { toExpression } from '../../../src/feel/expression.js';
import { applyMappings } from '../../../src/feel/mappings.js';
import type { VariableMapping } from '../../../src/model/types.js';

const NOW = Date.parse('2025-01-01T00:00:00Z');
const map = (source: string, target: string): VariableMapping => ({ source: toExpression(source), target });

describe('applyMappings (inputs)', () => {
  it('maps FEEL sources to targets', () => {
    expect(applyMappings([map('=order.id', 'orderId'), map('=x * 2', 'double')], { order: { id: 'o-1' }, x: 4 }, NOW)).toEqual({
      ok: true,
      result: { orderId: 'o-1', double: 8 },
    });
  });

  it('treats a static source as a string literal', () => {
    expect(applyMappings([map('1', 'a'), map('hello "world"', 'b')], {}, NOW)).toEqual({
      ok: true,
      result: { a: '1', b: 'hello "world"' },
    });
  });

  it('builds nested objects for dotted targets, fresh for inputs', () => {
    const result = applyMappings([map('=1', 'customer.address.zip'), map('="Oslo"', 'customer.address.city')], {
      customer: { name: 'kept out of the input' },
    }, NOW);
    expect(result).toEqual({ ok: true, result: { customer: { address: { zip: 1, city: 'Oslo' } } } });
  });

  it('lets later mappings see earlier results', () => {
    expect(applyMappings([map('=1', 'a'), map('=a + 1', 'b')], { a: 100 }, NOW)).toEqual({
      ok: true,
      result: { a: 1, b: 2 },
    });
  });

  it('completes a partly built input object from the source when a later mapping reads it', () => {
    const result = applyMappings([map('=1', 'a.b'), map('=a.c', 'seen'), map('=a.b', 'seenB')], { a: { b: 0, c: 3 } }, NOW);
    expect(result).toEqual({ ok: true, result: { a: { b: 1 }, seen: 3, seenB: 1 } });
  });

  it('replaces a plain value when a later mapping needs an object there (last wins)', () => {
    expect(applyMappings([map('={x: 1}', 'a'), map('=2', 'a.y')], {}, NOW)).toEqual({ ok: true, result: { a: { y: 2 } } });
    expect(applyMappings([map('=2', 'a.y'), map('=5', 'a')], {}, NOW)).toEqual({ ok: true, result: { a: 5 } });
  });

  it('maps a missing variable to null, like Zeebe with FEEL-Scala warnings', () => {
    expect(applyMappings([map('=missing', 'a')], {}, NOW)).toEqual({ ok: true, result: { a: null } });
  });

  it('names the failing mapping', () => {
    const result = applyMappings([map('=10 ** 400', 'big')], {}, NOW);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.message).toContain("input mapping '=10 ** 400' to 'big'");
    }
  });

  it('uses the command time', () => {
    expect(applyMappings([map('=now()', 'at')], {}, NOW)).toEqual({ ok: true, result: { at: '2025-01-01T00:00:00Z' } });
  });
});

describe('applyMappings (outputs)', () => {
  it('merges nested targets into the existing variable', () => {
    const result = applyMappings([map('=total', 'order.total')], { total: 9, order: { id: 'o-1', total: 0 } }, NOW, {
      kind: 'output',
    });
    expect(result).toEqual({ ok: true, result: { order: { id: 'o-1', total: 9 } } });
  });

  it('merges into the given target scope', () => {
    const result = applyMappings([map('=9', 'order.total'), map('=order.id', 'id')], { local: 1 }, NOW, {
      kind: 'output',
      targetScope: { order: { id: 'o-1', items: [1] } },
    });
    expect(result).toEqual({ ok: true, result: { order: { id: 'o-1', items: [1], total: 9 }, id: 'o-1' } });
  });

  it('turns a level whose existing value is not an object into null', () => {
    expect(applyMappings([map('=1', 'a.b')], { a: 'text' }, NOW, { kind: 'output' })).toEqual({ ok: true, result: { a: null } });
  });
});
