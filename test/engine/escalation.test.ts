import { describe, expect, it } from 'vitest';
import { chain, end, escalation, escalationBoundary, escalationThrow, flow, model, serviceTask, start, subProcess } from '../fixtures/bpmn-builder.js';
import { EngineHarness, expectReplayable } from '../support/engine-harness.js';

/** start → sub(s1 → raise(escalation) → inner → e1) → end; the boundary on sub catches it. */
function escalating(interrupting: boolean, withBoundary = true): string {
  return model(
    'p',
    escalation('esc', 'LATE'),
    start(),
    subProcess('sub', [start('s1'), escalationThrow('raise', 'esc'), serviceTask('inner', 'inner'), end('e1'), ...chain('s1', 'raise', 'inner', 'e1')]),
    ...(withBoundary ? [escalationBoundary('caught', 'sub', 'esc', { interrupting }), serviceTask('notify', 'notify'), end('notified'), flow('caught', 'notify'), flow('notify', 'notified')] : []),
    end(),
    ...chain('start', 'sub', 'end'),
  );
}

describe('escalation', () => {
  it('a non-interrupting boundary catches it: its path starts, and the thrower goes on', async () => {
    const h = new EngineHarness();
    await h.deployProcess(escalating(false));
    const pi = h.createInstance('p');
    const [escalated] = h.events<{ escalationCode: string; throwElementId: string; catchElementId: string }>('ESCALATION', 'ESCALATED');
    expect(escalated!.value).toMatchObject({ escalationCode: 'LATE', throwElementId: 'raise', catchElementId: 'caught' });
    const types = h.events<{ type: string }>('JOB', 'CREATED').map((r) => r.value.type).sort();
    expect(types).toEqual(['inner', 'notify']);
    expect(h.isActive(h.elementKeyOf('sub'))).toBe(true);
    h.completeJob(h.jobKeyOf('inner'));
    h.completeJob(h.jobKeyOf('notify'));
    expect(h.isActive(pi)).toBe(false);
    await expectReplayable(h);
  });

  it('an interrupting boundary ends the scope it was thrown in, thrower included', async () => {
    const h = new EngineHarness();
    await h.deployProcess(escalating(true));
    const pi = h.createInstance('p');
    const stream = h.elementStreamOf(pi);
    expect(stream).toContain('sub:ELEMENT_TERMINATED');
    expect(stream).toContain('raise:ELEMENT_TERMINATED');
    expect(stream).not.toContain('inner:ELEMENT_ACTIVATING');
    expect(h.events<{ type: string }>('JOB', 'CREATED').map((r) => r.value.type)).toEqual(['notify']);
    await expectReplayable(h);
  });

  it('nobody catches it: no incident, the thrower goes on', async () => {
    const h = new EngineHarness();
    await h.deployProcess(escalating(false, false));
    const pi = h.createInstance('p');
    expect(h.events('ESCALATION', 'NOT_ESCALATED')).toHaveLength(1);
    expect(h.events('INCIDENT', 'CREATED')).toHaveLength(0);
    h.completeJob(h.jobKeyOf('inner'));
    expect(h.isActive(pi)).toBe(false);
    await expectReplayable(h);
  });

  it('an escalation end event ends its path after throwing; a catch-all boundary takes any code', async () => {
    const h = new EngineHarness();
    await h.deployProcess(
      model('p', escalation('esc', 'ANY'), start(), subProcess('sub', [start('s1'), escalationThrow('stop', 'esc', true), flow('s1', 'stop')]), escalationBoundary('all', 'sub', undefined, { interrupting: false }), end(), end('after_all'), ...chain('start', 'sub', 'end'), flow('all', 'after_all')),
    );
    const pi = h.createInstance('p');
    const stream = h.elementStreamOf(pi);
    expect(stream).toContain('stop:ELEMENT_COMPLETED');
    expect(stream).toContain('after_all:ELEMENT_COMPLETED');
    expect(stream).toContain('sub:ELEMENT_COMPLETED');
    expect(h.isActive(pi)).toBe(false);
    await expectReplayable(h);
  });
});
