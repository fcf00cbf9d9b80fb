import { describe, expect, it } from 'vitest';
import { compileBpmn } from '../../src/model/index.js';
import type { ProcessInstanceValue } from '../../src/engine/records.js';
import { adHocSubProcess, chain, end, flow, model, serviceTask, start, timerBoundary, userTask } from '../fixtures/bpmn-builder.js';
import { EngineHarness, expectReplayable } from '../support/engine-harness.js';

/** start → tools(a, b, c → c2) → end: a, b and c can be activated; c2 only follows c. */
function tools(options: Parameters<typeof adHocSubProcess>[2] = {}): string {
  return model(
    'p',
    start(),
    adHocSubProcess('tools', [serviceTask('a', 'a'), serviceTask('b', 'b'), serviceTask('c', 'c'), serviceTask('c2', 'c2'), flow('c', 'c2')], options),
    end(),
    ...chain('start', 'tools', 'end'),
  );
}

function activate(h: EngineHarness, adHocKey: bigint, elements: Array<{ elementId: string; variables?: Record<string, unknown> }>) {
  return h.process(1, {
    valueType: 'AD_HOC_SUB_PROCESS_INSTRUCTION',
    intent: 'ACTIVATE',
    key: adHocKey,
    value: { adHocSubProcessInstanceKey: adHocKey, activateElements: elements.map((e) => ({ elementId: e.elementId, variables: e.variables ?? {} })), cancelRemainingInstances: false, tenantId: '<default>' },
  });
}

function activating(h: EngineHarness, elementId: string): ProcessInstanceValue[] {
  return h.events<ProcessInstanceValue>('PROCESS_INSTANCE', 'ELEMENT_ACTIVATING').filter((r) => r.value.elementId === elementId).map((r) => r.value);
}

