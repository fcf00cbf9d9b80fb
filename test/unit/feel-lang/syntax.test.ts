import { describe, expect, it } from 'vitest';
import { compileFeel, compileUnaryTests } from '../../../src/feel/lang/index.js';
import { parseExpression } from '../../../src/feel/lang/syntax/parse.js';

describe('FEEL syntax', () => {
  it('builds the AST with source positions', () => {
    const ast = parseExpression('a + 1');
    expect(ast).toMatchObject({ kind: 'arith', op: '+', from: 0, to: 5, left: { kind: 'name', name: 'a' }, right: { kind: 'literal', value: '1' } });
  });

  it('normalises the whitespace inside names with spaces', () => {
    expect(parseExpression('string   length("a")')).toMatchObject({ kind: 'call', callee: { kind: 'name', name: 'string length' } });
  });

  it('reads string escapes', () => {
    expect(parseExpression('"a\\nb\\u0041"')).toMatchObject({ kind: 'literal', value: 'a\nbA' });
  });

  it('rejects a syntax error at compile time with its position', () => {
    const compiled = compileFeel('1 +', { profile: 'dmn' });
    expect(compiled.ok).toBe(false);
    expect(!compiled.ok && compiled.message).toMatch(/position 3/);
  });

  it('compiles unary tests (DMN input entries)', () => {
    const tests = compileUnaryTests('> 5, "a", [1..2]', { profile: 'dmn' });
    if (!tests.ok) throw new Error(tests.message);
    expect(tests.test(7, {}).value).toBe(true);
    // 3 vs "a" is not comparable (null), the other tests are false: no test holds, and the answer is null.
    expect(tests.test(3, {}).value).toBeNull();
    expect(tests.test(0, {}).value).toBeNull();
    expect(tests.test('a', {}).value).toBe(true);
    const negated = compileUnaryTests('not(1, 2)', { profile: 'dmn' });
    expect(negated.ok && negated.test(3, {}).value).toBe(true);
    const any = compileUnaryTests('-', { profile: 'dmn' });
    expect(any.ok && any.test('x', {}).value).toBe(true);
    const withInput = compileUnaryTests('? > x', { profile: 'dmn' });
    expect(withInput.ok && withInput.test(5, { x: 3 }).value).toBe(true);
  });

  it('reads backtick names in the camunda profile only', () => {
    const camunda = compileFeel('`a-b` + 1', { profile: 'camunda' });
    expect(camunda.ok && camunda.evaluate({ 'a-b': 2 }).value?.toString()).toBe('3');
    expect(compileFeel('`a-b` + 1', { profile: 'dmn' }).ok).toBe(false);
  });
});
