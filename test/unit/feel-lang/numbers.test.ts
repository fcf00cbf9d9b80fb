import { describe, expect, it } from 'vitest';
import { show, type Case } from './support.js';
import { compareNumbers, FeelDecimal } from '../../../src/feel/lang/values/number.js';

const cases: Case[] = [
  ['0.1 + 0.2', '0.3 (number)'],
  ['1 / 3', '0.3333333333333333333333333333333333 (number)'],
  ['2 ** 10', '1024 (number)'],
  ['-5 + 2', '-3 (number)'],
  ['1 / 0', 'null'],
  ['10 ** 7000', 'null'],
  ['12345678901234567890 * 10', '123456789012345678900 (number)'],
  ['decimal(1/3, 2)', '0.33 (number)'],
  ['decimal(2.5, 0)', '2 (number)'],
  ['round half up(-2.5, 0)', '-3 (number)'],
  ['round half down(2.5, 0)', '2 (number)'],
  ['round up(5.5, 0)', '6 (number)'],
  ['round down(-5.5, 0)', '-5 (number)'],
  ['floor(-1.5)', '-2 (number)'],
  ['ceiling(1.2)', '2 (number)'],
  ['floor(1.567, 2)', '1.56 (number)'],
  ['abs(-3)', '3 (number)'],
  ['modulo(-12, 5)', '3 (number)'],
  ['modulo(12, -5)', '-3 (number)'],
  ['sqrt(16)', '4 (number)'],
  ['sqrt(-1)', 'null'],
  ['odd(5)', 'true (boolean)'],
  ['even(5)', 'false (boolean)'],
  ['number("1,000.5", ",", ".")', '1000.5 (number)'],
  ['string(1.10)', '1.1 (string)'],
  ['1 + "a"', 'null'],
];

describe('FEEL numbers are decimal128', () => {
  it.each(cases)('%s = %s', (source, expected) => {
    expect(show(source)).toBe(expected);
  });

  it('reads JS numbers and bigints from the context exactly', () => {
    expect(show('a + b', { a: 0.1, b: 0.2 })).toBe('0.3 (number)');
    expect(show('n + 1', { n: 9007199254740993n })).toBe('9007199254740994 (number)');
  });
});

describe('compareNumbers (no allocation)', () => {
  it('orders exactly as decimal.js does, over signs, zeros, exponents and long digit strings', () => {
    const samples = ['0', '-0', '1', '-1', '0.1', '0.10000001', '1e-30', '-1e-30', '123456789012345678901234567890', '123456789012345678901234567891', '1.5', '15', '150', '9999999', '10000000', '-9999999.5', '3.14159', '3.141590000001', '1e6144', '-1e6144', '0.000001', '7'];
    let rng = 12345;
    const next = () => (rng = (rng * 1103515245 + 12345) % 2147483648) / 2147483648;
    for (let i = 0; i < 200; i++) samples.push(((next() - 0.5) * 10 ** Math.floor(next() * 20 - 10)).toPrecision(1 + Math.floor(next() * 17)));
    for (const x of samples) {
      for (const y of samples) {
        const a = new FeelDecimal(x);
        const b = new FeelDecimal(y);
        expect(compareNumbers(a, b), `${x} vs ${y}`).toBe(a.cmp(b));
      }
    }
  });
});