describe('ad-hoc sub-process', () => {
  it('activates the listed elements on entry, each in an inner instance, and completes when they are done', async () => {
    const h = new EngineHarness();
    await h.deployProcess(tools({ activeElements: '=toRun' }));
    const pi = h.createInstance('p', { toRun: ['a', 'c'] });
    const adHoc = h.elementKeyOf('tools');
    const inners = h.events<ProcessInstanceValue>('PROCESS_INSTANCE', 'ELEMENT_ACTIVATED').filter((r) => r.value.bpmnElementType === 'AD_HOC_SUB_PROCESS_INNER_INSTANCE');
    expect(inners.map((r) => r.value)).toEqual([
      expect.objectContaining({ elementId: 'tools#innerInstance', flowScopeKey: adHoc }),
      expect.objectContaining({ elementId: 'tools#innerInstance', flowScopeKey: adHoc }),
    ]);
    expect(activating(h, 'a')[0]!.flowScopeKey).toBe(inners[0]!.key);
    expect(activating(h, 'c')[0]!.flowScopeKey).toBe(inners[1]!.key);
    expect(activating(h, 'b')).toEqual([]);

    h.completeJob(h.jobKeyOf('a'));
    expect(h.isActive(adHoc)).toBe(true);
    h.completeJob(h.jobKeyOf('c'));
    // c's path goes on inside its inner instance.
    expect(activating(h, 'c2')[0]!.flowScopeKey).toBe(inners[1]!.key);
    expect(h.isActive(inners[1]!.key)).toBe(true);
    h.completeJob(h.jobKeyOf('c2'));
    expect(h.elementStreamOf(pi).slice(-13)).toEqual([
      'c2:ELEMENT_COMPLETING',
      'c2:ELEMENT_COMPLETED',
      'tools#innerInstance:ELEMENT_COMPLETING',
      'tools#innerInstance:ELEMENT_COMPLETED',
      'tools:ELEMENT_COMPLETING',
      'tools:ELEMENT_COMPLETED',
      'tools_end:SEQUENCE_FLOW_TAKEN',
      'end:ELEMENT_ACTIVATING',
      'end:ELEMENT_ACTIVATED',
      'end:ELEMENT_COMPLETING',
      'end:ELEMENT_COMPLETED',
      'p:ELEMENT_COMPLETING',
      'p:ELEMENT_COMPLETED',
    ]);
    expect(h.isActive(pi)).toBe(false);
    await expectReplayable(h);
  });

  it('with nothing listed it waits; activations come through the instruction, with local variables', async () => {
    const h = new EngineHarness();
    await h.deployProcess(tools());
    const pi = h.createInstance('p');
    const adHoc = h.elementKeyOf('tools');
    expect(h.events('JOB', 'CREATED')).toEqual([]);
    expect(h.isActive(adHoc)).toBe(true);

    const response = activate(h, adHoc, [{ elementId: 'b', variables: { query: 'weather' } }, { elementId: 'a' }]);
    expect(response?.ok).toBe(true);
    expect(h.events('AD_HOC_SUB_PROCESS_INSTRUCTION', 'ACTIVATED')).toHaveLength(1);
    const innerOfB = activating(h, 'b')[0]!.flowScopeKey;
    expect(h.variablesOf(innerOfB)).toEqual({ query: 'weather' });
    const [job] = h.activateJobs('b').jobs;
    expect(job!.variables).toMatchObject({ query: 'weather' });

    h.completeJob(h.jobKeyOf('b'));
    h.completeJob(h.jobKeyOf('a'));
    expect(h.isActive(pi)).toBe(false);
    await expectReplayable(h);
  });

  it('rejects instructions for an unknown key, an element it cannot activate, duplicates, or a completed sub-process', async () => {
    const h = new EngineHarness();
    await h.deployProcess(tools());
    const pi = h.createInstance('p');
    const adHoc = h.elementKeyOf('tools');
    expect(activate(h, pi, [{ elementId: 'a' }])).toMatchObject({ ok: false, rejectionType: 'NOT_FOUND' });
    const notActivatable = activate(h, adHoc, [{ elementId: 'c2' }, { elementId: 'nope' }]);
    expect(notActivatable).toMatchObject({ ok: false, rejectionType: 'NOT_FOUND', reason: expect.stringContaining("['c2', 'nope']") });
    expect(activate(h, adHoc, [{ elementId: 'a' }, { elementId: 'a' }])).toMatchObject({ ok: false, rejectionType: 'INVALID_ARGUMENT' });
    expect(h.events('JOB', 'CREATED')).toEqual([]);
    await expectReplayable(h);
  });

  it('completion condition: checked as each inner instance completes; remaining ones are cancelled', async () => {
    const h = new EngineHarness();
    await h.deployProcess(tools({ activeElements: '=["a", "b", "c"]', completionCondition: '=done = true' }));
    const pi = h.createInstance('p', { done: false });
    const adHoc = h.elementKeyOf('tools');
    h.completeJob(h.jobKeyOf('a'));
    expect(h.isActive(adHoc)).toBe(true);
    h.completeJob(h.jobKeyOf('b'), { done: true });
    const stream = h.elementStreamOf(pi);
    expect(stream).toContain('c:ELEMENT_TERMINATED');
    expect(stream).toContain('tools:ELEMENT_COMPLETED');
    expect(h.events('JOB', 'CANCELED').map((r) => (r.value as { elementId: string }).elementId)).toEqual(['c']);
    expect(h.isActive(pi)).toBe(false);
    await expectReplayable(h);
  });

  it('completion condition without cancelRemainingInstances: waits for the others; false keeps it open even when idle', async () => {
    const h = new EngineHarness();
    await h.deployProcess(tools({ activeElements: '=["a", "b"]', completionCondition: '=done', cancelRemainingInstances: false }));
    const pi = h.createInstance('p', { done: false });
    const adHoc = h.elementKeyOf('tools');
    h.completeJob(h.jobKeyOf('a'), { done: true });
    expect(h.events('JOB', 'CANCELED')).toEqual([]);
    expect(h.isActive(adHoc)).toBe(true);
    h.setVariables(pi, { done: false });
    h.completeJob(h.jobKeyOf('b'));
    // Idle, but the condition is false: it waits for more activations.
    expect(h.isActive(adHoc)).toBe(true);
    activate(h, adHoc, [{ elementId: 'a' }]);
    h.completeJob(h.jobKeyOf('a'), { done: true });
    expect(h.isActive(pi)).toBe(false);
    await expectReplayable(h);
  });

  it('collects one output element per completed inner instance and hands the collection to its scope', async () => {
    const h = new EngineHarness();
    await h.deployProcess(tools({ activeElements: '=["a", "b"]', outputCollection: 'results', outputElement: '=result' }));
    const pi = h.createInstance('p');
    h.completeJob(h.jobKeyOf('b'), { result: 'B' });
    h.completeJob(h.jobKeyOf('a'), { result: 'A' });
    expect(h.isActive(pi)).toBe(false);
    const created = h.events<{ name: string; value: string; scopeKey: bigint }>('VARIABLE', 'UPDATED').filter((r) => r.value.name === 'results');
    expect(created.map((r) => JSON.parse(r.value.value))).toContainEqual(['B', 'A']);
    await expectReplayable(h);
  });

  it('raises an incident when the active elements collection is not a list of its element ids; resolving retries', async () => {
    const h = new EngineHarness();
    await h.deployProcess(tools({ activeElements: '=toRun' }));
    h.createInstance('p', { toRun: ['a', 'zzz'] });
    const [incident] = h.events<{ errorType: string; errorMessage: string; elementId: string }>('INCIDENT', 'CREATED');
    expect(incident!.value).toMatchObject({ errorType: 'EXTRACT_VALUE_ERROR', elementId: 'tools' });
    expect(incident!.value.errorMessage).toBe("Failed to activate ad-hoc elements. No BPMN elements found with ids: 'zzz'.");
    h.setVariables(h.elementKeyOf('tools'), { toRun: ['b'] }, true);
    h.resolveIncident(incident!.key);
    expect(activating(h, 'b')).toHaveLength(1);
    expect(activating(h, 'a')).toHaveLength(0);
    await expectReplayable(h);
  });

  it('a boundary timer on the ad-hoc sub-process terminates it with its inner instances', async () => {
    const h = new EngineHarness();
    await h.deployProcess(
      model(
        'p',
        start(),
        adHocSubProcess('tools', [serviceTask('a', 'a'), userTask('b')], { activeElements: '=["a", "b"]' }),
        timerBoundary('late', 'tools', 'duration', 'PT1M'),
        end(),
        end('timedOut'),
        ...chain('start', 'tools', 'end'),
        flow('late', 'timedOut'),
      ),
    );
    const pi = h.createInstance('p');
    h.advanceTime(61_000);
    const stream = h.elementStreamOf(pi);
    expect(stream.filter((s) => s.endsWith('ELEMENT_TERMINATED'))).toEqual(['a:ELEMENT_TERMINATED', 'tools#innerInstance:ELEMENT_TERMINATED', 'b:ELEMENT_TERMINATED', 'tools#innerInstance:ELEMENT_TERMINATED', 'tools:ELEMENT_TERMINATED']);
    expect(stream).toContain('timedOut:ELEMENT_COMPLETED');
    expect(h.isActive(pi)).toBe(false);
    await expectReplayable(h);
  });

  it('is refused at deploy with start or end events inside, without activities, or implemented by a job worker', async () => {
    const refused = async (xml: string) => {
      const result = await compileBpmn('p.bpmn', xml);
      return result.ok ? [] : result.errors.map((e) => e.message);
    };
    const withStart = model('p', start(), adHocSubProcess('tools', [start('inner'), serviceTask('a', 'a'), flow('inner', 'a')]), end(), ...chain('start', 'tools', 'end'));
    expect((await refused(withStart)).join('\n')).toContain("a start event is not allowed inside the ad-hoc sub-process 'tools'");
    const empty = model('p', start(), adHocSubProcess('tools', []), end(), ...chain('start', 'tools', 'end'));
    expect((await refused(empty)).join('\n')).toContain('an ad-hoc sub-process must contain at least one activity');
    const jobWorker = tools().replace('<bpmn:adHocSubProcess id="tools">', '<bpmn:adHocSubProcess id="tools"><bpmn:extensionElements><zeebe:taskDefinition type="agent"/></bpmn:extensionElements>');
    expect((await refused(jobWorker)).join('\n')).toContain('implemented by a job worker');
  });
});

