import { describe, expect, it } from 'vitest';
import type { ProcessInstanceValue } from '../../src/engine/records.js';
import { chain, end, error, errorBoundary, flow, model, serviceTask, start, subProcess, timerBoundary, type LoopOptions, type Part } from '../fixtures/bpmn-builder.js';
import { EngineHarness, expectReplayable } from '../support/engine-harness.js';

function miModel(loop: LoopOptions, extra: Part[] = []): string {
  return model('p', start(), serviceTask('task', 'work', { loop }), serviceTask('after', 'after'), end(), ...chain('start', 'task', 'after', 'end'), ...extra);
}

function innerJobs(h: EngineHarness): Array<{ key: bigint; item: unknown; loopCounter: unknown; elementInstanceKey: bigint }> {
  return h.events<{ elementId: string; elementInstanceKey: bigint }>('JOB', 'CREATED')
    .filter((r) => r.value.elementId === 'task')
    .map((r) => {
      const vars = h.variablesOf(r.value.elementInstanceKey);
      return { key: r.key, item: vars.item, loopCounter: vars.loopCounter, elementInstanceKey: r.value.elementInstanceKey };
    });
}

describe('multi-instance (parallel)', () => {
  it('runs one inner instance per item inside a body; each has its item and loop counter; output collected in item order', async () => {
    const h = new EngineHarness();
    await h.deployProcess(miModel({ inputCollection: '=items', inputElement: 'item', outputCollection: 'results', outputElement: '=result' }));
    const pi = h.createInstance('p', { items: ['a', 'b', 'c'] });
    const body = h.events<ProcessInstanceValue>('PROCESS_INSTANCE', 'ELEMENT_ACTIVATING').find((r) => r.value.bpmnElementType === 'MULTI_INSTANCE_BODY')!;
    expect(body.value).toMatchObject({ elementId: 'task', flowScopeKey: pi });
    const inner = h.events<ProcessInstanceValue>('PROCESS_INSTANCE', 'ELEMENT_ACTIVATING').filter((r) => r.value.bpmnElementType === 'SERVICE_TASK' && r.value.elementId === 'task');
    expect(inner.map((r) => r.value.flowScopeKey)).toEqual([body.key, body.key, body.key]);
    const jobs = innerJobs(h);
    expect(jobs.map((j) => [j.item, j.loopCounter])).toEqual([['a', 1], ['b', 2], ['c', 3]]);
    expect(h.variablesOf(body.key)).toEqual({ results: [null, null, null] });
    await expectReplayable(h);

    // Completed out of order: each result lands at its item's place.
    h.completeJob(jobs[2]!.key, { result: 'C' });
    h.completeJob(jobs[0]!.key, { result: 'A' });
    expect(h.variablesOf(body.key)).toEqual({ results: ['A', null, 'C'] });
    expect(h.isActive(body.key)).toBe(true);
    h.completeJob(jobs[1]!.key, { result: 'B' });
    expect(h.isActive(body.key)).toBe(false);
    expect(h.variablesOf(pi).results).toEqual(['A', 'B', 'C']);
    const stream = h.elementStreamOf(pi);
    expect(stream.slice(stream.lastIndexOf('task:ELEMENT_COMPLETED') - 1, stream.lastIndexOf('task:ELEMENT_COMPLETED') + 3)).toEqual([
      'task:ELEMENT_COMPLETING',
      'task:ELEMENT_COMPLETED',
      'task_after:SEQUENCE_FLOW_TAKEN',
      'after:ELEMENT_ACTIVATING',
    ]);
    await expectReplayable(h);
  });

  it('an inner activity with output mappings: its job result is local, and a mapping onto it stays in its scope for the output element', async () => {
    const h = new EngineHarness();
    const loop = { inputCollection: '=items', inputElement: 'item', outputCollection: 'results', outputElement: '=value' };
    await h.deployProcess(
      model('p', start(), serviceTask('task', 'work', { loop, io: { outputs: [['=value * 2', 'value']] } }), serviceTask('after', 'after'), end(), ...chain('start', 'task', 'after', 'end')),
    );
    const pi = h.createInstance('p', { items: [1, 2, 3] });
    const jobs = innerJobs(h);
    h.completeJob(jobs[1]!.key, { value: 20 });
    // The job's `value` became the inner instance's local; the mapping updated it there (as in Zeebe).
    const written = h.records().filter((r) => r.valueType === 'VARIABLE' && (r.value as { name: string }).name === 'value');
    expect(written.map((r) => [r.intent, (r.value as { scopeKey: bigint }).scopeKey])).toEqual([
      ['CREATED', jobs[1]!.elementInstanceKey],
      ['UPDATED', jobs[1]!.elementInstanceKey],
    ]);
    h.completeJob(jobs[0]!.key, { value: 10 });
    h.completeJob(jobs[2]!.key, { value: 30 });
    const process = h.variablesOf(pi);
    expect(process.results).toEqual([20, 40, 60]);
    expect(process).not.toHaveProperty('value');
    await expectReplayable(h);
  });

  it("an inner activity's input mappings see its item and loop counter (set before the mappings, as in Zeebe)", async () => {
    const h = new EngineHarness();
    const loop = { inputCollection: '=items', inputElement: 'item' };
    await h.deployProcess(
      model('p', start(), serviceTask('task', 'work', { loop, io: { inputs: [['=item.name', 'name'], ['=loopCounter * 10', 'rank']] } }), end(), ...chain('start', 'task', 'end')),
    );
    h.createInstance('p', { items: [{ name: 'a' }, { name: 'b' }] });
    const jobs = innerJobs(h);
    expect(jobs.map((j) => [h.variablesOf(j.elementInstanceKey).name, h.variablesOf(j.elementInstanceKey).rank])).toEqual([
      ['a', 10],
      ['b', 20],
    ]);
    await expectReplayable(h);
  });

  it('an empty collection completes the body at once, with an empty output collection', async () => {
    const h = new EngineHarness();
    await h.deployProcess(miModel({ inputCollection: '=items', outputCollection: 'results', outputElement: '=result' }));
    const pi = h.createInstance('p', { items: [] });
    expect(h.events('JOB', 'CREATED').map((r) => (r.value as { elementId: string }).elementId)).toEqual(['after']);
    expect(h.variablesOf(pi).results).toEqual([]);
    await expectReplayable(h);
  });

  it('a completion condition ends the loop early: the other inner instances are terminated', async () => {
    const h = new EngineHarness();
    await h.deployProcess(miModel({ inputCollection: '=items', inputElement: 'item', completionCondition: '=numberOfCompletedInstances >= 2' }));
    const pi = h.createInstance('p', { items: [1, 2, 3, 4] });
    const jobs = innerJobs(h);
    h.completeJob(jobs[3]!.key);
    expect(h.events('JOB', 'CANCELED')).toHaveLength(0);
    h.completeJob(jobs[1]!.key);
    expect(h.events('JOB', 'CANCELED').map((r) => r.key).sort()).toEqual([jobs[0]!.key, jobs[2]!.key].sort());
    expect(h.elementStreamOf(pi)).toContain('after:ELEMENT_ACTIVATED');
    await expectReplayable(h);
  });

  it('a collection that is not a list is an incident on the body; fixing the variable and resolving goes on', async () => {
    const h = new EngineHarness();
    await h.deployProcess(miModel({ inputCollection: '=items', inputElement: 'item' }));
    const pi = h.createInstance('p', { items: 'abc' });
    const [incident] = h.events<{ errorType: string; errorMessage: string; elementId: string }>('INCIDENT', 'CREATED');
    expect(incident!.value).toMatchObject({ errorType: 'EXTRACT_VALUE_ERROR', elementId: 'task' });
    expect(incident!.value.errorMessage).toContain("Expected result of the expression 'items' to be 'ARRAY', but was 'STRING'");
    h.setVariables(pi, { items: ['x'] });
    expect(h.resolveIncident(incident!.key)?.ok).toBe(true);
    expect(innerJobs(h).map((j) => j.item)).toEqual(['x']);
    await expectReplayable(h);
  });

  it('boundary events belong to the body: an error thrown by one inner instance ends them all', async () => {
    const h = new EngineHarness();
    await h.deployProcess(miModel({ inputCollection: '=items' }, [error('e', 'FAIL'), errorBoundary('caught', 'task', 'e'), end('failed'), flow('caught', 'failed')]));
    const pi = h.createInstance('p', { items: [1, 2, 3] });
    const jobs = innerJobs(h);
    h.throwError(jobs[1]!.key, 'FAIL');
    expect(h.elementStreamOf(pi)).toContain('failed:ELEMENT_COMPLETED');
    expect(h.isActive(pi)).toBe(false);
    expect(h.partition().state.jobs.table.size).toBe(0);
    await expectReplayable(h);
  });
});

