import { describe, expect, it } from 'vitest';
import { chain, end, flow, linkCatch, linkThrow, model, noneThrow, plainTask, serviceTask, start, subProcess } from '../fixtures/bpmn-builder.js';
import { compileErrors as compileErrorsOf } from '../unit/model/bpmn-fixtures.js';
import { EngineHarness, expectReplayable } from '../support/engine-harness.js';

describe('undefined and manual tasks, none throw events', () => {
  it('pass straight through, applying their mappings', async () => {
    const h = new EngineHarness();
    await h.deployProcess(
      model(
        'p',
        start(),
        plainTask('plain', 'task', { inputs: [['=1', 'local']], outputs: [['=local + 1', 'fromTask']] }),
        plainTask('manual', 'manualTask'),
        noneThrow('milestone', { outputs: [['="reached"', 'milestone']] }),
        serviceTask('wait', 'wait'),
        end(),
        ...chain('start', 'plain', 'manual', 'milestone', 'wait', 'end'),
      ),
    );
    const pi = h.createInstance('p');
    const stream = h.elementStreamOf(pi);
    for (const id of ['plain', 'manual', 'milestone']) {
      expect(stream.filter((e) => e.startsWith(`${id}:`))).toEqual([`${id}:ELEMENT_ACTIVATING`, `${id}:ELEMENT_ACTIVATED`, `${id}:ELEMENT_COMPLETING`, `${id}:ELEMENT_COMPLETED`]);
    }
    const types = h.events<{ elementId: string; bpmnElementType: string; bpmnEventType: string }>('PROCESS_INSTANCE', 'ELEMENT_ACTIVATING').map((r) => `${r.value.elementId}:${r.value.bpmnElementType}/${r.value.bpmnEventType}`);
    expect(types).toContain('plain:TASK/UNSPECIFIED');
    expect(types).toContain('manual:MANUAL_TASK/UNSPECIFIED');
    expect(types).toContain('milestone:INTERMEDIATE_THROW_EVENT/NONE');
    expect(h.variablesOf(pi)).toEqual({ fromTask: 2, milestone: 'reached' });
    await expectReplayable(h);
  });
});

describe('link events', () => {
  /** start → a → throw(L) … catch(L) → b → end: the throw continues at the catch. */
  const LINKED = model('p', start(), serviceTask('a', 'a'), linkThrow('go', 'L'), linkCatch('land', 'L'), serviceTask('b', 'b'), end(), ...chain('start', 'a', 'go'), ...chain('land', 'b', 'end'));

  it('a link throw continues at the catch of its name, in the same instance and scope', async () => {
    const h = new EngineHarness();
    await h.deployProcess(LINKED);
    const pi = h.createInstance('p');
    h.completeJob(h.jobKeyOf('a'));
    const stream = h.elementStreamOf(pi);
    expect(stream.slice(stream.indexOf('go:ELEMENT_ACTIVATING'))).toEqual([
      'go:ELEMENT_ACTIVATING',
      'go:ELEMENT_ACTIVATED',
      'go:ELEMENT_COMPLETING',
      'go:ELEMENT_COMPLETED',
      'land:ELEMENT_ACTIVATING',
      'land:ELEMENT_ACTIVATED',
      'land:ELEMENT_COMPLETING',
      'land:ELEMENT_COMPLETED',
      'land_b:SEQUENCE_FLOW_TAKEN',
      'b:ELEMENT_ACTIVATING',
      'b:ELEMENT_ACTIVATED',
    ]);
    expect(h.isActive(pi)).toBe(true);
    h.completeJob(h.jobKeyOf('b'));
    expect(h.isActive(pi)).toBe(false);
    await expectReplayable(h);
  });

  it('links stay within their scope: the same name in a sub-process is another link', async () => {
    const h = new EngineHarness();
    await h.deployProcess(
      model(
        'p',
        start(),
        subProcess('sub', [start('s1'), linkThrow('inner_go', 'L'), linkCatch('inner_land', 'L'), end('e1'), flow('s1', 'inner_go'), flow('inner_land', 'e1')]),
        linkThrow('go', 'L'),
        linkCatch('land', 'L'),
        end(),
        flow('start', 'sub'),
        flow('sub', 'go'),
        flow('land', 'end'),
      ),
    );
    const pi = h.createInstance('p');
    const stream = h.elementStreamOf(pi);
    expect(stream.indexOf('inner_land:ELEMENT_ACTIVATING')).toBeLessThan(stream.indexOf('sub:ELEMENT_COMPLETED'));
    expect(stream.indexOf('land:ELEMENT_ACTIVATING')).toBeGreaterThan(stream.indexOf('sub:ELEMENT_COMPLETED'));
    expect(h.isActive(pi)).toBe(false);
    await expectReplayable(h);
  });

  it('refuses links that lead nowhere, duplicate catch names and flows into a catch', async () => {
    expect(await compileErrorsOf(model('p', start(), linkThrow('go', 'Nowhere'), flow('start', 'go')))).toContainEqual({ elementId: 'go', message: "Element 'go': no link catch event named 'Nowhere' in the same scope" });
    const duplicate = await compileErrorsOf(model('p', start(), linkThrow('go', 'L'), linkCatch('c1', 'L'), linkCatch('c2', 'L'), end(), flow('start', 'go'), flow('c1', 'end'), flow('c2', 'end', { id: 'c2_end2' })));
    expect(duplicate.map((e) => e.message)).toContain("Element 'c2': the link name 'L' is already used by the link catch event 'c1' in the same scope");
    const entered = await compileErrorsOf(model('p', start(), linkThrow('go', 'L'), linkCatch('land', 'L'), end(), flow('start', 'land'), flow('land', 'end')));
    expect(entered.map((e) => e.message)).toContain("Element 'land': a link catch event cannot have incoming sequence flows");
  });
});