describe('ad-hoc sub-process in other positions', () => {
  it('runs once per item as a multi-instance, each with its own activations', async () => {
    const h = new EngineHarness();
    await h.deployProcess(
      model(
        'p',
        start(),
        adHocSubProcess('tools', [serviceTask('a', 'a'), serviceTask('b', 'b')], { activeElements: '=[item]', loop: { inputCollection: '=["a", "b"]', inputElement: 'item' } }),
        end(),
        ...chain('start', 'tools', 'end'),
      ),
    );
    const pi = h.createInstance('p');
    expect(h.events<{ type: string }>('JOB', 'CREATED').map((r) => r.value.type)).toEqual(['a', 'b']);
    h.completeJob(h.jobKeyOf('a'));
    h.completeJob(h.jobKeyOf('b'));
    expect(h.isActive(pi)).toBe(false);
    await expectReplayable(h);
  });

  it('refuses start instructions inside it', async () => {
    const h = new EngineHarness();
    await h.deployProcess(tools());
    const response = h.process(1, {
      valueType: 'PROCESS_INSTANCE_CREATION',
      intent: 'CREATE',
      key: -1n,
      value: { bpmnProcessId: 'p', processDefinitionKey: -1n, version: -1, variables: {}, processInstanceKey: -1n, fetchVariables: [], tenantId: '<default>', startInstructions: [{ elementId: 'a' }] },
    });
    expect(response).toMatchObject({ ok: false, rejectionType: 'INVALID_ARGUMENT', reason: expect.stringContaining("inside the ad-hoc sub-process 'tools'") });
  });
});
