/**
 * Instance operations through a real `zen start`: ModifyProcessInstance, DeleteResource and
 * MigrateProcessInstance over gRPC (the real SDK) and over REST v2 (real HTTP), with their rejections.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chain, end, model, serviceTask, start, subProcess } from '../fixtures/bpmn-builder.js';
import { discountDmn } from '../fixtures/dmn-builder.js';
import { Code, grpcFailure, muteSdkStreamCancellations, waitFor, zeebeClient, type ZeebeClient } from '../support/server-client.js';
import { showServerOutputOnFailure, ZenServer } from '../support/server-process.js';

let server: ZenServer;
let zeebe: ZeebeClient;

/** start → first → sub(s → inner → e) → end */
const MODIFIABLE = model(
  'ops-modify',
  start(),
  serviceTask('first', 'ops-first'),
  subProcess('sub', [start('s'), serviceTask('inner', 'ops-inner'), end('e'), ...chain('s', 'inner', 'e')]),
  end(),
  ...chain('start', 'first', 'sub', 'end'),
);

function versioned(type: string): Buffer {
  return Buffer.from(model('ops-delete', start(), serviceTask('work', type), end(), ...chain('start', 'work', 'end')));
}

beforeAll(async () => {
  server = await ZenServer.start();
  zeebe = zeebeClient(server);
  await zeebe.deployResource({ name: 'ops-modify.bpmn', process: Buffer.from(MODIFIABLE) });
});

afterAll(async () => {
  await zeebe?.close();
  const exit = await server?.dispose();
  expect(exit?.code).toBe(0);
});

showServerOutputOnFailure(() => [server]);
muteSdkStreamCancellations();

const rest = (path: string, body?: unknown) =>
  fetch(`http://127.0.0.1:${server.restPort}/v2${path}`, {
    method: 'POST',
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

interface InstanceView {
  activeElements: Array<{ elementInstanceKey: string; elementId: string }>;
}

async function activeElements(processInstanceKey: string): Promise<InstanceView['activeElements'] | null> {
  const res = await fetch(`http://127.0.0.1:${server.restPort}/v2/process-instances/${processInstanceKey}`);
  if (res.status === 404) return null;
  const view = (await res.json()) as InstanceView & { state?: string };
  // A finished instance comes from the history: no longer running.
  return view.state === 'ACTIVE' ? view.activeElements : null;
}

async function waitForElements(processInstanceKey: string, ids: string[]): Promise<InstanceView['activeElements']> {
  return waitFor(`elements ${ids.join(', ')}`, async () => {
    const elements = await activeElements(processInstanceKey);
    return elements && elements.map((e) => e.elementId).sort().join() === [...ids].sort().join() ? elements : undefined;
  });
}

describe('ModifyProcessInstance', () => {
  it('over gRPC: moves the token from first into the sub-process (created for it), with variables there', async () => {
    const { processInstanceKey } = await zeebe.createProcessInstance({ bpmnProcessId: 'ops-modify', variables: {} });
    const [first] = await waitForElements(processInstanceKey, ['first']);
    await zeebe.modifyProcessInstance({
      processInstanceKey,
      activateInstructions: [{ elementId: 'inner', ancestorElementInstanceKey: '-1', variableInstructions: [{ scopeId: 'sub', variables: { moved: true } }] }],
      terminateInstructions: [{ elementInstanceKey: first!.elementInstanceKey }],
    });
    await waitForElements(processInstanceKey, ['sub', 'inner']);
    const jobs = await zeebe.activateJobs({ type: 'ops-inner', worker: 'test', maxJobsToActivate: 1, timeout: 30_000, requestTimeout: 5_000 });
    expect(jobs).toHaveLength(1);
    expect(jobs[0]!.variables).toMatchObject({ moved: true });
    await zeebe.completeJob({ jobKey: jobs[0]!.key, variables: {} });
    await waitFor('the instance completed', async () => ((await activeElements(processInstanceKey)) === null ? true : undefined));
  });

  it('over gRPC: refuses an unknown element and an unknown instance, with Zeebe codes and messages', async () => {
    const { processInstanceKey } = await zeebe.createProcessInstance({ bpmnProcessId: 'ops-modify', variables: {} });
    const unknown = await grpcFailure(
      zeebe.modifyProcessInstance({ processInstanceKey, activateInstructions: [{ elementId: 'nowhere', ancestorElementInstanceKey: '-1', variableInstructions: [] }] }),
    );
    expect(unknown.code).toBe(Code.INVALID_ARGUMENT);
    expect(unknown.details).toContain("Expected to modify instance of process 'ops-modify' but it contains one or more activate instructions with an element that could not be found: 'nowhere'");
    await zeebe.cancelProcessInstance(processInstanceKey);
    const gone = await grpcFailure(zeebe.modifyProcessInstance({ processInstanceKey, activateInstructions: [{ elementId: 'first', ancestorElementInstanceKey: '-1', variableInstructions: [] }] }));
    expect(gone.code).toBe(Code.NOT_FOUND);
    expect(gone.details).toContain(`Expected to modify process instance but no process instance found with key '${processInstanceKey}'`);
  });

  it('over REST: activates and terminates, answers 204; a bad instruction is a 400 problem', async () => {
    const { processInstanceKey } = await zeebe.createProcessInstance({ bpmnProcessId: 'ops-modify', variables: {} });
    const [first] = await waitForElements(processInstanceKey, ['first']);
    const response = await rest(`/process-instances/${processInstanceKey}/modification`, {
      activateInstructions: [{ elementId: 'sub', variableInstructions: [{ variables: { viaRest: 1 } }] }],
      terminateInstructions: [{ elementInstanceKey: first!.elementInstanceKey }],
    });
    expect(response.status).toBe(204);
    await waitForElements(processInstanceKey, ['sub', 'inner']);

    const refused = await rest(`/process-instances/${processInstanceKey}/modification`, { activateInstructions: [{ elementId: 's' }] });
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { detail: string }).detail).toContain("The activation of elements with type 'START_EVENT' is not supported");
    await zeebe.cancelProcessInstance(processInstanceKey);
  });
});

