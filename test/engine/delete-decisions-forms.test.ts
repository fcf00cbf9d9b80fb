import { describe, expect, it } from 'vitest';
import type { DecisionEvaluationValue, DecisionRequirementsValue, DecisionValue, DeploymentValue, FormValue, IncidentValue, UserTaskValue, VariableValue } from '../../src/engine/records.js';
import { camundaUserTask, chain, decisionTask, end, formJson, model, start } from '../fixtures/bpmn-builder.js';
import { discountDmn } from '../fixtures/dmn-builder.js';
import { EngineHarness, expectRejected, expectReplayable } from '../support/engine-harness.js';

const ALL_GOLD = '<rule id="all"><inputEntry><text>-</text></inputEntry><inputEntry><text>-</text></inputEntry><outputEntry><text>0.5</text></outputEntry></rule>';

const evaluate = (h: EngineHarness, value: { decisionKey?: bigint; decisionId?: string; variables?: Record<string, unknown> }) =>
  h.process(1, { valueType: 'DECISION_EVALUATION', intent: 'EVALUATE', key: -1n, value: { decisionKey: -1n, decisionId: '', tenantId: '<default>', variables: {}, ...value } });

const ruleProcess = (id: string, bindingType?: 'deployment') =>
  model(id, start(), decisionTask('rule', 'discount', 'result', bindingType ? { bindingType } : {}), end(), ...chain('start', 'rule', 'end'));

const formProcess = (id: string) => model(id, start(), camundaUserTask('task', { formId: 'approve' }), end(), ...chain('start', 'task', 'end'));

async function deployDrg(h: EngineHarness, xml: string): Promise<DeploymentValue> {
  const response = await h.deploy({ name: 'pricing.dmn', xml });
  if (!response.ok) expect.fail('expected the deployment to be accepted');
  return response.value as DeploymentValue;
}

function resultOf(h: EngineHarness, pi: bigint): unknown {
  const write = h.events<VariableValue>('VARIABLE', 'CREATED').find((r) => r.value.scopeKey === pi && r.value.name === 'result');
  return write === undefined ? undefined : JSON.parse(write.value.value);
}

