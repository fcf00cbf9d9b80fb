import { describe, expect, it } from 'vitest';
import type { DecisionRequirementsValue, DecisionValue, DeploymentValue } from '../../src/engine/records.js';
import { dmnDefinitions, discountDmn } from '../fixtures/dmn-builder.js';
import { EngineHarness, expectRejected, expectReplayable } from '../support/engine-harness.js';

const changedRule = '<rule id="vip"><inputEntry><text>"vip"</text></inputEntry><inputEntry><text>-</text></inputEntry><outputEntry><text>0.5</text></outputEntry></rule>';

describe('deploying decisions', () => {
  it('a .dmn resource is DECISION_REQUIREMENTS and DECISION CREATED records; an identical redeploy keeps versions', async () => {
    const h = new EngineHarness();
    const first = await h.deploy({ name: 'pricing.dmn', xml: discountDmn() });
    if (!first.ok) expect.fail(first.reason);
    const deployed = first.value as DeploymentValue;
    const [drg] = h.events<DecisionRequirementsValue>('DECISION_REQUIREMENTS', 'CREATED');
    expect(drg!.value).toMatchObject({
      decisionRequirementsId: 'pricing',
      decisionRequirementsName: 'Pricing',
      decisionRequirementsVersion: 1,
      decisionRequirementsKey: drg!.key,
      resourceName: 'pricing.dmn',
      resource: discountDmn(),
      deploymentKey: first.key,
      tenantId: '<default>',
    });
    const decisions = h.events<DecisionValue>('DECISION', 'CREATED');
    expect(decisions.map((d) => [d.value.decisionId, d.value.decisionName, d.value.version])).toEqual([
      ['discount', 'Discount', 1],
      ['message', 'Message', 1],
    ]);
    expect(decisions[0]!.value).toMatchObject({ decisionKey: decisions[0]!.key, decisionRequirementsKey: drg!.key, decisionRequirementsId: 'pricing' });
    expect(deployed.decisionRequirementsMetadata).toEqual([expect.objectContaining({ decisionRequirementsId: 'pricing', decisionRequirementsVersion: 1, duplicate: false, checksum: drg!.value.checksum })]);
    expect(deployed.decisionsMetadata!.map((d) => [d.decisionId, d.duplicate])).toEqual([
      ['discount', false],
      ['message', false],
    ]);

    const again = (await h.deploy({ name: 'pricing.dmn', xml: discountDmn() })) as { value: DeploymentValue };
    expect(again.value.decisionRequirementsMetadata![0]).toMatchObject({ decisionRequirementsVersion: 1, decisionRequirementsKey: drg!.key, duplicate: true });
    expect(again.value.decisionsMetadata!.map((d) => [d.decisionId, d.version, d.decisionKey, d.duplicate])).toEqual([
      ['discount', 1, decisions[0]!.key, true],
      ['message', 1, decisions[1]!.key, true],
    ]);
    expect(h.events('DECISION', 'CREATED')).toHaveLength(2);

    const changed = (await h.deploy({ name: 'pricing.dmn', xml: discountDmn({ extraRule: changedRule }) })) as { value: DeploymentValue };
    expect(changed.value.decisionRequirementsMetadata![0]).toMatchObject({ decisionRequirementsVersion: 2, duplicate: false });
    expect(changed.value.decisionsMetadata!.map((d) => [d.decisionId, d.version])).toEqual([
      ['discount', 2],
      ['message', 2],
    ]);
    expect(h.partition(1).state.decisions.latest('discount', '<default>')!.value.version).toBe(2);
    await expectReplayable(h);
  });

  it('is deployed beside BPMN atomically and distributed to every partition under the same keys', async () => {
    const h = new EngineHarness(3);
    const response = await h.deploy({ name: 'pricing.dmn', xml: discountDmn() });
    expect(response.ok).toBe(true);
    const keys = (p: number) => h.records(p).filter((r) => r.recordType === 'EVENT' && r.valueType === 'DECISION').map((r) => r.key);
    expect(keys(1)).toHaveLength(2);
    expect(keys(2)).toEqual(keys(1));
    expect(keys(3)).toEqual(keys(1));
    expect(h.partition(3).state.decisions.latestRequirements('pricing', '<default>')!.value.resource).toBe(discountDmn());
    await expectReplayable(h);
  });

  it('a model that does not compile refuses the whole deployment, naming the resource and why', async () => {
    const h = new EngineHarness();
    const cycle = dmnDefinitions(
      'cyclic',
      `<decision id="a" name="a"><informationRequirement><requiredDecision href="#b"/></informationRequirement><literalExpression><text>b</text></literalExpression></decision>
       <decision id="b" name="b"><informationRequirement><requiredDecision href="#a"/></informationRequirement><literalExpression><text>a</text></literalExpression></decision>`,
    );
    expectRejected(await h.deploy({ name: 'ok.dmn', xml: discountDmn() }, { name: 'cyclic.dmn', xml: cycle }), 'INVALID_ARGUMENT', "'cyclic.dmn':", 'cycle', 'a -> b -> a');
    const badFeel = dmnDefinitions('bad', `<decision id="broken" name="Broken"><literalExpression><text>1 +* 2</text></literalExpression></decision>`);
    expectRejected(await h.deploy({ name: 'bad.dmn', xml: badFeel }), 'INVALID_ARGUMENT', "'bad.dmn':", "decision 'Broken' (broken)");
    expectRejected(await h.deploy({ name: 'garbage.dmn', xml: '<nope' }), 'INVALID_ARGUMENT', "'garbage.dmn':");
    const twice = await h.deploy({ name: 'a.dmn', xml: discountDmn({ id: 'one' }) }, { name: 'b.dmn', xml: discountDmn({ id: 'two' }) });
    expectRejected(twice, 'INVALID_ARGUMENT', "duplicated id 'discount' in the resources 'a.dmn' and 'b.dmn'");
    expect(h.events('DECISION_REQUIREMENTS', 'CREATED')).toHaveLength(0);
    expect(h.events('DECISION', 'CREATED')).toHaveLength(0);
    await expectReplayable(h);
  });
});
