import { describe, expect, it } from 'vitest';
import { chain, end, flow, model, parallelGateway, serviceTask, start, subProcess, terminateEnd } from '../fixtures/bpmn-builder.js';
import { EngineHarness, expectReplayable } from '../support/engine-harness.js';

describe('terminate end event', () => {
  it('ends the process: what else runs is terminated (jobs canceled), then the process completes', async () => {
    const h = new EngineHarness();
    await h.deployProcess(
      model('p', start(), parallelGateway('fork'), serviceTask('a', 'a'), serviceTask('b', 'b'), terminateEnd('stop'), end(), flow('start', 'fork'), ...chain('fork', 'a', 'stop'), ...chain('fork', 'b', 'end')),
    );
    const pi = h.createInstance('p');
    const b = h.jobKeyOf('b');
    h.completeJob(h.jobKeyOf('a'));
    const stream = h.elementStreamOf(pi);
    expect(stream.slice(stream.indexOf('stop:ELEMENT_ACTIVATING'))).toEqual([
      'stop:ELEMENT_ACTIVATING',
      'stop:ELEMENT_ACTIVATED',
      'stop:ELEMENT_COMPLETING',
      'b:ELEMENT_TERMINATING',
      'b:ELEMENT_TERMINATED',
      'stop:ELEMENT_COMPLETED',
      'p:ELEMENT_COMPLETING',
      'p:ELEMENT_COMPLETED',
    ]);
    expect(h.events('JOB', 'CANCELED').map((r) => r.key)).toEqual([b]);
    const terminated = h.events<{ bpmnEventType: string; elementId: string }>('PROCESS_INSTANCE', 'ELEMENT_COMPLETED').find((r) => r.value.elementId === 'stop')!;
    expect(terminated.value.bpmnEventType).toBe('TERMINATE');
    expect(h.partition().state.elementInstances.table.size).toBe(0);
    await expectReplayable(h);
  });

  it('in a sub-process ends only the sub-process, which then goes on; tokens waiting at a join inside are dropped', async () => {
    const h = new EngineHarness();
    await h.deployProcess(
      model(
        'p',
        start(),
        subProcess('sub', [
          start('s1'),
          parallelGateway('fork'),
          serviceTask('a', 'a'),
          serviceTask('b', 'b'),
          serviceTask('c', 'c'),
          parallelGateway('join'),
          end('e1'),
          terminateEnd('stop'),
          flow('s1', 'fork'),
          ...chain('fork', 'a', 'join'),
          ...chain('fork', 'b', 'join'),
          ...chain('fork', 'c', 'stop'),
          flow('join', 'e1'),
        ]),
        serviceTask('after', 'after'),
        end(),
        ...chain('start', 'sub', 'after', 'end'),
      ),
    );
    const pi = h.createInstance('p');
    const sub = h.elementKeyOf('sub');
    h.completeJob(h.jobKeyOf('a')); // a token now waits at the join
    expect(h.partition().state.elementInstances.get(sub)!.joinTokens).not.toEqual({});
    h.completeJob(h.jobKeyOf('c'));
    const stream = h.elementStreamOf(pi);
    expect(stream).toContain('b:ELEMENT_TERMINATED');
    expect(stream).toContain('sub:ELEMENT_COMPLETED');
    expect(stream).not.toContain('join:ELEMENT_ACTIVATING');
    expect(stream.slice(-2)).toEqual(['after:ELEMENT_ACTIVATING', 'after:ELEMENT_ACTIVATED']);
    expect(h.isActive(sub)).toBe(false);
    expect(h.isActive(pi)).toBe(true);
    await expectReplayable(h);
  });

  it('answers a waiting CreateProcessInstanceWithResult when it ends the process', async () => {
    const h = new EngineHarness();
    await h.deployProcess(model('p', start(), parallelGateway('fork'), serviceTask('a', 'a'), terminateEnd('stop'), flow('start', 'fork'), flow('fork', 'a'), flow('fork', 'stop')));
    h.createInstanceWithResult('p', { n: 1 });
    expect([...h.deferred.values()].map((r) => r.ok)).toEqual([true]);
    await expectReplayable(h);
  });
});
