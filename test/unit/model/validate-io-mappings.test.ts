import { describe, expect, it } from 'vitest';
import { bpmn, compileProcess, expectError, message, serviceTask, START } from './bpmn-fixtures.js';

function withMappings(mappings: string): string {
  return serviceTask('Task_1', `<zeebe:taskDefinition type="a"/><zeebe:ioMapping>${mappings}</zeebe:ioMapping>`);
}

describe('io mappings', () => {
  it('reads inputs and outputs in order', async () => {
    const process = await compileProcess(
      bpmn(
        `${START}${withMappings('<zeebe:input source="=a" target="x"/><zeebe:input source="static text" target="y.z"/><zeebe:output source="=result" target="order.total"/>')}`,
      ),
    );
    expect(process.elements.get('Task_1')).toMatchObject({
      inputMappings: [
        { source: { kind: 'feel', source: 'a' }, target: 'x' },
        { source: { kind: 'static', value: 'static text' }, target: 'y.z' },
      ],
      outputMappings: [{ source: { kind: 'feel', source: 'result' }, target: 'order.total' }],
    });
  });

  it.each([
    ['a path with spaces', '<zeebe:input source="=a" target="my var"/>', "the target 'my var' of input mapping #1 must be a variable name or a dotted path"],
    ['a leading digit', '<zeebe:input source="=a" target="1st"/>', "the target '1st' of input mapping #1"],
    ['an empty path segment', '<zeebe:output source="=a" target="a..b"/>', "the target 'a..b' of output mapping #1"],
    ['a reserved word', '<zeebe:output source="=a" target="null"/>', "the target 'null' of output mapping #1 is a reserved word"],
    ['no target', '<zeebe:input source="=a"/>', 'the target of input mapping #1 must be present and not empty'],
    ['no source', '<zeebe:input target="a"/>', "the source of input mapping #1 (target 'a') must be present and not empty"],
    ['a static output source', '<zeebe:output source="result" target="r"/>', "expected an expression for the source of output mapping #1 (target 'r') but found the static value 'result'"],
    ['a broken FEEL source', '<zeebe:input source="=a +" target="r"/>', "invalid FEEL expression '=a +' for the source of input mapping #1 (target 'r')"],
  ])('refuses %s', async (_case, mappings, fragment) => {
    await expectError(bpmn(`${START}${withMappings(mappings)}`), 'Task_1', fragment);
  });

  it('refuses mappings on gateways and processes', async () => {
    await expectError(
      bpmn(`${START}<bpmn:exclusiveGateway id="Gw"><bpmn:extensionElements><zeebe:ioMapping><zeebe:output source="=1" target="a"/></zeebe:ioMapping></bpmn:extensionElements></bpmn:exclusiveGateway>`),
      'Gw',
      'output mappings (zeebe:output) are not supported on a gateway',
    );
    await expectError(
      bpmn(`<bpmn:extensionElements><zeebe:ioMapping><zeebe:input source="=1" target="a"/></zeebe:ioMapping></bpmn:extensionElements>${START}`),
      'p',
      'input/output mappings (zeebe:ioMapping) are not supported on a process',
    );
  });

  it('allows inputs and outputs on intermediate catch and end events', async () => {
    const mappings =
      '<bpmn:extensionElements><zeebe:ioMapping><zeebe:input source="=1" target="a"/><zeebe:output source="=a" target="b"/></zeebe:ioMapping></bpmn:extensionElements>';
    const process = await compileProcess(
      bpmn(
        `${START}<bpmn:intermediateCatchEvent id="C">${mappings}<bpmn:messageEventDefinition messageRef="M"/></bpmn:intermediateCatchEvent><bpmn:endEvent id="E">${mappings}</bpmn:endEvent>`,
        message('M', 'm'),
      ),
    );
    expect(process.elements.get('C')!.inputMappings).toHaveLength(1);
    expect(process.elements.get('E')!.outputMappings).toHaveLength(1);
  });
});
