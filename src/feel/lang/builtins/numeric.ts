/** Numeric functions (DMN 1.5, 10.3.4.5), exact in decimal128. */
import { Decimal } from 'decimal.js';
import { FeelDecimal, checked, type FeelNumber } from '../values/number.js';
import type { Value } from '../values/value.js';
import { builtin, fail, register, type Registry } from './define.js';

function scaleOf(given: FeelNumber): number {
  const scale = given.trunc();
  if ( scale.lt(-6111) || scale.gt(6176)) fail('scale out of range');
  return scale.toNumber();
}

function rounded(n: FeelNumber, scale: FeelNumber, mode: Decimal.Rounding): Value {
  return checked(n.toDecimalPlaces(scaleOf(scale), mode)) as Value;
}

/** toDecimalPlaces takes no negative places: round at a power of ten instead. */
export function roundAt(n: FeelNumber, scale: FeelNumber, mode: Decimal.Rounding): Value {
  const s = scaleOf(scale);
  if (s >= 0) return rounded(n, scale, mode);
  const unit = new FeelDecimal(10).pow(-s);
  return checked(n.div(unit).toDecimalPlaces(0, mode).times(unit));
}

function roundFunction(name: string, mode: Decimal.Rounding, scaleOptional: boolean): ReturnType<typeof builtin> {
  return builtin(name, [[`n: number, scale${scaleOptional ? '?' : ''}: number`, ([n, scale]) => roundAt(n, scale ?? new FeelDecimal(0), mode)]]);
}

export function registerNumeric(r: Registry): void {
  register(
    r,
    roundFunction('decimal', Decimal.ROUND_HALF_EVEN, false),
    roundFunction('floor', Decimal.ROUND_FLOOR, true),
    roundFunction('ceiling', Decimal.ROUND_CEIL, true),
    roundFunction('round up', Decimal.ROUND_UP, false),
    roundFunction('round down', Decimal.ROUND_DOWN, false),
    roundFunction('round half up', Decimal.ROUND_HALF_UP, false),
    roundFunction('round half down', Decimal.ROUND_HALF_DOWN, false),
    builtin('abs', [
      ['n: number', ([n]) => n.abs()],
      ['n: days and time duration', ([d]) => d.seconds.isNegative() ? new (d.constructor)(d.seconds.neg()) : d],
      ['n: years and months duration', ([d]) => (d.months < 0 ? new (d.constructor)(-d.months) : d)],
    ]),
    builtin('modulo', [
      [
        'dividend: number, divisor: number',
        ([a, b]: FeelNumber[]) => {
          if (b.isZero()) fail('division by zero');
          return checked(a.minus(b.times(a.div(b).floor())));
        },
      ],
    ]),
    builtin('sqrt', [['number: number', ([n]) => (n.isNegative() ? fail('negative number') : n.sqrt())]]),
    builtin('log', [['number: number', ([n]) => (n.lte(0) ? fail('number must be positive') : n.ln())]]),
    builtin('exp', [['number: number', ([n]) => checked(n.exp())]]),
    builtin('odd', [['number: number', ([n]) => (n.isInteger() ? n.mod(2).abs().eq(1) : fail('not an integer'))]]),
    builtin('even', [['number: number', ([n]) => (n.isInteger() ? n.mod(2).isZero() : fail('not an integer'))]]),
  );
}
