import { describe, expect, it } from 'vitest';
import type { CommandDistributionValue, DeploymentValue, ProcessMetadataValue, ProcessValue } from '../../src/engine/records.js';
import { compileBpmn } from '../../src/model/index.js';
import type { CompileResult } from '../../src/model/types.js';
import { chain, definitions, end, model, oneTask, serviceTask, start } from '../fixtures/bpmn-builder.js';
import { EngineHarness, expectRejected, expectReplayable } from '../support/engine-harness.js';

function metadata(response: Awaited<ReturnType<EngineHarness['deploy']>>): ProcessMetadataValue[] {
  if (!response.ok) throw new Error(`deployment rejected: ${response.reason}`);
  return (response.value as DeploymentValue).processesMetadata;
}

describe('deployment', () => {
  it('creates version 1 with PROCESS and DEPLOYMENT records carrying the resource', async () => {
    const h = new EngineHarness();
    const xml = oneTask('p', 'work');
    const response = await h.deploy({ name: 'order.bpmn', xml });
    const [meta] = metadata(response);
    expect(meta).toMatchObject({ bpmnProcessId: 'p', version: 1, resourceName: 'order.bpmn', duplicate: false });
    expect(h.eventStream()).toEqual(['PROCESS:CREATED', 'DEPLOYMENT:CREATED']);
    const [process] = h.events<ProcessValue>('PROCESS', 'CREATED');
    const [deployment] = h.events<DeploymentValue>('DEPLOYMENT', 'CREATED');
    expect(process!.key).toBe(meta!.processDefinitionKey);
    expect(process!.value).toMatchObject({ bpmnProcessId: 'p', version: 1, resourceName: 'order.bpmn', resource: xml, deploymentKey: deployment!.key });
    expect(process!.value.checksum).toMatch(/^[0-9a-f]{64}$/);
    expect((response as { key: bigint }).key).toBe(deployment!.key);
    await expectReplayable(h);
  });

  it('keeps version and key for an identical redeployment (duplicate), with a new deployment', async () => {
    const h = new EngineHarness();
    const first = metadata(await h.deploy({ name: 'a.bpmn', xml: oneTask('p', 'work') }))[0]!;
    const second = await h.deploy({ name: 'a.bpmn', xml: oneTask('p', 'work') });
    const again = metadata(second)[0]!;
    expect(again).toMatchObject({ processDefinitionKey: first.processDefinitionKey, version: 1, duplicate: true, checksum: first.checksum });
    expect(h.events('PROCESS', 'CREATED')).toHaveLength(1);
    const deployments = h.events('DEPLOYMENT', 'CREATED');
    expect(deployments).toHaveLength(2);
    expect(deployments[1]!.key).not.toBe(deployments[0]!.key);
    await expectReplayable(h);
  });

  it('creates a new version for changed content, and for old content deployed again after a change', async () => {
    const h = new EngineHarness();
    const v1 = metadata(await h.deploy({ name: 'a.bpmn', xml: oneTask('p', 'one') }))[0]!;
    const v2 = metadata(await h.deploy({ name: 'a.bpmn', xml: oneTask('p', 'two') }))[0]!;
    const v3 = metadata(await h.deploy({ name: 'a.bpmn', xml: oneTask('p', 'one') }))[0]!;
    expect([v1.version, v2.version, v3.version]).toEqual([1, 2, 3]);
    expect(new Set([v1.processDefinitionKey, v2.processDefinitionKey, v3.processDefinitionKey]).size).toBe(3);
    expect(v3.duplicate).toBe(false);
    // The same content under another resource name is a new version too (as Zeebe).
    const v4 = metadata(await h.deploy({ name: 'b.bpmn', xml: oneTask('p', 'one') }))[0]!;
    expect(v4).toMatchObject({ version: 4, duplicate: false });
    // Instances of each version run their own model.
    h.createInstanceRaw({ bpmnProcessId: 'p', version: 2 });
    h.createInstanceRaw({ bpmnProcessId: 'p' });
    expect(h.events<{ type: string }>('JOB', 'CREATED').map((r) => r.value.type)).toEqual(['two', 'one']);
    await expectReplayable(h);
  });

  it('lets running instances finish on the version they started with', async () => {
    const h = new EngineHarness();
    await h.deploy({ name: 'a.bpmn', xml: oneTask('p', 'old') });
    const old = h.createInstance('p');
    await h.deploy({
      name: 'a.bpmn',
      xml: model('p', start(), serviceTask('task', 'old'), serviceTask('extra', 'new'), end(), ...chain('start', 'task', 'extra', 'end')),
    });
    const fresh = h.createInstance('p');
    h.completeJob(h.jobKeyOf('task', old));
    h.completeJob(h.jobKeyOf('task', fresh));
    expect(h.isActive(old)).toBe(false);
    expect(h.isActive(fresh)).toBe(true);
    expect(h.elementStreamOf(fresh).at(-1)).toBe('extra:ELEMENT_ACTIVATED');
    await expectReplayable(h);
  });

  it('versions processes independently of each other', async () => {
    const h = new EngineHarness();
    await h.deploy({ name: 'p.bpmn', xml: oneTask('p', 'x') });
    await h.deploy({ name: 'p.bpmn', xml: oneTask('p', 'y') });
    const q = metadata(await h.deploy({ name: 'q.bpmn', xml: oneTask('q', 'x') }))[0]!;
    expect(q.version).toBe(1);
    await expectReplayable(h);
  });

  it('deploys several resources, and several processes of one resource, in one deployment', async () => {
    const h = new EngineHarness();
    const twoProcesses = definitions([
      ['a', [start('sa'), end('ea'), ...chain('sa', 'ea')]],
      ['b', [start('sb'), serviceTask('tb', 'b'), end('eb'), ...chain('sb', 'tb', 'eb')]],
    ]);
    const response = await h.deploy({ name: 'ab.bpmn', xml: twoProcesses }, { name: 'c.bpmn', xml: oneTask('c', 'c') });
    expect(metadata(response).map((m) => [m.bpmnProcessId, m.resourceName, m.version])).toEqual([
      ['a', 'ab.bpmn', 1],
      ['b', 'ab.bpmn', 1],
      ['c', 'c.bpmn', 1],
    ]);
    expect(h.eventStream()).toEqual(['PROCESS:CREATED', 'PROCESS:CREATED', 'PROCESS:CREATED', 'DEPLOYMENT:CREATED']);
    expect(h.isActive(h.createInstance('a'))).toBe(false);
    expect(h.isActive(h.createInstance('b'))).toBe(true);
    await expectReplayable(h);
  });

  it('rejects the whole deployment when one resource is invalid, naming the resource and element', async () => {
    const h = new EngineHarness();
    const broken = model('bad', start(), '<bpmn:serviceTask id="noType"/>', end(), ...chain('start', 'noType', 'end'));
    const response = await h.deploy({ name: 'good.bpmn', xml: oneTask('good', 'work') }, { name: 'bad.bpmn', xml: broken });
    expectRejected(response, 'INVALID_ARGUMENT', "'bad.bpmn'", "'noType'");
    expect(response.ok ? '' : response.reason).not.toContain("'good.bpmn'");
    expect(h.events('PROCESS', 'CREATED')).toHaveLength(0);
    expect(h.events('DEPLOYMENT', 'CREATED')).toHaveLength(0);
    expect(h.rejectionsOf('DEPLOYMENT', 'CREATE')).toHaveLength(1);
    expectRejected(h.createInstanceRaw({ bpmnProcessId: 'good' }), 'NOT_FOUND');
    await expectReplayable(h);
  });

  it('rejects a deployment whose resources define the same process id twice', async () => {
    const h = new EngineHarness();
    const response = await h.deploy({ name: 'one.bpmn', xml: oneTask('p', 'a') }, { name: 'two.bpmn', xml: oneTask('p', 'b') });
    expectRejected(response, 'INVALID_ARGUMENT', "'one.bpmn'", "'two.bpmn'");
    expect(h.events('PROCESS', 'CREATED')).toHaveLength(0);
    await expectReplayable(h);
  });

  it('rejects XML that is not BPMN', async () => {
    const h = new EngineHarness();
    const response = await h.deploy({ name: 'junk.bpmn', xml: '<not-bpmn/>' });
    expectRejected(response, 'INVALID_ARGUMENT', "'junk.bpmn'");
    await expectReplayable(h);
  });
});

