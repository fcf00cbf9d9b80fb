/**
 * feelin reports problems as warnings with its own wording; incident messages should read like
 * Zeebe's (FEEL-Scala's), because users search for them and compare them with Camunda's docs.
 */
import type { Warning } from 'feelin';

export interface FeelWarning {
  /** FEEL-Scala's failure type, e.g. `NO_VARIABLE_FOUND`. */
  readonly type: string;
  readonly message: string;
}

const REWRITES: ReadonlyArray<{ type: string; pattern: RegExp; rewrite: (m: RegExpExecArray) => string }> = [
  {
    type: 'NO_VARIABLE_FOUND',
    pattern: /^Variable '(.*)' not found$/s,
    rewrite: (m) => `No variable found with name '${m[1]}'`,
  },
  {
    type: 'NO_CONTEXT_ENTRY_FOUND',
    pattern: /^Key '(.*)' not found in .*$/s,
    rewrite: (m) => `No context entry found with key '${m[1]}'`,
  },
  {
    type: 'NO_PROPERTY_FOUND',
    pattern: /^Property '(.*)' not found in '(.*)'$/s,
    rewrite: (m) => `No property found with name '${m[1]}' of value '${m[2]}'`,
  },
];

export function toFeelWarning(warning: Warning): FeelWarning {
  for (const { type, pattern, rewrite } of REWRITES) {
    if (warning.type !== type) continue;
    const match = pattern.exec(warning.message);
    if (match) return { type, message: rewrite(match) };
  }
  return { type: warning.type, message: warning.message };
}

/** Zeebe's suffix: ` The evaluation reported the following warnings:\n[TYPE] message…`, or ''. */
export function warningsSuffix(warnings: readonly FeelWarning[]): string {
  if (warnings.length === 0) return '';
  const lines = warnings.map((w) => `[${w.type}] ${w.message}`).join('\n');
  return ` The evaluation reported the following warnings:\n${lines}`;
}
