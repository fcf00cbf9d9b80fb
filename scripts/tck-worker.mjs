/** The TCK runner's worker (see scripts/tck.mjs): runs test files, posts one result per case. */
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { root, parseXml, kid, kids, attr, expectedValue, same, show } from './tck-common.mjs';

const { compileDmnXml, evaluateDecision, evaluateDecisionService } = await import(join(root, 'dist/dmn/index.js'));
const { files, tckDir, verbose } = workerData;
const skip = new Set(workerData.skip);
const nowMs = Date.now();
const models = new Map();

function model(path) {
  if (!models.has(path)) models.set(path, existsSync(path) ? compileDmnXml(readFileSync(path, 'utf8')) : { ok: false, message: `model ${path} not found` });
  return models.get(path);
}

function runCase(compiled, testCase) {
  if (!compiled.ok) return { status: 'ERROR', detail: `model rejected: ${compiled.message}` };
  const m = compiled.model;
  const inputs = {};
  for (const node of kids(testCase, 'inputNode')) inputs[attr(node, 'name')] = expectedValue(node);
  const service = attr(testCase, 'type') === 'decisionService' ? attr(testCase, 'invocableName') : undefined;
  const failures = [];
  for (const resultNode of kids(testCase, 'resultNode')) {
    const name = attr(resultNode, 'name');
    const errorExpected = attr(resultNode, 'errorResult') === 'true';
    const expected = errorExpected ? null : expectedValue(kid(resultNode, 'expected'));
    let r;
    if (service !== undefined) {
      r = evaluateDecisionService(m, service, inputs, { nowMs });
      // A result node of a service case names the service or one of its output decisions.
      if (r.value !== null && r.outputs?.has(name) && name !== service) r = { ...r, value: r.outputs.get(name) };
    } else r = evaluateDecision(m, name, inputs, { nowMs });
    if (r.failure && !errorExpected) failures.push(`${name}: ${r.failure}`);
    else if (!same(r.value, expected)) failures.push(`${name}: expected ${show(expected)}, got ${show(r.value)}${verbose && r.warnings.length ? ` [${r.warnings.map((w) => w.message).join('; ')}]` : ''}`);
  }
  return failures.length === 0 ? { status: 'SUCCESS', detail: '' } : { status: 'FAILURE', detail: failures.join('; ') };
}

files.forEach((file, fileIndex) => {
  let doc;
  try {
    doc = parseXml(readFileSync(file, 'utf8'));
  } catch {
    return;
  }
  const testCases = kid(doc, 'testCases');
  if (!testCases) return;
  const modelName = kid(testCases, 'modelName')?.text.trim();
  const compiled = model(join(dirname(file), modelName ?? ''));
  const level = /compliance-level-(\d)/.exec(relative(tckDir, file))?.[1] ?? '?';
  for (const testCase of kids(testCases, 'testCase')) {
    const base = { path: file, folder: basename(dirname(file)), file: basename(file), id: attr(testCase, 'id'), level };
    if (skip.has(`${file}#${base.id}`)) continue;
    parentPort.postMessage({ type: 'start', fileIndex, case: base });
    let outcome;
    try {
      outcome = runCase(compiled, testCase);
    } catch (error) {
      outcome = { status: 'ERROR', detail: `runner crashed: ${error?.message ?? error}` };
    }
    parentPort.postMessage({ type: 'result', result: { ...base, ...outcome } });
  }
});
parentPort.postMessage({ type: 'end' });
