import { describe, expect, it } from 'vitest';
import type { IncidentValue } from '../../src/engine/records.js';
import { chain, end, exclusiveGateway, flow, model, scriptTask, serviceTask, start } from '../fixtures/bpmn-builder.js';
import { EngineHarness, expectReplayable } from '../support/engine-harness.js';

/** start → xor → (s1: foo < 5 → a) | (s2: foo > 10 → b) | (default → c) */
function routing(withDefault: boolean): string {
  return model(
    'p',
    start(),
    exclusiveGateway('xor', withDefault ? 's3' : undefined),
    end('a'),
    end('b'),
    ...(withDefault ? [end('c'), flow('xor', 'c', { id: 's3' })] : []),
    flow('start', 'xor'),
    flow('xor', 'a', { id: 's1', condition: '=foo < 5' }),
    flow('xor', 'b', { id: 's2', condition: '=foo > 10' }),
  );
}

describe('exclusive gateway', () => {
  it.each([
    [1, 's1', 'a'],
    [11, 's2', 'b'],
    [7, 's3', 'c'],
  ])('with foo = %s takes %s to %s', async (foo, flowId, endId) => {
    const h = new EngineHarness();
    await h.deployProcess(routing(true));
    const pi = h.createInstance('p', { foo });
    expect(h.elementStream()).toEqual([
      'p:ELEMENT_ACTIVATING',
      'p:ELEMENT_ACTIVATED',
      'start:ELEMENT_ACTIVATING',
      'start:ELEMENT_ACTIVATED',
      'start:ELEMENT_COMPLETING',
      'start:ELEMENT_COMPLETED',
      'start_xor:SEQUENCE_FLOW_TAKEN',
      'xor:ELEMENT_ACTIVATING',
      'xor:ELEMENT_ACTIVATED',
      'xor:ELEMENT_COMPLETING',
      'xor:ELEMENT_COMPLETED',
      `${flowId}:SEQUENCE_FLOW_TAKEN`,
      `${endId}:ELEMENT_ACTIVATING`,
      `${endId}:ELEMENT_ACTIVATED`,
      `${endId}:ELEMENT_COMPLETING`,
      `${endId}:ELEMENT_COMPLETED`,
      'p:ELEMENT_COMPLETING',
      'p:ELEMENT_COMPLETED',
    ]);
    expect(h.isActive(pi)).toBe(false);
    await expectReplayable(h);
  });

  it('takes the first flow whose condition holds, in model order', async () => {
    const h = new EngineHarness();
    await h.deployProcess(
      model(
        'p',
        start(),
        exclusiveGateway('xor'),
        end('first'),
        end('second'),
        flow('start', 'xor'),
        flow('xor', 'first', { id: 'f1', condition: '=x > 1' }),
        flow('xor', 'second', { id: 'f2', condition: '=x > 0' }),
      ),
    );
    h.createInstance('p', { x: 5 });
    const taken = h.elementStream().filter((e) => e.endsWith('SEQUENCE_FLOW_TAKEN'));
    expect(taken).toEqual(['start_xor:SEQUENCE_FLOW_TAKEN', 'f1:SEQUENCE_FLOW_TAKEN']);
    expect(h.elementStream()).not.toContain('second:ELEMENT_ACTIVATING');
    await expectReplayable(h);
  });

  it('raises CONDITION_ERROR when no condition holds and there is no default flow', async () => {
    const h = new EngineHarness();
    await h.deployProcess(routing(false));
    const pi = h.createInstance('p', { foo: 7 });
    const xorKey = h.elementKeyOf('xor');
    expect(h.elementStream().slice(-1)).toEqual(['xor:ELEMENT_ACTIVATING']);
    const incidents = h.events<IncidentValue>('INCIDENT', 'CREATED');
    expect(incidents).toHaveLength(1);
    expect(incidents[0]!.value).toMatchObject({
      errorType: 'CONDITION_ERROR',
      bpmnProcessId: 'p',
      processInstanceKey: pi,
      elementId: 'xor',
      elementInstanceKey: xorKey,
      variableScopeKey: xorKey,
      jobKey: -1n,
    });
    expect(incidents[0]!.value.errorMessage).toContain('Expected at least one condition to evaluate to true, or to have a default flow');
    // The incident is the last record of the creation command; the instance waits.
    expect(h.eventStream().at(-1)).toBe('INCIDENT:CREATED');
    expect(h.isActive(pi)).toBe(true);
    await expectReplayable(h);
  });

  it('continues after the variables are fixed (on the gateway scope) and the incident is resolved', async () => {
    const h = new EngineHarness();
    await h.deployProcess(routing(false));
    const pi = h.createInstance('p', { foo: 7 });
    const [incident] = h.events<IncidentValue>('INCIDENT', 'CREATED');

    // Resolving without fixing anything raises a new incident, like Zeebe.
    expect(h.resolveIncident(incident!.key)?.ok).toBe(true);
    const again = h.events<IncidentValue>('INCIDENT', 'CREATED');
    expect(again).toHaveLength(2);
    expect(again[1]!.key).not.toBe(incident!.key);
    expect(again[1]!.value.errorType).toBe('CONDITION_ERROR');

    // Zeebe's recipe: update the variable through the incident's variable scope, then resolve.
    h.setVariables(again[1]!.value.variableScopeKey, { foo: 11 });
    expect(h.variablesOf(pi)).toEqual({ foo: 11 });
    expect(h.resolveIncident(again[1]!.key)?.ok).toBe(true);
    expect(h.elementStream().slice(-10)).toEqual([
      'xor:ELEMENT_ACTIVATED',
      'xor:ELEMENT_COMPLETING',
      'xor:ELEMENT_COMPLETED',
      's2:SEQUENCE_FLOW_TAKEN',
      'b:ELEMENT_ACTIVATING',
      'b:ELEMENT_ACTIVATED',
      'b:ELEMENT_COMPLETING',
      'b:ELEMENT_COMPLETED',
      'p:ELEMENT_COMPLETING',
      'p:ELEMENT_COMPLETED',
    ]);
    expect(h.eventStream(1, ['INCIDENT'])).toEqual(['INCIDENT:CREATED', 'INCIDENT:RESOLVED', 'INCIDENT:CREATED', 'INCIDENT:RESOLVED']);
    expect(h.isActive(pi)).toBe(false);
    await expectReplayable(h);
  });

  it('raises EXTRACT_VALUE_ERROR (as Zeebe) when a condition is not boolean, naming the flow', async () => {
    const h = new EngineHarness();
    await h.deployProcess(
      model(
        'p',
        start(),
        exclusiveGateway('xor', 'other'),
        end('a'),
        end('c'),
        flow('start', 'xor'),
        flow('xor', 'a', { id: 's1', condition: '=flag' }),
        flow('xor', 'c', { id: 'other' }),
      ),
    );
    const pi = h.createInstance('p', { flag: 'yes' });
    const [incident] = h.events<IncidentValue>('INCIDENT', 'CREATED');
    expect(incident!.value.errorType).toBe('EXTRACT_VALUE_ERROR');
    expect(incident!.value.elementId).toBe('xor');
    expect(incident!.value.errorMessage).toContain("'s1'");
    expect(incident!.value.errorMessage).toContain("to be 'BOOLEAN', but was 'STRING'");
    // Not even the default flow is taken while a condition fails.
    expect(h.elementStream()).not.toContain('other:SEQUENCE_FLOW_TAKEN');

    h.setVariables(pi, { flag: true });
    h.resolveIncident(incident!.key);
    expect(h.elementStream()).toContain('s1:SEQUENCE_FLOW_TAKEN');
    expect(h.isActive(pi)).toBe(false);
    await expectReplayable(h);
  });

  // Mirrors Zeebe's ConditionIncidentTest.shouldCreateIncidentIfConditionFailsToEvaluate: FEEL
  // cannot compare a string with a number, so `foo < 5` is null and the gateway raises an incident.
  it('raises an incident when a condition compares incomparable values (FEEL null semantics)', async () => {
    const h = new EngineHarness();
    await h.deployProcess(routing(true));
    h.createInstance('p', { foo: 'bar' });
    const [incident] = h.events<IncidentValue>('INCIDENT', 'CREATED');
    expect(incident?.value.errorType).toBe('EXTRACT_VALUE_ERROR');
    expect(incident?.value.errorMessage).toContain("'s1'");
    await expectReplayable(h);
  });

  it('does not evaluate later conditions once one holds (they may fail)', async () => {
    const h = new EngineHarness();
    await h.deployProcess(
      model(
        'p',
        start(),
        exclusiveGateway('xor'),
        end('ok'),
        end('never'),
        flow('start', 'xor'),
        flow('xor', 'ok', { id: 'f1', condition: '=true' }),
        flow('xor', 'never', { id: 'f2', condition: '=missing > 1' }),
      ),
    );
    const pi = h.createInstance('p');
    expect(h.events('INCIDENT', 'CREATED')).toHaveLength(0);
    expect(h.isActive(pi)).toBe(false);
    await expectReplayable(h);
  });

  it('merges paths and loops: a counter loop through a joining exclusive gateway', async () => {
    const h = new EngineHarness();
    await h.deployProcess(
      model(
        'p',
        start(),
        exclusiveGateway('merge'),
        scriptTask('inc', '=i + 1', 'i'),
        exclusiveGateway('check', 'again'),
        end(),
        ...chain('start', 'merge', 'inc', 'check'),
        flow('check', 'end', { id: 'done', condition: '=i >= 3' }),
        flow('check', 'merge', { id: 'again' }),
      ),
    );
    const pi = h.createInstance('p', { i: 0 });
    const taken = h.elementStream().filter((e) => e === 'again:SEQUENCE_FLOW_TAKEN' || e === 'done:SEQUENCE_FLOW_TAKEN');
    expect(taken).toEqual(['again:SEQUENCE_FLOW_TAKEN', 'again:SEQUENCE_FLOW_TAKEN', 'done:SEQUENCE_FLOW_TAKEN']);
    expect(h.elementStream().filter((e) => e === 'merge:ELEMENT_COMPLETED')).toHaveLength(3);
    // Each pass through the loop is a new element instance.
    const incKeys = h.events<{ elementId: string }>('PROCESS_INSTANCE', 'ELEMENT_ACTIVATING').filter((r) => r.value.elementId === 'inc').map((r) => r.key);
    expect(new Set(incKeys).size).toBe(3);
    expect(h.isActive(pi)).toBe(false);
    await expectReplayable(h);
  });

  it('routes on variables written by a job', async () => {
    const h = new EngineHarness();
    await h.deployProcess(
      model(
        'p',
        start(),
        serviceTask('check', 'check'),
        exclusiveGateway('xor', 'reject'),
        serviceTask('ship', 'ship'),
        end(),
        ...chain('start', 'check', 'xor'),
        flow('xor', 'ship', { id: 'approve', condition: '=approved = true' }),
        flow('xor', 'end', { id: 'reject' }),
        flow('ship', 'end'),
      ),
    );
    h.createInstance('p');
    h.completeJob(h.jobKeyOf('check'), { approved: true });
    expect(h.elementStream()).toContain('approve:SEQUENCE_FLOW_TAKEN');
    expect(h.elementStream().at(-1)).toBe('ship:ELEMENT_ACTIVATED');
    await expectReplayable(h);
  });
});
