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
import { readFileSync, existsSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { evaluate as feelinEvaluate } from 'feelin';

import { root, parseXml, kid, kids, attr, expectedValue, same, show, testFiles as walk } from './tck-common.mjs';

const lang = (p) => import(join(root, 'dist/feel/lang', p));
const { compileFeel } = await lang('index.js');
const { FeelDecimal } = await lang('values/number.js');
const { FeelContext } = await lang('values/context.js');
const { FeelRange } = await lang('values/range.js');
const { FeelFunction } = await lang('values/function.js');
const { parseDate, parseTime, parseDateTime } = await lang('values/temporal.js');
const { parseDuration } = await lang('values/duration.js');

const args = process.argv.slice(2);
const verbose = args.includes('--verbose');
const showFailures = args.find((a) => a.startsWith('--failures='))?.slice('--failures='.length);
const tckDir = resolve(args.find((a) => !a.startsWith('--')) ?? join(root, '../shared/dmn-tck'));

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
        console.log(`FAIL ${engine} ${c.id}: ${c.source.trim().replace(/\s+/g, ' ').slice(0, 160)}\n     expected ${show(c.expected)}, got ${show(actual)}`);
      }
    }
  }
  results[engine] = { passed, failed, ms: Math.round(performance.now() - started) };
}
console.log(`${cases.length} literal-expression cases without inputs in ${tckDir}`);
console.log(`feelin: ${results.feelin.passed} passed, ${results.feelin.failed} failed (${results.feelin.ms} ms)`);
console.log(`zen: ${results.zen.passed} passed, ${results.zen.failed} failed (${results.zen.ms} ms)`);
