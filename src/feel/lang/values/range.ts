/** A FEEL range; an absent endpoint (null) is unbounded, as in `> 5` or `< date("2020-01-01")`. */
import type { Value } from './value.js';

export class FeelRange {
  constructor(
    readonly start: Value,
    readonly end: Value,
    readonly startIncluded: boolean,
    readonly endIncluded: boolean,
  ) {}
}
