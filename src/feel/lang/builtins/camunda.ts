/**
 * Camunda 8's built-ins beyond DMN 1.5 (FEEL-Scala's extensions), for the `camunda` profile only.
 */
import type { FeelFunction } from '../values/function.js';

function camundaBuiltins(): Map<string, FeelFunction> {
  const registry = new Map<string, FeelFunction>();
  return registry;
}

export const CAMUNDA_BUILTINS: ReadonlyMap<string, FeelFunction> = camundaBuiltins();
