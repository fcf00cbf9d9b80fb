import type { FeelWarning } from './warnings.js';

/**
 * The result of `evaluate`: a JSON-compatible value, or a failure. A FEEL expression that ran
 * into problems usually still succeeds with `null` and carries the warnings; the typed helpers
 * turn those into incident messages.
 */
export type FeelResult =
  | { readonly ok: true; readonly value: unknown; readonly warnings: readonly FeelWarning[] }
  | { readonly ok: false; readonly message: string };

/** Like `FeelResult`, but the value is still a FEEL value (temporals, ranges, functions). */
export type RawFeelResult = FeelResult;
