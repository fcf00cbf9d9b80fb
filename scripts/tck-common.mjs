/**
 * Shared by the TCK runners (scripts/tck.mjs, scripts/feel-tck.mjs): the XML reader (Zen's own,
 * from dist/dmn), the TCK's expected and input values as FEEL values, and the comparison the
 * official runners make: numbers within 1e-8, temporals by type and value, lists and contexts
 * structurally, null where an error is expected. Needs `npm run build` first.
 */
import { readdirSync, statSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dist = (p) => import(join(root, 'dist', p));
export const { parseXml, child: kid, children: kids, attr, localName } = await dist('dmn/xml.js');
const { FeelDecimal, isNumber } = await dist('feel/lang/values/number.js');
const { FeelContext } = await dist('feel/lang/values/context.js');
const { parseDate, parseTime, parseDateTime } = await dist('feel/lang/values/temporal.js');
const { parseDuration } = await dist('feel/lang/values/duration.js');
const { feelEquals } = await dist('feel/lang/semantics/equality.js');
const { simpleTypeOf } = await dist('feel/lang/values/types.js');
const { feelString } = await dist('feel/lang/values/text.js');

/** A TCK `<inputNode>`, `<expected>` or `<item>`: value, list or components, as a FEEL value. */
export function expectedValue(node) {
  const list = kid(node, 'list');
  if (list) return kids(list, 'item').map(expectedValue);
  const components = kids(node, 'component');
  if (components.length) return new FeelContext(components.map((c) => [attr(c, 'name'), expectedValue(c)]));
  const value = kid(node, 'value');
  if (!value || attr(value, 'nil') === 'true') return null;
  const type = (attr(value, 'type') ?? 'xsd:string').replace(/^\w+:/, '');
  const text = value.text.trim();
  switch (type) {
    case 'decimal':
    case 'double':
    case 'float':
    case 'int':
    case 'integer':
    case 'long':
    case 'short':
      return new FeelDecimal(text);
    case 'boolean':
      return text === 'true';
    case 'date':
      return parseDate(text);
    case 'time':
      return parseTime(text);
    case 'dateTime':
      return parseDateTime(text);
    case 'duration':
    case 'dayTimeDuration':
    case 'yearMonthDuration':
      return parseDuration(text);
    default:
      return value.text;
  }
}

export function same(actual, expected) {
  if (expected === null || actual === null) return actual === expected;
  if (isNumber(expected)) return isNumber(actual) && actual.minus(expected).abs().lte('1e-8');
  if (Array.isArray(expected)) return Array.isArray(actual) && actual.length === expected.length && expected.every((e, i) => same(actual[i], e));
  if (expected instanceof FeelContext) {
    if (!(actual instanceof FeelContext) || actual.entries.size !== expected.entries.size) return false;
    for (const [k, v] of expected.entries) if (!actual.has(k) || !same(actual.get(k), v)) return false;
    return true;
  }
  if (simpleTypeOf(actual) !== simpleTypeOf(expected)) return false;
  return feelEquals(actual, expected) === true;
}

export function show(v) {
  if (typeof v === 'string' && v.startsWith('ERROR')) return v;
  return v === null || v === undefined ? 'null' : `${feelString(v)} (${simpleTypeOf(v)})`;
}

/** Every `*-test-NN.xml` under dir, sorted. */
export function testFiles(dir, out = []) {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) testFiles(path, out);
    else if (/-test-\d+\.xml$/.test(name)) out.push(path);
  }
  return out;
}
