/**
 * Deploy-time FEEL checking: the expression is compiled as it will be run (camunda profile), so a
 * model whose expression cannot compile is refused with the reason, and the compilation is kept
 * for the first evaluation.
 */
import { compiledFeel } from './compilation.js';

const PREFIX = /^failed to parse expression '.*?': /s;
const POSITIONED = /^Syntax error at position (\d+): (.*)$/s;

/** Returns null when the FEEL source compiles, else a description of the error. */
export function checkFeelSyntax(source: string): string | null {
  if (source.trim() === '') return 'the expression is empty';
  const compiled = compiledFeel(source);
  if (compiled.ok) return null;
  const problem = compiled.message.replace(PREFIX, '');
  const positioned = POSITIONED.exec(problem);
  return positioned ? `${positioned[2]} at position ${Number(positioned[1]) + 1}` : problem;
}
