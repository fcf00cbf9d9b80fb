/**
 * One evaluation: its warnings and its clock. Internal code signals a FEEL error by
 * throwing FeelError; the nearest function call or the top-level evaluate turns it into null plus
 * a warning, so evaluation as a whole never throws.
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

export class Run {
  readonly warnings: FeelWarning[] = [];
  constructor(
    /** Epoch milliseconds that `now()` and `today()` read (determinism: never the wall clock). */
    readonly nowMs: number,
  ) {}
  warn(type: string, message: string): null {
    this.warnings.push({ type, message });
    return null;
  }
}
