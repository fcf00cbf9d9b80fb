import { describe, expect, it } from 'vitest';
import { bpmn, compileProcess, expectError, flow, message, serviceTask, START } from './bpmn-fixtures.js';

const ERROR = '<bpmn:error id="Err" errorCode="E_STOCK"/>';
const TASK = serviceTask('Task_1');

function timerCatch(id: string, timer: string): string {
  return `<bpmn:intermediateCatchEvent id="${id}"><bpmn:timerEventDefinition>${timer}</bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>`;
}

function boundary(id: string, definition: string, attributes = 'attachedToRef="Task_1"'): string {
  return `<bpmn:boundaryEvent id="${id}" ${attributes}>${definition}</bpmn:boundaryEvent>`;
}

describe('start events', () => {
  it('requires exactly one none start event', async () => {
    await expectError(bpmn(TASK), 'p', 'must have exactly one none start event');
    await expectError(bpmn(`${START}<bpmn:startEvent id="start2"/>`), 'p', "but has 2: 'start', 'start2'");
  });

  it('compiles timer and message start events; without a none start event the process needs one of them', async () => {
    const process = await compileProcess(
      bpmn(
        `<bpmn:startEvent id="T"><bpmn:timerEventDefinition><bpmn:timeCycle>R/PT1M</bpmn:timeCycle></bpmn:timerEventDefinition></bpmn:startEvent><bpmn:startEvent id="M"><bpmn:messageEventDefinition messageRef="Msg"/></bpmn:startEvent>`,
        '<bpmn:message id="Msg" name="go"/>',
      ),
    );
    expect(process.elements.get('p')!.noneStartEventId).toBeNull();
    expect(process.elements.get('T')).toMatchObject({ eventType: 'TIMER', timer: { kind: 'cycle' } });
    expect(process.elements.get('M')).toMatchObject({ eventType: 'MESSAGE', message: { name: { kind: 'static', value: 'go' }, correlationKey: null } });
  });

  it('refuses a message start event whose message name is an expression, and two for the same message', async () => {
    await expectError(bpmn(`<bpmn:startEvent id="M"><bpmn:messageEventDefinition messageRef="Msg"/></bpmn:startEvent>`, '<bpmn:message id="Msg" name="=x"/>'), 'M', 'must be static on a message start event');
    await expectError(
      bpmn(`<bpmn:startEvent id="M1"><bpmn:messageEventDefinition messageRef="Msg"/></bpmn:startEvent><bpmn:startEvent id="M2"><bpmn:messageEventDefinition messageRef="Msg"/></bpmn:startEvent>`, '<bpmn:message id="Msg" name="go"/>'),
      'M2',
      "the message 'go' already starts the process at 'M1'",
    );
  });

  it('refuses timer and message start events inside a sub-process', async () => {
    await expectError(
      bpmn(`${START}<bpmn:subProcess id="S"><bpmn:startEvent id="Start_2"><bpmn:timerEventDefinition><bpmn:timeDuration>PT1M</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:startEvent></bpmn:subProcess>`),
      'Start_2',
      'with a timerEventDefinition inside a sub-process is not supported',
    );
  });

  it('reads signal events everywhere they go; a signal needs a name, static on a start event', async () => {
    const SIG = '<bpmn:signal id="Sig" name="go"/><bpmn:signal id="Dyn" name="=target"/>';
    const process = await compileProcess(
      bpmn(
        `<bpmn:startEvent id="S"><bpmn:signalEventDefinition signalRef="Sig"/></bpmn:startEvent>${TASK}<bpmn:intermediateCatchEvent id="C"><bpmn:signalEventDefinition signalRef="Dyn"/></bpmn:intermediateCatchEvent><bpmn:intermediateThrowEvent id="T"><bpmn:signalEventDefinition signalRef="Sig"/></bpmn:intermediateThrowEvent><bpmn:endEvent id="E"><bpmn:signalEventDefinition signalRef="Sig"/></bpmn:endEvent>${boundary('B', '<bpmn:signalEventDefinition signalRef="Sig"/>', 'attachedToRef="Task_1" cancelActivity="false"')}`,
        SIG,
      ),
    );
    for (const id of ['S', 'C', 'T', 'E', 'B']) expect(process.elements.get(id)!.eventType, id).toBe('SIGNAL');
    expect(process.elements.get('C')!.signal).toEqual({ name: { kind: 'feel', source: 'target' } });
    await expectError(bpmn(`<bpmn:startEvent id="S"><bpmn:signalEventDefinition signalRef="Dyn"/></bpmn:startEvent>`, SIG), 'S', 'must be static on a signal start event');
    await expectError(bpmn(`${START}<bpmn:intermediateCatchEvent id="C"><bpmn:signalEventDefinition/></bpmn:intermediateCatchEvent>`), 'C', 'must reference a bpmn:signal');
  });

  it('refuses incoming flows and input mappings', async () => {
    await expectError(bpmn(`${START}${TASK}${flow('f', 'Task_1', 'start')}`), 'start', 'cannot have incoming sequence flows');
    await expectError(
      bpmn(`<bpmn:startEvent id="start"><bpmn:extensionElements><zeebe:ioMapping><zeebe:input source="=1" target="a"/></zeebe:ioMapping></bpmn:extensionElements></bpmn:startEvent>`),
      'start',
      'input mappings (zeebe:input) are not supported on a start event',
    );
  });
});

