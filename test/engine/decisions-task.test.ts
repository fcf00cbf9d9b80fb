import { describe, expect, it } from 'vitest';
import type { DecisionEvaluationValue, DecisionValue, IncidentValue, VariableValue } from '../../src/engine/records.js';
import { chain, decisionTask, end, model, serviceTask, start } from '../fixtures/bpmn-builder.js';
import { discountDmn, dmnDefinitions, failingDmn } from '../fixtures/dmn-builder.js';
import { EngineHarness, expectReplayable } from '../support/engine-harness.js';

/** The last value a process-level variable was given (variables go with a completed instance). */
function lastValue(h: EngineHarness, pi: bigint, name: string): unknown {
  const writes = [...h.events<VariableValue>('VARIABLE', 'CREATED'), ...h.events<VariableValue>('VARIABLE', 'UPDATED')]
    .filter((r) => r.value.scopeKey === pi && r.value.name === name)
    .sort((a, b) => (a.position < b.position ? -1 : 1));
  return writes.length === 0 ? undefined : JSON.parse(writes.at(-1)!.value.value);
}

const ruleProcess = (decisionId: string, options: Parameters<typeof decisionTask>[3] = {}, id = 'order') =>
  model(id, start(), decisionTask('rule', decisionId, 'result', options), end(), ...chain('start', 'rule', 'end'));

