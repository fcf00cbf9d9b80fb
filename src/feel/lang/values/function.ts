/**
 * A FEEL function value: built-ins and user functions (lambdas) share one shape. `invoke` gets the
 * arguments already bound to parameters (positional order) and the evaluation run for warnings.
 */
import type { FeelType } from './types.js';
import type { Value } from './value.js';
import type { Run } from '../compiler/run.js';

export interface Parameter {
  readonly name: string;
  readonly type?: FeelType;
  /** The rest of the positional arguments, as a list. */
  readonly variadic?: boolean;
  readonly optional?: boolean;
}

export class FeelFunction {
  constructor(
    readonly name: string,
    /** Overloads, tried in order; the first whose parameters fit the call is invoked. */
    readonly signatures: readonly Signature[],
  ) {}
}

export interface Signature {
  readonly params: readonly Parameter[];
  readonly invoke: (args: Value[], run: Run) => Value;
  readonly resultType?: FeelType;
}
