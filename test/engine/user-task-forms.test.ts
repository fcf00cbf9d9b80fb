import { describe, expect, it } from 'vitest';
import type { DeploymentValue, FormValue, UserTaskValue } from '../../src/engine/records.js';
import { camundaUserTask, chain, end, formJson, model, start } from '../fixtures/bpmn-builder.js';
import { EngineHarness, expectRejected, expectReplayable } from '../support/engine-harness.js';

const withForm = (options: Parameters<typeof camundaUserTask>[1], id = 'p') =>
  model(id, start(), camundaUserTask('task', options), end(), ...chain('start', 'task', 'end'));

describe('forms', () => {
  it('deploys a form as a FORM record; the same form again keeps its version, a changed one gets the next', async () => {
    const h = new EngineHarness();
    const first = await h.deploy({ name: 'approve.form', xml: formJson('approve') });
    expect(first.ok).toBe(true);
    const deployed = (first as { value: DeploymentValue }).value;
    expect(deployed.processesMetadata).toEqual([]);
    expect(deployed.formMetadata).toEqual([expect.objectContaining({ formId: 'approve', version: 1, resourceName: 'approve.form', duplicate: false })]);
    const [created] = h.events<FormValue>('FORM', 'CREATED');
    expect(created!.value).toMatchObject({ formId: 'approve', version: 1, formKey: created!.key, resource: formJson('approve'), deploymentKey: first.ok ? first.key : -1n });

    const again = (await h.deploy({ name: 'approve.form', xml: formJson('approve') })) as { value: DeploymentValue };
    expect(again.value.formMetadata![0]).toMatchObject({ version: 1, formKey: created!.key, duplicate: true });
    const changed = (await h.deploy({ name: 'approve.form', xml: formJson('approve', { versionTag: 'v2' }) })) as { value: DeploymentValue };
    expect(changed.value.formMetadata![0]).toMatchObject({ version: 2, duplicate: false });
    expect(h.events('FORM', 'CREATED')).toHaveLength(2);
    await expectReplayable(h);
  });

  it('a bad form refuses the whole deployment, naming the resource', async () => {
    const h = new EngineHarness();
    const noId = await h.deploy({ name: 'p.bpmn', xml: withForm({ formId: 'f' }) }, { name: 'bad.form', xml: '{"components": []}' });
    expectRejected(noId, 'INVALID_ARGUMENT', "'bad.form':", 'Expected the form id to be present, but none given');
    const notJson = await h.deploy({ name: 'broken.form', xml: '{ id: ' });
    expectRejected(notJson, 'INVALID_ARGUMENT', "Failed to parse form JSON. 'broken.form'");
    const twice = await h.deploy({ name: 'a.form', xml: formJson('same') }, { name: 'b.form', xml: formJson('same', { x: 1 }) });
    expectRejected(twice, 'INVALID_ARGUMENT', "Duplicated form id in resources 'a.form' and 'b.form'");
    expect(h.events('PROCESS', 'CREATED')).toHaveLength(0);
    expect(h.events('FORM', 'CREATED')).toHaveLength(0);
  });

  it('a user task links the latest form by id; a form deployed later serves the next tasks', async () => {
    const h = new EngineHarness();
    await h.deploy({ name: 'p.bpmn', xml: withForm({ formId: 'approve' }) }, { name: 'approve.form', xml: formJson('approve') });
    const [v1] = h.events<FormValue>('FORM', 'CREATED');
    h.createInstance('p');
    expect(h.events<UserTaskValue>('USER_TASK', 'CREATED')[0]!.value.formKey).toBe(v1!.key);
    await h.deploy({ name: 'approve.form', xml: formJson('approve', { title: 'new' }) });
    const v2 = h.events<FormValue>('FORM', 'CREATED')[1]!;
    h.createInstance('p');
    expect(h.events<UserTaskValue>('USER_TASK', 'CREATED')[1]!.value.formKey).toBe(v2.key);
    await expectReplayable(h);
  });

  it('a form that is not deployed yet is fine at deploy, and an incident FORM_NOT_FOUND when the task activates', async () => {
    const h = new EngineHarness();
    await h.deployProcess(withForm({ formId: 'later' }));
    const pi = h.createInstance('p');
    const [incident] = h.events<{ errorType: string; errorMessage: string; elementId: string }>('INCIDENT', 'CREATED');
    expect(incident!.value).toMatchObject({ errorType: 'FORM_NOT_FOUND', elementId: 'task' });
    expect(incident!.value.errorMessage).toContain("Expected to find a form with id 'later'");
    expect(h.events('USER_TASK', 'CREATING')).toHaveLength(0);

    await h.deploy({ name: 'later.form', xml: formJson('later') });
    h.resolveIncident(incident!.key);
    const [created] = h.events<UserTaskValue>('USER_TASK', 'CREATED');
    expect(created!.value.formKey).toBe(h.events('FORM', 'CREATED')[0]!.key);
    expect(h.elementStreamOf(pi)).toContain('task:ELEMENT_ACTIVATED');
    await expectReplayable(h);
  });

  it('binding types: deployment takes the form deployed with the process, versionTag the tagged one', async () => {
    const h = new EngineHarness();
    await h.deploy({ name: 'q.bpmn', xml: withForm({ formId: 'f', bindingType: 'deployment' }, 'q') }, { name: 'f.form', xml: formJson('f') });
    const own = h.events<FormValue>('FORM', 'CREATED')[0]!;
    await h.deploy({ name: 'f.form', xml: formJson('f', { versionTag: 'gold' }) });
    await h.deploy({ name: 'f.form', xml: formJson('f', { versionTag: 'silver' }) });
    const gold = h.events<FormValue>('FORM', 'CREATED')[1]!;
    await h.deployProcess(withForm({ formId: 'f', bindingType: 'versionTag', versionTag: 'gold' }, 'r'), 'r.bpmn');
    await h.deployProcess(withForm({ formId: 'f', bindingType: 'versionTag', versionTag: 'bronze' }, 's'), 's.bpmn');
    h.createInstance('q');
    h.createInstance('r');
    h.createInstance('s');
    expect(h.events<UserTaskValue>('USER_TASK', 'CREATED').map((r) => r.value.formKey)).toEqual([own.key, gold.key]);
    const [incident] = h.events<{ errorType: string; errorMessage: string }>('INCIDENT', 'CREATED');
    expect(incident!.value).toMatchObject({ errorType: 'FORM_NOT_FOUND', errorMessage: expect.stringContaining("version tag 'bronze'") });
    await expectReplayable(h);
  });

  it('forms reach every partition with the same key; a task on another partition finds its form', async () => {
    const h = new EngineHarness(2);
    await h.deploy({ name: 'p.bpmn', xml: withForm({ formId: 'approve' }) }, { name: 'approve.form', xml: formJson('approve') });
    const key = h.events('FORM', 'CREATED', 1)[0]!.key;
    expect(h.events('FORM', 'CREATED', 2).map((r) => r.key)).toEqual([key]);
    h.createInstance('p', {}, 2);
    expect(h.events<UserTaskValue>('USER_TASK', 'CREATED', 2)[0]!.value.formKey).toBe(key);
    await expectReplayable(h);
  });

  it('refuses formKey and a form without formId or externalReference on a Camunda user task', async () => {
    const h = new EngineHarness();
    const formKey = await h.deploy({ name: 'a.bpmn', xml: model('p', start(), '<bpmn:userTask id="task"><bpmn:extensionElements><zeebe:userTask/><zeebe:formDefinition formKey="camunda-forms:bpmn:f"/></bpmn:extensionElements></bpmn:userTask>', end(), ...chain('start', 'task', 'end')) });
    expectRejected(formKey, 'INVALID_ARGUMENT', "Element 'task': a Camunda user task (zeebe:userTask) links its form with 'formId' or 'externalReference'");
    const priority = await h.deploy({ name: 'b.bpmn', xml: withForm({ priority: '101' }) });
    expectRejected(priority, 'INVALID_ARGUMENT', 'expected the priority to be an integer between 0 and 100');
  });
});