describe('DeleteResource', () => {
  it('over gRPC: deleting the latest version makes the previous one latest; instances on it go on', async () => {
    await zeebe.deployResource({ name: 'ops-delete.bpmn', process: versioned('ops-v1') });
    const v2 = await zeebe.deployResource({ name: 'ops-delete.bpmn', process: versioned('ops-v2') });
    const v2Key = v2.deployments[0]!.process.processDefinitionKey;
    const onV2 = await zeebe.createProcessInstance({ bpmnProcessId: 'ops-delete', variables: {} });
    expect(onV2.version).toBe(2);
    await zeebe.deleteResource({ resourceKey: v2Key });
    const onV1 = await zeebe.createProcessInstance({ bpmnProcessId: 'ops-delete', variables: {} });
    expect(onV1.version).toBe(1);
    // (The SDK does not send a definition key on CreateProcessInstance; REST does.)
    expect((await rest('/process-instances', { processDefinitionKey: v2Key })).status).toBe(404);
    // The instance started on version 2 still runs.
    expect(await activeElements(onV2.processInstanceKey)).not.toBeNull();
    const again = await grpcFailure(zeebe.deleteResource({ resourceKey: v2Key }));
    expect(again.code).toBe(Code.NOT_FOUND);
    expect(again.details).toContain(`Expected to delete resource but no resource found with key \`${v2Key}\``);
  });

  it('over REST: 200, then 404 for the key it deleted', async () => {
    const deployed = await zeebe.deployResource({ name: 'ops-rest-delete.bpmn', process: Buffer.from(model('ops-rest-delete', start(), end(), ...chain('start', 'end'))) });
    const key = deployed.deployments[0]!.process.processDefinitionKey;
    expect((await rest(`/resources/${key}/deletion`)).status).toBe(200);
    const second = await rest(`/resources/${key}/deletion`, {});
    expect(second.status).toBe(404);
    expect(((await second.json()) as { detail: string }).detail).toContain('no resource found with key');
    const create = await rest('/process-instances', { processDefinitionId: 'ops-rest-delete' });
    expect(create.status).toBe(404);
  });

  it('decision requirements over gRPC and REST: their decisions go too, the previous version is the latest again', async () => {
    const allFifty = '<rule id="all"><inputEntry><text>-</text></inputEntry><inputEntry><text>-</text></inputEntry><outputEntry><text>0.5</text></outputEntry></rule>';
    type DrgEntry = { decisionRequirements?: { decisionRequirementsKey: string; version: number }; decision?: { dmnDecisionId: string; decisionKey: string; version: number } };
    const deploy = async (xml: string) => (await zeebe.deployResource({ name: 'ops-pricing.dmn', decision: Buffer.from(xml) })).deployments as DrgEntry[];
    const drgKeyOf = (entries: DrgEntry[]) => entries.find((d) => d.decisionRequirements)!.decisionRequirements!.decisionRequirementsKey;
    const v1 = await deploy(discountDmn({ id: 'ops-pricing' }));
    const v2 = await deploy(discountDmn({ id: 'ops-pricing', extraRule: allFifty }));
    const v2Discount = v2.find((d) => d.decision?.dmnDecisionId === 'discount')!.decision!;
    expect(v2Discount.version).toBe(2);
    expect((await zeebe.evaluateDecision({ decisionId: 'discount', variables: { customer: 'silver', orderSize: 1 } })).decisionOutput).toBe('0.5');

    // A decision's own key is not a resource; its document's key is.
    const decisionKey = await grpcFailure(zeebe.deleteResource({ resourceKey: v2Discount.decisionKey }));
    expect(decisionKey.code).toBe(Code.NOT_FOUND);
    await zeebe.deleteResource({ resourceKey: drgKeyOf(v2) });
    const latest = await zeebe.evaluateDecision({ decisionId: 'discount', variables: { customer: 'silver', orderSize: 1 } });
    expect(latest).toMatchObject({ decisionVersion: 1, decisionOutput: '0' });
    const byDeletedKey = await grpcFailure(zeebe.evaluateDecision({ decisionKey: v2Discount.decisionKey, variables: {} }));
    expect(byDeletedKey.code).toBe(Code.NOT_FOUND);
    expect(byDeletedKey.details).toContain(`no such decision was found`);

    expect((await rest(`/resources/${drgKeyOf(v1)}/deletion`)).status).toBe(200);
    expect((await rest(`/resources/${drgKeyOf(v1)}/deletion`)).status).toBe(404);
    const gone = await grpcFailure(zeebe.evaluateDecision({ decisionId: 'discount', variables: {} }));
    expect(gone.code).toBe(Code.NOT_FOUND);
  });
});

