import { describe, expect, it } from 'vitest';
import { EngineHarness } from '../support/engine-harness.js';

const ONE_TASK = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="d" targetNamespace="t">
  <bpmn:process id="order" isExecutable="true">
    <bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="task" />
    <bpmn:serviceTask id="task"><bpmn:extensionElements><zeebe:taskDefinition type="pay" /></bpmn:extensionElements><bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing></bpmn:serviceTask>
    <bpmn:sequenceFlow id="f2" sourceRef="task" targetRef="end" />
    <bpmn:endEvent id="end"><bpmn:incoming>f2</bpmn:incoming></bpmn:endEvent>
  </bpmn:process>
</bpmn:definitions>`;

describe('smoke', () => {
  it('runs a one-task process', async () => {
    const h = new EngineHarness();
    await h.deployProcess(ONE_TASK);
    const pi = h.createInstance('order', { amount: 5 });
    const batch = h.activateJobs('pay');
    expect(batch.jobs).toHaveLength(1);
    expect(batch.jobs[0]!.variables).toEqual({ amount: 5 });
    h.completeJob(batch.jobKeys[0]!, { paid: true });
    expect(h.elementStream()).toEqual([
      'order:ELEMENT_ACTIVATING', 'order:ELEMENT_ACTIVATED',
      'start:ELEMENT_ACTIVATING', 'start:ELEMENT_ACTIVATED', 'start:ELEMENT_COMPLETING', 'start:ELEMENT_COMPLETED',
      'f1:SEQUENCE_FLOW_TAKEN',
      'task:ELEMENT_ACTIVATING', 'task:ELEMENT_ACTIVATED',
      'task:ELEMENT_COMPLETING', 'task:ELEMENT_COMPLETED', 'f2:SEQUENCE_FLOW_TAKEN',
      'end:ELEMENT_ACTIVATING', 'end:ELEMENT_ACTIVATED', 'end:ELEMENT_COMPLETING', 'end:ELEMENT_COMPLETED',
      'order:ELEMENT_COMPLETING', 'order:ELEMENT_COMPLETED',
    ]);
    expect(h.partition().state.elementInstances.get(pi)).toBeUndefined();
    const [r] = await h.replayAll();
    expect(r!.replayed).toEqual(r!.live);
  });
});