describe('DeleteResource (decision requirements)', () => {
  it('deletes the document and each of its decisions between DELETING and DELETED; none is found any more', async () => {
    const h = new EngineHarness();
    const deployed = await deployDrg(h, discountDmn());
    const drgKey = deployed.decisionRequirementsMetadata![0]!.decisionRequirementsKey;
    const [discount, message] = deployed.decisionsMetadata!;
    const response = h.deleteResource(drgKey);
    expect(response?.ok && response.value).toEqual({ resourceKey: drgKey, tenantId: '<default>' });
    expect(h.eventStream(1, ['RESOURCE_DELETION', 'DECISION', 'DECISION_REQUIREMENTS']).slice(-5)).toEqual([
      'RESOURCE_DELETION:DELETING',
      'DECISION:DELETED',
      'DECISION:DELETED',
      'DECISION_REQUIREMENTS:DELETED',
      'RESOURCE_DELETION:DELETED',
    ]);
    const deletedDecisions = h.events<DecisionValue>('DECISION', 'DELETED');
    expect(deletedDecisions.map((r) => r.value)).toEqual([expect.objectContaining({ decisionId: 'discount', version: 1, decisionKey: discount!.decisionKey, decisionRequirementsKey: drgKey }), expect.objectContaining({ decisionId: 'message', decisionKey: message!.decisionKey })]);
    // The deletion events have keys of their own, as in Zeebe; the value names what went.
    expect(deletedDecisions.map((r) => r.key)).not.toContain(discount!.decisionKey);
    const [deletedDrg] = h.events<DecisionRequirementsValue>('DECISION_REQUIREMENTS', 'DELETED');
    expect(deletedDrg!.value).toMatchObject({ decisionRequirementsId: 'pricing', decisionRequirementsVersion: 1, decisionRequirementsKey: drgKey, resourceName: 'pricing.dmn' });

    const state = h.partition().state.decisions;
    expect(state.requirementsOf(drgKey)).toBeUndefined();
    expect(state.get(discount!.decisionKey)).toBeUndefined();
    expect(state.latest('discount', '<default>')).toBeUndefined();
    expectRejected(evaluate(h, { decisionKey: discount!.decisionKey }), 'NOT_FOUND', `Expected to evaluate decision with key '${discount!.decisionKey}', but no such decision was found`);
    expectRejected(evaluate(h, { decisionId: 'discount' }), 'NOT_FOUND', "Expected to evaluate decision 'discount', but no decision found for id 'discount'");
    await expectReplayable(h);
  });

  it('the previous version is the latest again; redeploying the deleted document makes a new version with new keys', async () => {
    const h = new EngineHarness();
    const v1 = await deployDrg(h, discountDmn());
    const v2 = await deployDrg(h, discountDmn({ extraRule: ALL_GOLD }));
    await h.deploy({ name: 'latest.bpmn', xml: ruleProcess('latest') });
    const v2Key = v2.decisionRequirementsMetadata![0]!.decisionRequirementsKey;
    expect(resultOf(h, h.createInstance('latest', { customer: 'silver', orderSize: 1 }))).toBe(0.5);

    h.deleteResource(v2Key);
    const state = h.partition().state.decisions;
    expect(state.latest('discount', '<default>')!.key).toBe(v1.decisionsMetadata![0]!.decisionKey);
    expect(state.latestRequirements('pricing', '<default>')!.key).toBe(v1.decisionRequirementsMetadata![0]!.decisionRequirementsKey);
    const pi = h.createInstance('latest', { customer: 'silver', orderSize: 1 });
    expect(resultOf(h, pi)).toBe(0);
    expect(h.events<DecisionEvaluationValue>('DECISION_EVALUATION', 'EVALUATED').at(-1)!.value).toMatchObject({ decisionVersion: 1, processInstanceKey: pi });
    const byId = evaluate(h, { decisionId: 'discount', variables: { customer: 'silver', orderSize: 1 } });
    expect(byId?.ok && (byId.value as DecisionEvaluationValue)).toMatchObject({ decisionVersion: 1, decisionOutput: '0' });

    // Zeebe numbers a DMN document's next version after the latest one left (unlike processes and forms).
    const again = await deployDrg(h, discountDmn({ extraRule: ALL_GOLD }));
    expect(again.decisionRequirementsMetadata![0]).toMatchObject({ decisionRequirementsVersion: 2, duplicate: false });
    expect(again.decisionRequirementsMetadata![0]!.decisionRequirementsKey).not.toBe(v2Key);
    expect(again.decisionsMetadata![0]).toMatchObject({ decisionId: 'discount', version: 2, duplicate: false });
    expect(state.latest('discount', '<default>')!.key).toBe(again.decisionsMetadata![0]!.decisionKey);
    await expectReplayable(h);
  });

  it('deleting the only version: latest and deployment bindings raise CALLED_DECISION_ERROR incidents', async () => {
    const h = new EngineHarness();
    const response = await h.deploy({ name: 'pricing.dmn', xml: discountDmn() }, { name: 'pinned.bpmn', xml: ruleProcess('pinned', 'deployment') }, { name: 'latest.bpmn', xml: ruleProcess('latest') });
    const deployed = (response as { key: bigint; value: DeploymentValue });
    h.deleteResource(deployed.value.decisionRequirementsMetadata![0]!.decisionRequirementsKey);
    h.createInstance('latest', { customer: 'gold', orderSize: 1 });
    h.createInstance('pinned', { customer: 'gold', orderSize: 1 });
    const incidents = h.events<IncidentValue>('INCIDENT', 'CREATED').map((r) => r.value);
    expect(incidents.map((i) => [i.bpmnProcessId, i.errorType])).toEqual([
      ['latest', 'CALLED_DECISION_ERROR'],
      ['pinned', 'CALLED_DECISION_ERROR'],
    ]);
    expect(incidents[0]!.errorMessage).toBe("Expected to evaluate decision 'discount', but no decision found for id 'discount'");
    expect(incidents[1]!.errorMessage).toContain(`Expected to evaluate decision with id 'discount' with binding type 'deployment', but no such decision found in the deployment with key ${deployed.key}`);
    expect(h.partition().state.decisions.deployments.size).toBe(0);
    await expectReplayable(h);
  });

  it("a decision's own key is not a resource (as in Zeebe); unknown and already deleted keys are not found", async () => {
    const h = new EngineHarness();
    const deployed = await deployDrg(h, discountDmn());
    const drgKey = deployed.decisionRequirementsMetadata![0]!.decisionRequirementsKey;
    const decisionKey = deployed.decisionsMetadata![0]!.decisionKey;
    expectRejected(h.deleteResource(decisionKey), 'NOT_FOUND', `Expected to delete resource but no resource found with key \`${decisionKey}\``);
    expectRejected(h.deleteResource(4242n), 'NOT_FOUND', 'no resource found with key `4242`');
    expect(h.events('DECISION', 'DELETED')).toHaveLength(0);
    expect(h.deleteResource(drgKey)?.ok).toBe(true);
    expectRejected(h.deleteResource(drgKey), 'NOT_FOUND', `no resource found with key \`${drgKey}\``);
    expect(h.events('RESOURCE_DELETION', 'DELETED')).toHaveLength(1);
    await expectReplayable(h);
  });

  it('is distributed to every partition and acknowledged; a re-send is only acknowledged again', async () => {
    const h = new EngineHarness(3);
    const deployed = await deployDrg(h, discountDmn());
    const drgKey = deployed.decisionRequirementsMetadata![0]!.decisionRequirementsKey;
    expect(h.deleteResource(drgKey)?.ok).toBe(true);
    const distributing = h.events<{ valueType: string; partitionId: number }>('COMMAND_DISTRIBUTION', 'DISTRIBUTING', 1).filter((r) => r.value.valueType === 'RESOURCE_DELETION');
    expect(distributing.map((r) => r.value.partitionId)).toEqual([2, 3]);
    expect(h.partition(1).state.distributions.size).toBe(0);
    for (const partitionId of [2, 3]) {
      expect(h.eventStream(partitionId, ['RESOURCE_DELETION', 'DECISION', 'DECISION_REQUIREMENTS']).slice(-5)).toEqual([
        'RESOURCE_DELETION:DELETING',
        'DECISION:DELETED',
        'DECISION:DELETED',
        'DECISION_REQUIREMENTS:DELETED',
        'RESOURCE_DELETION:DELETED',
      ]);
      expect(h.partition(partitionId).state.decisions.latest('discount', '<default>')).toBeUndefined();
    }
    const deletionKey = h.events('RESOURCE_DELETION', 'DELETED', 1)[0]!.key;
    h.autoDeliver = false;
    const before = h.records(2).length;
    h.process(2, { valueType: 'RESOURCE_DELETION', intent: 'DELETE', key: deletionKey, value: { resourceKey: drgKey, tenantId: '<default>' } });
    expect(h.records(2)).toHaveLength(before);
    expect(h.outbox.map((c) => `${c.partitionId}:${c.valueType}:${c.intent}`)).toEqual(['1:COMMAND_DISTRIBUTION:ACKNOWLEDGE']);
    h.deliver();
    await expectReplayable(h);
  });
});

