import { describe, expect, it } from 'vitest';
import type {
  DecisionEvaluationValue,
  DeploymentValue,
  JobBatchValue,
  MessageStartEventSubscriptionValue,
  ProcessInstanceValue,
  TimerValue,
  UserTaskValue,
} from '../../src/engine/records.js';
import {
  callActivity,
  camundaUserTask,
  chain,
  decisionTask,
  end,
  formJson,
  message,
  messageCatch,
  messageStart,
  model,
  oneTask,
  serviceTask,
  signal,
  signalEvent,
  start,
  timerStart,
} from '../fixtures/bpmn-builder.js';
import { discountDmn } from '../fixtures/dmn-builder.js';
import type { CommandResponse } from '../../src/engine/processing/types.js';
import { subscriptionPartition } from '../../src/engine/behaviors/subscription-partition.js';
import { EngineHarness, expectRejected, expectReplayable, partitionOf } from '../support/engine-harness.js';

const A = 'tenant-a';
const B = 'tenant-b';
const DEFAULT = '<default>';
const HOUR = 3_600_000;

function tenants(partitions = 1): EngineHarness {
  return new EngineHarness(partitions, { multiTenancy: true });
}

function deployed(response: CommandResponse): DeploymentValue {
  if (!response.ok) throw new Error(`deploy failed: ${response.reason}`);
  return response.value as DeploymentValue;
}

function rootOf(h: EngineHarness, processInstanceKey: bigint): ProcessInstanceValue {
  return h.events<ProcessInstanceValue>('PROCESS_INSTANCE', 'ELEMENT_ACTIVATING').find((r) => r.key === processInstanceKey)!.value;
}

/** Roots of the instances of a process id, oldest first. */
function instancesOf(h: EngineHarness, bpmnProcessId: string): Array<{ key: bigint; value: ProcessInstanceValue }> {
  return h.events<ProcessInstanceValue>('PROCESS_INSTANCE', 'ELEMENT_ACTIVATING').filter((r) => r.value.bpmnElementType === 'PROCESS' && r.value.bpmnProcessId === bpmnProcessId);
}

/** The tenants named by every event about one process instance. */
function tenantsOfInstance(h: EngineHarness, processInstanceKey: bigint): Set<unknown> {
  return new Set(
    h
      .records()
      .filter((r) => r.recordType === 'EVENT' && (r.value as { processInstanceKey?: bigint }).processInstanceKey === processInstanceKey)
      .map((r) => (r.value as { tenantId?: string }).tenantId),
  );
}

const catchModel = () => model('p', start(), messageCatch('wait', 'msg'), end(), message('msg', 'paid', '=orderId'), ...chain('start', 'wait', 'end'));

