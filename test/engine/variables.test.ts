import { describe, expect, it } from 'vitest';
import type { VariableDocumentValue, VariableValue } from '../../src/engine/records.js';
import { chain, end, model, oneTask, serviceTask, start } from '../fixtures/bpmn-builder.js';
import { EngineHarness, expectRejected, expectReplayable } from '../support/engine-harness.js';

type V = VariableValue;

/** `name=value@scope` for every VARIABLE event, scope as `process`, `task` or the key. */
function variableLog(h: EngineHarness, pi: bigint, taskKey?: bigint): string[] {
  return h
    .records()
    .filter((r) => r.recordType === 'EVENT' && r.valueType === 'VARIABLE')
    .map((r) => {
      const v = r.value as V;
      const scope = v.scopeKey === pi ? 'process' : v.scopeKey === taskKey ? 'task' : String(v.scopeKey);
      return `${r.intent} ${v.name}=${v.value}@${scope}`;
    });
}

describe('variables', () => {
  it('stores creation variables in the process scope as JSON text', async () => {
    const h = new EngineHarness();
    const definitionKey = await h.deployProcess(oneTask('p', 'work'));
    const pi = h.createInstance('p', { s: 'text', n: 1.5, b: false, nil: null, list: [1, 'a'], obj: { deep: { x: 1 } } });
    expect(variableLog(h, pi)).toEqual([
      'CREATED s="text"@process',
      'CREATED n=1.5@process',
      'CREATED b=false@process',
      'CREATED nil=null@process',
      'CREATED list=[1,"a"]@process',
      'CREATED obj={"deep":{"x":1}}@process',
    ]);
    const [first] = h.events<V>('VARIABLE', 'CREATED');
    expect(first!.value).toMatchObject({ processInstanceKey: pi, processDefinitionKey: definitionKey, bpmnProcessId: 'p', tenantId: '<default>' });
    expect(h.variablesOf(pi)).toEqual({ s: 'text', n: 1.5, b: false, nil: null, list: [1, 'a'], obj: { deep: { x: 1 } } });
    await expectReplayable(h);
  });

  it('input mappings create local variables of the element, including dotted targets', async () => {
    const h = new EngineHarness();
    await h.deployProcess(
      oneTask('p', 'work', {
        io: { inputs: [['=order.id', 'orderId'], ['=customer.name', 'shipping.name'], ['=order.total * 2', 'shipping.amount']] },
      }),
    );
    const pi = h.createInstance('p', { order: { id: 'o-7', total: 21 }, customer: { name: 'Ada' } });
    const taskKey = h.elementKeyOf('task');
    expect(variableLog(h, pi, taskKey).slice(2)).toEqual([
      'CREATED orderId="o-7"@task',
      'CREATED shipping={"name":"Ada","amount":42}@task',
    ]);
    const [job] = h.activateJobs('work').jobs;
    expect(job!.variables).toMatchObject({ orderId: 'o-7', shipping: { name: 'Ada', amount: 42 } });
    // Locals are not visible in the process scope and vanish with the element.
    expect(Object.keys(h.variablesOf(pi))).toEqual(['order', 'customer']);
    h.completeJob(h.jobKeyOf('task'));
    expect(h.partition().state.variables.local(taskKey).size).toBe(0);
    await expectReplayable(h);
  });

  it('output mappings write only their targets to the flow scope, merging dotted targets into existing variables', async () => {
    const h = new EngineHarness();
    await h.deployProcess(
      model(
        'p',
        start(),
        serviceTask('task', 'work', { io: { outputs: [['=result.status', 'order.status'], ['=result.code', 'code']] } }),
        serviceTask('next', 'next'),
        ...chain('start', 'task', 'next'),
      ),
    );
    const pi = h.createInstance('p', { order: { id: 1, total: 5 } });
    h.completeJob(h.jobKeyOf('task'), { result: { status: 'shipped', code: 200 }, ignored: true });
    expect(h.variablesOf(pi)).toEqual({ order: { id: 1, total: 5, status: 'shipped' }, code: 200 });
    // The job's variables become the task's locals (as in Zeebe, since it has output mappings); only the targets reach the process.
    expect(variableLog(h, pi, h.elementKeyOf('task')).slice(1)).toEqual([
      'CREATED result={"status":"shipped","code":200}@task',
      'CREATED ignored=true@task',
      'UPDATED order={"id":1,"total":5,"status":"shipped"}@process',
      'CREATED code=200@process',
    ]);
    // UPDATED keeps the variable's key.
    const created = h.events<V>('VARIABLE', 'CREATED').find((r) => r.value.name === 'order')!;
    expect(h.events<V>('VARIABLE', 'UPDATED')[0]!.key).toBe(created.key);
    await expectReplayable(h);
  });

  it('output mappings see the element locals and the job result', async () => {
    const h = new EngineHarness();
    await h.deployProcess(
      oneTask('p', 'work', { io: { inputs: [['=10', 'base']], outputs: [['=base + delta', 'total']] } }),
    );
    const pi = h.createInstance('p');
    h.completeJob(h.jobKeyOf('task'), { delta: 5 });
    const created = h.events<V>('VARIABLE', 'CREATED').filter((r) => r.value.scopeKey === pi);
    expect(created.map((r) => `${r.value.name}=${r.value.value}`)).toEqual(['total=15']);
    await expectReplayable(h);
  });

  it('merges job variables without output mappings into the nearest scope that has them, else the process', async () => {
    const h = new EngineHarness();
    await h.deployProcess(oneTask('p', 'work', { io: { inputs: [['=x', 'x']] } }));
    const pi = h.createInstance('p', { x: 1 });
    const taskKey = h.elementKeyOf('task');
    h.completeJob(h.jobKeyOf('task'), { x: 2, y: 3 });
    // As Zeebe: `x` exists locally (input mapping), so the job's `x` lands there and dies with the task.
    expect(variableLog(h, pi, taskKey)).toEqual([
      'CREATED x=1@process',
      'CREATED x=1@task',
      'UPDATED x=2@task',
      'CREATED y=3@process',
    ]);
    await expectReplayable(h);
  });

  it('writes nothing for a value that did not change', async () => {
    const h = new EngineHarness();
    await h.deployProcess(oneTask('p', 'work'));
    const pi = h.createInstance('p', { a: { k: [1, 2] }, b: 1 });
    h.completeJob(h.jobKeyOf('task'), { a: { k: [1, 2] }, b: 2 });
    expect(variableLog(h, pi).slice(2)).toEqual(['UPDATED b=2@process']);
    await expectReplayable(h);
  });

  it('SetVariables on the process scope creates and updates variables', async () => {
    const h = new EngineHarness();
    await h.deployProcess(oneTask('p', 'work'));
    const pi = h.createInstance('p', { a: 1 });
    const response = h.setVariables(pi, { a: 2, b: 'new' });
    expect(response?.ok).toBe(true);
    const documentKey = (response as { key: bigint }).key;
    expect(variableLog(h, pi).slice(1)).toEqual(['UPDATED a=2@process', 'CREATED b="new"@process']);
    expect(h.eventStream().slice(-3)).toEqual(['VARIABLE:UPDATED', 'VARIABLE:CREATED', 'VARIABLE_DOCUMENT:UPDATED']);
    const [doc] = h.events<VariableDocumentValue>('VARIABLE_DOCUMENT', 'UPDATED');
    expect(doc!.key).toBe(documentKey);
    expect(doc!.value).toMatchObject({ scopeKey: pi, updateSemantics: 'PROPAGATE', variables: { a: 2, b: 'new' } });
    await expectReplayable(h);
  });

  it('SetVariables LOCAL on an element writes to that element; PROPAGATE goes to the nearest scope that has the name', async () => {
    const h = new EngineHarness();
    await h.deployProcess(oneTask('p', 'work', { io: { inputs: [['=1', 'local']] } }));
    const pi = h.createInstance('p', { shared: 'p' });
    const taskKey = h.elementKeyOf('task');

    h.setVariables(taskKey, { shared: 'task-local', extra: true }, true);
    expect(variableLog(h, pi, taskKey).slice(2)).toEqual(['CREATED shared="task-local"@task', 'CREATED extra=true@task']);
    expect(h.variablesOf(pi)).toEqual({ shared: 'p' });

    h.setVariables(taskKey, { local: 2, shared: 'again', fresh: 'root' });
    expect(variableLog(h, pi, taskKey).slice(4)).toEqual([
      'UPDATED local=2@task',
      'UPDATED shared="again"@task',
      'CREATED fresh="root"@process',
    ]);
    const [job] = h.activateJobs('work').jobs;
    expect(job!.variables).toEqual({ shared: 'again', fresh: 'root', local: 2, extra: true });
    await expectReplayable(h);
  });

  it('rejects SetVariables for an unknown scope with NOT_FOUND naming the key', async () => {
    const h = new EngineHarness();
    await h.deployProcess(oneTask('p', 'work'));
    const pi = h.createInstance('p');
    const missing = pi + 1000n;
    expectRejected(h.setVariables(missing, { a: 1 }), 'NOT_FOUND', `'${missing}'`);
    // A completed instance is no scope any more either.
    h.completeJob(h.jobKeyOf('task'));
    expectRejected(h.setVariables(pi, { a: 1 }), 'NOT_FOUND', `'${pi}'`);
    expect(h.rejectionsOf('VARIABLE_DOCUMENT', 'UPDATE')).toHaveLength(2);
    expect(h.events('VARIABLE', 'CREATED')).toHaveLength(0);
    await expectReplayable(h);
  });

  it('gives each parallel task its own local scope', async () => {
    const h = new EngineHarness();
    await h.deployProcess(
      model(
        'p',
        start(),
        '<bpmn:parallelGateway id="fork"/>',
        serviceTask('a', 'a', { io: { inputs: [['="A"', 'who']] } }),
        serviceTask('b', 'b', { io: { inputs: [['="B"', 'who']] } }),
        end('endA'),
        end('endB'),
        ...chain('start', 'fork'),
        ...chain('fork', 'a', 'endA'),
        ...chain('fork', 'b', 'endB'),
      ),
    );
    const pi = h.createInstance('p');
    expect(h.activateJobs('a').jobs[0]!.variables).toEqual({ who: 'A' });
    expect(h.activateJobs('b').jobs[0]!.variables).toEqual({ who: 'B' });
    expect(h.variablesOf(pi)).toEqual({});
    await expectReplayable(h);
  });

  it('keeps int64 values exact from creation through job activation, completion and replay', async () => {
    const h = new EngineHarness();
    await h.deployProcess(oneTask('p', 'work'));
    const pi = h.createInstance('p', { id: 9007199254740993n, ids: [18446744073709551615n] });
    const created = h.events<V>('VARIABLE', 'CREATED').map((r) => `${r.value.name}=${r.value.value}`);
    expect(created).toEqual(['id=9007199254740993', 'ids=[18446744073709551615]']);
    const job = h.activateJobs('work').jobs[0]!;
    expect(job.variables).toEqual({ id: 9007199254740993n, ids: [18446744073709551615n] });
    h.completeJob(h.jobKeyOf('task', pi), { next: -9223372036854775807n });
    expect(h.events<V>('VARIABLE', 'CREATED').map((r) => r.value.value)).toContain('-9223372036854775807');
    await expectReplayable(h);
  });
});
