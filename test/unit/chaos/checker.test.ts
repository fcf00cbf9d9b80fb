import { describe, expect, it } from 'vitest';
import { judge, type ElementPass, type EndState } from '../../chaos/checker.js';
import { OperationLog, type Operation } from '../../chaos/operations.js';
import type { Attempt } from '../../chaos/workload.js';

const attempts = new Map<string, Attempt>([
  ['a', { tag: 'a', shape: 'one-task' }],
  ['b', { tag: 'b', shape: 'timer' }],
  ['c', { tag: 'c', shape: 'message' }],
  ['d', { tag: 'd', shape: 'user-task' }],
  ['e', { tag: 'e', shape: 'one-task' }],
]);

function op(kind: Operation['kind'], subject: string, outcome: Operation['outcome'], extra: Partial<Operation> = {}): Operation {
  return { kind, via: 0, startedAt: 1, endedAt: 2, outcome, subject, ...extra };
}

const goodOps: Operation[] = [
  op('create', 'a', 'ack', { result: '1' }),
  op('create', 'b', 'ack', { result: '2' }),
  op('create', 'c', 'ack', { result: '3' }),
  op('create', 'd', 'ack', { result: '4' }),
  op('create', 'e', 'unknown', { code: 'TIMEOUT' }),
  op('publish', 'c', 'ack'),
  op('publish', 'c', 'error', { code: 'ALREADY_EXISTS' }),
  op('complete-job', '100', 'ack'),
  op('complete-job', '100', 'error', { code: 'NOT_FOUND' }),
  op('complete-user-task', '400', 'ack'),
];

const passes = (key: string, ...elements: string[]): ElementPass[] => elements.map((elementId) => ({ processInstanceKey: key, elementId, state: 'COMPLETED' }));

function goodEnd(): EndState {
  return {
    tagInstances: new Map([['a', new Set(['1'])], ['b', new Set(['2'])], ['c', new Set(['3'])], ['d', new Set(['4'])]]),
    instanceStates: new Map([['1', 'COMPLETED'], ['2', 'COMPLETED'], ['3', 'COMPLETED'], ['4', 'COMPLETED']]),
    elementPasses: [...passes('1', 'work'), ...passes('2', 'wait', 'work'), ...passes('3', 'waitForPayment', 'work'), ...passes('4', 'review')],
    correlations: new Map([['c', 1]]),
  };
}

describe('chaos checker', () => {
  it('accepts a run where everything acknowledged happened once, and an unknown create that did not happen', () => {
    const verdict = judge(attempts, goodOps, goodEnd());
    expect(verdict.violations).toEqual([]);
    expect(verdict.figures).toMatchObject({ ackedCreates: 4, instancesChecked: 4, unacknowledgedThatExist: 0, jobCompletionsAcked: 1, userTaskCompletionsAcked: 1, messagesConfirmed: 1 });
  });

  it('accepts an unknown create that did happen, once', () => {
    const end = goodEnd();
    (end.tagInstances as Map<string, Set<string>>).set('e', new Set(['5']));
    expect(judge(attempts, goodOps, end).violations).toEqual([]);
  });

  it('reports a lost acknowledged create, a duplicated tag and a stranger', () => {
    const end = goodEnd();
    const tags = end.tagInstances as Map<string, Set<string>>;
    tags.delete('a');
    tags.set('e', new Set(['5', '6']));
    tags.set('zz', new Set(['7']));
    const violations = judge(attempts, goodOps, end).violations;
    expect(violations).toContain('acknowledged create a (instance 1) is missing');
    expect(violations).toContain('tag e is on 2 instances: 5, 6');
    expect(violations).toContain('instance(s) 7 carry tag zz, which nobody sent');
  });

  it('reports an acknowledged instance that did not complete, and a timer that fired twice', () => {
    const end = goodEnd();
    (end.instanceStates as Map<string, string>).set('4', 'ACTIVE');
    (end.instanceStates as Map<string, string>).set('3', 'ACTIVE');
    const elementPasses = end.elementPasses as ElementPass[];
    elementPasses.splice(elementPasses.findIndex((p) => p.processInstanceKey === '3' && p.elementId === 'work'), 1, { processInstanceKey: '3', elementId: 'work', state: 'ACTIVE' });
    elementPasses.push(...passes('2', 'wait'));
    const violations = judge(attempts, goodOps, end).violations;
    // Where an instance stands is named when the search shows an open element.
    expect(violations).toContain('acknowledged instance 3 (c, message) ended ACTIVE, not COMPLETED (at work ACTIVE)');
    expect(violations).toContain('acknowledged instance 4 (d, user-task) ended ACTIVE, not COMPLETED');
    expect(violations).toContain('instance 2 (b) passed wait 2 times: COMPLETED, COMPLETED');
  });

  it('reports a completed instance that skipped an element of its path', () => {
    const full = goodEnd();
    const end: EndState = { ...full, elementPasses: full.elementPasses.filter((p) => !(p.processInstanceKey === '2' && p.elementId === 'wait')) };
    expect(judge(attempts, goodOps, end).violations).toEqual(['completed instance 2 (b, timer) never passed wait']);
  });

  it('reports double successes: a job, a user task, a message id', () => {
    const ops = [...goodOps, op('complete-job', '100', 'ack'), op('complete-user-task', '400', 'ack'), op('publish', 'c', 'ack')];
    const violations = judge(attempts, ops, goodEnd()).violations;
    expect(violations).toContain('completion of job 100 was acknowledged 2 times');
    expect(violations).toContain('completion of user task 400 was acknowledged 2 times');
    expect(violations).toContain('publication of message id m- c was acknowledged 2 times');
  });

  it('reports a message correlated twice, and a refused create that happened anyway', () => {
    const end = goodEnd();
    (end.correlations as Map<string, number>).set('c', 2);
    (end.tagInstances as Map<string, Set<string>>).set('e', new Set(['5']));
    const ops = goodOps.map((o) => (o.subject === 'e' ? { ...o, outcome: 'error' as const, code: 'RESOURCE_EXHAUSTED' } : o));
    const violations = judge(attempts, ops, end).violations;
    expect(violations).toContain('correlation key c correlated 2 times');
    expect(violations).toContain('completed message instance 3 (c) has 2 correlations');
    expect(violations).toContain('create e was refused with RESOURCE_EXHAUSTED but instance 5 exists');
  });
});

