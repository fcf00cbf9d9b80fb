import { describe, expect, it } from 'vitest';
import { hasReached, processInstanceView, runRead } from '../../src/engine/read-views.js';
import { oneTask } from '../fixtures/bpmn-builder.js';
import { EngineHarness } from '../support/engine-harness.js';

describe('process instance read view', () => {
  it('shows an active instance with its active task, then flags the incident once retries run out', async () => {
    const h = new EngineHarness();
    const definitionKey = await h.deployProcess(oneTask('p', 'work'));
    const pi = h.createInstance('p', { n: 1 });
    const state = h.partition().state;
    const taskKey = h.elementKeyOf('task');

    expect(runRead(state, { kind: 'processInstance', key: pi })).toEqual({
      processInstanceKey: pi,
      processDefinitionKey: definitionKey,
      bpmnProcessId: 'p',
      version: 1,
      tenantId: '<default>',
      parentProcessInstanceKey: -1n,
      parentElementInstanceKey: -1n,
      hasIncident: false,
      activeElements: [{ elementInstanceKey: taskKey, elementId: 'task', elementType: 'SERVICE_TASK', state: 'ACTIVATED' }],
      remoteCalledInstances: [],
    });

    const [job] = h.activateJobs('work').jobKeys;
    h.failJob(job!, 0, { errorMessage: 'boom' });
    expect(processInstanceView(state, pi)?.hasIncident).toBe(true);
  });

  it('finds nothing for a completed instance, an element key or an unknown key', async () => {
    const h = new EngineHarness();
    await h.deployProcess(oneTask('p', 'work'));
    const pi = h.createInstance('p');
    const state = h.partition().state;
    expect(processInstanceView(state, h.elementKeyOf('task'))).toBeNull();
    expect(processInstanceView(state, pi + 1000n)).toBeNull();
    const [job] = h.activateJobs('work').jobKeys;
    h.completeJob(job!);
    expect(processInstanceView(state, pi)).toBeNull();
  });
});

describe('whether a replica has reached a key', () => {
  it('tells a key this state created (or passed) from one it has not applied yet', async () => {
    const h = new EngineHarness();
    await h.deployProcess(oneTask('p', 'work'));
    const pi = h.createInstance('p');
    const state = h.partition().state;
    expect(hasReached(state, { kind: 'processInstance', key: pi })).toBe(true);
    expect(hasReached(state, { kind: 'processInstance', key: h.elementKeyOf('task') })).toBe(true);
    // A key the leader may already have handed out, beyond this state's counter.
    expect(hasReached(state, { kind: 'processInstance', key: pi + 1000n })).toBe(false);
  });
});
