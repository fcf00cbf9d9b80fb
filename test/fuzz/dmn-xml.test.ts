/**
 * Fuzz target 2, DMN XML: documents from a grammar of decision tables, literal expressions and
 * boxed contexts with requirements, mutated as the BPMN documents are (test/fuzz/xml-documents.ts),
 * deployed through the model layer and a real node; decisions of the models that compile are
 * evaluated with random inputs, which must give a value or a failure message, never a throw.
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { evaluateDecision } from '../../src/dmn/index.js';
import { compileResource } from '../../src/model/compile.js';
import { describeDeployTarget } from './deploy-target.js';
import { dmnDocument } from './dmn-grammar.js';
import { jsonValue } from './feel-grammar.js';
import { CaseCounter, fuzzParameters, fuzzRuns, FUZZ_TIMEOUT_MS } from './fuzz-support.js';
import { mutatedDocument, writeXml } from './xml-documents.js';

describeDeployTarget({ target: 'dmn', extension: '.dmn', documents: mutatedDocument(dmnDocument), modelRuns: 300, nodeRuns: 100 });

const evaluations = new CaseCounter('dmn-evaluations');
afterAll(() => evaluations.report());

describe('DMN decisions', () => {
  it('evaluate with random inputs to a value or a failure, never a throw', async () => {
    let compiled = 0;
    await fc.assert(
      fc.asyncProperty(dmnDocument, fc.dictionary(fc.constantFrom('x', 'y', 'items', 'Decision0'), jsonValue, { maxKeys: 4 }), async ({ root }, inputs) => {
        evaluations.count();
        const result = await compileResource('eval.dmn', writeXml(root));
        if (!result.ok || !result.resource.decisionRequirements) return;
        compiled++;
        const { model, decisions } = result.resource.decisionRequirements;
        for (const { id } of decisions) {
          const started = performance.now();
          const outcome = evaluateDecision(model, id, inputs);
          expect(performance.now() - started).toBeLessThan(2000);
          if (outcome.failure !== undefined) expect(outcome.failure).toEqual(expect.any(String));
          expect(Array.isArray(outcome.evaluatedDecisions)).toBe(true);
        }
      }),
      fuzzParameters(fuzzRuns(300)),
    );
    expect(compiled, 'documents that compiled').toBeGreaterThan(0);
  }, FUZZ_TIMEOUT_MS);
});
