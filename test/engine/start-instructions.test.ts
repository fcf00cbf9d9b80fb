import { describe, expect, it } from 'vitest';
import type { CommandResponse } from '../../src/engine/processing/types.js';
import { chain, end, eventSubProcess, flow, model, serviceTask, start, subProcess, timerDefinitionXml } from '../fixtures/bpmn-builder.js';
import { EngineHarness, expectRejected, expectReplayable } from '../support/engine-harness.js';

const MODEL = model(
  'p',
  start(),
  serviceTask('first', 'first'),
  subProcess('sub', [start('s1'), serviceTask('a', 'a'), serviceTask('b', 'b'), end('e1'), ...chain('s1', 'a', 'b', 'e1')]),
  serviceTask('last', 'last', { loop: { inputCollection: '=[1,2]' } }),
  end(),
  ...chain('start', 'first', 'sub', 'last', 'end'),
  eventSubProcess('esp', 'esp_start', timerDefinitionXml('duration', 'PT1H'), [end('esp_end'), flow('esp_start', 'esp_end')]),
);

function createAt(h: EngineHarness, elementIds: string[]): CommandResponse | null {
  return h.process(1, {
    valueType: 'PROCESS_INSTANCE_CREATION',
    intent: 'CREATE',
    key: -1n,
    value: { bpmnProcessId: 'p', processDefinitionKey: -1n, version: -1, variables: { x: 1 }, processInstanceKey: -1n, fetchVariables: [], tenantId: '<default>', startInstructions: elementIds.map((elementId) => ({ elementId })) },
  });
}

function jobTypes(h: EngineHarness): string[] {
  return h.events<{ type: string }>('JOB', 'CREATED').map((r) => r.value.type);
}

describe('start instructions', () => {
  it('start the instance at the given elements instead of the none start event', async () => {
    const h = new EngineHarness();
    await h.deployProcess(MODEL);
    const response = createAt(h, ['last']);
    expect(response?.ok).toBe(true);
    const pi = (response as { value: { processInstanceKey: bigint } }).value.processInstanceKey;
    expect(h.elementStreamOf(pi)).not.toContain('start:ELEMENT_ACTIVATING');
    expect(jobTypes(h)).toEqual(['last', 'last']);
    // The process listens for its event sub-process as usual.
    expect(h.events('TIMER', 'CREATED')).toHaveLength(1);
    await expectReplayable(h);
  });

  it('elements inside a sub-process get their sub-process created once, without its start event', async () => {
    const h = new EngineHarness();
    await h.deployProcess(MODEL);
    const response = createAt(h, ['a', 'b', 'first']);
    const pi = (response as { value: { processInstanceKey: bigint } }).value.processInstanceKey;
    const stream = h.elementStreamOf(pi);
    expect(stream.filter((e) => e === 'sub:ELEMENT_ACTIVATED')).toHaveLength(1);
    expect(stream).not.toContain('s1:ELEMENT_ACTIVATING');
    expect(jobTypes(h).sort()).toEqual(['a', 'b', 'first']);
    // The instance runs on from there: a, b and first complete; the sub-process completes once both paths end.
    h.completeJob(h.jobKeyOf('first'));
    h.completeJob(h.jobKeyOf('a'));
    await expectReplayable(h);
  });

  it('refuses elements it cannot start at, naming them', async () => {
    const h = new EngineHarness();
    await h.deployProcess(MODEL);
    expectRejected(createAt(h, ['nowhere']), 'INVALID_ARGUMENT', "starting at element 'nowhere'", 'no such element');
    expectRejected(createAt(h, ['esp_end']), 'INVALID_ARGUMENT', "inside the event sub-process 'esp'");
    expect(h.events('PROCESS_INSTANCE', 'ELEMENT_ACTIVATING')).toHaveLength(0);
  });
});
