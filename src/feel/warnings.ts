/** FEEL warnings as incident messages show them, in Zeebe's (FEEL-Scala's) wording. */
export type { FeelWarning } from './lang/index.js';
import type { FeelWarning } from './lang/index.js';

/** Zeebe's suffix: ` The evaluation reported the following warnings:\n[TYPE] message…`, or ''. */
export function warningsSuffix(warnings: readonly FeelWarning[]): string {
  if (warnings.length === 0) return '';
  const lines = warnings.map((w) => `[${w.type}] ${w.message}`).join('\n');
  return ` The evaluation reported the following warnings:\n${lines}`;
}
