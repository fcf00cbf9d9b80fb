import { describe, expect, it } from 'vitest';
import { checkFeelSyntax, evaluate, toFeelExpression } from '../../../src/feel/index.js';

/** Found by test/fuzz/dmn-xml.test.ts: a minus and blanks before a number threw a DecimalError out of compilation. */
describe('a minus with blanks before a number', () => {
  it.each([
    ['- 1', -1],
    ['{a: - 1}.a', -1],
    ['-  5 + 1', -4],
    ['- 10000000000000000000000000000000000', -1e34],
  ])('%s compiles and evaluates', (source, expected) => {
    expect(checkFeelSyntax(source)).toBeNull();
    expect(evaluate(toFeelExpression(source), {}, 0)).toMatchObject({ ok: true, value: expected });
  });
});
