import { describe, expect, it } from 'vitest';
import { jobKeyOf } from '../../src/engine/state/element-instances.js';
import { EngineState } from '../../src/engine/state/engine-state.js';
import { bigintKey } from '../../src/engine/state/table.js';

const value = { bpmnProcessId: 'p', version: 1, processDefinitionKey: 1n, processInstanceKey: 2n, elementId: 'task', flowScopeKey: 2n, bpmnElementType: 'SERVICE_TASK', bpmnEventType: 'UNSPECIFIED', parentProcessInstanceKey: -1n, parentElementInstanceKey: -1n, tenantId: '<default>' };

describe('element instance rows', () => {
  it('loads a row checkpointed before payloads existed: its job becomes the job payload', () => {
    const state = new EngineState(1);
    const old = { key: 3n, state: 'ACTIVATED', value, activeChildren: 0, joinTokens: {}, jobKey: 7n, triggerVariables: null };
    state.elementInstances.table.loadRow(bigintKey.encode(3n), old);
    const loaded = state.elementInstances.get(3n)!;
    expect(loaded.payload).toEqual({ kind: 'job', jobKey: 7n });
    expect(jobKeyOf(loaded)).toBe(7n);
    expect('jobKey' in loaded).toBe(false);
  });

  it('an old row without a job gets no payload, and a current row loads unchanged', () => {
    const state = new EngineState(1);
    state.elementInstances.table.loadRow(bigintKey.encode(4n), { key: 4n, state: 'ACTIVATED', value, activeChildren: 0, joinTokens: {}, jobKey: -1n, triggerVariables: null });
    expect(state.elementInstances.get(4n)!.payload).toEqual({ kind: 'none' });
    const current = { key: 5n, state: 'ACTIVATED', value, activeChildren: 0, joinTokens: {}, triggerVariables: null, payload: { kind: 'job', jobKey: 9n } };
    state.elementInstances.table.loadRow(bigintKey.encode(5n), current);
    expect(state.elementInstances.get(5n)).toEqual(current);
  });
});
