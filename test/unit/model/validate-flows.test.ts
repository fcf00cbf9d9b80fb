import { describe, expect, it } from 'vitest';
import { bpmn, compileProcess, expectError, flow, serviceTask, START } from './bpmn-fixtures.js';

const GATEWAY = '<bpmn:exclusiveGateway id="Gw" default="Flow_Default"/>';
const TARGETS = `${serviceTask('A')}${serviceTask('B')}`;

describe('sequence flow endpoints', () => {
  it.each([
    ['a dangling targetRef', flow('Flow_1', 'start', 'nowhere'), "the targetRef 'nowhere' does not reference an element of process 'p'"],
    ['a dangling sourceRef', flow('Flow_1', 'ghost', 'A'), "the sourceRef 'ghost' does not reference an element of process 'p'"],
    ['no targetRef', '<bpmn:sequenceFlow id="Flow_1" sourceRef="start"/>', 'a sequence flow must have a targetRef'],
    ['a data object target', `<bpmn:dataObjectReference id="Data_1"/>${flow('Flow_1', 'start', 'Data_1')}`, "the targetRef 'Data_1' references a bpmn:DataObjectReference, not a flow node"],
  ])('refuses %s', async (_case, flows, fragment) => {
    await expectError(bpmn(`${START}${TARGETS}${flows}`), 'Flow_1', fragment);
  });

  it('refuses flows into another process', async () => {
    const xml = bpmn(`${START}${flow('Flow_1', 'start', 'Other_Task')}`, '<bpmn:process id="q"><bpmn:task id="Other_Task"/></bpmn:process>');
    await expectError(xml, 'Flow_1', "the targetRef 'Other_Task' does not reference an element of process 'p'");
  });
});

describe('conditions', () => {
  it('compiles conditions and the default flow of an exclusive gateway', async () => {
    const process = await compileProcess(
      bpmn(`${START}${GATEWAY}${TARGETS}${flow('f0', 'start', 'Gw')}${flow('Flow_A', 'Gw', 'A', '= amount &gt; 100')}${flow('Flow_Default', 'Gw', 'B')}`),
    );
    expect(process.elements.get('Gw')).toMatchObject({ defaultFlowId: 'Flow_Default', outgoing: ['Flow_A', 'Flow_Default'] });
    expect(process.flows.get('Flow_A')!.condition).toEqual({ kind: 'feel', source: 'amount > 100' });
  });

  it('allows a single unconditional flow out of an exclusive gateway', async () => {
    const process = await compileProcess(bpmn(`${START}<bpmn:exclusiveGateway id="Gw"/>${serviceTask('A')}${flow('f0', 'start', 'Gw')}${flow('f1', 'Gw', 'A')}`));
    expect(process.elements.get('Gw')!.defaultFlowId).toBeNull();
  });

  it('requires a condition on every non-default flow of a splitting exclusive gateway', async () => {
    const xml = bpmn(`${START}<bpmn:exclusiveGateway id="Gw"/>${TARGETS}${flow('Flow_A', 'Gw', 'A', '=x')}${flow('Flow_B', 'Gw', 'B')}`);
    await expectError(xml, 'Flow_B', "a sequence flow leaving the exclusive gateway 'Gw' must have a condition or be the gateway's default flow");
  });

  it('refuses a default flow with a condition or from elsewhere', async () => {
    await expectError(
      bpmn(`${START}${GATEWAY}${TARGETS}${flow('Flow_A', 'Gw', 'A', '=x')}${flow('Flow_Default', 'Gw', 'B', '=y')}`),
      'Gw',
      "the default flow 'Flow_Default' must not have a condition",
    );
    await expectError(
      bpmn(`${START}${GATEWAY}${TARGETS}${flow('Flow_A', 'Gw', 'A', '=x')}${flow('Flow_Default', 'start', 'B')}`),
      'Gw',
      "the default flow 'Flow_Default' must be an outgoing sequence flow of this gateway",
    );
    await expectError(
      bpmn(`${START}<bpmn:exclusiveGateway id="Gw" default="Flow_Nope"/>${TARGETS}${flow('Flow_A', 'Gw', 'A', '=x')}`),
      'Gw',
      "the default flow 'Flow_Nope' must be an outgoing sequence flow of this gateway",
    );
  });

  it.each([
    ['a task', `${serviceTask('Task_1')}${flow('Flow_1', 'Task_1', 'A', '=x')}`, "this flow leaves 'Task_1'"],
    ['a parallel gateway', `<bpmn:parallelGateway id="Par"/>${flow('Flow_1', 'Par', 'A', '=x')}`, "this flow leaves 'Par'"],
    ['a start event', flow('Flow_1', 'start', 'A', '=x'), "this flow leaves 'start'"],
  ])('refuses conditions on flows leaving %s', async (_case, body, fragment) => {
    await expectError(bpmn(`${START}${TARGETS}${body}`), 'Flow_1', `a condition is only allowed on sequence flows leaving an exclusive, inclusive or complex gateway, but ${fragment}`);
  });

  it.each([
    ['static', 'x &gt; 5', "expected an expression for the condition but found the static value 'x > 5'; an expression must start with '=' (e.g. '=x > 5')"],
    ['empty', '', 'the condition expression must not be empty'],
    ['only =', '=', 'the expression for the condition is empty'],
    ['broken', '=x &gt;', "invalid FEEL expression '=x >' for the condition: unexpected end of expression"],
    ['broken tokens', '=a +* b', "invalid FEEL expression '=a +* b' for the condition: unexpected '* b' at position 4"],
  ])('refuses a %s condition', async (_case, condition, fragment) => {
    await expectError(
      bpmn(`${START}<bpmn:exclusiveGateway id="Gw"/>${TARGETS}${flow('Flow_1', 'Gw', 'A', condition)}${flow('Flow_2', 'Gw', 'B', '=true')}`),
      'Flow_1',
      fragment,
    );
  });

  it('checks gateway flows even when a parallel gateway fans out', async () => {
    const process = await compileProcess(
      bpmn(`${START}<bpmn:parallelGateway id="Par"/>${TARGETS}${flow('f0', 'start', 'Par')}${flow('f1', 'Par', 'A')}${flow('f2', 'Par', 'B')}`),
    );
    expect(process.elements.get('Par')!.outgoing).toEqual(['f1', 'f2']);
  });
});
