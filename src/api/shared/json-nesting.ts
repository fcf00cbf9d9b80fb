/**
 * How deeply a JSON text nests, found by a scan before it is parsed. Parsing deep JSON is fine,
 * but what the node does with the value afterwards (record encoding with v8.serialize, FEEL
 * conversion, history rows) recurses per level: a variables document nested ten thousand
 * levels deep overflowed the stack while its records were written and took the process down.
 * Camunda's JSON reader (Jackson) refuses documents nested deeper than 1000 levels; so does Zen.
 */
export const MAX_JSON_NESTING = 1000;

/** The deepest nesting of arrays and objects in `text` (strings skipped); stops past `limit`. */
export function jsonNesting(text: string, limit = MAX_JSON_NESTING): number {
  let depth = 0;
  let deepest = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      for (i++; i < text.length; i++) {
        const s = text.charCodeAt(i);
        if (s === 0x5c) i++;
        else if (s === 0x22) break;
      }
    } else if (c === 0x5b || c === 0x7b) {
      depth++;
      if (depth > deepest) {
        deepest = depth;
        if (deepest > limit) return deepest;
      }
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return deepest;
}

/** The refusal, worded for the field (or the body) that nests too deeply. */
export function nestingProblem(text: string, what: string): string | null {
  return jsonNesting(text) > MAX_JSON_NESTING ? `${what} nests deeper than ${MAX_JSON_NESTING} levels, which is not allowed` : null;
}
