/** Boolean functions (DMN 1.5, 10.3.4.2) and `is()` (10.3.4.10). */
import { feelIs } from '../semantics/equality.js';
import { builtin, register, type Registry } from './define.js';

export function registerBoolean(r: Registry): void {
  register(
    r,
    builtin('not', [['negand: Any', ([b]) => (typeof b === 'boolean' ? !b : null)]], { nulls: true }),
    builtin('is', [['value1: Any, value2: Any', ([a, b]) => feelIs(a, b)]], { nulls: true }),
  );
}