describe('end events', () => {
  it('compiles error end events with the referenced error code', async () => {
    const process = await compileProcess(
      bpmn(`${START}<bpmn:endEvent id="End_1"><bpmn:errorEventDefinition errorRef="Err"/></bpmn:endEvent>`, ERROR),
    );
    expect(process.elements.get('End_1')).toMatchObject({ eventType: 'ERROR', error: { errorCode: 'E_STOCK' } });
  });

  it.each([
    ['no errorRef', '<bpmn:errorEventDefinition/>', '', 'must reference a bpmn:error'],
    ['a dangling errorRef', '<bpmn:errorEventDefinition errorRef="Nope"/>', '', "the errorRef 'Nope' does not reference a bpmn:error"],
    ['an error without code', '<bpmn:errorEventDefinition errorRef="E0"/>', '<bpmn:error id="E0"/>', "the error 'E0' must have a non-empty errorCode"],
    ['an expression code', '<bpmn:errorEventDefinition errorRef="E0"/>', '<bpmn:error id="E0" errorCode="=code"/>', 'is an expression, which is not supported yet'],
    ['two definitions', '<bpmn:errorEventDefinition errorRef="Err"/><bpmn:terminateEventDefinition/>', ERROR, 'at most one event definition'],
  ])('refuses error end events with %s', async (_case, definitions, roots, fragment) => {
    await expectError(bpmn(`${START}<bpmn:endEvent id="End_1">${definitions}</bpmn:endEvent>`, roots), 'End_1', fragment);
  });

  it.each(['messageEventDefinition'])(
    'refuses %s end events',
    async (definition) => {
      await expectError(
        bpmn(`${START}<bpmn:endEvent id="End_1"><bpmn:${definition}/></bpmn:endEvent>`),
        'End_1',
        `of type 'bpmn:EndEvent' with a ${definition} is not supported`,
      );
    },
  );

  it('refuses outgoing flows', async () => {
    await expectError(
      bpmn(`${START}<bpmn:endEvent id="End_1"/>${TASK}${flow('f1', 'start', 'End_1')}${flow('f2', 'End_1', 'Task_1')}`),
      'End_1',
      'an end event cannot have outgoing sequence flows',
    );
  });
});

