/**
 * A FEEL range. `> 5` is unbounded above (`openEnd`); an explicit null endpoint, as in
 * `[1..null]`, is not the same thing: membership in it is unknown (null). `(=10)` holds the same
 * values as `[10..10]` but is a different range: `pointed` keeps them apart in equality
 * (DMN TCK 0068 range_010).
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
    readonly pointed = false,
  ) {}
}