describe('deployment distribution (3 partitions)', () => {
  it('distributes the definitions with the same keys and versions to every partition', async () => {
    const h = new EngineHarness(3);
    const [meta] = metadata(await h.deploy({ name: 'p.bpmn', xml: oneTask('p', 'work') }));
    const deploymentKey = h.events('DEPLOYMENT', 'CREATED', 1)[0]!.key;
    expect(h.eventStream(1)).toEqual([
      'PROCESS:CREATED',
      'DEPLOYMENT:CREATED',
      'COMMAND_DISTRIBUTION:DISTRIBUTING',
      'COMMAND_DISTRIBUTION:DISTRIBUTING',
      'COMMAND_DISTRIBUTION:ACKNOWLEDGED',
      'COMMAND_DISTRIBUTION:ACKNOWLEDGED',
    ]);
    const distributing = h.events<CommandDistributionValue>('COMMAND_DISTRIBUTION', 'DISTRIBUTING', 1);
    expect(distributing.map((r) => [r.key, r.value.partitionId, r.value.valueType])).toEqual([
      [deploymentKey, 2, 'DEPLOYMENT'],
      [deploymentKey, 3, 'DEPLOYMENT'],
    ]);
    for (const partition of [2, 3]) {
      expect(h.eventStream(partition)).toEqual(['PROCESS:CREATED', 'DEPLOYMENT:CREATED']);
      const [process] = h.events<ProcessValue>('PROCESS', 'CREATED', partition);
      expect(process!.key).toBe(meta!.processDefinitionKey);
      expect(process!.value).toMatchObject({ version: 1, deploymentKey, checksum: meta!.checksum });
      expect(h.events('DEPLOYMENT', 'CREATED', partition)[0]!.key).toBe(deploymentKey);
    }
    expect(h.partition(1).state.distributions.size).toBe(0);
    // Every partition can start instances of it.
    for (const partition of [1, 2, 3]) {
      const pi = h.createInstance('p', {}, partition);
      expect(Number(pi >> 51n)).toBe(partition);
    }
    expect(h.activateJobs('work', 10, 2).jobKeys).toHaveLength(1);
    await expectReplayable(h);
  });

  it('keeps versions in step on all partitions across redeployments and duplicates', async () => {
    const h = new EngineHarness(3);
    await h.deploy({ name: 'p.bpmn', xml: oneTask('p', 'one') });
    await h.deploy({ name: 'p.bpmn', xml: oneTask('p', 'one') }); // duplicate: nothing new to distribute
    await h.deploy({ name: 'p.bpmn', xml: oneTask('p', 'two') });
    for (const partition of [1, 2, 3]) {
      expect(h.events<ProcessValue>('PROCESS', 'CREATED', partition).map((r) => r.value.version)).toEqual([1, 2]);
      expect(h.partition(partition).state.processes.latest('p', '<default>')!.value.version).toBe(2);
    }
    // The duplicate was still distributed and acknowledged, but left no trace on the receivers.
    expect(h.events('COMMAND_DISTRIBUTION', 'ACKNOWLEDGED', 1)).toHaveLength(6);
    expect(h.events('DEPLOYMENT', 'CREATED', 2)).toHaveLength(2);
    await expectReplayable(h);
  });

  it('re-sends a distribution whose acknowledgement got lost; the receiver applies it once', async () => {
    const h = new EngineHarness(3);
    h.autoDeliver = false;
    await h.deploy({ name: 'p.bpmn', xml: oneTask('p', 'work') });
    const acks = h.outbox.splice(0);
    expect(acks.map((c) => `${c.valueType}:${c.intent}->${c.partitionId}`)).toEqual([
      'COMMAND_DISTRIBUTION:ACKNOWLEDGE->1',
      'COMMAND_DISTRIBUTION:ACKNOWLEDGE->1',
    ]);
    expect(h.partition(1).state.distributions.size).toBe(2);

    h.resendUnanswered();
    await h.deliverAsync();
    for (const partition of [2, 3]) expect(h.events('PROCESS', 'CREATED', partition)).toHaveLength(1);
    expect(h.events('COMMAND_DISTRIBUTION', 'ACKNOWLEDGED', 1)).toHaveLength(2);
    expect(h.partition(1).state.distributions.size).toBe(0);
    // A late duplicate acknowledgement changes nothing.
    const before = h.records(1).length;
    h.outbox.push(acks[0]!);
    await h.deliverAsync();
    expect(h.records(1).length).toBe(before);
    await expectReplayable(h);
  });

  it('delivers a lost distribution when it is re-sent', async () => {
    const h = new EngineHarness(3);
    h.autoDeliver = false;
    const xml = oneTask('p', 'work');
    const compiled = new Map<string, CompileResult>([['p.bpmn', await compileBpmn('p.bpmn', xml)]]);
    h.process(1, {
      valueType: 'DEPLOYMENT',
      intent: 'CREATE',
      key: -1n,
      value: { resources: [{ resourceName: 'p.bpmn', resource: xml }], processesMetadata: [], tenantId: '<default>' },
      attachment: { compiled },
    });
    const lost = h.outbox.findIndex((c) => c.partitionId === 3);
    h.outbox.splice(lost, 1);
    await h.deliverAsync();
    expect(h.events('PROCESS', 'CREATED', 2)).toHaveLength(1);
    expect(h.events('PROCESS', 'CREATED', 3)).toHaveLength(0);
    expect(h.partition(1).state.distributions.size).toBe(1);

    h.resendUnanswered();
    await h.deliverAsync();
    expect(h.events('PROCESS', 'CREATED', 2)).toHaveLength(1);
    expect(h.events('PROCESS', 'CREATED', 3)).toHaveLength(1);
    expect(h.partition(1).state.distributions.size).toBe(0);
    await expectReplayable(h);
  });
});
