import { describe, expect, it } from 'vitest';
import type { ProcessInstanceValue } from '../../src/engine/records.js';
import { chain, end, exclusiveGateway, flow, model, parallelGateway, scriptTask, serviceTask, start } from '../fixtures/bpmn-builder.js';
import { EngineHarness, expectReplayable } from '../support/engine-harness.js';

/** start → fork → a, b, c (jobs) → join → end */
const FORK_JOIN = model(
  'p',
  start(),
  parallelGateway('fork'),
  serviceTask('a', 'a'),
  serviceTask('b', 'b'),
  serviceTask('c', 'c'),
  parallelGateway('join'),
  end(),
  flow('start', 'fork'),
  ...chain('fork', 'a', 'join'),
  ...chain('fork', 'b', 'join'),
  ...chain('fork', 'c', 'join'),
  flow('join', 'end'),
);

describe('parallel gateway', () => {
  it('forks: takes every outgoing flow and activates the targets in model order', async () => {
    const h = new EngineHarness();
    await h.deployProcess(FORK_JOIN);
    const pi = h.createInstance('p');
    expect(h.elementStream().slice(7)).toEqual([
      'fork:ELEMENT_ACTIVATING',
      'fork:ELEMENT_ACTIVATED',
      'fork:ELEMENT_COMPLETING',
      'fork:ELEMENT_COMPLETED',
      'fork_a:SEQUENCE_FLOW_TAKEN',
      'fork_b:SEQUENCE_FLOW_TAKEN',
      'fork_c:SEQUENCE_FLOW_TAKEN',
      'a:ELEMENT_ACTIVATING',
      'a:ELEMENT_ACTIVATED',
      'b:ELEMENT_ACTIVATING',
      'b:ELEMENT_ACTIVATED',
      'c:ELEMENT_ACTIVATING',
      'c:ELEMENT_ACTIVATED',
    ]);
    const fork = h.events<ProcessInstanceValue>('PROCESS_INSTANCE', 'ELEMENT_ACTIVATING').find((r) => r.value.elementId === 'fork')!;
    expect(fork.value.bpmnElementType).toBe('PARALLEL_GATEWAY');
    expect(h.events('JOB', 'CREATED')).toHaveLength(3);
    expect(h.partition().state.elementInstances.get(pi)!.activeChildren).toBe(3);
    await expectReplayable(h);
  });

  it('joins: waits until every incoming flow delivered a token, then activates once', async () => {
    const h = new EngineHarness();
    await h.deployProcess(FORK_JOIN);
    const pi = h.createInstance('p');
    h.completeJob(h.jobKeyOf('b'));
    h.completeJob(h.jobKeyOf('a'));
    expect(h.elementStream()).not.toContain('join:ELEMENT_ACTIVATING');
    expect(h.elementStream().slice(-1)).toEqual(['a_join:SEQUENCE_FLOW_TAKEN']);
    // The waiting tokens are state, and survive replay.
    await expectReplayable(h);

    h.completeJob(h.jobKeyOf('c'));
    expect(h.elementStream().slice(-12)).toEqual([
      'c_join:SEQUENCE_FLOW_TAKEN',
      'join:ELEMENT_ACTIVATING',
      'join:ELEMENT_ACTIVATED',
      'join:ELEMENT_COMPLETING',
      'join:ELEMENT_COMPLETED',
      'join_end:SEQUENCE_FLOW_TAKEN',
      'end:ELEMENT_ACTIVATING',
      'end:ELEMENT_ACTIVATED',
      'end:ELEMENT_COMPLETING',
      'end:ELEMENT_COMPLETED',
      'p:ELEMENT_COMPLETING',
      'p:ELEMENT_COMPLETED',
    ]);
    expect(h.elementStream().filter((e) => e === 'join:ELEMENT_ACTIVATING')).toHaveLength(1);
    expect(h.isActive(pi)).toBe(false);
    await expectReplayable(h);
  });

  it('joins tokens that arrive within the same command once', async () => {
    const h = new EngineHarness();
    await h.deployProcess(
      model(
        'p',
        start(),
        parallelGateway('fork'),
        parallelGateway('join'),
        end(),
        flow('start', 'fork'),
        flow('fork', 'join', { id: 'x' }),
        flow('fork', 'join', { id: 'y' }),
        flow('join', 'end'),
      ),
    );
    const pi = h.createInstance('p');
    expect(h.elementStream().filter((e) => e.startsWith('join:'))).toEqual([
      'join:ELEMENT_ACTIVATING',
      'join:ELEMENT_ACTIVATED',
      'join:ELEMENT_COMPLETING',
      'join:ELEMENT_COMPLETED',
    ]);
    expect(h.isActive(pi)).toBe(false);
    await expectReplayable(h);
  });

  it('runs the branches independently: variables of each job reach the process', async () => {
    const h = new EngineHarness();
    await h.deployProcess(FORK_JOIN);
    const pi = h.createInstance('p');
    h.completeJob(h.jobKeyOf('a'), { fromA: 1 });
    h.completeJob(h.jobKeyOf('c'), { fromC: 3 });
    expect(h.variablesOf(pi)).toEqual({ fromA: 1, fromC: 3 });
    h.completeJob(h.jobKeyOf('b'), { fromB: 2 });
    expect(h.isActive(pi)).toBe(false);
    expect(h.events('VARIABLE', 'CREATED')).toHaveLength(3);
    await expectReplayable(h);
  });

  it('keeps a surplus token at the join for the next round (tokens on the same flow add up)', async () => {
    // a1 and a2 both feed the join through one flow; b feeds the other.
    const h = new EngineHarness();
    await h.deployProcess(
      model(
        'p',
        start(),
        parallelGateway('fork'),
        serviceTask('a1', 'a1'),
        serviceTask('a2', 'a2'),
        serviceTask('b1', 'b'),
        serviceTask('b2', 'b'),
        exclusiveGateway('mergeA'),
        exclusiveGateway('mergeB'),
        parallelGateway('join'),
        serviceTask('after', 'after'),
        flow('start', 'fork'),
        ...chain('fork', 'a1', 'mergeA'),
        ...chain('fork', 'a2', 'mergeA'),
        ...chain('fork', 'b1', 'mergeB'),
        ...chain('fork', 'b2', 'mergeB'),
        flow('mergeA', 'join', { id: 'fromA' }),
        flow('mergeB', 'join', { id: 'fromB' }),
        flow('join', 'after'),
      ),
    );
    const pi = h.createInstance('p');
    h.completeJob(h.jobKeyOf('a1'));
    h.completeJob(h.jobKeyOf('a2'));
    expect(h.elementStream()).not.toContain('join:ELEMENT_ACTIVATING');
    h.completeJob(h.jobKeyOf('b1'));
    expect(h.elementStream().filter((e) => e === 'join:ELEMENT_ACTIVATING')).toHaveLength(1);
    // One token of `fromA` is left; the next `fromB` token fires the join again.
    h.completeJob(h.jobKeyOf('b2'));
    expect(h.elementStream().filter((e) => e === 'join:ELEMENT_ACTIVATING')).toHaveLength(2);
    expect(h.events<{ elementId: string }>('JOB', 'CREATED').filter((r) => r.value.elementId === 'after')).toHaveLength(2);
    expect(h.partition().state.elementInstances.get(pi)!.joinTokens).toEqual({});
    await expectReplayable(h);
  });

  it('leaves the instance waiting when a join can never fire (deadlock), until it is cancelled', async () => {
    const h = new EngineHarness();
    await h.deployProcess(
      model(
        'p',
        start(),
        exclusiveGateway('xor'),
        parallelGateway('join'),
        end(),
        flow('start', 'xor'),
        flow('xor', 'join', { id: 'only' }),
        flow('xor', 'join', { id: 'never', condition: '=false' }),
        flow('join', 'end'),
      ).replace('<bpmn:exclusiveGateway id="xor"/>', '<bpmn:exclusiveGateway id="xor" default="only"/>'),
    );
    const pi = h.createInstance('p');
    expect(h.elementStream().at(-1)).toBe('only:SEQUENCE_FLOW_TAKEN');
    expect(h.isActive(pi)).toBe(true);
    h.cancelInstance(pi);
    expect(h.elementStream().slice(-2)).toEqual(['p:ELEMENT_TERMINATING', 'p:ELEMENT_TERMINATED']);
    expect(h.isActive(pi)).toBe(false);
    await expectReplayable(h);
  });

  it('forks and joins again in every iteration of a loop, each with fresh element instances', async () => {
    const h = new EngineHarness();
    await h.deployProcess(
      model(
        'p',
        start(),
        exclusiveGateway('loop'),
        parallelGateway('fork'),
        serviceTask('a', 'a'),
        serviceTask('b', 'b'),
        parallelGateway('join'),
        scriptTask('count', '=i + 1', 'i'),
        exclusiveGateway('check', 'again'),
        end(),
        ...chain('start', 'loop', 'fork'),
        ...chain('fork', 'a', 'join'),
        ...chain('fork', 'b', 'join'),
        ...chain('join', 'count', 'check'),
        flow('check', 'end', { id: 'done', condition: '=i >= 3' }),
        flow('check', 'loop', { id: 'again' }),
      ),
    );
    const pi = h.createInstance('p', { i: 0 });
    for (let round = 1; round <= 3; round++) {
      const [a] = h.activateJobs('a').jobKeys;
      const [b] = h.activateJobs('b').jobKeys;
      expect(a).toBeDefined();
      expect(b).toBeDefined();
      // Alternate which branch arrives first.
      if (round % 2 === 0) {
        h.completeJob(a!);
        h.completeJob(b!);
      } else {
        h.completeJob(b!);
        h.completeJob(a!);
      }
      expect(h.elementStream().filter((e) => e === 'join:ELEMENT_COMPLETED')).toHaveLength(round);
    }
    expect(h.events<{ name: string; value: string }>('VARIABLE', 'UPDATED').map((r) => r.value.value)).toEqual(['1', '2', '3']);
    expect(h.isActive(pi)).toBe(false);
    expect(h.activateJobs('a').jobKeys).toEqual([]);
    await expectReplayable(h);
  });
});
