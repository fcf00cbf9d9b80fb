import { describe, expect, it } from 'vitest';
import { bpmn, compileErrors, compileProcess, expectError, serviceTask, START } from './bpmn-fixtures.js';

describe('document-level problems moddle would only warn about', () => {
  it('reports duplicate ids', async () => {
    await expectError(bpmn(`${START}\n${serviceTask('Task_1')}\n${serviceTask('Task_1')}`), 'Task_1', "the id 'Task_1' is used by more than one element (line 7");
  });

  it('reports unknown BPMN elements by their id', async () => {
    await expectError(bpmn(`${START}\n<bpmn:fancyTask id="Fancy_1"/>`), 'Fancy_1', 'cannot read <bpmn:fancyTask>');
  });

  it('reports unknown zeebe extension elements on the element that holds them', async () => {
    await expectError(
      bpmn(`${START}\n${serviceTask('Task_1', '<zeebe:taskDefinition type="a"/><zeebe:somethingNew/>')}`),
      'Task_1',
      'cannot read <zeebe:somethingNew/>',
    );
  });

  it('reports elements without id and overlong ids', async () => {
    const errors = await compileErrors(bpmn(`${START}<bpmn:serviceTask/>`));
    expect(errors).toContainEqual({ elementId: null, message: "An element of type 'bpmn:ServiceTask' in process 'p' has no id" });
    const long = 'T'.repeat(256);
    await expectError(bpmn(`${START}${serviceTask(long)}`), long, 'the id is longer than 255 characters');
  });
});

describe('what is ignored', () => {
  it('ignores annotations, data, lanes, documentation and foreign extensions', async () => {
    const process = await compileProcess(
      bpmn(
        `<bpmn:documentation>docs</bpmn:documentation>
        <bpmn:laneSet id="Lanes"><bpmn:lane id="Lane_1"><bpmn:flowNodeRef>start</bpmn:flowNodeRef></bpmn:lane></bpmn:laneSet>
        <bpmn:startEvent id="start"><bpmn:documentation>d</bpmn:documentation><bpmn:extensionElements><camunda:properties xmlns:camunda="http://camunda.org/schema/1.0/bpmn"><camunda:property name="a" value="b"/></camunda:properties><zeebe:properties><zeebe:property name="x" value="y"/></zeebe:properties></bpmn:extensionElements></bpmn:startEvent>
        <bpmn:dataObject id="Data_1"/><bpmn:dataObjectReference id="DataRef_1" dataObjectRef="Data_1"/><bpmn:dataStoreReference id="Store_1"/>
        <bpmn:textAnnotation id="Note_1"><bpmn:text>hi</bpmn:text></bpmn:textAnnotation>
        <bpmn:association id="Assoc_1" sourceRef="start" targetRef="Note_1"/>
        <bpmn:group id="Group_1"/>`,
      ),
    );
    expect([...process.elements.keys()]).toEqual(['p', 'start']);
  });
});
