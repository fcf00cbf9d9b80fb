/** The DMN 1.5 built-in functions, by name. */
import type { FeelFunction } from '../values/function.js';
import { registerBoolean } from './boolean.js';
import { registerContext } from './context.js';
import { registerConversion } from './conversion.js';
import { registerDateTime } from './datetime.js';
import { registerList } from './list.js';
import { registerNumeric } from './numeric.js';
import { registerRange } from './range.js';
import { registerSort } from './sort.js';
import { registerString } from './string.js';

function dmnBuiltins(): Map<string, FeelFunction> {
  const registry = new Map<string, FeelFunction>();
  registerConversion(registry);
  registerBoolean(registry);
  registerString(registry);
  registerList(registry);
  registerNumeric(registry);
  registerDateTime(registry);
  registerRange(registry);
  registerContext(registry);
  registerSort(registry);
  return registry;
}

export const BUILTINS: ReadonlyMap<string, FeelFunction> = dmnBuiltins();
