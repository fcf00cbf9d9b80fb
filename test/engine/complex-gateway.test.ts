import { describe, expect, it } from 'vitest';
import { chain, complexGateway, end, exclusiveGateway, flow, inclusiveGateway, model, parallelGateway, serviceTask, start } from '../fixtures/bpmn-builder.js';
import { EngineHarness, expectRejected, expectReplayable } from '../support/engine-harness.js';

function activations(h: EngineHarness, elementId: string): number {
  return h.events<{ elementId: string }>('PROCESS_INSTANCE', 'ELEMENT_ACTIVATING').filter((r) => r.value.elementId === elementId).length;
}

function flowsTaken(h: EngineHarness, fromElementId: string): string[] {
  return h
    .events<{ elementId: string }>('PROCESS_INSTANCE', 'SEQUENCE_FLOW_TAKEN')
    .map((r) => r.value.elementId)
    .filter((id) => id.startsWith(`${fromElementId}_`));
}

/** start → fork → a, b, c (jobs) → join (complex) → after (job) → end. */
function partialJoin(activationCondition: string): string {
  return model(
    'p',
    start(),
    parallelGateway('fork'),
    serviceTask('a', 'a'),
    serviceTask('b', 'b'),
    serviceTask('c', 'c'),
    complexGateway('join', { activationCondition }),
    serviceTask('after', 'after'),
    end(),
    flow('start', 'fork'),
    ...['a', 'b', 'c'].flatMap((task) => [flow('fork', task), flow(task, 'join')]),
    ...chain('join', 'after', 'end'),
  );
}