describe('multi-instance (sequential)', () => {
  it('runs the items one after the other, the next once the previous has completed', async () => {
    const h = new EngineHarness();
    await h.deployProcess(miModel({ sequential: true, inputCollection: '=items', inputElement: 'item', outputCollection: 'out', outputElement: '=item * 10' }));
    const pi = h.createInstance('p', { items: [1, 2, 3] });
    for (let i = 1; i <= 3; i++) {
      const jobs = innerJobs(h);
      expect(jobs).toHaveLength(i);
      expect(jobs[i - 1]).toMatchObject({ item: i, loopCounter: i });
      h.completeJob(jobs[i - 1]!.key);
    }
    expect(h.variablesOf(pi).out).toEqual([10, 20, 30]);
    expect(h.elementStreamOf(pi)).toContain('after:ELEMENT_ACTIVATED');
    await expectReplayable(h);
  });

  it('a timer boundary on the body interrupts the whole loop', async () => {
    const h = new EngineHarness();
    await h.deployProcess(miModel({ sequential: true, inputCollection: '=items' }, [timerBoundary('late', 'task', 'duration', 'PT1M'), end('timed_out'), flow('late', 'timed_out')]));
    const pi = h.createInstance('p', { items: [1, 2] });
    h.completeJob(innerJobs(h)[0]!.key);
    h.advanceTime(60_000);
    expect(h.elementStreamOf(pi)).toContain('timed_out:ELEMENT_COMPLETED');
    expect(innerJobs(h)).toHaveLength(2);
    expect(h.isActive(pi)).toBe(false);
    await expectReplayable(h);
  });
});