describe('business rule task with zeebe:calledDecision', () => {
  it('evaluates the decision as it activates, writes the result and a DECISION_EVALUATION EVALUATED record', async () => {
    const h = new EngineHarness();
    await h.deploy({ name: 'pricing.dmn', xml: discountDmn() }, { name: 'order.bpmn', xml: ruleProcess('message') });
    const pi = h.createInstance('order', { customer: 'gold', orderSize: 12 });
    expect(h.elementStreamOf(pi)).toContain('rule:ELEMENT_COMPLETED');
    expect(h.elementStreamOf(pi).at(-1)).toBe('order:ELEMENT_COMPLETED');
    expect(lastValue(h, pi, 'result')).toBe('discount 0.15');
    const [evaluation] = h.events<DecisionEvaluationValue>('DECISION_EVALUATION', 'EVALUATED');
    const message = h.partition(1).state.decisions.latest('message', '<default>')!;
    const discount = h.partition(1).state.decisions.latest('discount', '<default>')!;
    expect(evaluation!.value).toMatchObject({
      decisionKey: message.key,
      decisionId: 'message',
      decisionName: 'Message',
      decisionVersion: 1,
      decisionRequirementsId: 'pricing',
      decisionOutput: '"discount 0.15"',
      bpmnProcessId: 'order',
      processInstanceKey: pi,
      elementId: 'rule',
      elementInstanceKey: h.elementKeyOf('rule', pi),
      evaluationFailureMessage: '',
      failedDecisionId: '',
    });
    expect(evaluation!.value.evaluatedDecisions).toEqual([
      {
        decisionId: 'discount',
        decisionName: 'Discount',
        decisionKey: discount.key,
        decisionVersion: 1,
        decisionType: 'DECISION_TABLE',
        decisionOutput: '0.15',
        evaluatedInputs: [
          { inputId: 'in1', inputName: 'Customer', inputValue: '"gold"' },
          { inputId: 'in2', inputName: 'Order size', inputValue: '12' },
        ],
        matchedRules: [{ ruleId: 'gold', ruleIndex: 1, evaluatedOutputs: [{ outputId: 'out1', outputName: 'discount', outputValue: '0.15' }] }],
        tenantId: '<default>',
      },
      expect.objectContaining({ decisionId: 'message', decisionType: 'LITERAL_EXPRESSION', decisionOutput: '"discount 0.15"', matchedRules: [], evaluatedInputs: [] }),
    ]);
    await expectReplayable(h);
  });

  it('takes the decision id from FEEL and output mappings shape the result', async () => {
    const h = new EngineHarness();
    const process = ruleProcess('=which', { io: { outputs: [['=result * 100', 'percent']] } });
    await h.deploy({ name: 'pricing.dmn', xml: discountDmn() }, { name: 'order.bpmn', xml: process });
    const pi = h.createInstance('order', { which: 'discount', customer: 'gold', orderSize: 1 });
    expect(lastValue(h, pi, 'percent')).toBe(10);
    expect(lastValue(h, pi, 'result')).toBeUndefined();
    await expectReplayable(h);
  });

  it('binds by deployment and by latest version', async () => {
    const h = new EngineHarness();
    await h.deploy({ name: 'pricing.dmn', xml: discountDmn() }, { name: 'pinned.bpmn', xml: ruleProcess('discount', { bindingType: 'deployment' }, 'pinned') }, { name: 'latest.bpmn', xml: ruleProcess('discount', {}, 'latest') });
    const vip = '<rule id="vip"><inputEntry><text>"gold"</text></inputEntry><inputEntry><text>-</text></inputEntry><outputEntry><text>0.5</text></outputEntry></rule>';
    await h.deploy({ name: 'pricing.dmn', xml: discountDmn({ extraRule: vip }) });
    const pinned = h.createInstance('pinned', { customer: 'gold', orderSize: 1 });
    const latest = h.createInstance('latest', { customer: 'gold', orderSize: 1 });
    expect(lastValue(h, pinned, 'result')).toBe(0.1);
    expect(lastValue(h, latest, 'result')).toBe(0.5);
    const versions = h.events<DecisionEvaluationValue>('DECISION_EVALUATION', 'EVALUATED').map((e) => e.value.decisionVersion);
    expect(versions).toEqual([1, 2]);
    expect(h.events<DecisionValue>('DECISION', 'CREATED').filter((d) => d.value.decisionId === 'discount')).toHaveLength(2);
    await expectReplayable(h);
  });

  it('a decision not deployed is a CALLED_DECISION_ERROR incident; deploying it and resolving continues', async () => {
    const h = new EngineHarness();
    await h.deploy({ name: 'order.bpmn', xml: ruleProcess('discount') });
    const pi = h.createInstance('order', { customer: 'gold', orderSize: 1 });
    const [incident] = h.events<IncidentValue>('INCIDENT', 'CREATED');
    expect(incident!.value).toMatchObject({ errorType: 'CALLED_DECISION_ERROR', elementId: 'rule' });
    expect(incident!.value.errorMessage).toBe("Expected to evaluate decision 'discount', but no decision found for id 'discount'");
    await h.deploy({ name: 'pricing.dmn', xml: discountDmn() });
    h.resolveIncident(incident!.key);
    expect(lastValue(h, pi, 'result')).toBe(0.1);
    expect(h.elementStreamOf(pi).at(-1)).toBe('order:ELEMENT_COMPLETED');
    await expectReplayable(h);
  });

  it('a failed evaluation is a DECISION_EVALUATION_ERROR incident and a DECISION_EVALUATION FAILED record', async () => {
    const h = new EngineHarness();
    const unique = discountDmn().replace('hitPolicy="FIRST"', 'hitPolicy="UNIQUE"');
    await h.deploy({ name: 'pricing.dmn', xml: unique }, { name: 'order.bpmn', xml: ruleProcess('discount') });
    const pi = h.createInstance('order', { customer: 'gold', orderSize: 12 });
    const [failed] = h.events<DecisionEvaluationValue>('DECISION_EVALUATION', 'FAILED');
    expect(failed!.value).toMatchObject({ decisionId: 'discount', failedDecisionId: 'discount', decisionOutput: 'null', processInstanceKey: pi });
    expect(failed!.value.evaluationFailureMessage).toContain("Expected to evaluate decision 'discount', but");
    const [incident] = h.events<IncidentValue>('INCIDENT', 'CREATED');
    expect(incident!.value).toMatchObject({ errorType: 'DECISION_EVALUATION_ERROR', elementId: 'rule', errorMessage: failed!.value.evaluationFailureMessage });
    expect(h.elementStreamOf(pi)).not.toContain('rule:ELEMENT_ACTIVATED');
    // With inputs that match one rule only, resolving evaluates again and continues.
    h.setVariables(pi, { customer: 'silver' });
    h.resolveIncident(incident!.key);
    expect(lastValue(h, pi, 'result')).toBe(0);
    await expectReplayable(h);
  });

  it('a null result from a type mismatch is a result, not an incident; job-based business rule tasks still make jobs', async () => {
    const h = new EngineHarness();
    await h.deploy({ name: 'failing.dmn', xml: failingDmn() }, { name: 'order.bpmn', xml: ruleProcess('strict') });
    const pi = h.createInstance('order', { x: 'text' });
    expect(lastValue(h, pi, 'result')).toBeNull();
    expect(h.events('INCIDENT', 'CREATED')).toHaveLength(0);
    const jobRule = model('jobs', start(), serviceTask('rule', 'rules').replace(/serviceTask/g, 'businessRuleTask'), end(), ...chain('start', 'rule', 'end'));
    await h.deploy({ name: 'jobs.bpmn', xml: jobRule });
    h.createInstance('jobs');
    expect(h.activateJobs('rules').jobs).toHaveLength(1);
    await expectReplayable(h);
  });
});

