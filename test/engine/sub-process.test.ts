import { describe, expect, it } from 'vitest';
import type { ProcessInstanceValue } from '../../src/engine/records.js';
import { chain, end, error, errorBoundary, errorEnd, flow, model, parallelGateway, serviceTask, start, subProcess, timerBoundary } from '../fixtures/bpmn-builder.js';
import { EngineHarness, expectReplayable } from '../support/engine-harness.js';

/** start → sub(s1 → a → e1) → end */
const SIMPLE = model(
  'p',
  start(),
  subProcess('sub', [start('s1'), serviceTask('a', 'a'), end('e1'), ...chain('s1', 'a', 'e1')]),
  end(),
  ...chain('start', 'sub', 'end'),
);

function activating(h: EngineHarness, elementId: string): ProcessInstanceValue {
  return h.events<ProcessInstanceValue>('PROCESS_INSTANCE', 'ELEMENT_ACTIVATING').find((r) => r.value.elementId === elementId)!.value;
}

describe('embedded sub-process', () => {
  it('runs its own scope: activated, started at its start event, completed once its path ends', async () => {
    const h = new EngineHarness();
    await h.deployProcess(SIMPLE);
    const pi = h.createInstance('p');
    expect(h.elementStreamOf(pi).slice(6)).toEqual([
      'start_sub:SEQUENCE_FLOW_TAKEN',
      'sub:ELEMENT_ACTIVATING',
      'sub:ELEMENT_ACTIVATED',
      's1:ELEMENT_ACTIVATING',
      's1:ELEMENT_ACTIVATED',
      's1:ELEMENT_COMPLETING',
      's1:ELEMENT_COMPLETED',
      's1_a:SEQUENCE_FLOW_TAKEN',
      'a:ELEMENT_ACTIVATING',
      'a:ELEMENT_ACTIVATED',
    ]);
    const sub = h.elementKeyOf('sub');
    expect(activating(h, 'sub')).toMatchObject({ bpmnElementType: 'SUB_PROCESS', flowScopeKey: pi });
    expect(activating(h, 'a').flowScopeKey).toBe(sub);
    expect(activating(h, 's1').flowScopeKey).toBe(sub);
    await expectReplayable(h);

    h.completeJob(h.jobKeyOf('a'));
    expect(h.elementStreamOf(pi).slice(-16)).toEqual([
      'a:ELEMENT_COMPLETING',
      'a:ELEMENT_COMPLETED',
      'a_e1:SEQUENCE_FLOW_TAKEN',
      'e1:ELEMENT_ACTIVATING',
      'e1:ELEMENT_ACTIVATED',
      'e1:ELEMENT_COMPLETING',
      'e1:ELEMENT_COMPLETED',
      'sub:ELEMENT_COMPLETING',
      'sub:ELEMENT_COMPLETED',
      'sub_end:SEQUENCE_FLOW_TAKEN',
      'end:ELEMENT_ACTIVATING',
      'end:ELEMENT_ACTIVATED',
      'end:ELEMENT_COMPLETING',
      'end:ELEMENT_COMPLETED',
      'p:ELEMENT_COMPLETING',
      'p:ELEMENT_COMPLETED',
    ]);
    expect(h.isActive(pi)).toBe(false);
    await expectReplayable(h);
  });

  it('waits for every path inside before it completes (a fork inside the sub-process)', async () => {
    const h = new EngineHarness();
    await h.deployProcess(
      model(
        'p',
        start(),
        subProcess('sub', [start('s1'), parallelGateway('fork'), serviceTask('a', 'a'), serviceTask('b', 'b'), end('ea'), end('eb'), flow('s1', 'fork'), ...chain('fork', 'a', 'ea'), ...chain('fork', 'b', 'eb')]),
        end(),
        ...chain('start', 'sub', 'end'),
      ),
    );
    const pi = h.createInstance('p');
    h.completeJob(h.jobKeyOf('a'));
    expect(h.elementStreamOf(pi)).not.toContain('sub:ELEMENT_COMPLETING');
    h.completeJob(h.jobKeyOf('b'));
    expect(h.elementStreamOf(pi)).toContain('sub:ELEMENT_COMPLETED');
    expect(h.isActive(pi)).toBe(false);
    await expectReplayable(h);
  });

  it('keeps its input mappings local; what tasks set goes up to the process, unless output mappings say otherwise', async () => {
    const h = new EngineHarness();
    await h.deployProcess(
      model(
        'p',
        start(),
        subProcess('sub', [start('s1'), serviceTask('a', 'a'), end('e1'), ...chain('s1', 'a', 'e1')], {
          inputs: [['=order.id', 'orderId']],
          outputs: [['=orderId', 'handledOrder']],
        }),
        serviceTask('after', 'after'),
        end(),
        ...chain('start', 'sub', 'after', 'end'),
      ),
    );
    const pi = h.createInstance('p', { order: { id: 'o-1' } });
    const sub = h.elementKeyOf('sub');
    expect(h.variablesOf(sub)).toEqual({ orderId: 'o-1' });
    const job = h.events<{ elementId: string; variables: Record<string, unknown> }>('JOB', 'CREATED').find((r) => r.value.elementId === 'a')!;
    expect(job.key).toBe(h.jobKeyOf('a'));
    h.completeJob(h.jobKeyOf('a'), { paid: true });
    // Without output mappings on the task, its variables go to the nearest scope that has them, else the root.
    expect(h.variablesOf(pi)).toEqual({ order: { id: 'o-1' }, paid: true, handledOrder: 'o-1' });
    expect(h.isActive(sub)).toBe(false);
    expect(h.variablesOf(sub)).toEqual({});
    await expectReplayable(h);
  });

  it('an error thrown inside is caught by an error boundary on the sub-process, which ends what runs inside', async () => {
    const h = new EngineHarness();
    await h.deployProcess(
      model(
        'p',
        error('err', 'NOT_PAID'),
        start(),
        subProcess('sub', [start('s1'), parallelGateway('fork'), serviceTask('a', 'a'), serviceTask('b', 'b'), end('ea'), end('eb'), flow('s1', 'fork'), ...chain('fork', 'a', 'ea'), ...chain('fork', 'b', 'eb')]),
        errorBoundary('caught', 'sub', 'err'),
        end(),
        end('handled'),
        ...chain('start', 'sub', 'end'),
        flow('caught', 'handled'),
      ),
    );
    const pi = h.createInstance('p');
    const b = h.jobKeyOf('b');
    h.throwError(h.jobKeyOf('a'), 'NOT_PAID', 'no money', { reason: 'card declined' });
    const stream = h.elementStreamOf(pi);
    expect(stream.slice(stream.indexOf('sub:ELEMENT_TERMINATING'))).toEqual([
      'sub:ELEMENT_TERMINATING',
      'a:ELEMENT_TERMINATING',
      'a:ELEMENT_TERMINATED',
      'b:ELEMENT_TERMINATING',
      'b:ELEMENT_TERMINATED',
      'sub:ELEMENT_TERMINATED',
      'caught:ELEMENT_ACTIVATING',
      'caught:ELEMENT_ACTIVATED',
      'caught:ELEMENT_COMPLETING',
      'caught:ELEMENT_COMPLETED',
      'caught_handled:SEQUENCE_FLOW_TAKEN',
      'handled:ELEMENT_ACTIVATING',
      'handled:ELEMENT_ACTIVATED',
      'handled:ELEMENT_COMPLETING',
      'handled:ELEMENT_COMPLETED',
      'p:ELEMENT_COMPLETING',
      'p:ELEMENT_COMPLETED',
    ]);
    expect(h.events('JOB', 'CANCELED').map((r) => r.key)).toContain(b);
    expect(h.partition().state.jobs.table.size).toBe(0);
    // The error's variables reached the process scope (gone now with the completed instance).
    const created = h.events<{ name: string; value: string; scopeKey: bigint }>('VARIABLE', 'CREATED').map((r) => [r.value.name, r.value.value, r.value.scopeKey === pi]);
    expect(created).toEqual([['reason', '"card declined"', true]]);
    await expectReplayable(h);
  });

  it('an error end event inside is caught on the sub-process; uncaught it is an incident', async () => {
    const caught = new EngineHarness();
    await caught.deployProcess(
      model('p', error('err', 'E'), start(), subProcess('sub', [start('s1'), errorEnd('throw', 'err'), flow('s1', 'throw')]), errorBoundary('catch', 'sub', 'err'), end(), end('after_catch'), ...chain('start', 'sub', 'end'), flow('catch', 'after_catch')),
    );
    const pi = caught.createInstance('p');
    expect(caught.elementStreamOf(pi)).toContain('after_catch:ELEMENT_COMPLETED');
    expect(caught.isActive(pi)).toBe(false);
    await expectReplayable(caught);

    const uncaught = new EngineHarness();
    await uncaught.deployProcess(model('p', error('err', 'E'), start(), subProcess('sub', [start('s1'), errorEnd('throw', 'err'), flow('s1', 'throw')]), end(), ...chain('start', 'sub', 'end')));
    const pj = uncaught.createInstance('p');
    expect(uncaught.events('INCIDENT', 'CREATED').map((r) => (r.value as { errorType: string }).errorType)).toEqual(['UNHANDLED_ERROR_EVENT']);
    expect(uncaught.isActive(pj)).toBe(true);
    await expectReplayable(uncaught);
  });

  it('an interrupting timer boundary on the sub-process terminates it with everything inside', async () => {
    const h = new EngineHarness();
    await h.deployProcess(
      model(
        'p',
        start(),
        subProcess('sub', [start('s1'), subProcess('inner', [start('s2'), serviceTask('a', 'a'), end('e2'), ...chain('s2', 'a', 'e2')]), end('e1'), ...chain('s1', 'inner', 'e1')]),
        timerBoundary('late', 'sub', 'duration', 'PT1H'),
        end(),
        end('timed_out'),
        ...chain('start', 'sub', 'end'),
        flow('late', 'timed_out'),
      ),
    );
    const pi = h.createInstance('p');
    expect(activating(h, 'a').flowScopeKey).toBe(h.elementKeyOf('inner'));
    h.advanceTime(3_600_000);
    const stream = h.elementStreamOf(pi);
    expect(stream.slice(stream.indexOf('sub:ELEMENT_TERMINATING'), stream.indexOf('sub:ELEMENT_TERMINATED') + 1)).toEqual([
      'sub:ELEMENT_TERMINATING',
      'inner:ELEMENT_TERMINATING',
      'a:ELEMENT_TERMINATING',
      'a:ELEMENT_TERMINATED',
      'inner:ELEMENT_TERMINATED',
      'sub:ELEMENT_TERMINATED',
    ]);
    expect(stream).toContain('timed_out:ELEMENT_COMPLETED');
    expect(h.events('JOB', 'CANCELED')).toHaveLength(1);
    expect(h.isActive(pi)).toBe(false);
    await expectReplayable(h);
  });

  it('cancelling the process instance terminates nested sub-processes, innermost last, and leaves nothing behind', async () => {
    const h = new EngineHarness();
    await h.deployProcess(
      model(
        'p',
        start(),
        subProcess('sub', [start('s1'), subProcess('inner', [start('s2'), serviceTask('a', 'a'), end('e2'), ...chain('s2', 'a', 'e2')]), end('e1'), ...chain('s1', 'inner', 'e1')]),
        timerBoundary('late', 'sub', 'duration', 'PT1H'),
        end(),
        end('timed_out'),
        ...chain('start', 'sub', 'end'),
        flow('late', 'timed_out'),
      ),
    );
    const pi = h.createInstance('p');
    expect(h.cancelInstance(pi)?.ok).toBe(true);
    const state = h.partition().state;
    expect(state.elementInstances.table.size).toBe(0);
    expect(state.jobs.table.size).toBe(0);
    expect(state.timers.table.size).toBe(0);
    expect(h.events('TIMER', 'CANCELED')).toHaveLength(1);
    await expectReplayable(h);
  });
});
