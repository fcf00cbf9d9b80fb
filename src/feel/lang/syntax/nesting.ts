/**
 * Bracket nesting of a FEEL source, counted before parsing. The parser and the compiler recurse
 * per level, and lezer's error recovery grows much faster than linearly on deeply nested input
 * (tens of seconds for a few thousand brackets): a bound refuses such a text at once.
 */
export const MAX_FEEL_NESTING = 100;

/** Deepest nesting of (), [] and {} outside string literals and backtick names; stops past `limit`. */
export function feelNesting(source: string, limit = MAX_FEEL_NESTING): number {
  let depth = 0;
  let deepest = 0;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '"') {
      for (i++; i < source.length && source[i] !== '"'; i++) if (source[i] === '\\') i++;
    } else if (c === '`') {
      const end = source.indexOf('`', i + 1);
      if (end === -1) break;
      i = end;
    } else if (c === '(' || c === '[' || c === '{') {
      depth++;
      if (depth > deepest) deepest = depth;
      if (deepest > limit) return deepest;
    } else if (c === ')' || c === ']' || c === '}') depth = Math.max(0, depth - 1);
  }
  return deepest;
}