describe('complex gateway', () => {
  it('forks like an inclusive gateway: every flow whose condition is true, else the default flow', async () => {
    const h = new EngineHarness();
    await h.deployProcess(
      model(
        'p',
        start(),
        complexGateway('split', { defaultFlow: 'split_c' }),
        serviceTask('a', 'a'),
        serviceTask('b', 'b'),
        serviceTask('c', 'c'),
        end('ea'),
        end('eb'),
        end('ec'),
        flow('start', 'split'),
        flow('split', 'a', { condition: '=x > 1' }),
        flow('split', 'b', { condition: '=x > 2' }),
        flow('split', 'c'),
        ...chain('a', 'ea'),
        ...chain('b', 'eb'),
        ...chain('c', 'ec'),
      ),
    );
    h.createInstance('p', { x: 5 });
    expect(flowsTaken(h, 'split')).toEqual(['split_a', 'split_b']);
    h.createInstance('p', { x: 0 });
    expect(flowsTaken(h, 'split')).toEqual(['split_a', 'split_b', 'split_c']);
    const withoutDefault = model('q', start(), complexGateway('split'), end('e1'), flow('start', 'split'), flow('split', 'e1', { condition: '=false' }));
    await h.deployProcess(withoutDefault, 'q.bpmn');
    const pi = h.createInstance('q');
    const [incident] = h.events<{ errorType: string; elementId: string }>('INCIDENT', 'CREATED');
    expect(incident!.value).toMatchObject({ errorType: 'CONDITION_ERROR', elementId: 'split' });
    expect(h.isActive(pi)).toBe(true);
    await expectReplayable(h);
  });

  it('joins 2 of 3: fires once with the first two tokens; the third is consumed by the reset without firing again', async () => {
    const h = new EngineHarness();
    await h.deployProcess(partialJoin('=activationCount >= 2'));
    const pi = h.createInstance('p');
    h.completeJob(h.jobKeyOf('a'));
    expect(activations(h, 'join')).toBe(0);
    expect(h.partition().state.elementInstances.get(pi)!.joinTokens).toEqual({ 'join\u0000a_join': 1 });
    h.completeJob(h.jobKeyOf('b'));
    expect(activations(h, 'join')).toBe(1);
    expect(activations(h, 'after')).toBe(1);
    // Fired before c delivered: it waits for its reset, marking the flows it consumed.
    expect(h.partition().state.elementInstances.get(pi)!.joinTokens).toEqual({ 'join\u0000a_join\u0000fired': 1, 'join\u0000b_join\u0000fired': 1 });
    h.completeJob(h.jobKeyOf('c'));
    expect(activations(h, 'join')).toBe(2);
    expect(flowsTaken(h, 'join')).toEqual(['join_after']);
    expect(activations(h, 'after')).toBe(1);
    expect(h.partition().state.elementInstances.get(pi)!.joinTokens).toEqual({});
    h.completeJob(h.jobKeyOf('after'));
    expect(h.isActive(pi)).toBe(false);
    await expectReplayable(h);
  });

  it('resets as soon as no token can still come: a path that ends elsewhere does not hold it', async () => {
    const h = new EngineHarness();
    await h.deployProcess(
      model(
        'p',
        start(),
        parallelGateway('fork'),
        serviceTask('a', 'a'),
        serviceTask('b', 'b'),
        exclusiveGateway('route', 'route_skip'),
        complexGateway('join', { activationCondition: '=activationCount >= 1' }),
        serviceTask('after', 'after'),
        end(),
        end('skip'),
        flow('start', 'fork'),
        ...chain('fork', 'a', 'join'),
        ...chain('fork', 'b', 'route'),
        flow('route', 'join', { condition: '=toJoin' }),
        flow('route', 'skip', { id: 'route_skip' }),
        ...chain('join', 'after', 'end'),
      ),
    );
    const pi = h.createInstance('p', { toJoin: false });
    h.completeJob(h.jobKeyOf('a'));
    expect(activations(h, 'after')).toBe(1);
    h.completeJob(h.jobKeyOf('b'));
    // b's path ended at 'skip': nothing more can reach the join, which resets (an activation taking no flow).
    expect(activations(h, 'join')).toBe(2);
    expect(h.partition().state.elementInstances.get(pi)!.joinTokens).toEqual({});
    h.completeJob(h.jobKeyOf('after'));
    expect(h.isActive(pi)).toBe(false);
    await expectReplayable(h);
  });

  it('sees the tokens per incoming flow (activationCounts) besides the variables', async () => {
    const h = new EngineHarness();
    await h.deployProcess(partialJoin('=activationCounts.c_join = 1 or activationCount >= quorum'));
    const pi = h.createInstance('p', { quorum: 3 });
    h.completeJob(h.jobKeyOf('a'));
    h.completeJob(h.jobKeyOf('b'));
    expect(activations(h, 'after')).toBe(0);
    h.completeJob(h.jobKeyOf('c'));
    // Every flow delivered: it fires and needs no reset.
    expect(activations(h, 'join')).toBe(1);
    expect(activations(h, 'after')).toBe(1);
    expect(h.partition().state.elementInstances.get(pi)!.joinTokens).toEqual({});
    await expectReplayable(h);
  });

  it('an activation condition that cannot be evaluated raises an incident; resolved, the gateway fires', async () => {
    const h = new EngineHarness();
    await h.deployProcess(partialJoin('=activationCount >= limit'));
    const pi = h.createInstance('p');
    h.completeJob(h.jobKeyOf('a'));
    const [incident] = h.events<{ errorType: string; elementId: string; errorMessage: string }>('INCIDENT', 'CREATED');
    expect(incident!.value).toMatchObject({ errorType: 'EXTRACT_VALUE_ERROR', elementId: 'join' });
    expect(incident!.value.errorMessage).toContain("Element 'join': failed to evaluate the activation condition");
    // More tokens wait for the gateway held by the incident; no second instance of it.
    h.completeJob(h.jobKeyOf('b'));
    expect(activations(h, 'join')).toBe(1);
    h.setVariables(pi, { limit: 2 });
    h.resolveIncident(incident!.key);
    expect(activations(h, 'after')).toBe(1);
    h.completeJob(h.jobKeyOf('c'));
    expect(flowsTaken(h, 'join')).toEqual(['join_after']);
    expect(h.partition().state.elementInstances.get(pi)!.joinTokens).toEqual({});
    await expectReplayable(h);
  });

  it('refuses a joining complex gateway without an activation condition', async () => {
    const h = new EngineHarness();
    const xml = partialJoin('=true').replace(/<bpmn:activationCondition[^]*?<\/bpmn:activationCondition>/, '');
    expectRejected(await h.deploy({ name: 'p.bpmn', xml }), 'INVALID_ARGUMENT', "a complex gateway that joins (more than one incoming sequence flow) must have an activationCondition");
    await expectReplayable(h);
  });

  it('an inclusive join after it is not held by its reset: the instance completes (found by the random graphs)', async () => {
    const h = new EngineHarness();
    // fork (inclusive) → split (complex) → a | straight → cj (first token) → join (inclusive) → end; fork's default → other → join.
    await h.deployProcess(
      model(
        'p',
        start(),
        inclusiveGateway('fork', 'fork_other'),
        complexGateway('split', { defaultFlow: 'split_def' }),
        serviceTask('a', 'a'),
        complexGateway('cj', { activationCondition: '=activationCount >= 1' }),
        serviceTask('other', 'other'),
        inclusiveGateway('join'),
        end(),
        flow('start', 'fork'),
        flow('fork', 'split', { condition: '=go' }),
        flow('fork', 'other', { id: 'fork_other' }),
        flow('split', 'a', { condition: '=true' }),
        flow('split', 'cj', { id: 'split_cj', condition: '=true' }),
        flow('split', 'cj', { id: 'split_def' }),
        flow('a', 'cj'),
        flow('cj', 'join'),
        flow('other', 'join'),
        flow('join', 'end'),
      ),
    );
    const pi = h.createInstance('p', { go: true });
    // cj fired with the straight token; its token waits at the join while a still runs.
    expect(h.partition().state.elementInstances.get(pi)!.joinTokens).toMatchObject({ 'join\u0000cj_join': 1 });
    h.completeJob(h.jobKeyOf('a'));
    // a's token is the reset (no flow taken); then nothing can reach the join but what waits there.
    expect(activations(h, 'cj')).toBe(2);
    expect(activations(h, 'join')).toBe(1);
    expect(h.isActive(pi)).toBe(false);
    await expectReplayable(h);
  });
});
