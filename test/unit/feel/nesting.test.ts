/** Found by test/fuzz/feel.test.ts: a thousand nested brackets threw RangeError out of compilation. */
import { describe, expect, it } from 'vitest';
import { checkFeelSyntax, evaluate, toFeelExpression } from '../../../src/feel/index.js';
import { compileUnaryTests } from '../../../src/feel/lang/index.js';
import { feelNesting, MAX_FEEL_NESTING } from '../../../src/feel/lang/syntax/nesting.js';

describe('FEEL nesting bound', () => {
  it('counts brackets outside strings and backtick names', () => {
    expect(feelNesting('f([1, {a: (2)}])')).toBe(4);
    expect(feelNesting('"((((" + `a(b`')).toBe(0);
    expect(feelNesting('"\\"(" + (1)')).toBe(1);
  });

  it.each([
    ['lists', '['.repeat(1000) + ']'.repeat(1000)],
    ['contexts', '{a:'.repeat(5000) + '1' + '}'.repeat(5000)],
    ['parentheses', '('.repeat(20_000) + '1' + ')'.repeat(20_000)],
  ])('refuses deeply nested %s quickly with a message, never a throw', (_name, source) => {
    const started = Date.now();
    expect(checkFeelSyntax(source)).toBe(`brackets nest deeper than ${MAX_FEEL_NESTING} levels`);
    const result = evaluate(toFeelExpression(source), {}, 0);
    expect(result).toMatchObject({ ok: false, message: expect.stringContaining('brackets nest deeper than') });
    expect(compileUnaryTests(source, { profile: 'dmn' })).toMatchObject({ ok: false });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('still evaluates nesting at the bound', () => {
    const source = '['.repeat(MAX_FEEL_NESTING) + '1' + ']'.repeat(MAX_FEEL_NESTING);
    expect(checkFeelSyntax(source)).toBeNull();
    expect(evaluate(toFeelExpression(source), {}, 0)).toMatchObject({ ok: true });
  });
});