describe('intermediate catch events', () => {
  it('compiles timer durations and dates', async () => {
    const process = await compileProcess(
      bpmn(
        `${START}${timerCatch('T1', '<bpmn:timeDuration>PT5M</bpmn:timeDuration>')}${timerCatch('T2', '<bpmn:timeDate>2030-01-01T00:00:00Z</bpmn:timeDate>')}${timerCatch('T3', '<bpmn:timeDuration>=wait</bpmn:timeDuration>')}`,
      ),
    );
    expect(process.elements.get('T1')).toMatchObject({ eventType: 'TIMER', timer: { kind: 'duration' } });
    expect(process.elements.get('T2')!.timer).toEqual({ kind: 'date', expression: { kind: 'static', value: '2030-01-01T00:00:00Z' } });
    expect(process.elements.get('T3')!.timer).toEqual({ kind: 'duration', expression: { kind: 'feel', source: 'wait' } });
  });

  it.each([
    ['a cycle', '<bpmn:timeCycle>R/PT1M</bpmn:timeCycle>', 'a timeCycle is not allowed on an intermediate timer catch event'],
    ['two kinds', '<bpmn:timeDuration>PT1M</bpmn:timeDuration><bpmn:timeDate>2030-01-01T00:00:00Z</bpmn:timeDate>', 'exactly one of timeDuration, timeDate or timeCycle'],
    ['no value', '', 'exactly one of timeDuration, timeDate or timeCycle'],
    ['an empty value', '<bpmn:timeDuration></bpmn:timeDuration>', 'must not be empty'],
    ['an invalid duration', '<bpmn:timeDuration>soon</bpmn:timeDuration>', "invalid timer duration 'soon'"],
    ['a negative duration', '<bpmn:timeDuration>-PT5M</bpmn:timeDuration>', 'a timer duration must not be negative'],
    ['a date without zone', '<bpmn:timeDate>2030-01-01T00:00:00</bpmn:timeDate>', "invalid timer date '2030-01-01T00:00:00'"],
    ['broken FEEL', '<bpmn:timeDuration>=duration(</bpmn:timeDuration>', "invalid FEEL expression '=duration(' for the timer duration"],
  ])('refuses timers with %s', async (_case, timer, fragment) => {
    await expectError(bpmn(`${START}${timerCatch('Timer_1', timer)}`), 'Timer_1', fragment);
  });

  it('compiles message catch events', async () => {
    const process = await compileProcess(
      bpmn(
        `${START}<bpmn:intermediateCatchEvent id="C"><bpmn:messageEventDefinition messageRef="M"/></bpmn:intermediateCatchEvent>`,
        message('M', '=messageName'),
      ),
    );
    expect(process.elements.get('C')).toMatchObject({
      eventType: 'MESSAGE',
      message: { name: { kind: 'feel', source: 'messageName' }, correlationKey: { kind: 'feel', source: 'orderId' } },
    });
  });

  it.each([
    ['no messageRef', '<bpmn:messageEventDefinition/>', '', 'must reference a message'],
    ['a dangling messageRef', '<bpmn:messageEventDefinition messageRef="Nope"/>', '', "the messageRef 'Nope' does not reference a bpmn:message"],
    ['a message without name', '<bpmn:messageEventDefinition messageRef="M"/>', message('M', ''), "the message 'M' must have a non-empty name"],
    ['no subscription', '<bpmn:messageEventDefinition messageRef="M"/>', message('M', 'm', null), 'exactly one zeebe:subscription'],
    ['an empty correlation key', '<bpmn:messageEventDefinition messageRef="M"/>', message('M', 'm', ''), 'must have a non-empty correlationKey'],
    ['a static correlation key', '<bpmn:messageEventDefinition messageRef="M"/>', message('M', 'm', 'orderId'), "expected an expression for the correlation key of message 'M' but found the static value 'orderId'"],
    ['a broken correlation key', '<bpmn:messageEventDefinition messageRef="M"/>', message('M', 'm', '=order.'), "invalid FEEL expression '=order.'"],
  ])('refuses message catch events with %s', async (_case, definition, roots, fragment) => {
    await expectError(
      bpmn(`${START}<bpmn:intermediateCatchEvent id="Catch_1">${definition}</bpmn:intermediateCatchEvent>`, roots),
      'Catch_1',
      fragment,
    );
  });

  it('requires exactly one supported event definition', async () => {
    await expectError(bpmn(`${START}<bpmn:intermediateCatchEvent id="Catch_1"/>`), 'Catch_1', 'exactly one event definition, but has 0');
    await expectError(
      bpmn(`${START}<bpmn:intermediateCatchEvent id="Catch_1"><bpmn:escalationEventDefinition/></bpmn:intermediateCatchEvent>`),
      'Catch_1',
      'with a escalationEventDefinition is not supported',
    );
  });

  it('compiles escalation throw, end and boundary events; a throw needs an escalation with a code', async () => {
    const process = await compileProcess(
      bpmn(
        `${START}${TASK}<bpmn:endEvent id="End_1"><bpmn:escalationEventDefinition escalationRef="Esc"/></bpmn:endEvent><bpmn:intermediateThrowEvent id="T"><bpmn:escalationEventDefinition escalationRef="Esc"/></bpmn:intermediateThrowEvent>${boundary('B', '<bpmn:escalationEventDefinition/>', 'attachedToRef="Task_1" cancelActivity="false"')}`,
        '<bpmn:escalation id="Esc" escalationCode="LATE"/>',
      ),
    );
    expect(process.elements.get('End_1')).toMatchObject({ eventType: 'ESCALATION', escalation: { escalationCode: 'LATE' } });
    expect(process.elements.get('T')).toMatchObject({ eventType: 'ESCALATION', escalation: { escalationCode: 'LATE' } });
    expect(process.elements.get('B')).toMatchObject({ eventType: 'ESCALATION', escalation: { escalationCode: null }, cancelActivity: false });
    await expectError(bpmn(`${START}<bpmn:intermediateThrowEvent id="T"><bpmn:escalationEventDefinition/></bpmn:intermediateThrowEvent>`), 'T', 'must reference a bpmn:escalation');
    await expectError(bpmn(`${START}<bpmn:endEvent id="E"><bpmn:escalationEventDefinition escalationRef="X"/></bpmn:endEvent>`, '<bpmn:escalation id="X"/>'), 'E', "the escalation 'X' must have a non-empty escalationCode");
  });

  it('compiles terminate end events and link events; a link needs a name', async () => {
    const process = await compileProcess(
      bpmn(`${START}<bpmn:endEvent id="End_1"><bpmn:terminateEventDefinition/></bpmn:endEvent><bpmn:intermediateThrowEvent id="T"><bpmn:linkEventDefinition name="L"/></bpmn:intermediateThrowEvent><bpmn:intermediateCatchEvent id="C"><bpmn:linkEventDefinition name="L"/></bpmn:intermediateCatchEvent>`),
    );
    expect(process.elements.get('End_1')!.eventType).toBe('TERMINATE');
    expect(process.elements.get('T')!.link).toEqual({ name: 'L', catchId: 'C' });
    expect(process.elements.get('C')!.link).toEqual({ name: 'L', catchId: null });
    await expectError(bpmn(`${START}<bpmn:intermediateCatchEvent id="C"><bpmn:linkEventDefinition/></bpmn:intermediateCatchEvent>`), 'C', 'a link event must have a name');
  });

  it('compiles a none intermediate throw event; refuses the throw events not supported yet by name', async () => {
    const process = await compileProcess(bpmn(`${START}<bpmn:intermediateThrowEvent id="Throw_1"/>`));
    expect(process.elements.get('Throw_1')).toMatchObject({ type: 'INTERMEDIATE_THROW_EVENT', eventType: 'NONE' });
    await expectError(
      bpmn(`${START}<bpmn:intermediateThrowEvent id="Throw_1"><bpmn:messageEventDefinition messageRef="M"/></bpmn:intermediateThrowEvent>`, message('M', 'm')),
      'Throw_1',
      "of type 'bpmn:IntermediateThrowEvent' with a messageEventDefinition is not supported",
    );
  });
});

