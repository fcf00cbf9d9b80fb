/**
 * FEEL numbers are decimal128: 34 significant digits, rounding half-even, exponent within
 * ±6144. decimal.js does the arithmetic; a result outside the exponent range is an overflow,
 * which FEEL turns into null (see `checked`).
 */
import { Decimal } from 'decimal.js';

export const FeelDecimal = Decimal.clone({
  precision: 34,
  rounding: Decimal.ROUND_HALF_EVEN,
  toExpNeg: -40,
  toExpPos: 40,
  maxE: 9e15,
  minE: -9e15,
});
export type FeelNumber = InstanceType<typeof FeelDecimal>;

const MAX_EXPONENT = 6144;
const MIN_EXPONENT = -6176;

export const ZERO: FeelNumber = new FeelDecimal(0);
export const ONE: FeelNumber = new FeelDecimal(1);

export function isNumber(value: unknown): value is FeelNumber {
  return value instanceof FeelDecimal;
}

/**
 * Order of two finite decimals without allocating: decimal.js's `cmp` builds a new Decimal from
 * its argument on every call, and decision tables compare numbers in their inner loop. Reads the
 * sign `s`, exponent `e` and base-1e7 digit groups `d` (most significant first, no trailing
 * zero groups) that decimal.js keeps; non-finite values go to `cmp`.
 */
export function compareNumbers(a: FeelNumber, b: FeelNumber): number {
  const ad = a.d as number[] | null;
  const bd = b.d as number[] | null;
  if (!ad || !bd) return a.cmp(b);
  const aZero = ad[0] === 0;
  const bZero = bd[0] === 0;
  if (aZero || bZero) return aZero ? (bZero ? 0 : -b.s) : a.s;
  if (a.s !== b.s) return a.s;
  const sign = a.s;
  if (a.e !== b.e) return a.e > b.e ? sign : -sign;
  const n = Math.min(ad.length, bd.length);
  for (let i = 0; i < n; i++) if (ad[i] !== bd[i]) return ad[i]! > bd[i]! ? sign : -sign;
  return ad.length === bd.length ? 0 : ad.length > bd.length ? sign : -sign;
}

export function num(value: number | string | bigint): FeelNumber {
  return new FeelDecimal(typeof value === 'bigint' ? value.toString() : value);
}

/** decimal128 bounds: too large is null (overflow), too small rounds to zero (underflow). */
export function checked(value: FeelNumber): FeelNumber | null {
  if (!value.isFinite()) return null;
  if (value.isZero()) return value;
  const e = value.e;
  if (e > MAX_EXPONENT) return null;
  if (e < MIN_EXPONENT) return ZERO;
  return value;
}

export function isInteger(value: FeelNumber): boolean {
  return value.isInteger();
}

/** A JS integer when the number is one that fits; otherwise null. */
export function toSafeInteger(value: FeelNumber): number | null {
  if (!value.isInteger()) return null;
  const n = value.toNumber();
  return Number.isSafeInteger(n) ? n : null;
}

/** Plain (non-exponent) text, the way FEEL's `string()` prints a number. */
export function numberText(value: FeelNumber): string {
  return value.toFixed();
}
