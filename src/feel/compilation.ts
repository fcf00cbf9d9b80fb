/**
 * Compiled BPMN expressions, kept by source: an expression is compiled once (lezer-feel parse,
 * AST, closures) and then only run. Names with spaces (`order total + 1`) parse without being
 * declared; names with operators need backticks, as in Camunda (`` `order-id` ``).
 */
import { compileFeel, type Compiled } from './lang/index.js';

const MAX_ENTRIES = 8192;
const compiled = new Map<string, Compiled>();

export function compiledFeel(source: string): Compiled {
  let entry = compiled.get(source);
  if (entry === undefined) {
    entry = compileFeel(source, { profile: 'camunda' });
    // Models are few and their expressions fixed; a full map means generated sources: start over.
    if (compiled.size >= MAX_ENTRIES) compiled.clear();
    compiled.set(source, entry);
  }
  return entry;
}