describe('boundary events', () => {
  it('compiles error, timer and message boundary events', async () => {
    const process = await compileProcess(
      bpmn(
        `${START}${TASK}${boundary('B_Err', '<bpmn:errorEventDefinition/>')}${boundary('B_Timer', '<bpmn:timerEventDefinition><bpmn:timeCycle>R/PT1M</bpmn:timeCycle></bpmn:timerEventDefinition>', 'attachedToRef="Task_1" cancelActivity="false"')}${boundary('B_Msg', '<bpmn:messageEventDefinition messageRef="M"/>')}`,
        message('M', 'cancel'),
      ),
    );
    expect(process.elements.get('Task_1')!.boundaryEventIds).toEqual(['B_Err', 'B_Timer', 'B_Msg']);
    expect(process.elements.get('B_Err')).toMatchObject({ eventType: 'ERROR', error: { errorCode: null }, cancelActivity: true, attachedToId: 'Task_1' });
    expect(process.elements.get('B_Timer')).toMatchObject({ eventType: 'TIMER', cancelActivity: false });
    expect(process.elements.get('B_Msg')).toMatchObject({ eventType: 'MESSAGE', cancelActivity: true });
  });

  it.each([
    ['no attachedToRef', '<bpmn:errorEventDefinition/>', '', 'must be attached to an activity'],
    ['a dangling attachedToRef', '<bpmn:errorEventDefinition/>', 'attachedToRef="Nope"', "the attachedToRef 'Nope' does not reference an element"],
    ['a gateway host', '<bpmn:errorEventDefinition/>', 'attachedToRef="Gw"', "must be attached to a task or a sub-process, but 'Gw' is a bpmn:ExclusiveGateway"],
    ['a non-interrupting error', '<bpmn:errorEventDefinition/>', 'attachedToRef="Task_1" cancelActivity="false"', 'an error boundary event must be interrupting'],
    ['an error without code', '<bpmn:errorEventDefinition errorRef="E0"/>', 'attachedToRef="Task_1"', "the error 'E0' must have a non-empty errorCode"],
    ['an expression error code', '<bpmn:errorEventDefinition errorRef="EX"/>', 'attachedToRef="Task_1"', 'must not be an expression'],
    ['an interrupting cycle', '<bpmn:timerEventDefinition><bpmn:timeCycle>R/PT1M</bpmn:timeCycle></bpmn:timerEventDefinition>', 'attachedToRef="Task_1"', 'a timeCycle is not allowed on an interrupting timer boundary event'],
    ['an invalid cycle', '<bpmn:timerEventDefinition><bpmn:timeCycle>every minute</bpmn:timeCycle></bpmn:timerEventDefinition>', 'attachedToRef="Task_1" cancelActivity="false"', "invalid timer cycle 'every minute'"],
    ['a malformed cron cycle', '<bpmn:timerEventDefinition><bpmn:timeCycle>0 0 * * * BLUEDAY</bpmn:timeCycle></bpmn:timerEventDefinition>', 'attachedToRef="Task_1" cancelActivity="false"', "invalid day-of-week field 'BLUEDAY'"],
    ['a message without subscription', '<bpmn:messageEventDefinition messageRef="MX"/>', 'attachedToRef="Task_1"', 'exactly one zeebe:subscription'],
    ['a compensation but no handler', '<bpmn:compensateEventDefinition/>', 'attachedToRef="Task_1"', 'must be associated with exactly one compensation handler'],
    ['no definition', '', 'attachedToRef="Task_1"', 'exactly one event definition, but has 0'],
  ])('refuses boundary events with %s', async (_case, definition, attributes, fragment) => {
    const roots = '<bpmn:error id="E0"/><bpmn:error id="EX" errorCode="=code"/>' + message('MX', 'm', null);
    await expectError(bpmn(`${START}${TASK}<bpmn:exclusiveGateway id="Gw"/>${boundary('B_1', definition, attributes)}`, roots), 'B_1', fragment);
  });

  it('refuses competing boundary events on one activity', async () => {
    const twoCatchAll = bpmn(`${START}${TASK}${boundary('B1', '<bpmn:errorEventDefinition/>')}${boundary('B2', '<bpmn:errorEventDefinition/>')}`);
    await expectError(twoCatchAll, 'Task_1', 'more than one error boundary event without an error code');
    const sameCode = bpmn(
      `${START}${TASK}${boundary('B1', '<bpmn:errorEventDefinition errorRef="Err"/>')}${boundary('B2', '<bpmn:errorEventDefinition errorRef="Err"/>')}`,
      ERROR,
    );
    await expectError(sameCode, 'Task_1', "more than one error boundary event for the error code 'E_STOCK'");
    const sameMessage = bpmn(
      `${START}${TASK}${boundary('B1', '<bpmn:messageEventDefinition messageRef="M1"/>')}${boundary('B2', '<bpmn:messageEventDefinition messageRef="M2"/>')}`,
      message('M1', 'cancel') + message('M2', 'cancel'),
    );
    await expectError(sameMessage, 'Task_1', "more than one message boundary event for the message name 'cancel'");
  });

  it('refuses incoming flows and input mappings', async () => {
    await expectError(
      bpmn(`${START}${TASK}${boundary('B1', '<bpmn:errorEventDefinition/>')}${flow('f', 'start', 'B1')}`),
      'B1',
      'a boundary event cannot have incoming sequence flows',
    );
    await expectError(
      bpmn(
        `${START}${TASK}<bpmn:boundaryEvent id="B1" attachedToRef="Task_1"><bpmn:extensionElements><zeebe:ioMapping><zeebe:input source="=1" target="a"/></zeebe:ioMapping></bpmn:extensionElements><bpmn:errorEventDefinition/></bpmn:boundaryEvent>`,
      ),
      'B1',
      'input mappings (zeebe:input) are not supported on a boundary event',
    );
  });

  it('allows boundary events without outgoing flows', async () => {
    const process = await compileProcess(bpmn(`${START}${TASK}${boundary('B1', '<bpmn:errorEventDefinition/>')}`));
    expect(process.elements.get('B1')!.outgoing).toEqual([]);
  });
});