describe('multi-instance sub-process', () => {
  it('runs the embedded sub-process per item, each a scope of its own', async () => {
    const h = new EngineHarness();
    await h.deployProcess(
      model(
        'p',
        start(),
        subProcess('sub', [start('s1'), serviceTask('work', 'work'), end('e1'), ...chain('s1', 'work', 'e1')], undefined, { inputCollection: '=orders', inputElement: 'order', outputCollection: 'done', outputElement: '=order.id' }),
        end(),
        ...chain('start', 'sub', 'end'),
      ),
    );
    const pi = h.createInstance('p', { orders: [{ id: 'o1' }, { id: 'o2' }] });
    const jobs = h.events<{ elementId: string; elementInstanceKey: bigint }>('JOB', 'CREATED');
    expect(jobs).toHaveLength(2);
    for (const job of jobs) h.completeJob(job.key);
    expect(h.isActive(pi)).toBe(false);
    // The collection reached the process scope as the body completed (the instance is gone now, so read the record).
    const written = h.records().filter((r) => r.recordType === 'EVENT' && r.valueType === 'VARIABLE' && (r.value as { scopeKey: bigint; name: string }).scopeKey === pi && (r.value as { name: string }).name === 'done');
    expect(written.map((r) => (r.value as { value: string }).value)).toEqual(['["o1","o2"]']);
    await expectReplayable(h);
  });
});
