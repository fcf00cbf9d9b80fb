/**
 * A FEEL range. `> 5` is unbounded above (`openEnd`); an explicit null endpoint, as in
 * `[1..null]`, is not the same thing: membership in it is unknown (null).
 */
import type { Value } from './value.js';

export class FeelRange {
  constructor(
    readonly start: Value,
    readonly end: Value,
    readonly startIncluded: boolean,
    readonly endIncluded: boolean,
    readonly openStart = false,
    readonly openEnd = false,
  ) {}
}
