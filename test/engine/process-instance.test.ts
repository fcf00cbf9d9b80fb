import { describe, expect, it } from 'vitest';
import type { ProcessInstanceCreationValue } from '../../src/engine/records.js';
import {
  chain,
  end,
  message,
  messageBoundary,
  model,
  oneTask,
  parallelGateway,
  serviceTask,
  start,
  timerBoundary,
  timerCatch,
} from '../fixtures/bpmn-builder.js';
import { EngineHarness, expectRejected, expectReplayable } from '../support/engine-harness.js';

describe('creating process instances', () => {
  it('creates an instance of the latest version by BPMN process id', async () => {
    const h = new EngineHarness();
    await h.deployProcess(oneTask('p', 'v1'));
    const v2 = await h.deployProcess(oneTask('p', 'v2'));
    const response = h.createInstanceRaw({ bpmnProcessId: 'p' });
    expect(response?.ok).toBe(true);
    expect((response as { value: unknown }).value).toMatchObject({ processDefinitionKey: v2, version: 2, bpmnProcessId: 'p' });
    expect(h.events<{ type: string }>('JOB', 'CREATED').map((r) => r.value.type)).toEqual(['v2']);
    const [created] = h.events<ProcessInstanceCreationValue>('PROCESS_INSTANCE_CREATION', 'CREATED');
    expect(created!.value).toMatchObject({ bpmnProcessId: 'p', processDefinitionKey: v2, version: 2 });
    expect(created!.key).toBe((response as { key: bigint }).key);
    await expectReplayable(h);
  });

  it('creates an instance of a given version, or of a given definition key', async () => {
    const h = new EngineHarness();
    const v1 = await h.deployProcess(oneTask('p', 'v1'));
    await h.deployProcess(oneTask('p', 'v2'));
    expect((h.createInstanceRaw({ bpmnProcessId: 'p', version: 1 }) as { value: { version: number } }).value.version).toBe(1);
    const byKey = h.createInstanceRaw({ processDefinitionKey: v1 }) as { value: { version: number; processDefinitionKey: bigint } };
    expect(byKey.value).toMatchObject({ version: 1, processDefinitionKey: v1 });
    expect(h.events<{ type: string }>('JOB', 'CREATED').map((r) => r.value.type)).toEqual(['v1', 'v1']);
    await expectReplayable(h);
  });

  it('rejects unknown process ids, versions and keys with NOT_FOUND', async () => {
    const h = new EngineHarness();
    const key = await h.deployProcess(oneTask('p', 'work'));
    expectRejected(h.createInstanceRaw({ bpmnProcessId: 'nope' }), 'NOT_FOUND', "'nope'");
    expectRejected(h.createInstanceRaw({ bpmnProcessId: 'p', version: 7 }), 'NOT_FOUND', "'p'", "'7'");
    expectRejected(h.createInstanceRaw({ processDefinitionKey: key + 1000n }), 'NOT_FOUND', `'${key + 1000n}'`);
    expectRejected(h.createInstanceRaw({}), 'NOT_FOUND', 'bpmnProcessId');
    expect(h.rejectionsOf('PROCESS_INSTANCE_CREATION', 'CREATE')).toHaveLength(4);
    expect(h.events('PROCESS_INSTANCE', 'ELEMENT_ACTIVATING')).toHaveLength(0);
    expect(h.events('VARIABLE', 'CREATED')).toHaveLength(0);
    await expectReplayable(h);
  });

  it('gives every instance its own key and scope', async () => {
    const h = new EngineHarness();
    await h.deployProcess(oneTask('p', 'work'));
    const a = h.createInstance('p', { who: 'a' });
    const b = h.createInstance('p', { who: 'b' });
    expect(a).not.toBe(b);
    expect(h.variablesOf(a)).toEqual({ who: 'a' });
    expect(h.variablesOf(b)).toEqual({ who: 'b' });
    await expectReplayable(h);
  });
});

