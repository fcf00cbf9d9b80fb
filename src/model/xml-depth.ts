/**
 * How deeply a document nests its elements, found by a linear scan of the raw text before any
 * XML parser sees it. The moddle readers and the compilers above them recurse per level, so a
 * document nesting thousands of elements would exhaust the stack; real diagrams stay within a
 * few dozen levels.
 */

/** Far above any modelled diagram (sub-processes inside sub-processes included). */
export const MAX_XML_DEPTH = 256;

/** The deepest element nesting in `text`, stopping early once it passes `limit`. */
export function xmlDepth(text: string, limit = MAX_XML_DEPTH): number {
  let depth = 0;
  let deepest = 0;
  let at = text.indexOf('<');
  while (at !== -1 && at < text.length) {
    const next = text[at + 1];
    if (next === '?') at = skipPast(text, at + 2, '?>');
    else if (text.startsWith('<!--', at)) at = skipPast(text, at + 4, '-->');
    else if (text.startsWith('<![CDATA[', at)) at = skipPast(text, at + 9, ']]>');
    else if (next === '!') at = skipPast(text, at + 2, '>');
    else if (next === '/') {
      depth = Math.max(0, depth - 1);
      at = skipPast(text, at + 2, '>');
    } else {
      const end = tagEnd(text, at + 1);
      if (end === -1) return deepest;
      if (text[end - 1] !== '/') {
        depth++;
        if (depth > deepest) deepest = depth;
        if (deepest > limit) return deepest;
      }
      at = end + 1;
    }
    if (at === -1) return deepest;
    at = text.indexOf('<', at);
  }
  return deepest;
}

function skipPast(text: string, from: number, marker: string): number {
  const found = text.indexOf(marker, from);
  return found === -1 ? -1 : found + marker.length;
}

/** The `>` closing a start tag, skipping quoted attribute values (which may hold `>`). */
function tagEnd(text: string, from: number): number {
  let quote: string | null = null;
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (quote !== null) {
      if (c === quote) quote = null;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '>') return i;
  }
  return -1;
}
