import { describe, expect, it } from 'vitest';
import { bpmn, compileProcess, expectError, flow, serviceTask, START } from './bpmn-fixtures.js';

const sub = (id: string, body: string, attributes = '') => `<bpmn:subProcess id="${id}" ${attributes}>${body}</bpmn:subProcess>`;

describe('embedded sub-processes', () => {
  it('compiles nested scopes: each element names its scope, each scope its none start event', async () => {
    const process = await compileProcess(
      bpmn(
        `${START}${sub('outer', `<bpmn:startEvent id="s1"/>${sub('inner', `<bpmn:startEvent id="s2"/>${serviceTask('t')}${flow('f2', 's2', 't')}`)}${flow('f1', 's1', 'inner')}`)}` +
          `<bpmn:boundaryEvent id="b" attachedToRef="outer"><bpmn:timerEventDefinition><bpmn:timeDuration>PT1M</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>${flow('f0', 'start', 'outer')}`,
      ),
    );
    const scopeOf = (id: string) => process.elements.get(id)!.flowScopeId;
    expect([scopeOf('outer'), scopeOf('s1'), scopeOf('inner'), scopeOf('s2'), scopeOf('t')]).toEqual(['p', 'outer', 'outer', 'inner', 'inner']);
    expect(process.elements.get('p')!.noneStartEventId).toBe('start');
    expect(process.elements.get('outer')!.noneStartEventId).toBe('s1');
    expect(process.elements.get('inner')!.noneStartEventId).toBe('s2');
    expect(process.elements.get('outer')!.type).toBe('SUB_PROCESS');
    expect(process.elements.get('outer')!.boundaryEventIds).toEqual(['b']);
    expect(process.flows.get('f2')).toMatchObject({ sourceId: 's2', targetId: 't' });
  });

  it('requires exactly one none start event in each sub-process, naming the sub-process', async () => {
    await expectError(bpmn(`${START}${sub('empty', serviceTask('t'))}`), 'empty', 'an embedded sub-process must have exactly one none start event');
    await expectError(bpmn(`${START}${sub('two', '<bpmn:startEvent id="s1"/><bpmn:startEvent id="s2"/>')}`), 'two', "but has 2: 's1', 's2'");
  });

  it('refuses a sequence flow that crosses a scope boundary', async () => {
    await expectError(
      bpmn(`${START}${sub('s', '<bpmn:startEvent id="s1"/>' + serviceTask('inside'))}${flow('cross', 'start', 'inside')}`),
      'cross',
      "a sequence flow must connect elements of the same scope, but 'start' is in 'p' and 'inside' in 's'",
    );
  });

  it('reads multi-instance on a sub-process: the body takes the id, the sub-process runs inside it', async () => {
    const loop = '<bpmn:multiInstanceLoopCharacteristics isSequential="true"><bpmn:extensionElements><zeebe:loopCharacteristics inputCollection="=xs" inputElement="x"/></bpmn:extensionElements></bpmn:multiInstanceLoopCharacteristics>';
    const process = await compileProcess(bpmn(`${START}${sub('s', `${loop}<bpmn:startEvent id="s1"/>`)}${flow('f', 'start', 's')}`));
    const body = process.elements.get('s')!;
    expect(body.type).toBe('MULTI_INSTANCE_BODY');
    expect(body.incoming).toEqual(['f']);
    expect(body.multiInstance).toMatchObject({ sequential: true, inputElement: 'x', outputCollection: null });
    expect(body.innerActivity).toMatchObject({ id: 's', type: 'SUB_PROCESS', noneStartEventId: 's1', incoming: [], multiInstance: null });
  });
});
