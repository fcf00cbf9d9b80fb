import { describe, expect, it } from 'vitest';
import { chain, end, error, errorBoundary, exclusiveGateway, flow, inclusiveGateway, linkCatch, linkThrow, model, serviceTask, start } from '../fixtures/bpmn-builder.js';
import { EngineHarness, expectReplayable } from '../support/engine-harness.js';

/** start → fork: a (if wantA), b (if wantB), c (default) → join → end */
const FORK_JOIN = model(
  'p',
  start(),
  inclusiveGateway('fork', 'fork_c'),
  serviceTask('a', 'a'),
  serviceTask('b', 'b'),
  serviceTask('c', 'c'),
  inclusiveGateway('join'),
  end(),
  flow('start', 'fork'),
  flow('fork', 'a', { condition: '=wantA' }),
  flow('fork', 'b', { condition: '=wantB' }),
  flow('fork', 'c'),
  ...chain('a', 'join'),
  ...chain('b', 'join'),
  ...chain('c', 'join'),
  flow('join', 'end'),
);

function jobTypes(h: EngineHarness): string[] {
  return h.events<{ type: string }>('JOB', 'CREATED').map((r) => r.value.type);
}

describe('inclusive gateway', () => {
  it('forks along every flow whose condition holds, and the join waits for exactly those', async () => {
    const h = new EngineHarness();
    await h.deployProcess(FORK_JOIN);
    const pi = h.createInstance('p', { wantA: true, wantB: true });
    expect(jobTypes(h)).toEqual(['a', 'b']);
    h.completeJob(h.jobKeyOf('a'));
    expect(h.elementStreamOf(pi)).not.toContain('join:ELEMENT_ACTIVATING');
    await expectReplayable(h);
    h.completeJob(h.jobKeyOf('b'));
    expect(h.elementStreamOf(pi).filter((e) => e === 'join:ELEMENT_ACTIVATING')).toHaveLength(1);
    expect(h.isActive(pi)).toBe(false);
    await expectReplayable(h);
  });

  it('one true condition: the join fires on that one token alone', async () => {
    const h = new EngineHarness();
    await h.deployProcess(FORK_JOIN);
    const pi = h.createInstance('p', { wantA: false, wantB: true });
    expect(jobTypes(h)).toEqual(['b']);
    h.completeJob(h.jobKeyOf('b'));
    expect(h.isActive(pi)).toBe(false);
    await expectReplayable(h);
  });

  it('no condition holds: the default flow is taken; without one it is an incident', async () => {
    const h = new EngineHarness();
    await h.deployProcess(FORK_JOIN);
    h.createInstance('p', { wantA: false, wantB: false });
    expect(jobTypes(h)).toEqual(['c']);

    const noDefault = new EngineHarness();
    await noDefault.deployProcess(model('p', start(), inclusiveGateway('fork'), end('x'), end('y'), flow('start', 'fork'), flow('fork', 'x', { condition: '=false' }), flow('fork', 'y', { condition: '=1 > 2' })));
    noDefault.createInstance('p');
    expect(noDefault.events<{ errorType: string }>('INCIDENT', 'CREATED').map((r) => r.value.errorType)).toEqual(['CONDITION_ERROR']);
  });

  it('the join fires when a branch dies on an error path instead of arriving', async () => {
    const h = new EngineHarness();
    await h.deployProcess(
      model(
        'p',
        error('e', 'BROKEN'),
        start(),
        inclusiveGateway('fork'),
        serviceTask('a', 'a'),
        serviceTask('b', 'b'),
        errorBoundary('b_failed', 'b', 'e'),
        end('b_dead'),
        inclusiveGateway('join'),
        end(),
        flow('start', 'fork'),
        flow('fork', 'a', { condition: '=true' }),
        flow('fork', 'b', { condition: '=true' }),
        ...chain('a', 'join'),
        ...chain('b', 'join'),
        flow('b_failed', 'b_dead'),
        flow('join', 'end'),
      ),
    );
    const pi = h.createInstance('p');
    h.completeJob(h.jobKeyOf('a'));
    expect(h.elementStreamOf(pi)).not.toContain('join:ELEMENT_ACTIVATING');
    // b fails: its path ends at b_dead and can never reach the join, so the join goes on with a's token.
    h.throwError(h.jobKeyOf('b'), 'BROKEN');
    expect(h.elementStreamOf(pi)).toContain('join:ELEMENT_COMPLETED');
    expect(h.isActive(pi)).toBe(false);
    await expectReplayable(h);
  });

  it('a token still on its way through an exclusive gateway upstream keeps the join waiting', async () => {
    const h = new EngineHarness();
    await h.deployProcess(
      model(
        'p',
        start(),
        inclusiveGateway('fork'),
        serviceTask('a', 'a'),
        serviceTask('b', 'b'),
        exclusiveGateway('route', 'route_join'),
        serviceTask('extra', 'extra'),
        inclusiveGateway('join'),
        end(),
        flow('start', 'fork'),
        flow('fork', 'a', { condition: '=true' }),
        flow('fork', 'b', { condition: '=true' }),
        ...chain('a', 'join'),
        flow('b', 'route'),
        flow('route', 'extra', { condition: '=detour' }),
        flow('route', 'join'),
        flow('extra', 'join'),
        flow('join', 'end'),
      ),
    );
    const pi = h.createInstance('p', { detour: true });
    h.completeJob(h.jobKeyOf('a'));
    h.completeJob(h.jobKeyOf('b'));
    // b went through the exclusive gateway to 'extra', which can still reach the join.
    expect(h.elementStreamOf(pi)).not.toContain('join:ELEMENT_ACTIVATING');
    h.completeJob(h.jobKeyOf('extra'));
    expect(h.elementStreamOf(pi).filter((e) => e === 'join:ELEMENT_ACTIVATING')).toHaveLength(1);
    expect(h.isActive(pi)).toBe(false);
    await expectReplayable(h);
  });

  it('waits for a token still on its way through a link event (found by the random graphs)', async () => {
    const h = new EngineHarness();
    // fork → a → join; fork → b → link throw 'L' … link catch 'L' → join.
    await h.deployProcess(
      model(
        'p',
        start(),
        inclusiveGateway('fork'),
        serviceTask('a', 'a'),
        serviceTask('b', 'b'),
        linkThrow('jump', 'L'),
        linkCatch('land', 'L'),
        inclusiveGateway('join'),
        end(),
        flow('start', 'fork'),
        flow('fork', 'a', { condition: '=true' }),
        flow('fork', 'b', { condition: '=true' }),
        ...chain('a', 'join'),
        ...chain('b', 'jump'),
        ...chain('land', 'join', 'end'),
      ),
    );
    const pi = h.createInstance('p');
    h.completeJob(h.jobKeyOf('a'));
    // b is upstream of the join through the link: the join waits for it.
    expect(h.elementStreamOf(pi)).not.toContain('join:ELEMENT_ACTIVATED');
    h.completeJob(h.jobKeyOf('b'));
    expect(h.elementStreamOf(pi).filter((e) => e === 'join:ELEMENT_ACTIVATED')).toHaveLength(1);
    expect(h.isActive(pi)).toBe(false);
    await expectReplayable(h);
  });
});
