/** Small BPMN documents for the model tests, written as strings so each test shows its model. */
import { expect } from 'vitest';
import { compileBpmn } from '../../../src/model/index.js';
import type { ExecutableProcess, ModelError } from '../../../src/model/index.js';

const NAMESPACES =
  'xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" ' +
  'xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" ' +
  'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"';

/** A definitions document with one executable process `p` holding `body`; `roots` go before it. */
export function bpmn(body: string, roots = ''): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions ${NAMESPACES} id="Definitions_1" targetNamespace="http://bpmn.io/schema/bpmn">
${roots}
  <bpmn:process id="p" name="Process" isExecutable="true">
${body}
  </bpmn:process>
</bpmn:definitions>`;
}

export const START = '<bpmn:startEvent id="start"/>';

export function serviceTask(id: string, extensions = '<zeebe:taskDefinition type="work"/>', attributes = ''): string {
  return `<bpmn:serviceTask id="${id}" ${attributes}><bpmn:extensionElements>${extensions}</bpmn:extensionElements></bpmn:serviceTask>`;
}

export function flow(id: string, source: string, target: string, condition?: string): string {
  if (condition === undefined) return `<bpmn:sequenceFlow id="${id}" sourceRef="${source}" targetRef="${target}"/>`;
  return `<bpmn:sequenceFlow id="${id}" sourceRef="${source}" targetRef="${target}"><bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">${condition}</bpmn:conditionExpression></bpmn:sequenceFlow>`;
}

export function message(id: string, name: string, correlationKey: string | null = '=orderId'): string {
  const subscription =
    correlationKey === null
      ? ''
      : `<bpmn:extensionElements><zeebe:subscription correlationKey="${correlationKey}"/></bpmn:extensionElements>`;
  return `<bpmn:message id="${id}" name="${name}">${subscription}</bpmn:message>`;
}

export async function compileProcess(xml: string, processId = 'p'): Promise<ExecutableProcess> {
  const result = await compileBpmn('test.bpmn', xml);
  if (!result.ok) expect.fail(`expected the model to compile, got:\n${result.errors.map((e) => e.message).join('\n')}`);
  const process = result.resource.processes.find((candidate) => candidate.id === processId);
  if (!process) expect.fail(`no process '${processId}' compiled`);
  return process;
}

export async function compileErrors(xml: string | Buffer, resourceName = 'test.bpmn'): Promise<readonly ModelError[]> {
  const result = await compileBpmn(resourceName, xml);
  if (result.ok) expect.fail('expected the model to be rejected, but it compiled');
  return result.errors;
}

/** Asserts one of the errors names `elementId` and its message contains the id and `fragment`. */
export async function expectError(xml: string, elementId: string | null, fragment: string): Promise<void> {
  const errors = await compileErrors(xml);
  const match = errors.find((error) => error.elementId === elementId && error.message.includes(fragment));
  if (!match) {
    expect.fail(
      `no error for ${elementId === null ? 'the document' : `'${elementId}'`} containing ${JSON.stringify(fragment)}; got:\n` +
        errors.map((e) => `  [${e.elementId}] ${e.message}`).join('\n'),
    );
  }
  if (elementId !== null) expect(match.message).toContain(`'${elementId}'`);
}