describe('business rule task bound by version tag', () => {
  it('evaluates the version whose decision carries the zeebe:versionTag, not the latest', async () => {
    const tagged = (tag: string, extraRule?: string) =>
      discountDmn(extraRule ? { extraRule } : {}).replace(
        '<decision id="message" name="Message">',
        `<decision id="message" name="Message"><extensionElements><zeebe:versionTag xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" value="${tag}"/></extensionElements>`,
      );
    const h = new EngineHarness();
    await h.deploy({ name: 'pricing.dmn', xml: tagged('v1') });
    const firstRule = '<rule id="first"><inputEntry><text>-</text></inputEntry><inputEntry><text>-</text></inputEntry><outputEntry><text>0.5</text></outputEntry></rule>';
    await h.deploy({ name: 'pricing.dmn', xml: tagged('v2', firstRule) });
    const versions = h.events<DecisionValue>('DECISION', 'CREATED').filter((r) => r.value.decisionId === 'message');
    expect(versions.map((r) => [r.value.version, r.value.versionTag])).toEqual([
      [1, 'v1'],
      [2, 'v2'],
    ]);
    await h.deploy({ name: 'order.bpmn', xml: ruleProcess('message', { bindingType: 'versionTag', versionTag: 'v1' }) });
    const pi = h.createInstance('order', { customer: 'gold', orderSize: 12 });
    expect(lastValue(h, pi, 'result')).toBe('discount 0.15');
    const [evaluation] = h.events<DecisionEvaluationValue>('DECISION_EVALUATION', 'EVALUATED');
    expect(evaluation!.value).toMatchObject({ decisionId: 'message', decisionVersion: 1 });
    await expectReplayable(h);
  });
});

describe('decision results as process variables', () => {
  it('keeps an integer beyond 2^53 exact, as process variables keep int64 values', async () => {
    const big = dmnDefinitions('big', '<decision id="big" name="big"><literalExpression><text>9007199254740993 * 2 + 1</text></literalExpression></decision>');
    const h = new EngineHarness();
    await h.deploy({ name: 'big.dmn', xml: big }, { name: 'order.bpmn', xml: ruleProcess('big') });
    const pi = h.createInstance('order');
    const written = h.events<VariableValue>('VARIABLE', 'CREATED').find((r) => r.value.scopeKey === pi && r.value.name === 'result');
    expect(written!.value.value).toBe('18014398509481987');
    const [evaluation] = h.events<DecisionEvaluationValue>('DECISION_EVALUATION', 'EVALUATED');
    expect(evaluation!.value.decisionOutput).toBe('18014398509481987');
    await expectReplayable(h);
  });
});
