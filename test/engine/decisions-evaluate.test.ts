import { describe, expect, it } from 'vitest';
import type { DecisionEvaluationValue } from '../../src/engine/records.js';
import { discountDmn } from '../fixtures/dmn-builder.js';
import { EngineHarness, expectRejected, expectReplayable } from '../support/engine-harness.js';

const evaluate = (h: EngineHarness, value: { decisionKey?: bigint; decisionId?: string; variables: Record<string, unknown> }) =>
  h.process(1, { valueType: 'DECISION_EVALUATION', intent: 'EVALUATE', key: -1n, value: { decisionKey: -1n, decisionId: '', tenantId: '<default>', ...value } });

describe('DECISION_EVALUATION EVALUATE (EvaluateDecision)', () => {
  it('evaluates the latest version by id, or a version by key, answering with the evaluation record', async () => {
    const h = new EngineHarness();
    await h.deploy({ name: 'pricing.dmn', xml: discountDmn() });
    const v1 = h.partition(1).state.decisions.latest('discount', '<default>')!;
    const response = evaluate(h, { decisionId: 'message', variables: { customer: 'gold', orderSize: 3 } });
    if (!response?.ok) expect.fail('expected the evaluation to be accepted');
    const [record] = h.events<DecisionEvaluationValue>('DECISION_EVALUATION', 'EVALUATED');
    expect(response.key).toBe(record!.key);
    expect(response.value).toEqual(record!.value);
    expect(record!.value).toMatchObject({ decisionId: 'message', decisionOutput: '"discount 0.1"', processInstanceKey: -1n, elementId: '', variables: { customer: 'gold', orderSize: 3 } });
    expect(record!.value.evaluatedDecisions.map((d) => d.decisionId)).toEqual(['discount', 'message']);

    await h.deploy({ name: 'pricing.dmn', xml: discountDmn({ extraRule: '<rule id="all"><inputEntry><text>-</text></inputEntry><inputEntry><text>-</text></inputEntry><outputEntry><text>1</text></outputEntry></rule>' }) });
    const byKey = evaluate(h, { decisionKey: v1.key, variables: { customer: 'gold', orderSize: 3 } });
    expect(byKey?.ok && (byKey.value as DecisionEvaluationValue)).toMatchObject({ decisionVersion: 1, decisionOutput: '0.1' });
    const latest = evaluate(h, { decisionId: 'discount', variables: {} });
    expect(latest?.ok && (latest.value as DecisionEvaluationValue)).toMatchObject({ decisionVersion: 2, decisionOutput: '1' });
    await expectReplayable(h);
  });

  it('a failed evaluation is answered with the failure and logged as FAILED; an unknown decision is NOT_FOUND', async () => {
    const h = new EngineHarness();
    await h.deploy({ name: 'pricing.dmn', xml: discountDmn().replace('hitPolicy="FIRST"', 'hitPolicy="UNIQUE"') });
    const failed = evaluate(h, { decisionId: 'discount', variables: { customer: 'gold', orderSize: 20 } });
    expect(failed?.ok && (failed.value as DecisionEvaluationValue)).toMatchObject({ failedDecisionId: 'discount', decisionOutput: 'null' });
    expect(h.events('DECISION_EVALUATION', 'FAILED')).toHaveLength(1);
    expectRejected(evaluate(h, { decisionId: 'nope', variables: {} }), 'NOT_FOUND', "Expected to evaluate decision 'nope', but no decision found for id 'nope'");
    expectRejected(evaluate(h, { decisionKey: 123n, variables: {} }), 'NOT_FOUND', "decision with key '123'");
    await expectReplayable(h);
  });
});
