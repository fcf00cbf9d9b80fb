/**
 * A FEEL profile: the choices that differ between the DMN 1.5 specification and Camunda 8's FEEL
 * (FEEL-Scala), passed to the compiler. `dmn` follows the specification (decisions); `camunda`
 * is what BPMN expressions get: backtick names, Camunda's extra built-ins, and ordering
 * comparisons of values of different kinds reported as NOT_COMPARABLE warnings, as Zeebe does.
 */
import type { FeelFunction } from './values/function.js';
import { BUILTINS } from './builtins/index.js';
import { CAMUNDA_BUILTINS } from './builtins/camunda.js';

export interface Profile {
  readonly name: 'dmn' | 'camunda';
  /** The lezer-feel dialect (Camunda's adds backtick names). */
  readonly dialect?: 'camunda';
  readonly builtins: ReadonlyMap<string, FeelFunction>;
  /** `x > 5` with a string `x`: null either way; Camunda also warns NOT_COMPARABLE. */
  readonly warnNotComparable: boolean;
}

export const DMN_PROFILE: Profile = { name: 'dmn', builtins: BUILTINS, warnNotComparable: false };

export const CAMUNDA_PROFILE: Profile = {
  name: 'camunda',
  dialect: 'camunda',
  builtins: new Map([...BUILTINS, ...CAMUNDA_BUILTINS]),
  warnNotComparable: true,
};

export function profileNamed(name: 'dmn' | 'camunda'): Profile {
  return name === 'dmn' ? DMN_PROFILE : CAMUNDA_PROFILE;
}
