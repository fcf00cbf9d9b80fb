/**
 * FEEL-Scala's numeric overloads: `decimal(n, scale, mode)` with a java.math.RoundingMode name
 * (not in the docs, but in the engine since 1.x), and `abs(number: …)` beside DMN's `abs(n: …)`.
 */
import { Decimal } from 'decimal.js';
import type { FeelFunction } from '../../values/function.js';
import type { FeelNumber } from '../../values/number.js';
import type { Value } from '../../values/value.js';
import { builtin, fail } from '../define.js';
import { roundAt } from '../numeric.js';
import { alsoNamed, widened } from './overloads.js';

const MODES: Record<string, Decimal.Rounding> = {
  UP: Decimal.ROUND_UP,
  DOWN: Decimal.ROUND_DOWN,
  CEILING: Decimal.ROUND_CEIL,
  FLOOR: Decimal.ROUND_FLOOR,
  HALF_UP: Decimal.ROUND_HALF_UP,
  HALF_DOWN: Decimal.ROUND_HALF_DOWN,
  HALF_EVEN: Decimal.ROUND_HALF_EVEN,
};

function decimal(n: FeelNumber, scale: FeelNumber, modeName: string): Value {
  const name = modeName.toUpperCase();
  if (name === 'UNNECESSARY') {
    // Java's UNNECESSARY asserts that no rounding is needed.
    const rounded = roundAt(n, scale, Decimal.ROUND_DOWN);
    if (rounded === null || !n.eq(rounded as FeelNumber)) fail("rounding mode 'UNNECESSARY' but rounding is necessary");
    return rounded;
  }
  const mode = MODES[name];
  if (mode === undefined) fail(`illegal rounding mode '${modeName}'; must be one of ${[...Object.keys(MODES), 'UNNECESSARY'].join(', ')}`);
  return roundAt(n, scale, mode);
}

export function numericFunctions(): FeelFunction[] {
  return [
    widened('decimal', builtin('decimal', [['n: number, scale: number, mode: string', ([n, scale, mode]) => decimal(n, scale, mode)]])),
    alsoNamed('abs', 'n', 'number'),
  ];
}
