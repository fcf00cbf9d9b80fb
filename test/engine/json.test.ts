/** Variables JSON that keeps int64 values exact, and FEEL's view of them. */
import { describe, expect, it } from 'vitest';
import { parseJson, stringifyJson, withoutBigInts } from '../../src/engine/json.js';
import { evaluate } from '../../src/feel/evaluate.js';
import { toFeelExpression } from '../../src/feel/expression.js';

describe('parseJson', () => {
  it('reads integers beyond 2^53 as bigint, everything else as JSON.parse does', () => {
    const text = '{"big":9007199254740993,"neg":-9223372036854775808,"safe":9007199254740991,"sixteen":1000000000000000,"f":12345678901234567.5,"e":1e21,"s":"12345678901234567890","list":[18446744073709551615,1]}';
    expect(parseJson(text)).toEqual({
      big: 9007199254740993n,
      neg: -9223372036854775808n,
      safe: 9007199254740991,
      sixteen: 1000000000000000,
      f: 12345678901234567.5,
      e: 1e21,
      s: '12345678901234567890',
      list: [18446744073709551615n, 1],
    });
  });

  it('leaves digits inside strings alone, escaped quotes included', () => {
    expect(parseJson('{"a":"x\\\\\\" 12345678901234567890 \\"","b":12345678901234567890}')).toEqual({
      a: 'x\\" 12345678901234567890 "',
      b: 12345678901234567890n,
    });
  });

  it('does not turn a client string that looks like its mark into a bigint', () => {
    expect(parseJson('{"a":"\\u0000zen-int64:5","b":12345678901234567890}')).toEqual({ a: '\u0000zen-int64:5', b: 12345678901234567890 });
  });

  it('fails on malformed JSON with JSON.parse\'s message', () => {
    expect(() => parseJson('{"a":12345678901234567890')).toThrow(SyntaxError);
  });
});

describe('stringifyJson', () => {
  it('writes bigint as a plain number and is JSON.stringify otherwise', () => {
    expect(stringifyJson({ big: 9007199254740993n, list: [1n, 'x'], n: 1.5 })).toBe('{"big":9007199254740993,"list":[1,"x"],"n":1.5}');
    expect(stringifyJson({ a: 1, u: undefined })).toBe('{"a":1}');
    expect(stringifyJson(undefined)).toBe('null');
    expect(parseJson(stringifyJson({ id: 18446744073709551615n }))).toEqual({ id: 18446744073709551615n });
  });
});

describe('FEEL and int64 variables', () => {
  it('computes with them exactly, and keeps integer results int64-exact', () => {
    // 2^53 + 1 is not a double; FEEL's decimals hold it, and the result stays exact.
    expect(evaluate(toFeelExpression('=big * 2'), { big: 9007199254740993n }, 0)).toMatchObject({ ok: true, value: 18014398509481986n });
    expect(evaluate(toFeelExpression('=big / 2'), { big: 9007199254740993n }, 0)).toMatchObject({ ok: true, value: 4503599627370496.5 });
    // Beyond int64 an integer result becomes a double, as Zeebe's variables cannot hold it.
    expect(evaluate(toFeelExpression('=big * big'), { big: 9007199254740993n }, 0)).toMatchObject({ ok: true, value: Number(9007199254740993n * 9007199254740993n) });
    expect(evaluate(toFeelExpression('=ids[1] > 0'), { ids: [18446744073709551615n] }, 0)).toMatchObject({ ok: true, value: true });
  });

  it('leaves values without bigint untouched (same object)', () => {
    const value = { a: [1, { b: 'c' }] };
    expect(withoutBigInts(value)).toBe(value);
    expect(withoutBigInts({ a: [1n] })).toEqual({ a: [1] });
  });
});