describe('MigrateProcessInstance', () => {
  const v1 = model('ops-migrate', start(), serviceTask('a', 'ops-migrate-a'), end(), ...chain('start', 'a', 'end'));
  const v2 = model('ops-migrate', start(), serviceTask('a2', 'ops-migrate-a2'), serviceTask('b', 'ops-migrate-b'), end(), ...chain('start', 'a2', 'b', 'end'));

  it('over gRPC and REST: the instance moves to the new version and goes on there; an unmapped element is refused', async () => {
    await zeebe.deployResource({ name: 'ops-migrate.bpmn', process: Buffer.from(v1) });
    const viaGrpc = await zeebe.createProcessInstance({ bpmnProcessId: 'ops-migrate', variables: {} });
    const viaRest = await zeebe.createProcessInstance({ bpmnProcessId: 'ops-migrate', variables: {} });
    const deployed = await zeebe.deployResource({ name: 'ops-migrate.bpmn', process: Buffer.from(v2) });
    const target = deployed.deployments[0]!.process.processDefinitionKey;

    const unmapped = await grpcFailure(zeebe.migrateProcessInstance({ processInstanceKey: viaGrpc.processInstanceKey, migrationPlan: { targetProcessDefinitionKey: target, mappingInstructions: [] } }));
    expect(unmapped.code).toBe(Code.FAILED_PRECONDITION);
    expect(unmapped.details).toContain("no mapping instruction defined for active element with id 'a'");

    await zeebe.migrateProcessInstance({
      processInstanceKey: viaGrpc.processInstanceKey,
      migrationPlan: { targetProcessDefinitionKey: target, mappingInstructions: [{ sourceElementId: 'a', targetElementId: 'a2' }] },
    });
    const refused = await rest(`/process-instances/${viaRest.processInstanceKey}/migration`, { targetProcessDefinitionKey: target, mappingInstructions: [{ sourceElementId: 'a', targetElementId: 'end' }] });
    expect(refused.status).toBe(409);
    expect(((await refused.json()) as { detail: string }).detail).toContain("is mapped to an element with id 'end' and different type 'END_EVENT'");
    const migrated = await rest(`/process-instances/${viaRest.processInstanceKey}/migration`, { targetProcessDefinitionKey: target, mappingInstructions: [{ sourceElementId: 'a', targetElementId: 'a2' }] });
    expect(migrated.status).toBe(204);

    for (const key of [viaGrpc.processInstanceKey, viaRest.processInstanceKey]) {
      const view = (await (await fetch(`http://127.0.0.1:${server.restPort}/v2/process-instances/${key}`)).json()) as { processDefinitionVersion: number; activeElements: Array<{ elementId: string }> };
      expect(view.processDefinitionVersion).toBe(2);
      expect(view.activeElements.map((e) => e.elementId)).toEqual(['a2']);
    }
    // The jobs keep their type (as in Zeebe); completed, the instances continue on version 2.
    const jobs = await zeebe.activateJobs({ type: 'ops-migrate-a', worker: 'test', maxJobsToActivate: 2, timeout: 30_000, requestTimeout: 5_000 });
    expect(jobs.map((j) => j.elementId)).toEqual(['a2', 'a2']);
    for (const job of jobs) await zeebe.completeJob({ jobKey: job.key, variables: {} });
    await waitForElements(viaGrpc.processInstanceKey, ['b']);
    await waitForElements(viaRest.processInstanceKey, ['b']);
  });
});
