import { describe, expect, it } from 'vitest';
import { checkFeelSyntax } from '../../../src/feel/syntax.js';

describe('checkFeelSyntax', () => {
  it.each([
    'x > 5',
    'order total > 100',
    '{a: 1, b: [1, 2, 3], c: if x then "y" else "z"}',
    'for i in 1..3 return i * 2',
    'some x in [1, 2] satisfies x > 1',
    'date and time("2025-01-01T00:00:00Z") + duration("P1D")',
    'now()',
    'function(a) a + 1',
    '"text with > and {"',
    '`order total` > 5',
    '`order-id` = "a"',
  ])('accepts %j', (source) => {
    expect(checkFeelSyntax(source)).toBeNull();
  });

  it.each([
    ['', 'the expression is empty'],
    ['  ', 'the expression is empty'],
    ['x >', 'unexpected end of expression'],
    ['{a: 1', 'unexpected end of expression'],
    ['foo(', 'unexpected end of expression'],
    ['a +* b', "unexpected '*"],
    ["Mike's", "unexpected ''s'"],
    ['if x then 1', 'unexpected end of expression'],
  ])('rejects %j', (source, problem) => {
    expect(checkFeelSyntax(source)).toContain(problem);
  });

  it('does not evaluate while checking (this would otherwise run for minutes)', () => {
    expect(checkFeelSyntax('for i in 1..1000000000 return i')).toBeNull();
  });
});
