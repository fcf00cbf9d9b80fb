/** Camunda's string functions: `extract`, `trim`, `is blank`, `to base64`. */
import type { FeelFunction } from '../../values/function.js';
import { builtin } from '../define.js';
import { xpathRegex } from '../string.js';

/** Java's String.trim: every character up to U+0020 at either end, no Unicode spaces. */
const JAVA_TRIM = /^[\u0000-\u0020]+|[\u0000-\u0020]+$/g;

/**
 * Java's String.isBlank (Character.isWhitespace): Unicode space, line and paragraph separators
 * except the no-break ones (U+00A0, U+2007, U+202F), plus tab, line feed, U+000B, form feed,
 * carriage return and U+001C–U+001F.
 */
const JAVA_BLANK = /^[\t\n\u000B\f\r\u001C-\u001F \u1680\u2000-\u2006\u2008-\u200A\u2028\u2029\u205F\u3000]*$/u;

function extract(input: string, pattern: string): string[] {
  return [...input.matchAll(xpathRegex(pattern, null, true))].map((m) => m[0]);
}

export function stringFunctions(): FeelFunction[] {
  return [
    // The docs name the first parameter `string`, FEEL-Scala's code `input`: both bind by name.
    builtin('extract', [
      ['string: string, pattern: string', ([s, pattern]) => extract(s, pattern)],
      ['input: string, pattern: string', ([s, pattern]) => extract(s, pattern)],
    ]),
    builtin('trim', [['string: string', ([s]: [string]) => s.replace(JAVA_TRIM, '')]]),
    builtin('is blank', [['string: string', ([s]: [string]) => JAVA_BLANK.test(s)]]),
    builtin('to base64', [['value: string', ([s]: [string]) => Buffer.from(s, 'utf8').toString('base64')]]),
  ];
}