describe('multi-tenancy: definitions', () => {
  it('two tenants deploy the same process id and each gets version 1; instances by id, version and key stay in their tenant', async () => {
    const h = tenants();
    const xml = oneTask('order', 'pack');
    const a = deployed(await h.as(A, () => h.deploy({ name: 'order.bpmn', xml })));
    const b = deployed(await h.as(B, () => h.deploy({ name: 'order.bpmn', xml })));
    expect(a.tenantId).toBe(A);
    expect(a.processesMetadata[0]).toMatchObject({ bpmnProcessId: 'order', version: 1, duplicate: false, tenantId: A });
    // Not a duplicate of A's: B's own definition, version 1.
    expect(b.processesMetadata[0]).toMatchObject({ bpmnProcessId: 'order', version: 1, duplicate: false, tenantId: B });
    const keyB = b.processesMetadata[0]!.processDefinitionKey;
    expect(keyB).not.toBe(a.processesMetadata[0]!.processDefinitionKey);
    // Unchanged again in A: a duplicate of A's; changed: A's version 2, B stays at 1.
    expect(deployed(await h.as(A, () => h.deploy({ name: 'order.bpmn', xml }))).processesMetadata[0]).toMatchObject({ version: 1, duplicate: true, tenantId: A });
    const a2 = deployed(await h.as(A, () => h.deploy({ name: 'order.bpmn', xml: oneTask('order', 'pack-v2') }))).processesMetadata[0]!;
    expect(a2).toMatchObject({ version: 2, tenantId: A });
    expect(h.partition().state.processes.latest('order', B)!.value.version).toBe(1);

    const pa = await h.as(A, () => h.createInstance('order', { size: 1 }));
    const pb = await h.as(B, () => h.createInstance('order', { size: 2 }));
    expect(rootOf(h, pa)).toMatchObject({ processDefinitionKey: a2.processDefinitionKey, version: 2, tenantId: A });
    expect(rootOf(h, pb)).toMatchObject({ processDefinitionKey: keyB, version: 1, tenantId: B });
    // Every record of an instance carries its tenant: elements, variables, jobs, creation.
    expect(tenantsOfInstance(h, pb)).toEqual(new Set([B]));
    expect(h.events('VARIABLE', 'CREATED').filter((r) => (r.value as { processInstanceKey: bigint }).processInstanceKey === pb)).toHaveLength(1);
    expect(h.events<{ tenantId: string }>('JOB', 'CREATED').map((r) => r.value.tenantId)).toEqual([A, B]);

    // Another tenant's definition is not found, by key or by version; the default tenant has none.
    expectRejected(await h.as(A, () => h.createInstanceRaw({ processDefinitionKey: keyB })), 'NOT_FOUND', `key '${keyB}'`);
    expectRejected(await h.as(B, () => h.createInstanceRaw({ bpmnProcessId: 'order', version: 2 })), 'NOT_FOUND', "version '2'");
    expectRejected(h.createInstanceRaw({ bpmnProcessId: 'order' }), 'NOT_FOUND', "process ID 'order'");
    await expectReplayable(h);
  });

  it('versions deleted in one tenant are not handed out again there, and do not count in another; the default tenant keeps its stored keys', async () => {
    const h = tenants(2);
    const v1 = oneTask('order', 'pack');
    const v2 = oneTask('order', 'pack-v2');
    for (const tenant of [A, DEFAULT]) await h.as(tenant, () => h.deploy({ name: 'order.bpmn', xml: v1 }));
    const a2 = deployed(await h.as(A, () => h.deploy({ name: 'order.bpmn', xml: v2 }))).processesMetadata[0]!;
    const d1 = h.partition().state.processes.latest('order', DEFAULT)!;
    expect((await h.as(A, () => h.deleteResource(a2.processDefinitionKey)))?.ok).toBe(true);
    expect(h.deleteResource(d1.key)?.ok).toBe(true);
    expect(h.partition(2).state.processes.latest('order', A)!.value.version).toBe(1);

    expect(deployed(await h.as(A, () => h.deploy({ name: 'order.bpmn', xml: v2 }))).processesMetadata[0]).toMatchObject({ version: 3, tenantId: A });
    expect(deployed(await h.as(B, () => h.deploy({ name: 'order.bpmn', xml: v2 }))).processesMetadata[0]).toMatchObject({ version: 1, tenantId: B });
    expect(deployed(await h.deploy({ name: 'order.bpmn', xml: v2 })).processesMetadata[0]).toMatchObject({ version: 2, tenantId: DEFAULT });
    // Data directories written before tenants (all the default tenant's) load unchanged.
    const meta = h.partition(2).state.meta;
    expect(meta.get('deletedVersion:order')).toBe(1);
    expect(meta.get(`${A}/deletedVersion:order`)).toBe(2);
    await expectReplayable(h);
  });

  it('a new version replaces the start timers of its own tenant only', async () => {
    const h = tenants();
    const ticking = (type: string) => model('tick', timerStart('t', 'cycle', 'R/PT1H'), serviceTask('work', type), end(), ...chain('t', 'work', 'end'));
    for (const tenant of [A, B]) await h.as(tenant, () => h.deploy({ name: 'tick.bpmn', xml: ticking('v1') }));
    await h.as(B, () => h.deploy({ name: 'tick.bpmn', xml: ticking('v2') }));
    const timers = [...h.partition().state.timers.table.values()].map((t) => (t as { value: TimerValue }).value);
    expect(timers.map((t) => t.tenantId).sort()).toEqual([A, B]);
    expect(h.events<TimerValue>('TIMER', 'CANCELED').map((r) => r.value.tenantId)).toEqual([B]);
    h.advanceTime(HOUR);
    expect(h.events<{ type: string; tenantId: string }>('JOB', 'CREATED').map((r) => `${r.value.tenantId}:${r.value.type}`).sort()).toEqual([`${A}:v1`, `${B}:v2`]);
    await expectReplayable(h);
  });

  it('an instance is not migrated to another tenant’s definition', async () => {
    const h = tenants();
    await h.as(A, () => h.deployProcess(oneTask('order', 'pack')));
    const target = await h.as(B, () => h.deployProcess(oneTask('order', 'pack')));
    const pa = await h.as(A, () => h.createInstance('order'));
    expectRejected(h.migrateInstance(pa, target, [['task', 'task']]), 'NOT_FOUND', `key '${target}'`);
    await expectReplayable(h);
  });
});