describe('chaos operation log', () => {
  it('records acks, errors by code and timeouts as unknown', async () => {
    const log = new OperationLog();
    await log.record('create', 1, 't1', async () => ({ processInstanceKey: '9' }), { timeoutMs: 100, describe: (r) => r.processInstanceKey });
    await expect(log.record('create', 1, 't2', () => Promise.reject(Object.assign(new Error('busy'), { code: 8 })), { timeoutMs: 100 })).rejects.toThrow('busy');
    await expect(log.record('create', 2, 't3', () => new Promise(() => {}), { timeoutMs: 20 })).rejects.toThrow(/no answer/);
    await expect(log.record('publish', 2, 't4', () => Promise.reject(Object.assign(new Error('late'), { code: 4 })), { timeoutMs: 100 })).rejects.toThrow('late');
    expect(log.all.map((o) => [o.subject, o.outcome, o.code ?? null, o.result ?? null])).toEqual([
      ['t1', 'ack', null, '9'],
      ['t2', 'error', 'RESOURCE_EXHAUSTED', null],
      ['t3', 'unknown', 'TIMEOUT', null],
      ['t4', 'unknown', 'DEADLINE_EXCEEDED', null],
    ]);
    expect(log.countsByKindAndOutcome()).toEqual({ 'create ack': 1, 'create error': 1, 'create unknown': 1, 'publish unknown': 1 });
    expect(log.errorsByCode()).toEqual({ DEADLINE_EXCEEDED: 1, RESOURCE_EXHAUSTED: 1, TIMEOUT: 1 });
  });

  it('finds the longest gap between acknowledged writes per partition from the keys', () => {
    const log = new OperationLog();
    const key = (partition: number, n: number) => String((BigInt(partition) << 51n) + BigInt(n));
    const at = (endedAt: number, o: Partial<Operation>) => log.all.push({ kind: 'create', via: 0, startedAt: endedAt, endedAt, outcome: 'ack', ...o } as Operation);
    at(1_100, { result: key(1, 1) });
    at(1_200, { kind: 'complete-job', subject: key(2, 5) });
    at(4_200, { result: key(1, 2) });
    at(4_300, { kind: 'complete-job', subject: key(2, 6), outcome: 'error' });
    const gaps = log.longestWriteGaps(1_000, 5_000);
    expect(gaps.get(1)).toEqual({ ms: 3_100, endedAt: 3_200 });
    expect(gaps.get(2)).toEqual({ ms: 3_800, endedAt: 4_000 });
  });
});
