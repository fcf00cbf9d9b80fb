/**
 * A FEEL profile: the choices that differ between the DMN 1.5 specification and Camunda 8's FEEL
 * (FEEL-Scala), passed to the compiler. Only `dmn` is implemented so far; `camunda` is the place
 * for backtick names, Camunda's extra built-ins and its comparison rules.
 */
import type { FeelFunction } from './values/function.js';
import { BUILTINS } from './builtins/index.js';

export interface Profile {
  readonly name: 'dmn' | 'camunda';
  /** The lezer-feel dialect (Camunda's adds backtick names). */
  readonly dialect?: 'camunda';
  readonly builtins: ReadonlyMap<string, FeelFunction>;
}

export const DMN_PROFILE: Profile = { name: 'dmn', builtins: BUILTINS };

export function profileNamed(name: 'dmn' | 'camunda'): Profile {
  if (name === 'dmn') return DMN_PROFILE;
  throw new Error(`FEEL profile '${name}' is not implemented yet`);
}