describe('multi-tenancy: messages and signals', () => {
  it('a message correlates only to subscriptions of its tenant, buffered or not; message ids are per tenant', async () => {
    const h = tenants(2);
    // Published where the correlation key's subscriptions live, as the gateway routes it.
    const publish = (correlationKey: string, variables = {}, ttl = 0, messageId = '') =>
      h.publishMessage('paid', correlationKey, variables, ttl, messageId, subscriptionPartition(correlationKey, 2));
    for (const tenant of [A, B]) await h.as(tenant, () => h.deployProcess(catchModel()));
    const pa = await h.as(A, () => h.createInstance('p', { orderId: 'o-1' }));
    const pb = await h.as(B, () => h.createInstance('p', { orderId: 'o-1' }, 2));
    expect(h.events<{ tenantId: string }>('MESSAGE_SUBSCRIPTION', 'CREATED').map((r) => r.value.tenantId).sort()).toEqual([A, B]);

    expect((await h.as(A, () => publish('o-1', { by: 'A' })))?.ok).toBe(true);
    expect(h.isActive(pa)).toBe(false);
    expect(h.isActive(pb)).toBe(true);
    expect(h.variablesOf(pb)).toEqual({ orderId: 'o-1' });

    // Buffered in A: B's new subscription does not get it, A's does.
    await h.as(A, () => publish('o-2', { by: 'A' }, HOUR));
    const pb2 = await h.as(B, () => h.createInstance('p', { orderId: 'o-2' }));
    expect(h.isActive(pb2)).toBe(true);
    const pa2 = await h.as(A, () => h.createInstance('p', { orderId: 'o-2' }, 2));
    expect(h.isActive(pa2)).toBe(false);

    // A correlation request in A finds nothing, though B waits for the same name and key.
    const { response } = await h.as(A, () => h.correlateMessage('paid', 'o-1', {}, subscriptionPartition('o-1', 2)));
    expectRejected(response, 'NOT_FOUND');
    expect(h.isActive(pb)).toBe(true);

    expect((await h.as(A, () => publish('o-9', {}, HOUR, 'id-1')))?.ok).toBe(true);
    expect((await h.as(B, () => publish('o-9', {}, HOUR, 'id-1')))?.ok).toBe(true);
    expectRejected(await h.as(A, () => publish('o-9', {}, HOUR, 'id-1')), 'ALREADY_EXISTS');

    await h.as(B, () => publish('o-1', { by: 'B' }));
    expect(h.isActive(pb)).toBe(false);
    await expectReplayable(h);
  });

  it('a message starts instances only of its tenant’s processes, and a correlation key locks per tenant', async () => {
    const h = tenants();
    const starter = model('starter', messageStart('s', 'm'), serviceTask('handle', 'handle'), end(), message('m', 'go', '=orderId'), ...chain('s', 'handle', 'end'));
    const keys = new Map<string, bigint>();
    for (const tenant of [A, B]) keys.set(tenant, await h.as(tenant, () => h.deployProcess(starter)));
    await h.as(A, () => h.publishMessage('go', 'o-1'));
    await h.as(A, () => h.publishMessage('go', 'o-1')); // locked: A's instance with o-1 still runs
    const [correlated] = h.events<MessageStartEventSubscriptionValue>('MESSAGE_START_EVENT_SUBSCRIPTION', 'CORRELATED');
    expect(h.events('MESSAGE_START_EVENT_SUBSCRIPTION', 'CORRELATED')).toHaveLength(1);
    expect(correlated!.value).toMatchObject({ processDefinitionKey: keys.get(A), tenantId: A });
    // B's lock on the same key is its own.
    await h.as(B, () => h.publishMessage('go', 'o-1'));
    expect(instancesOf(h, 'starter').map((r) => `${r.value.tenantId}:${r.value.processDefinitionKey === keys.get(r.value.tenantId)}`)).toEqual([`${A}:true`, `${B}:true`]);
    await expectReplayable(h);
  });

  it('a signal reaches only its tenant’s waiting instances and signal start events, on every partition', async () => {
    const h = tenants(3);
    const wait = model('wait', signal('s', 'go'), start(), signalEvent('catch', 'catch', 's'), end(), ...chain('start', 'catch', 'end'));
    const starter = model('starter', signal('s', 'go'), signalEvent('started', 'start', 's'), serviceTask('work', 'work'), end(), ...chain('started', 'work', 'end'));
    for (const tenant of [A, B]) await h.as(tenant, () => h.deploy({ name: 'wait.bpmn', xml: wait }, { name: 'starter.bpmn', xml: starter }));
    const waitingA = await h.as(A, () => [1, 2, 3].map((p) => h.createInstance('wait', {}, p)));
    const waitingB = await h.as(B, () => [1, 2, 3].map((p) => h.createInstance('wait', {}, p)));
    expect(waitingB.map(partitionOf)).toEqual([1, 2, 3]);

    expect((await h.as(A, () => h.broadcastSignal('go', { from: 'A' }, 2)))?.ok).toBe(true);
    for (const pi of waitingA) expect(h.isActive(pi), `A's ${pi}`).toBe(false);
    for (const pi of waitingB) expect(h.isActive(pi), `B's ${pi}`).toBe(true);
    expect([1, 2, 3].flatMap((p) => h.events<{ tenantId: string }>('SIGNAL', 'BROADCASTED', p).map((r) => r.value.tenantId))).toEqual([A, A, A]);
    expect(instancesOf(h, 'starter').map((r) => r.value.tenantId)).toEqual([A]);

    await h.as(B, () => h.broadcastSignal('go', {}, 1));
    for (const pi of waitingB) expect(h.isActive(pi)).toBe(false);
    expect(instancesOf(h, 'starter').map((r) => r.value.tenantId).sort()).toEqual([A, B]);
    await expectReplayable(h);
  });

  it('a signal thrown in an instance broadcasts in the instance’s tenant', async () => {
    const h = tenants();
    const wait = model('wait', signal('s', 'go'), start(), signalEvent('catch', 'catch', 's'), end(), ...chain('start', 'catch', 'end'));
    const thrower = model('thrower', signal('s', 'go'), start(), signalEvent('shout', 'throw', 's'), end(), ...chain('start', 'shout', 'end'));
    for (const tenant of [A, B]) await h.as(tenant, () => h.deployProcess(wait));
    await h.as(B, () => h.deployProcess(thrower));
    const pa = await h.as(A, () => h.createInstance('wait'));
    const pb = await h.as(B, () => h.createInstance('wait'));
    await h.as(B, () => h.createInstance('thrower'));
    expect(h.isActive(pb)).toBe(false);
    expect(h.isActive(pa)).toBe(true);
    await expectReplayable(h);
  });
});

