#!/usr/bin/env node
/**
 * FEEL against the DMN TCK, before Zen has a DMN engine: every decision whose body is a literal
 * expression and that requires nothing (no input data, decisions or BKMs) is evaluated with Zen's
 * FEEL compiler (src/feel/lang, from dist/) and with feelin, and compared with the expected
 * results as the official runners do: numbers within 1e-8, temporals by type and value, lists and
 * contexts structurally, null where an error is expected.
 *
 *   npm run build && node scripts/feel-tck.mjs [TCK_DIR] [--verbose] [--failures=zen|feelin]
 */
import { readFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { evaluate as feelinEvaluate } from 'feelin';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const lang = (p) => import(join(root, 'dist/feel/lang', p));
const { compileFeel } = await lang('index.js');
const { FeelDecimal, isNumber } = await lang('values/number.js');
const { FeelContext } = await lang('values/context.js');
const { FeelRange } = await lang('values/range.js');
const { FeelFunction } = await lang('values/function.js');
const { parseDate, parseTime, parseDateTime } = await lang('values/temporal.js');
const { parseDuration } = await lang('values/duration.js');
const { feelEquals } = await lang('semantics/equality.js');
const { simpleTypeOf } = await lang('values/types.js');
const { feelString } = await lang('values/text.js');

const args = process.argv.slice(2);
const verbose = args.includes('--verbose');
const showFailures = args.find((a) => a.startsWith('--failures='))?.slice('--failures='.length);
const tckDir = resolve(args.find((a) => !a.startsWith('--')) ?? join(root, '../shared/dmn-tck'));

// ---- a small XML reader: elements with local names, attributes and text ----
const ENTITIES = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
function decode(text) {
  return text.replace(/&(#x[0-9a-fA-F]+|#\d+|\w+);/g, (whole, e) => {
    if (e[0] === '#') return String.fromCodePoint(e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
    return ENTITIES[e] ?? whole;
  });
}
function localName(name) {
  const i = name.indexOf(':');
  return i < 0 ? name : name.slice(i + 1);
}
function parseXml(xml) {
  const top = { name: '#document', attrs: {}, children: [], text: '' };
  const stack = [top];
  const re = /<!--[\s\S]*?-->|<\?[\s\S]*?\?>|<!\[CDATA\[([\s\S]*?)\]\]>|<!DOCTYPE[^>]*>|<\/([^\s>]+)\s*>|<([^\s/>]+)((?:\s+[^\s=]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>|([^<]+)/g;
  let m;
  while ((m = re.exec(xml)) !== null) {
    const current = stack[stack.length - 1];
    if (m[1] !== undefined) current.text += m[1];
    else if (m[2] !== undefined) stack.pop();
    else if (m[3] !== undefined) {
      const attrs = {};
      for (const a of m[4].matchAll(/([^\s=]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) attrs[a[1]] = decode(a[2] ?? a[3]);
      const element = { name: localName(m[3]), attrs, children: [], text: '' };
      current.children.push(element);
      if (m[5] !== '/') stack.push(element);
    } else if (m[6] !== undefined) current.text += decode(m[6]);
  }
  return top;
}
const kids = (e, name) => e.children.filter((c) => c.name === name);
const kid = (e, name) => e.children.find((c) => c.name === name);
const attr = (e, name) => {
  for (const [k, v] of Object.entries(e.attrs)) if (k === name || localName(k) === name) return v;
  return undefined;
};

// ---- expected values ----
function expectedValue(node) {
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

// ---- comparison ----
function same(actual, expected) {
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

/** feelin's results in Zen's value model, so both engines are judged by one comparison. */
function fromFeelin(v) {
  if (v === undefined || v === null) return null;
  if (typeof v === 'number') return Number.isFinite(v) ? new FeelDecimal(v) : null;
  if (typeof v === 'string' || typeof v === 'boolean') return v;
  if (Array.isArray(v)) return v.map(fromFeelin);
  switch (v.constructor?.name) {
    case 'FeelDate':
      return parseDate(String(v));
    case 'FeelTime':
      return parseTime(String(v));
    case 'FeelDateTime':
      return parseDateTime(String(v));
    case 'FeelDuration':
      return parseDuration(String(v));
    case 'FeelRange':
      return new FeelRange(fromFeelin(v.start), fromFeelin(v.end), v['start included'], v['end included']);
    case 'FeelFunction':
      return new FeelFunction('feelin', []);
  }
  if (typeof v === 'object') return new FeelContext(Object.entries(v).map(([k, x]) => [k, fromFeelin(x)]));
  return null;
}

// ---- the cases ----
function walk(dir, out = []) {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path, out);
    else if (/-test-\d+\.xml$/.test(name)) out.push(path);
  }
  return out;
}

function literalDecisions(modelPath) {
  const doc = parseXml(readFileSync(modelPath, 'utf8'));
  const definitions = kid(doc, 'definitions');
  const decisions = new Map();
  for (const d of kids(definitions ?? doc, 'decision')) {
    const literal = kid(d, 'literalExpression');
    const text = literal && kid(literal, 'text');
    if (!text) continue;
    if (kids(d, 'informationRequirement').length || kids(d, 'knowledgeRequirement').length) continue;
    decisions.set(attr(d, 'name'), text.text);
  }
  return decisions;
}

const cases = [];
const modelCache = new Map();
for (const testFile of walk(tckDir)) {
  const doc = parseXml(readFileSync(testFile, 'utf8'));
  const testCases = kid(doc, 'testCases');
  const modelName = kid(testCases, 'modelName')?.text.trim();
  const modelPath = modelName && join(dirname(testFile), modelName);
  if (!modelPath || !existsSync(modelPath)) continue;
  if (!modelCache.has(modelPath)) modelCache.set(modelPath, literalDecisions(modelPath));
  const decisions = modelCache.get(modelPath);
  for (const testCase of kids(testCases, 'testCase')) {
    if (attr(testCase, 'invocableName')) continue;
    for (const resultNode of kids(testCase, 'resultNode')) {
      const name = attr(resultNode, 'name');
      if (!decisions.has(name)) continue;
      const errorExpected = attr(resultNode, 'errorResult') === 'true';
      const expected = errorExpected ? null : expectedValue(kid(resultNode, 'expected'));
      cases.push({ id: `${testFile.slice(tckDir.length + 1)}#${attr(testCase, 'id')}/${name}`, source: decisions.get(name), expected });
    }
  }
}

const nowMs = Date.now();
function runZen(source) {
  const compiled = compileFeel(source, { profile: 'dmn' });
  if (!compiled.ok) return null;
  return compiled.evaluate({}, { nowMs }).value;
}
function runFeelin(source) {
  try {
    return fromFeelin(feelinEvaluate(source, {}).value);
  } catch {
    return null;
  }
}

const results = {};
for (const [engine, run] of [['zen', runZen], ['feelin', runFeelin]]) {
  let passed = 0;
  let failed = 0;
  const started = performance.now();
  for (const c of cases) {
    let actual;
    let ok;
    try {
      actual = run(c.source);
      ok = same(actual, c.expected);
    } catch (error) {
      actual = `ERROR ${error.message}`;
      ok = false;
    }
    if (ok) passed++;
    else {
      failed++;
      if (showFailures === engine || verbose) {
        const show = (v) => (typeof v === 'string' && v.startsWith('ERROR') ? v : v === null ? 'null' : `${feelString(v)} (${simpleTypeOf(v)})`);
        console.log(`FAIL ${engine} ${c.id}: ${c.source.trim().replace(/\s+/g, ' ').slice(0, 160)}\n     expected ${show(c.expected)}, got ${show(actual)}`);
      }
    }
  }
  results[engine] = { passed, failed, ms: Math.round(performance.now() - started) };
}
console.log(`${cases.length} literal-expression cases without inputs in ${tckDir}`);
console.log(`feelin: ${results.feelin.passed} passed, ${results.feelin.failed} failed (${results.feelin.ms} ms)`);
console.log(`zen: ${results.zen.passed} passed, ${results.zen.failed} failed (${results.zen.ms} ms)`);
