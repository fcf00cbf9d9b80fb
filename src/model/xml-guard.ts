/**
 * Checks done on the raw bytes before any XML parser sees them. DOCTYPE and ENTITY declarations
 * are refused outright: BPMN never needs them, and they are how XXE and entity-expansion
 * ("billion laughs") attacks start, whatever the parser would do with them. Nesting is bounded
 * too (xml-depth.ts): the readers recurse per level.
 */

import { MAX_XML_DEPTH, xmlDepth } from './xml-depth.js';

export type GuardResult = { readonly ok: true; readonly text: string } | { readonly ok: false; readonly message: string };

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

export function guardXml(resourceName: string, content: Buffer | string): GuardResult {
  const decoded = decode(resourceName, content);
  if (!decoded.ok) return decoded;
  const text = decoded.text;
  const fail = (reason: string): GuardResult => ({ ok: false, message: `Resource '${resourceName}' ${reason}` });

  if (text.trim() === '') return fail('is empty');
  if (text.includes('\u0000')) return fail('is not a text document (it contains NUL characters)');
  if (/<!DOCTYPE/i.test(text)) {
    return fail('contains a DOCTYPE declaration, which is not allowed (it enables XML external entity and entity expansion attacks)');
  }
  if (/<!ENTITY/i.test(text)) return fail('contains an ENTITY declaration, which is not allowed (XML entities are disabled)');
  if (!text.trimStart().startsWith('<')) return fail('is not an XML document');
  if (xmlDepth(text) > MAX_XML_DEPTH) return fail(`nests elements deeper than ${MAX_XML_DEPTH} levels, which is not allowed`);
  return { ok: true, text };
}

/**
 * A resource's bytes as text, strictly: invalid UTF-8 or UTF-16 is refused rather than turned
 * into replacement characters (the node stores the text, so a lossy decode would deploy
 * something other than what was sent).
 */
export function decodeResource(resourceName: string, content: Buffer | string): GuardResult {
  return decode(resourceName, content);
}

function decode(resourceName: string, content: Buffer | string): GuardResult {
  if (typeof content === 'string') return { ok: true, text: content.replace(/^\uFEFF/, '') };
  if (
    (content.length >= 2 && content[0] === 0xfe && content[1] === 0xff) ||
    (content.length >= 2 && content[0] === 0xff && content[1] === 0xfe)
  ) {
    return { ok: false, message: `Resource '${resourceName}' is UTF-16 encoded; only UTF-8 is supported` };
  }
  try {
    // The decoder drops a UTF-8 byte order mark itself.
    return { ok: true, text: UTF8.decode(content) };
  } catch {
    return { ok: false, message: `Resource '${resourceName}' is not valid UTF-8` };
  }
}
