import { describe, expect, it } from 'vitest';
import type { ProcessInstanceValue, VariableValue } from '../../src/engine/records.js';
import { chain, end, flow, model, parallelGateway, serviceTask, start } from '../fixtures/bpmn-builder.js';
import { EngineHarness, expectReplayable } from '../support/engine-harness.js';

describe('none start and end events', () => {
  it('runs start → end within the creation command, in Zeebe order', async () => {
    const h = new EngineHarness();
    const definitionKey = await h.deployProcess(model('p', start(), end(), ...chain('start', 'end')));
    const pi = h.createInstance('p');

    expect(h.elementStream()).toEqual([
      'p:ELEMENT_ACTIVATING',
      'p:ELEMENT_ACTIVATED',
      'start:ELEMENT_ACTIVATING',
      'start:ELEMENT_ACTIVATED',
      'start:ELEMENT_COMPLETING',
      'start:ELEMENT_COMPLETED',
      'start_end:SEQUENCE_FLOW_TAKEN',
      'end:ELEMENT_ACTIVATING',
      'end:ELEMENT_ACTIVATED',
      'end:ELEMENT_COMPLETING',
      'end:ELEMENT_COMPLETED',
      'p:ELEMENT_COMPLETING',
      'p:ELEMENT_COMPLETED',
    ]);
    // Everything after the creation command was caused by it.
    const create = h.records().find((r) => r.recordType === 'COMMAND' && r.valueType === 'PROCESS_INSTANCE_CREATION')!;
    const caused = h.records().filter((r) => r.valueType === 'PROCESS_INSTANCE');
    expect(caused.every((r) => r.sourceRecordPosition === create.position)).toBe(true);
    expect(h.isActive(pi)).toBe(false);

    // Record values: keys and element types as Zeebe fills them.
    const byElement = (id: string, intent: string) =>
      h.events<ProcessInstanceValue>('PROCESS_INSTANCE', intent).find((r) => r.value.elementId === id)!;
    const processRecord = byElement('p', 'ELEMENT_ACTIVATING');
    expect(processRecord.key).toBe(pi);
    expect(processRecord.value).toMatchObject({
      bpmnProcessId: 'p',
      version: 1,
      processDefinitionKey: definitionKey,
      processInstanceKey: pi,
      flowScopeKey: -1n,
      bpmnElementType: 'PROCESS',
      bpmnEventType: 'UNSPECIFIED',
      parentProcessInstanceKey: -1n,
      parentElementInstanceKey: -1n,
    });
    expect(byElement('start', 'ELEMENT_ACTIVATING').value).toMatchObject({
      flowScopeKey: pi,
      processInstanceKey: pi,
      bpmnElementType: 'START_EVENT',
      bpmnEventType: 'NONE',
    });
    expect(byElement('end', 'ELEMENT_ACTIVATING').value).toMatchObject({ bpmnElementType: 'END_EVENT', bpmnEventType: 'NONE' });
    const taken = byElement('start_end', 'SEQUENCE_FLOW_TAKEN');
    expect(taken.value).toMatchObject({ bpmnElementType: 'SEQUENCE_FLOW', flowScopeKey: pi });
    // Each element instance has its own key; lifecycle records of one instance share it.
    const startKeys = new Set(
      h.events<ProcessInstanceValue>('PROCESS_INSTANCE', 'ELEMENT_COMPLETED').filter((r) => r.value.elementId === 'start').map((r) => r.key),
    );
    expect(startKeys).toEqual(new Set([byElement('start', 'ELEMENT_ACTIVATING').key]));
    expect(new Set([pi, byElement('start', 'ELEMENT_ACTIVATING').key, taken.key, byElement('end', 'ELEMENT_ACTIVATING').key]).size).toBe(4);
    await expectReplayable(h);
  });

  it('writes the creation variables before the instance starts, then answers with the instance key', async () => {
    const h = new EngineHarness();
    const definitionKey = await h.deployProcess(model('p', start(), end(), ...chain('start', 'end')));
    const response = h.createInstanceRaw({ bpmnProcessId: 'p' }, { a: 1, b: { c: 'x' } });
    expect(response?.ok).toBe(true);
    const pi = (response as { key: bigint }).key;
    expect((response as { value: unknown }).value).toEqual({
      processDefinitionKey: definitionKey,
      bpmnProcessId: 'p',
      version: 1,
      processInstanceKey: pi,
      tenantId: '<default>',
    });
    const stream = h.eventStream().filter((e) => !e.startsWith('DEPLOYMENT') && !e.startsWith('PROCESS:'));
    expect(stream.slice(0, 4)).toEqual([
      'VARIABLE:CREATED',
      'VARIABLE:CREATED',
      'PROCESS_INSTANCE_CREATION:CREATED',
      'PROCESS_INSTANCE:ELEMENT_ACTIVATING',
    ]);
    const vars = h.events<VariableValue>('VARIABLE', 'CREATED');
    expect(vars.map((r) => [r.value.name, r.value.value, r.value.scopeKey, r.value.processInstanceKey])).toEqual([
      ['a', '1', pi, pi],
      ['b', '{"c":"x"}', pi, pi],
    ]);
    await expectReplayable(h);
  });

  it('applies output mappings of the start event and input/output mappings of the end event', async () => {
    const h = new EngineHarness();
    await h.deployProcess(
      model(
        'p',
        start('start', { outputs: [['=x * 2', 'doubled']] }),
        serviceTask('task', 'check'),
        end('end', { inputs: [['=doubled + 1', 'local']], outputs: [['=local * 10', 'result']] }),
        ...chain('start', 'task', 'end'),
      ),
    );
    const pi = h.createInstance('p', { x: 4 });
    expect(h.variablesOf(pi)).toEqual({ x: 4, doubled: 8 });
    h.completeJob(h.jobKeyOf('task'));
    const created = h.events<VariableValue>('VARIABLE', 'CREATED').map((r) => `${r.value.name}=${r.value.value}`);
    expect(created).toEqual(['x=4', 'doubled=8', 'local=9', 'result=90']);
    // The end event's local variable lived in its own scope, the output went to the process.
    const local = h.events<VariableValue>('VARIABLE', 'CREATED').find((r) => r.value.name === 'local')!;
    expect(local.value.scopeKey).toBe(h.elementKeyOf('end'));
    const resultVar = h.events<VariableValue>('VARIABLE', 'CREATED').find((r) => r.value.name === 'result')!;
    expect(resultVar.value.scopeKey).toBe(pi);
    expect(h.isActive(pi)).toBe(false);
    await expectReplayable(h);
  });

  it('completes the process only when the last of several end events completes', async () => {
    const h = new EngineHarness();
    await h.deployProcess(
      model(
        'p',
        start(),
        parallelGateway('fork'),
        serviceTask('a', 'a'),
        serviceTask('b', 'b'),
        end('endA'),
        end('endB'),
        ...chain('start', 'fork'),
        ...chain('fork', 'a', 'endA'),
        ...chain('fork', 'b', 'endB'),
      ),
    );
    const pi = h.createInstance('p');
    h.completeJob(h.jobKeyOf('a'));
    expect(h.elementStream()).toContain('endA:ELEMENT_COMPLETED');
    expect(h.elementStream()).not.toContain('p:ELEMENT_COMPLETING');
    expect(h.isActive(pi)).toBe(true);
    h.completeJob(h.jobKeyOf('b'));
    expect(h.elementStream().slice(-6)).toEqual([
      'endB:ELEMENT_ACTIVATING',
      'endB:ELEMENT_ACTIVATED',
      'endB:ELEMENT_COMPLETING',
      'endB:ELEMENT_COMPLETED',
      'p:ELEMENT_COMPLETING',
      'p:ELEMENT_COMPLETED',
    ]);
    expect(h.isActive(pi)).toBe(false);
    await expectReplayable(h);
  });

  it('treats an element without outgoing flows as the end of its path (implicit end)', async () => {
    const h = new EngineHarness();
    await h.deployProcess(model('p', start(), serviceTask('task', 't'), flow('start', 'task')));
    const pi = h.createInstance('p');
    h.completeJob(h.jobKeyOf('task'));
    expect(h.elementStream().slice(-4)).toEqual(['task:ELEMENT_COMPLETING', 'task:ELEMENT_COMPLETED', 'p:ELEMENT_COMPLETING', 'p:ELEMENT_COMPLETED']);
    expect(h.isActive(pi)).toBe(false);
    await expectReplayable(h);
  });

  it('removes the instance and all its variables from the state when it completes', async () => {
    const h = new EngineHarness();
    await h.deployProcess(model('p', start(), end(), ...chain('start', 'end')));
    const pi = h.createInstance('p', { big: 'x'.repeat(100) });
    const state = h.partition().state;
    expect(state.elementInstances.table.size).toBe(0);
    expect(state.variables.local(pi).size).toBe(0);
    expect(state.variables.table.size).toBe(0);
    expect(h.events('VARIABLE', 'CREATED')).toHaveLength(1);
    await expectReplayable(h);
  });
});