describe('cancelling process instances', () => {
  const BUSY = model(
    'p',
    start(),
    parallelGateway('fork'),
    serviceTask('task', 'work'),
    timerCatch('wait', 'duration', 'PT1H'),
    serviceTask('watched', 'watched'),
    timerBoundary('late', 'watched', 'duration', 'PT10M'),
    messageBoundary('stop', 'watched', 'm'),
    message('m', 'stop', '=id'),
    end('e1'),
    end('e2'),
    end('e3'),
    end('e4'),
    end('e5'),
    ...chain('start', 'fork'),
    ...chain('fork', 'task', 'e1'),
    ...chain('fork', 'wait', 'e2'),
    ...chain('fork', 'watched', 'e3'),
    ...chain('late', 'e4'),
    ...chain('stop', 'e5'),
  );

  it('terminates every child, cancels jobs and timers and closes message subscriptions', async () => {
    const h = new EngineHarness();
    await h.deployProcess(BUSY);
    const pi = h.createInstance('p', { id: 'x' });
    expect(h.events('TIMER', 'CREATED')).toHaveLength(2);
    const jobs = h.events('JOB', 'CREATED').map((r) => r.key);
    const before = h.records().length;
    expect(h.cancelInstance(pi)).toEqual({ ok: true, key: pi, value: {} });
    const after = h.records().slice(before).filter((r) => r.recordType === 'EVENT');
    const described = after.map((r) => {
      const id = (r.value as { elementId?: string; targetElementId?: string }).elementId ?? (r.value as { targetElementId?: string }).targetElementId;
      return `${r.valueType}:${r.intent}${id ? `:${id}` : ''}`;
    });
    expect(described).toEqual([
      'PROCESS_INSTANCE:ELEMENT_TERMINATING:p',
      'PROCESS_INSTANCE:ELEMENT_TERMINATING:task',
      'JOB:CANCELED:task',
      'PROCESS_INSTANCE:ELEMENT_TERMINATED:task',
      'PROCESS_INSTANCE:ELEMENT_TERMINATING:wait',
      'TIMER:CANCELED:wait',
      'PROCESS_INSTANCE:ELEMENT_TERMINATED:wait',
      'PROCESS_INSTANCE:ELEMENT_TERMINATING:watched',
      'JOB:CANCELED:watched',
      'TIMER:CANCELED:late',
      'PROCESS_MESSAGE_SUBSCRIPTION:DELETING:stop',
      'PROCESS_INSTANCE:ELEMENT_TERMINATED:watched',
      'PROCESS_INSTANCE:ELEMENT_TERMINATED:p',
      'MESSAGE_SUBSCRIPTION:DELETED',
      'PROCESS_MESSAGE_SUBSCRIPTION:DELETED:stop',
    ]);
    expect(h.events('JOB', 'CANCELED').map((r) => r.key)).toEqual(jobs);
    const state = h.partition().state;
    for (const table of [state.elementInstances.table, state.jobs.table, state.timers.table, state.variables.table, state.messageSubscriptions.table, state.processMessageSubscriptions.table]) {
      expect(table.size, table.name).toBe(0);
    }
    // Nothing fires later.
    h.advanceTime(2 * 3_600_000);
    expect(h.events('TIMER', 'TRIGGERED')).toHaveLength(0);
    h.publishMessage('stop', 'x');
    expect(h.events('MESSAGE_SUBSCRIPTION', 'CORRELATING')).toHaveLength(0);
    await expectReplayable(h);
  });

  it('rejects cancelling an unknown key, an element that is not a process instance, or a finished instance', async () => {
    const h = new EngineHarness();
    await h.deployProcess(oneTask('p', 'work'));
    const pi = h.createInstance('p');
    const taskKey = h.elementKeyOf('task');
    expectRejected(h.cancelInstance(pi + 999n), 'NOT_FOUND', `'${pi + 999n}'`);
    expectRejected(h.cancelInstance(taskKey), 'NOT_FOUND', `'${taskKey}'`);
    expect(h.isActive(taskKey)).toBe(true);
    expect(h.cancelInstance(pi)?.ok).toBe(true);
    expectRejected(h.cancelInstance(pi), 'NOT_FOUND', `'${pi}'`);
    expect(h.rejectionsOf('PROCESS_INSTANCE', 'CANCEL')).toHaveLength(3);
    await expectReplayable(h);
  });
});

describe('create with awaiting result', () => {
  it('answers when the instance completes, with the requested variables only', async () => {
    const h = new EngineHarness();
    const definitionKey = await h.deployProcess(oneTask('p', 'work'));
    const requestId = h.createInstanceWithResult('p', { a: 1, b: 2 }, ['a', 'result']);
    // No immediate answer: the instance is still running.
    expect(h.deferred.has(requestId)).toBe(false);
    const pi = h.events<ProcessInstanceCreationValue>('PROCESS_INSTANCE_CREATION', 'CREATED')[0]!.key;
    h.completeJob(h.jobKeyOf('task'), { result: 'done', other: true });
    expect(h.deferred.get(requestId)).toEqual({
      ok: true,
      key: pi,
      value: { processDefinitionKey: definitionKey, bpmnProcessId: 'p', version: 1, processInstanceKey: pi, tenantId: '<default>', variables: { a: 1, result: 'done' } },
    });
    expect(h.partition().engine.awaiting.size).toBe(0);
    await expectReplayable(h);
  });

  it('returns all variables when none are named, and answers within the command when there is no wait state', async () => {
    const h = new EngineHarness();
    await h.deployProcess(model('p', start(), end(), ...chain('start', 'end')));
    const requestId = h.createInstanceWithResult('p', { a: 1, b: { c: 2 } });
    const answer = h.deferred.get(requestId) as { ok: true; value: { variables: unknown } };
    expect(answer.ok).toBe(true);
    expect(answer.value.variables).toEqual({ a: 1, b: { c: 2 } });
    await expectReplayable(h);
  });

  it('answers with an error when the instance is cancelled before it completes', async () => {
    const h = new EngineHarness();
    await h.deployProcess(oneTask('p', 'work'));
    const requestId = h.createInstanceWithResult('p');
    const pi = h.events<ProcessInstanceCreationValue>('PROCESS_INSTANCE_CREATION', 'CREATED')[0]!.key;
    h.cancelInstance(pi);
    const answer = h.deferred.get(requestId);
    expect(answer).toMatchObject({ ok: false, rejectionType: 'INVALID_STATE' });
    expect((answer as { reason: string }).reason).toContain(String(pi));
    expect(h.partition().engine.awaiting.size).toBe(0);
    await expectReplayable(h);
  });

  it('rejects at once when the process does not exist', async () => {
    const h = new EngineHarness();
    const before = h.deferred.size;
    h.createInstanceWithResult('nope');
    expect(h.deferred.size).toBe(before);
    const [rejection] = h.rejectionsOf('PROCESS_INSTANCE_CREATION', 'CREATE_WITH_AWAITING_RESULT');
    expect(rejection!.rejectionType).toBe('NOT_FOUND');
    expect(h.partition().engine.awaiting.size).toBe(0);
    await expectReplayable(h);
  });
});
