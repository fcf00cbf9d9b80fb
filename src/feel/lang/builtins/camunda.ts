/**
 * Camunda 8.8's built-ins beyond DMN 1.5 (FEEL-Scala 1.19's extensions), for the `camunda`
 * profile only. An entry here replaces the DMN built-in of the same name, so a widened DMN
 * function lists the DMN overloads too (camunda/overloads.ts).
 *
 * Left out on purpose: `uuid()` and `random number()` (evaluation is deterministic and has no
 * random source), `and()` / `or()` (deprecated aliases of `all()` / `any()` that FEEL's grammar
 * reads as the operators), and FEEL-Scala 1.20's `to json` / `from json` (Camunda 8.9).
 */
import type { FeelFunction } from '../values/function.js';
import { register } from './define.js';
import { contextFunctions } from './camunda/contexts.js';
import { listFunctions } from './camunda/lists.js';
import { numericFunctions } from './camunda/numeric.js';
import { stringFunctions } from './camunda/strings.js';
import { temporalFunctions } from './camunda/temporal.js';
import { valueFunctions } from './camunda/values.js';

function camundaBuiltins(): Map<string, FeelFunction> {
  const registry = new Map<string, FeelFunction>();
  register(registry, ...valueFunctions(), ...stringFunctions(), ...listFunctions(), ...contextFunctions(), ...temporalFunctions(), ...numericFunctions());
  return registry;
}

export const CAMUNDA_BUILTINS: ReadonlyMap<string, FeelFunction> = camundaBuiltins();
