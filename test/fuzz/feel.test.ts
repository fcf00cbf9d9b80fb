/**
 * Fuzz target 3, FEEL: random expressions (grammar and raw text) compiled and evaluated with
 * random variables must never throw — a failure is a message or null with warnings — and a
 * process whose conditions, mappings and scripts hold random FEEL must run into incidents,
 * never crash the engine, and replay to the same state.
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { checkFeelSyntax, evaluate, evaluateBoolean, evaluateString, evaluateInteger, evaluateDuration, toFeelExpression } from '../../src/feel/index.js';
import { compileUnaryTests } from '../../src/feel/lang/index.js';
import { stringifyJson } from '../../src/engine/json.js';
import * as b from '../fixtures/bpmn-builder.js';
import { EngineHarness, expectReplayable } from '../support/engine-harness.js';
import { CaseCounter, fuzzParameters, fuzzRuns, FUZZ_TIMEOUT_MS } from './fuzz-support.js';
import { feelContext, feelExpression, jsonValue, rawFeelText } from './feel-grammar.js';

/** No expression may hold the engine's thread this long. */
const CASE_MS = 2000;
const NOW = Date.UTC(2026, 0, 1, 12);

const expressions = new CaseCounter('feel-expressions');
const processes = new CaseCounter('feel-processes');
afterAll(() => {
  expressions.report();
  processes.report();
});

const anyText = fc.oneof({ weight: 3, arbitrary: feelExpression }, rawFeelText);

function timed<T>(what: string, fn: () => T): T {
  const started = performance.now();
  const result = fn();
  const elapsed = performance.now() - started;
  expect(elapsed, `${what} took ${Math.round(elapsed)} ms`).toBeLessThan(CASE_MS);
  return result;
}

describe('FEEL expressions', () => {
  it('compile and evaluate without throwing, to a value or a message', () => {
    fc.assert(
      fc.property(anyText, feelContext, (source, context) => {
        expressions.count();
        timed(source, () => {
          const syntax = checkFeelSyntax(source);
          expect(syntax === null || (typeof syntax === 'string' && syntax.length > 0)).toBe(true);
          const expression = toFeelExpression(`=${source}`);
          const result = evaluate(expression, context, NOW);
          if (result.ok) {
            // What variables hold must survive JSON (int64 beyond 2^53 as bigint): no FEEL objects.
            expect(() => stringifyJson(result.value)).not.toThrow();
            for (const warning of result.warnings) expect(typeof warning.message).toBe('string');
          } else {
            expect(result.message).toMatch(/^Failed to evaluate expression/);
          }
          // A syntax error at deploy and a failure at run time must agree.
          if (syntax !== null) expect(result.ok).toBe(false);
          for (const typed of [evaluateBoolean, evaluateString, evaluateInteger, evaluateDuration]) {
            const outcome = typed(expression, context, NOW) as { ok: boolean; message?: string };
            if (!outcome.ok) expect(outcome.message).toEqual(expect.any(String));
          }
        });
      }),
      fuzzParameters(fuzzRuns(600)),
    );
  }, FUZZ_TIMEOUT_MS);

  it('as DMN unary tests, compile and test any input without throwing', () => {
    fc.assert(
      fc.property(anyText, jsonValue, feelContext, (source, input, context) => {
        expressions.count();
        timed(source, () => {
          const compiled = compileUnaryTests(source, { profile: 'dmn' });
          if (!compiled.ok) {
            expect(compiled.message.length).toBeGreaterThan(0);
            return;
          }
          const outcome = compiled.test(input, context, { nowMs: NOW });
          expect([true, false, null]).toContain(outcome.value);
        });
      }),
      fuzzParameters(fuzzRuns(300)),
    );
  }, FUZZ_TIMEOUT_MS);
});

/** A process that evaluates random FEEL in each place the engine does at run time. */
interface FeelProcess {
  readonly input: string;
  readonly condition: string;
  readonly script: string;
  readonly output: string;
  readonly collection: string;
  readonly timer: string;
  readonly correlation: string;
}

const feelProcess: fc.Arbitrary<FeelProcess> = fc.record({
  input: feelExpression,
  condition: feelExpression,
  script: feelExpression,
  output: feelExpression,
  collection: fc.oneof(feelExpression, fc.constant('[1, 2]')),
  timer: fc.oneof(feelExpression, fc.constantFrom('"PT1M"', 'duration("P1D")', '"R2/PT1S"')),
  correlation: fc.oneof(feelExpression, fc.constant('string(a)')),
});

function processXml(p: FeelProcess): string {
  const eq = (s: string) => `=${s}`;
  return b.model(
    'fz',
    b.message('m', 'fuzz-message', eq(p.correlation)),
    b.start(),
    b.serviceTask('task', 'fuzz', { io: { inputs: [[eq(p.input), 'local']], outputs: [[eq(p.output), 'out']] } }),
    b.exclusiveGateway('gw', 'gw_other'),
    b.flow('gw', 'script', { condition: eq(p.condition) }),
    b.flow('gw', 'other', { id: 'gw_other' }),
    b.scriptTask('script', eq(p.script), 'scripted'),
    b.serviceTask('other', 'fuzz-mi', { loop: { inputCollection: eq(p.collection), inputElement: 'element' } }),
    b.timerCatch('wait', 'duration', eq(p.timer)),
    b.messageCatch('msg', 'm'),
    b.end(),
    b.exclusiveGateway('join'),
    ...b.chain('start', 'task', 'gw'),
    ...b.chain('script', 'join'),
    ...b.chain('other', 'join'),
    ...b.chain('join', 'wait', 'msg', 'end'),
  );
}

describe('FEEL in running processes', () => {
  it('ends in incidents or completion, never an engine crash, and replays', async () => {
    await fc.assert(
      fc.asyncProperty(feelProcess, fc.array(feelContext, { minLength: 1, maxLength: 3 }), async (model, variableSets) => {
        processes.count();
        // onBug throws: an engine defect fails the case instead of being logged.
        const h = new EngineHarness(1);
        const deployed = await h.deploy({ name: 'fz.bpmn', xml: processXml(model) });
        if (!deployed.ok) {
          if (process.env.FUZZ_DEBUG) console.log('REFUSED', deployed.reason.slice(0, 200));
          expect(deployed.rejectionType).toBe('INVALID_ARGUMENT');
          expect(deployed.reason.length).toBeGreaterThan(0);
          return;
        }
        for (const variables of variableSets) {
          h.createInstance('fz', variables);
          for (const type of ['fuzz', 'fuzz-mi']) {
            for (const jobKey of h.activateJobs(type, 20).jobKeys) h.completeJob(jobKey, variables);
          }
          h.advanceTime(2 * 86_400_000);
          h.publishMessage('fuzz-message', JSON.stringify(variables.a ?? null), variables, 60_000);
        }
        if (process.env.FUZZ_DEBUG) console.log('RAN', h.records().filter((r) => r.valueType === 'INCIDENT' && r.intent === 'CREATED').map((r) => (r.value as { errorMessage: string }).errorMessage.slice(0, 100)));
        await expectReplayable(h);
      }),
      fuzzParameters(fuzzRuns(40)),
    );
  }, FUZZ_TIMEOUT_MS);
});