describe('compensation', () => {
  const HANDLER = serviceTask('Undo_1', '<zeebe:taskDefinition type="undo"/>', 'isForCompensation="true"');
  const COMP_BOUNDARY = boundary('B_Comp', '<bpmn:compensateEventDefinition/>');
  const ASSOCIATION = '<bpmn:association id="Assoc_1" sourceRef="B_Comp" targetRef="Undo_1"/>';

  it('compiles a compensation boundary event with its handler, and compensation throw and end events', async () => {
    const process = await compileProcess(
      bpmn(
        `${START}${TASK}${COMP_BOUNDARY}${HANDLER}${ASSOCIATION}<bpmn:intermediateThrowEvent id="Throw_1"><bpmn:compensateEventDefinition activityRef="Task_1"/></bpmn:intermediateThrowEvent><bpmn:endEvent id="End_1"><bpmn:compensateEventDefinition waitForCompletion="true"/></bpmn:endEvent>${flow('f1', 'start', 'Task_1')}${flow('f2', 'Task_1', 'Throw_1')}${flow('f3', 'Throw_1', 'End_1')}`,
      ),
    );
    expect(process.elements.get('B_Comp')).toMatchObject({ eventType: 'COMPENSATION', attachedToId: 'Task_1', compensation: { handlerId: 'Undo_1', activityRef: null } });
    expect(process.elements.get('Undo_1')).toMatchObject({ isForCompensation: true, incoming: [], outgoing: [] });
    expect(process.elements.get('Throw_1')).toMatchObject({ eventType: 'COMPENSATION', compensation: { activityRef: 'Task_1', handlerId: null } });
    expect(process.elements.get('End_1')).toMatchObject({ eventType: 'COMPENSATION', compensation: { activityRef: null } });
  });

  it('finds the association in a collaboration too', async () => {
    const xml = bpmn(`${START}${TASK}${COMP_BOUNDARY}${HANDLER}`, `<bpmn:collaboration id="C"><bpmn:participant id="P" processRef="p"/>${ASSOCIATION}</bpmn:collaboration>`);
    expect((await compileProcess(xml)).elements.get('B_Comp')!.compensation).toEqual({ handlerId: 'Undo_1', activityRef: null });
  });

  it.each([
    ['a handler with a boundary event', `${COMP_BOUNDARY}${HANDLER}${ASSOCIATION}${boundary('B_2', '<bpmn:errorEventDefinition/>', 'attachedToRef="Undo_1"')}`, 'Undo_1', 'a compensation handler cannot have boundary events'],
    ['an association to an event', `${COMP_BOUNDARY}<bpmn:endEvent id="E"/><bpmn:association id="A" sourceRef="B_Comp" targetRef="E"/>`, 'B_Comp', "the compensation handler 'E' must be an activity"],
    ['two handlers', `${COMP_BOUNDARY}${HANDLER}${ASSOCIATION}${serviceTask('Undo_2', '<zeebe:taskDefinition type="undo"/>', 'isForCompensation="true"')}<bpmn:association id="A2" sourceRef="B_Comp" targetRef="Undo_2"/>`, 'B_Comp', 'but has 2'],
    ['a handler in another scope', `${COMP_BOUNDARY}<bpmn:subProcess id="Sub">${START.replace('start', 's2')}${HANDLER}</bpmn:subProcess>${ASSOCIATION}`, 'B_Comp', 'must be in the same scope as the boundary event'],
    ['two compensation boundary events on one activity', `${COMP_BOUNDARY}${HANDLER}${ASSOCIATION}${boundary('B_Comp2', '<bpmn:compensateEventDefinition/>')}<bpmn:association id="A2" sourceRef="B_Comp2" targetRef="Undo_1"/>`, 'Task_1', "has more than one compensation boundary event: 'B_Comp', 'B_Comp2'"],
    ['an outgoing flow on the boundary event', `${COMP_BOUNDARY}${HANDLER}${ASSOCIATION}<bpmn:endEvent id="E"/>${flow('f9', 'B_Comp', 'E')}`, 'B_Comp', 'a compensation boundary event cannot have outgoing sequence flows'],
    ['a dangling activityRef', '<bpmn:endEvent id="E"><bpmn:compensateEventDefinition activityRef="Nope"/></bpmn:endEvent>', 'E', "the activityRef 'Nope' does not reference an element"],
    ['an activityRef in another scope', `${COMP_BOUNDARY}${HANDLER}${ASSOCIATION}<bpmn:subProcess id="Sub">${START.replace('start', 's2')}<bpmn:endEvent id="E"><bpmn:compensateEventDefinition activityRef="Task_1"/></bpmn:endEvent>${flow('f8', 's2', 'E')}</bpmn:subProcess>`, 'E', 'must reference an activity with a compensation boundary event in the same scope'],
    ['an end event that does not wait', '<bpmn:endEvent id="E"><bpmn:compensateEventDefinition waitForCompletion="false"/></bpmn:endEvent>', 'E', 'the waitForCompletion attribute of a compensation end event must be true or not present'],
  ])('refuses %s', async (_case, body, elementId, fragment) => {
    await expectError(bpmn(`${START}${TASK}${body}`), elementId, fragment);
  });
});