describe('multi-tenancy: jobs, call activities, decisions and forms', () => {
  it('job activation hands out only jobs of the tenants asked for', async () => {
    const h = tenants();
    for (const tenant of [A, B, DEFAULT]) {
      await h.as(tenant, () => h.deployProcess(oneTask('order', 'pack')));
      await h.as(tenant, () => h.createInstance('order'));
    }
    const forA = h.activateJobsFor([A], 'pack');
    expect(forA.jobs.map((j) => j.tenantId)).toEqual([A]);
    expect(h.activateJobsFor([A], 'pack').jobs).toEqual([]);
    expect(h.partition().state.jobs.hasActivatable('pack', [A])).toBe(false);
    expect(h.partition().state.jobs.hasActivatable('pack', [B])).toBe(true);
    const rest = h.activateJobsFor([B, DEFAULT], 'pack');
    expect(rest.jobs.map((j) => j.tenantId).sort()).toEqual([DEFAULT, B].sort());
    expect(h.events<JobBatchValue>('JOB_BATCH', 'ACTIVATED').map((r) => r.value.tenantIds)).toEqual([[A], [B, DEFAULT]]);
    // A failed job of A is activatable again for A only.
    h.failJob(forA.jobKeys[0]!, 2);
    expect(h.activateJobsFor([B], 'pack').jobs).toEqual([]);
    expect(h.activateJobsFor([A], 'pack').jobs.map((j) => j.tenantId)).toEqual([A]);
    await expectReplayable(h);
  });

  it('a call activity starts the called process of its caller’s tenant, on this partition or another', async () => {
    const h = tenants(2);
    const child = (type: string) => model('child', start('c_start'), serviceTask('c_task', type), end('c_end'), ...chain('c_start', 'c_task', 'c_end'));
    const parent = model('parent', start(), callActivity('call', 'child'), end(), ...chain('start', 'call', 'end'));
    const childA = await h.as(A, () => h.deployProcess(child('child-a')));
    await h.as(B, () => h.deployProcess(child('child-b')));
    for (const tenant of [A, DEFAULT]) await h.as(tenant, () => h.deployProcess(parent));
    const parents = await h.as(A, () => [h.createInstance('parent', {}, 1), h.createInstance('parent', {}, 2)]);
    const children = instancesOf(h, 'child');
    expect(children).toHaveLength(2);
    for (const c of children) expect(c.value).toMatchObject({ processDefinitionKey: childA, tenantId: A });
    expect(h.events<{ type: string; tenantId: string }>('JOB', 'CREATED').map((r) => `${r.value.tenantId}:${r.value.type}`)).toEqual([`${A}:child-a`, `${A}:child-a`]);
    for (const c of children) h.completeJob(h.jobKeyOf('c_task', c.key));
    for (const pi of parents) expect(h.isActive(pi)).toBe(false);

    // The default tenant deployed no child: an incident, although A and B did.
    const pd = h.createInstance('parent');
    const [incident] = h.events<{ errorType: string; tenantId: string; processInstanceKey: bigint }>('INCIDENT', 'CREATED');
    expect(incident!.value).toMatchObject({ errorType: 'CALLED_ELEMENT_ERROR', tenantId: DEFAULT, processInstanceKey: pd });
    await expectReplayable(h);
  });

  it('business rule tasks and EvaluateDecision use the tenant’s decisions; user tasks link the tenant’s forms', async () => {
    const h = tenants();
    const rule = model('order', start(), decisionTask('rule', 'message', 'result'), end(), ...chain('start', 'rule', 'end'));
    const richer = '<rule id="goldRich"><inputEntry><text>"gold"</text></inputEntry><inputEntry><text>-</text></inputEntry><outputEntry><text>0.5</text></outputEntry></rule>';
    await h.as(A, () => h.deploy({ name: 'pricing.dmn', xml: discountDmn() }, { name: 'order.bpmn', xml: rule }));
    const b = deployed(await h.as(B, () => h.deploy({ name: 'pricing.dmn', xml: discountDmn({ extraRule: richer }) }, { name: 'order.bpmn', xml: rule })));
    expect(b.decisionsMetadata!.map((d) => `${d.decisionId}:${d.version}:${d.tenantId}`)).toEqual([`discount:1:${B}`, `message:1:${B}`]);
    const pa = await h.as(A, () => h.createInstance('order', { customer: 'gold', orderSize: 12 }));
    const pb = await h.as(B, () => h.createInstance('order', { customer: 'gold', orderSize: 12 }));
    const evaluations = h.events<DecisionEvaluationValue>('DECISION_EVALUATION', 'EVALUATED');
    expect(evaluations.map((r) => [r.value.processInstanceKey, r.value.decisionOutput, r.value.tenantId])).toEqual([
      [pa, '"discount 0.15"', A],
      [pb, '"discount 0.5"', B],
    ]);

    const evaluate = (decisionKey: bigint, decisionId: string) =>
      h.process(1, { valueType: 'DECISION_EVALUATION', intent: 'EVALUATE', key: -1n, value: { decisionKey, decisionId, variables: { customer: 'gold', orderSize: 1 }, tenantId: h.tenant } });
    const messageOfB = b.decisionsMetadata!.find((d) => d.decisionId === 'message')!.decisionKey;
    expectRejected(await h.as(A, () => evaluate(messageOfB, '')), 'NOT_FOUND', `key '${messageOfB}'`);
    expectRejected(evaluate(-1n, 'message'), 'NOT_FOUND', "id 'message'");
    expect((await h.as(B, () => evaluate(messageOfB, '')))?.ok).toBe(true);

    const task = model('review', start(), camundaUserTask('task', { formId: 'approve' }), end(), ...chain('start', 'task', 'end'));
    const formB = deployed(await h.as(B, () => h.deploy({ name: 'approve.form', xml: formJson('approve') }))).formMetadata![0]!;
    for (const tenant of [A, B]) await h.as(tenant, () => h.deployProcess(task));
    await h.as(A, () => h.createInstance('review'));
    await h.as(B, () => h.createInstance('review'));
    expect(h.events<{ errorType: string; tenantId: string }>('INCIDENT', 'CREATED').map((r) => `${r.value.tenantId}:${r.value.errorType}`)).toEqual([`${A}:FORM_NOT_FOUND`]);
    expect(h.events<UserTaskValue>('USER_TASK', 'CREATED').map((r) => [r.value.tenantId, r.value.formKey])).toEqual([[B, formB.formKey]]);
    await expectReplayable(h);
  });
});

describe('multi-tenancy off', () => {
  it('a partition without --multi-tenancy refuses commands naming another tenant, and takes the default one', async () => {
    const h = new EngineHarness();
    const refused = await h.as(A, () => h.deploy({ name: 'order.bpmn', xml: oneTask('order', 'pack') }));
    expectRejected(refused, 'INVALID_ARGUMENT', `tenant identifier '${A}'`, 'multi-tenancy is disabled');
    expect(() => h.activateJobsFor([A], 'pack')).toThrow(/multi-tenancy is disabled/);
    expect((await h.deploy({ name: 'order.bpmn', xml: oneTask('order', 'pack') })).ok).toBe(true);
    h.createInstance('order');
    expect(h.activateJobsFor([DEFAULT], 'pack').jobs).toHaveLength(1);
    await expectReplayable(h);
  });
});
