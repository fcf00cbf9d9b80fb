import { describe, expect, it } from 'vitest';
import { bpmn, compileErrors, compileProcess, expectError, serviceTask, START } from './bpmn-fixtures.js';

type L = { eventType: string; type: string; retries?: string; headers?: string };

function listeners(...items: L[]): string {
  const xml = items.map((l) => {
    const retries = l.retries === undefined ? '' : ` retries="${l.retries}"`;
    const open = `<zeebe:executionListener eventType="${l.eventType}" type="${l.type}"${retries}`;
    return l.headers ? `${open}>${l.headers}</zeebe:executionListener>` : `${open}/>`;
  });
  return `<zeebe:executionListeners>${xml.join('')}</zeebe:executionListeners>`;
}

const ext = (body: string) => `<bpmn:extensionElements>${body}</bpmn:extensionElements>`;

describe('execution listeners', () => {
  it('reads them in model order, type and retries static or FEEL, with their own headers', async () => {
    const own = '<zeebe:taskHeaders><zeebe:header key="k" value="v"/></zeebe:taskHeaders>';
    const xml = bpmn(
      `${START}${serviceTask('Task_1', `<zeebe:taskDefinition type="work"/>${listeners({ eventType: 'start', type: 'a', headers: own }, { eventType: 'end', type: '=t', retries: '=n + 1' }, { eventType: 'start', type: 'b', retries: '7' })}`)}`,
    );
    const task = (await compileProcess(xml)).elements.get('Task_1')!;
    expect(task.executionListeners).toEqual([
      { eventType: 'start', type: { kind: 'static', value: 'a' }, retries: { kind: 'static', value: '3' }, headers: { k: 'v' } },
      { eventType: 'end', type: { kind: 'feel', source: 't' }, retries: { kind: 'feel', source: 'n + 1' }, headers: {} },
      { eventType: 'start', type: { kind: 'static', value: 'b' }, retries: { kind: 'static', value: '7' }, headers: {} },
    ]);
  });

  it('reads them on the process, and keeps those of a multi-instance activity on its inner activity', async () => {
    const loop = '<bpmn:multiInstanceLoopCharacteristics><bpmn:extensionElements><zeebe:loopCharacteristics inputCollection="=items"/></bpmn:extensionElements></bpmn:multiInstanceLoopCharacteristics>';
    const xml = bpmn(
      `${ext(listeners({ eventType: 'end', type: 'p-end' }))}${START}<bpmn:serviceTask id="Task_1">${ext(`<zeebe:taskDefinition type="work"/>${listeners({ eventType: 'start', type: 's' })}`)}${loop}</bpmn:serviceTask>`,
    );
    const process = await compileProcess(xml);
    expect(process.elements.get('p')!.executionListeners.map((l) => l.eventType)).toEqual(['end']);
    const body = process.elements.get('Task_1')!;
    expect(body.executionListeners).toEqual([]);
    expect(body.innerActivity!.executionListeners).toHaveLength(1);
  });

  it.each([
    ['a start listener on a start event', `<bpmn:startEvent id="El_1">${ext(listeners({ eventType: 'start', type: 'x' }))}</bpmn:startEvent>`, "execution listeners of type 'start' are not supported by start events"],
    ['an end listener on a gateway', `${START}<bpmn:parallelGateway id="El_1">${ext(listeners({ eventType: 'end', type: 'x' }))}</bpmn:parallelGateway>`, "execution listeners of type 'end' are not supported by gateways"],
    [
      'an end listener on an error end event',
      `${START}<bpmn:endEvent id="El_1">${ext(listeners({ eventType: 'end', type: 'x' }))}<bpmn:errorEventDefinition errorRef="Err"/></bpmn:endEvent>`,
      "execution listeners of type 'end' are not supported by error end events",
    ],
    [
      'a start listener on a boundary event',
      `${START}${serviceTask('Task_1')}<bpmn:boundaryEvent id="El_1" attachedToRef="Task_1">${ext(listeners({ eventType: 'start', type: 'x' }))}<bpmn:timerEventDefinition><bpmn:timeDuration>PT1M</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>`,
      "execution listeners of type 'start' are not supported by boundary events",
    ],
    ['an unknown event type', `${START}${serviceTask('El_1', `<zeebe:taskDefinition type="w"/>${listeners({ eventType: 'cancel', type: 'x' })}`)}`, "the execution listener event type 'cancel' is not one of 'start', 'end'"],
    ['an empty type', `${START}${serviceTask('El_1', `<zeebe:taskDefinition type="w"/>${listeners({ eventType: 'start', type: ' ' })}`)}`, 'an execution listener must have a non-empty type'],
    ['bad static retries', `${START}${serviceTask('El_1', `<zeebe:taskDefinition type="w"/>${listeners({ eventType: 'start', type: 'x', retries: 'many' })}`)}`, "retries must be a non-negative integer or an expression, but was 'many'"],
    [
      'the same event type and type twice',
      `${START}${serviceTask('El_1', `<zeebe:taskDefinition type="w"/>${listeners({ eventType: 'end', type: 'x' }, { eventType: 'start', type: 'x' }, { eventType: 'end', type: 'x' })}`)}`,
      "found '2' execution listeners with eventType 'end' and type 'x'; these combinations must be unique",
    ],
  ])('refuses %s, naming the element', async (_case, body, fragment) => {
    const roots = '<bpmn:error id="Err" errorCode="E"/>';
    await expectError(bpmn(body, roots), 'El_1', fragment);
  });

  it('refuses any listener on a compensation boundary event', async () => {
    const handler = '<bpmn:serviceTask id="Undo" isForCompensation="true"><bpmn:extensionElements><zeebe:taskDefinition type="undo"/></bpmn:extensionElements></bpmn:serviceTask>';
    const boundary = `<bpmn:boundaryEvent id="El_1" attachedToRef="Task_1">${ext(listeners({ eventType: 'end', type: 'x' }))}<bpmn:compensateEventDefinition/></bpmn:boundaryEvent>`;
    const association = '<bpmn:association id="A_1" associationDirection="One" sourceRef="El_1" targetRef="Undo"/>';
    const errors = await compileErrors(bpmn(`${START}${serviceTask('Task_1')}${boundary}${handler}${association}`));
    expect(errors.map((e) => e.message)).toContainEqual(expect.stringContaining("execution listeners of type 'start' and 'end' are not supported by compensation boundary events"));
  });

  it('refuses an end listener on an escalation throw event, and accepts one on a gateway start', async () => {
    const roots = '<bpmn:escalation id="Esc" escalationCode="E"/>';
    const throwEvent = `<bpmn:intermediateThrowEvent id="El_1">${ext(listeners({ eventType: 'end', type: 'x' }))}<bpmn:escalationEventDefinition escalationRef="Esc"/></bpmn:intermediateThrowEvent>`;
    await expectError(bpmn(`${START}${throwEvent}`, roots), 'El_1', "execution listeners of type 'end' are not supported by escalation intermediate throw events");
    const gateway = `<bpmn:exclusiveGateway id="Gw_1">${ext(listeners({ eventType: 'start', type: 'x' }))}</bpmn:exclusiveGateway>`;
    const process = await compileProcess(bpmn(`${START}${gateway}`));
    expect(process.elements.get('Gw_1')!.executionListeners).toHaveLength(1);
  });
});