describe('DeleteResource (forms)', () => {
  it('writes FORM DELETED; user tasks link the previous version again; versions are not handed out twice', async () => {
    const h = new EngineHarness();
    await h.deploy({ name: 'p.bpmn', xml: formProcess('p') }, { name: 'approve.form', xml: formJson('approve') });
    await h.deploy({ name: 'approve.form', xml: formJson('approve', { title: 'v2' }) });
    const [v1, v2] = h.events<FormValue>('FORM', 'CREATED');
    expect(h.deleteResource(v2!.key)?.ok).toBe(true);
    expect(h.eventStream(1, ['RESOURCE_DELETION', 'FORM']).slice(-3)).toEqual(['RESOURCE_DELETION:DELETING', 'FORM:DELETED', 'RESOURCE_DELETION:DELETED']);
    const [deleted] = h.events<FormValue>('FORM', 'DELETED');
    expect(deleted!.key).not.toBe(v2!.key);
    expect(deleted!.value).toMatchObject({ formId: 'approve', version: 2, formKey: v2!.key });
    expect(h.partition().state.forms.get(v2!.key)).toBeUndefined();

    h.createInstance('p');
    expect(h.events<UserTaskValue>('USER_TASK', 'CREATED')[0]!.value.formKey).toBe(v1!.key);

    // The deleted form's content again: a new version, 3, as Zeebe's form versions go on.
    const again = (await h.deploy({ name: 'approve.form', xml: formJson('approve', { title: 'v2' }) })) as { value: DeploymentValue };
    expect(again.value.formMetadata![0]).toMatchObject({ version: 3, duplicate: false });

    // The only versions gone: the next task is a FORM_NOT_FOUND incident.
    h.deleteResource(v1!.key);
    h.deleteResource(again.value.formMetadata![0]!.formKey);
    const pi = h.createInstance('p');
    const [incident] = h.events<IncidentValue>('INCIDENT', 'CREATED');
    expect(incident!.value).toMatchObject({ errorType: 'FORM_NOT_FOUND', processInstanceKey: pi });
    expectRejected(h.deleteResource(v1!.key), 'NOT_FOUND', `no resource found with key \`${v1!.key}\``);
    await expectReplayable(h);
  });

  it('reaches every partition', async () => {
    const h = new EngineHarness(2);
    await h.deploy({ name: 'approve.form', xml: formJson('approve') });
    const [form] = h.events<FormValue>('FORM', 'CREATED');
    h.deleteResource(form!.key);
    expect(h.eventStream(2, ['RESOURCE_DELETION', 'FORM']).slice(-3)).toEqual(['RESOURCE_DELETION:DELETING', 'FORM:DELETED', 'RESOURCE_DELETION:DELETED']);
    expect(h.partition(2).state.forms.latest('approve', '<default>')).toBeUndefined();
    expect(h.partition(1).state.distributions.size).toBe(0);
    await expectReplayable(h);
  });
});
