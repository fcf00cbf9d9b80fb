/**
 * One evaluation: its warnings and its clock. Internal code signals a FEEL error by
 * throwing FeelError; the nearest function call or the top-level evaluate turns it into null plus
 * a warning, so evaluation as a whole never throws. FeelFailure is the one error that is not
 * local: it ends the whole evaluation (Camunda's `assert`), which the caller sees as `failure`.
 */
export interface FeelWarning {
  /** FEEL-Scala-style failure type, e.g. `NO_VARIABLE_FOUND`, `FUNCTION_INVOCATION_FAILURE`. */
  readonly type: string;
  readonly message: string;
}

export class FeelError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Not a FeelError on purpose: function calls catch those and go on with null, while this one must
 * reach the top-level evaluate, as FEEL-Scala's fatal errors do.
 */
export class FeelFailure extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

export class Run {
  readonly warnings: FeelWarning[] = [];
  /** Set when the evaluation failed as a whole (see FeelFailure); its value is then null. */
  failure: FeelWarning | null = null;
  constructor(
    /** Epoch milliseconds that `now()` and `today()` read (determinism: never the wall clock). */
    readonly nowMs: number,
  ) {}
  warn(type: string, message: string): null {
    this.warnings.push({ type, message });
    return null;
  }
  fail(failure: FeelFailure): null {
    this.failure ??= { type: failure.type, message: failure.message };
    return this.warn(failure.type, failure.message);
  }
}
