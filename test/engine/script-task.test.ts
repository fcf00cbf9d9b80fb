import { describe, expect, it } from 'vitest';
import type { IncidentValue, VariableValue } from '../../src/engine/records.js';
import { chain, end, model, scriptTask, serviceTask, start, type Mappings } from '../fixtures/bpmn-builder.js';
import { EngineHarness, expectReplayable } from '../support/engine-harness.js';

function scriptModel(expression: string, resultVariable: string, io?: Mappings): string {
  return model(
    'p',
    start(),
    scriptTask('script', expression, resultVariable, io),
    serviceTask('after', 'after'),
    end(),
    ...chain('start', 'script', 'after', 'end'),
  );
}

describe('script tasks with zeebe:script (FEEL)', () => {
  it('evaluates the expression and passes through all lifecycle steps in one command', async () => {
    const h = new EngineHarness();
    await h.deployProcess(scriptModel('=a + b', 'sum'));
    const pi = h.createInstance('p', { a: 2, b: 3 });

    const script = h.elementStream().filter((e) => e.startsWith('script:'));
    expect(script).toEqual([
      'script:ELEMENT_ACTIVATING',
      'script:ELEMENT_ACTIVATED',
      'script:ELEMENT_COMPLETING',
      'script:ELEMENT_COMPLETED',
    ]);
    expect(h.variablesOf(pi)).toEqual({ a: 2, b: 3, sum: 5 });
    const sum = h.events<VariableValue>('VARIABLE', 'CREATED').find((r) => r.value.name === 'sum')!;
    expect(sum.value).toMatchObject({ value: '5', scopeKey: pi, processInstanceKey: pi });
    // The result travels as the task's trigger, like a job's variables.
    const [trigger] = h.events<{ scopeKey: bigint; variables: unknown }>('PROCESS_EVENT', 'TRIGGERED');
    expect(trigger!.value).toMatchObject({ scopeKey: h.elementKeyOf('script'), variables: { sum: 5 } });
    // No job for a FEEL script task.
    expect(h.events('JOB', 'CREATED').map((r) => (r.value as { elementId: string }).elementId)).toEqual(['after']);
    await expectReplayable(h);
  });

  it('stores structured results as JSON text and overwrites an existing variable', async () => {
    const h = new EngineHarness();
    await h.deployProcess(scriptModel('={total: sum(items), count: count(items), tags: ["a", "b"]}', 'items'));
    const pi = h.createInstance('p', { items: [1, 2, 3] });
    const updated = h.events<VariableValue>('VARIABLE', 'UPDATED');
    expect(updated).toHaveLength(1);
    expect(updated[0]!.value).toMatchObject({ name: 'items', scopeKey: pi, value: '{"total":6,"count":3,"tags":["a","b"]}' });
    // The UPDATED event reuses the key of the variable it updates.
    const created = h.events<VariableValue>('VARIABLE', 'CREATED').find((r) => r.value.name === 'items')!;
    expect(updated[0]!.key).toBe(created.key);
    await expectReplayable(h);
  });

  it('sees input-mapped locals and lets output mappings decide what reaches the process', async () => {
    const h = new EngineHarness();
    await h.deployProcess(
      scriptModel('=price * qty', 'net', { inputs: [['=order.price', 'price']], outputs: [['=net * 1.2', 'gross']] }),
    );
    const pi = h.createInstance('p', { order: { price: 10 }, qty: 3 });
    // `net` (the result, local since there are output mappings) only fed the output mapping; `price` was local too.
    expect(h.variablesOf(pi)).toEqual({ order: { price: 10 }, qty: 3, gross: 36 });
    const names = h.events<VariableValue>('VARIABLE', 'CREATED').map((r) => `${r.value.name}@${r.value.scopeKey === pi ? 'process' : 'task'}`);
    expect(names).toEqual(['order@process', 'qty@process', 'price@task', 'net@task', 'gross@process']);
    await expectReplayable(h);
  });

  it('writes null for an expression that yields no value (with warnings), like Zeebe', async () => {
    const h = new EngineHarness();
    await h.deployProcess(scriptModel('=missing.field', 'out'));
    const pi = h.createInstance('p');
    expect(h.variablesOf(pi)).toEqual({ out: null });
    expect(h.events('INCIDENT', 'CREATED')).toHaveLength(0);
    await expectReplayable(h);
  });

  it('raises an incident when the script fails, and continues after the variables are fixed', async () => {
    const h = new EngineHarness();
    await h.deployProcess(scriptModel('=x ** 400', 'big'));
    const pi = h.createInstance('p', { x: 10 });
    const [incident] = h.events<IncidentValue>('INCIDENT', 'CREATED');
    expect(incident!.value).toMatchObject({
      errorType: 'EXTRACT_VALUE_ERROR',
      elementId: 'script',
      processInstanceKey: pi,
      elementInstanceKey: h.elementKeyOf('script'),
      jobKey: -1n,
    });
    expect(incident!.value.errorMessage).toContain("'script'");
    expect(incident!.value.errorMessage).toContain('x ** 400');
    // The task stays ACTIVATING: no ACTIVATED until the incident is resolved.
    expect(h.elementStream().at(-1)).toBe('script:ELEMENT_ACTIVATING');

    h.setVariables(pi, { x: 2 });
    expect(h.resolveIncident(incident!.key)?.ok).toBe(true);
    expect(h.elementStream().slice(-6)).toEqual([
      'script:ELEMENT_ACTIVATED',
      'script:ELEMENT_COMPLETING',
      'script:ELEMENT_COMPLETED',
      'script_after:SEQUENCE_FLOW_TAKEN',
      'after:ELEMENT_ACTIVATING',
      'after:ELEMENT_ACTIVATED',
    ]);
    expect(h.variablesOf(pi).big).toBe(2 ** 400);
    expect(h.events('INCIDENT', 'RESOLVED').map((r) => r.key)).toEqual([incident!.key]);
    await expectReplayable(h);
  });
});
