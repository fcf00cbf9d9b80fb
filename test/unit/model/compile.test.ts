import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileBpmn } from '../../../src/model/index.js';
import { bpmn, compileErrors, compileProcess, expectError, flow, serviceTask, START } from './bpmn-fixtures.js';

const ORDER_PROCESS = readFileSync(new URL('../../fixtures/bpmn/order-process.bpmn', import.meta.url), 'utf8');

describe('compileBpmn: a Camunda Modeler diagram', () => {
  it('compiles every supported element kind', async () => {
    const process = await compileProcess(ORDER_PROCESS, 'order-process');
    expect(process.name).toBe('Order process');
    expect(process.versionTag).toBe('v1.2');
    expect(process.elements.get('order-process')!.noneStartEventId).toBe('Start_Order');
    const types = Object.fromEntries([...process.elements.values()].map((e) => [e.id, `${e.type}/${e.eventType}`]));
    expect(types).toEqual({
      'order-process': 'PROCESS/UNSPECIFIED',
      Start_Order: 'START_EVENT/NONE',
      Task_Reserve: 'SERVICE_TASK/UNSPECIFIED',
      Boundary_OutOfStock: 'BOUNDARY_EVENT/ERROR',
      Gateway_Amount: 'EXCLUSIVE_GATEWAY/UNSPECIFIED',
      Task_Review: 'USER_TASK/UNSPECIFIED',
      Boundary_Remind: 'BOUNDARY_EVENT/TIMER',
      Task_Remind: 'SEND_TASK/UNSPECIFIED',
      Gateway_Join: 'EXCLUSIVE_GATEWAY/UNSPECIFIED',
      Catch_Payment: 'INTERMEDIATE_CATCH_EVENT/MESSAGE',
      Gateway_Split: 'PARALLEL_GATEWAY/UNSPECIFIED',
      Task_Invoice: 'SCRIPT_TASK/UNSPECIFIED',
      Task_Shipping: 'BUSINESS_RULE_TASK/UNSPECIFIED',
      Boundary_Cancel: 'BOUNDARY_EVENT/MESSAGE',
      Gateway_Merge: 'PARALLEL_GATEWAY/UNSPECIFIED',
      Timer_Cooldown: 'INTERMEDIATE_CATCH_EVENT/TIMER',
      End_Shipped: 'END_EVENT/NONE',
      End_OutOfStock: 'END_EVENT/ERROR',
      End_Cancelled: 'END_EVENT/NONE',
    });
    expect(process.flows.size).toBe(16);
  });

  it('keeps the process itself as a scope element', async () => {
    const process = await compileProcess(ORDER_PROCESS, 'order-process');
    expect(process.elements.get('order-process')).toMatchObject({ flowScopeId: null, incoming: [], outgoing: [] });
    for (const element of process.elements.values()) {
      if (element.type !== 'PROCESS') expect(element.flowScopeId).toBe('order-process');
    }
  });

  it('wires flows in document order', async () => {
    const process = await compileProcess(ORDER_PROCESS, 'order-process');
    expect(process.elements.get('Gateway_Amount')).toMatchObject({
      incoming: ['Flow_2'],
      outgoing: ['Flow_Large', 'Flow_Small'],
      defaultFlowId: 'Flow_Small',
    });
    expect(process.elements.get('Gateway_Merge')!.incoming).toEqual(['Flow_7', 'Flow_8']);
    expect(process.flows.get('Flow_Large')).toEqual({
      id: 'Flow_Large',
      sourceId: 'Gateway_Amount',
      targetId: 'Task_Review',
      condition: { kind: 'feel', source: 'order.total > 1000' },
    });
    expect(process.flows.get('Flow_Small')!.condition).toBeNull();
  });

  it('compiles job definitions, headers and mappings', async () => {
    const process = await compileProcess(ORDER_PROCESS, 'order-process');
    expect(process.elements.get('Task_Reserve')).toMatchObject({
      job: {
        type: { kind: 'static', value: 'reserve-stock' },
        retries: { kind: 'feel', source: 'retriesFor(orderId)' },
        headers: { priority: 'high' },
      },
      inputMappings: [
        { source: { kind: 'feel', source: 'order.items' }, target: 'items' },
        { source: { kind: 'static', value: 'warehouse-1' }, target: 'warehouse' },
      ],
      outputMappings: [{ source: { kind: 'feel', source: 'reservationId' }, target: 'order.reservationId' }],
      boundaryEventIds: ['Boundary_OutOfStock'],
    });
    expect(process.elements.get('Task_Remind')!.job!.type).toEqual({ kind: 'feel', source: '"notify-" + channel' });
    expect(process.elements.get('Task_Shipping')!.job!.retries).toEqual({ kind: 'static', value: '5' });
    expect(process.elements.get('Start_Order')!.outputMappings).toHaveLength(1);
    expect(process.elements.get('End_Shipped')!.inputMappings).toEqual([
      { source: { kind: 'static', value: 'shipped' }, target: 'status' },
    ]);
  });

  it('compiles user tasks to io.camunda.zeebe:userTask jobs with Zeebe headers', async () => {
    const process = await compileProcess(ORDER_PROCESS, 'order-process');
    const job = process.elements.get('Task_Review')!.job!;
    expect(job.type).toEqual({ kind: 'static', value: 'io.camunda.zeebe:userTask' });
    expect(job.retries).toEqual({ kind: 'static', value: '1' });
    expect(job.headers).toEqual({
      'io.camunda.zeebe:candidateGroups': '["sales","managers"]',
      'io.camunda.zeebe:dueDate': '2030-01-01T12:00:00Z',
      'io.camunda.zeebe:formKey': 'camunda-forms:bpmn:UserTaskForm_1',
    });
    expect(job.userTask).toEqual({
      assignee: { kind: 'feel', source: 'reviewer' },
      candidateGroups: { kind: 'static', value: 'sales, managers' },
      candidateUsers: null,
      dueDate: { kind: 'static', value: '2030-01-01T12:00:00Z' },
      followUpDate: { kind: 'feel', source: 'now() + duration("P1D")' },
      formKey: 'camunda-forms:bpmn:UserTaskForm_1',
    });
  });

  it('compiles events', async () => {
    const process = await compileProcess(ORDER_PROCESS, 'order-process');
    expect(process.elements.get('Boundary_OutOfStock')).toMatchObject({
      attachedToId: 'Task_Reserve',
      cancelActivity: true,
      error: { errorCode: 'OUT_OF_STOCK' },
      outgoing: ['Flow_OutOfStock'],
    });
    expect(process.elements.get('Boundary_Remind')).toMatchObject({
      attachedToId: 'Task_Review',
      cancelActivity: false,
      timer: { kind: 'cycle', expression: { kind: 'static', value: 'R3/PT1H' } },
    });
    expect(process.elements.get('Catch_Payment')!.message).toEqual({
      name: { kind: 'static', value: 'payment-received' },
      correlationKey: { kind: 'feel', source: 'orderId' },
    });
    expect(process.elements.get('Timer_Cooldown')!.timer).toEqual({
      kind: 'duration',
      expression: { kind: 'static', value: 'PT15M' },
    });
    expect(process.elements.get('End_OutOfStock')!.error).toEqual({ errorCode: 'OUT_OF_STOCK' });
    expect(process.elements.get('Task_Invoice')!.script).toEqual({
      expression: { kind: 'feel', source: '{total: sum(order.items.price), currency: "EUR"}' },
      resultVariable: 'invoice',
    });
  });

  it('is deterministic: the same XML compiles to the same result', async () => {
    const first = await compileBpmn('order.bpmn', ORDER_PROCESS);
    const second = await compileBpmn('order.bpmn', Buffer.from(ORDER_PROCESS));
    expect(second).toEqual(first);
    expect(JSON.stringify(first, (_k, v: unknown) => (v instanceof Map ? [...v] : v))).toEqual(
      JSON.stringify(second, (_k, v: unknown) => (v instanceof Map ? [...v] : v)),
    );
  });

  it('returns immutable elements', async () => {
    const process = await compileProcess(ORDER_PROCESS, 'order-process');
    const element = process.elements.get('Task_Reserve')!;
    expect(Object.isFrozen(element)).toBe(true);
    expect(Object.isFrozen(element.outgoing)).toBe(true);
    expect(Object.isFrozen(element.job)).toBe(true);
  });
});

describe('compileBpmn: processes in a document', () => {
  it('compiles only executable processes of a collaboration', async () => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="x">
  <bpmn:collaboration id="c">
    <bpmn:participant id="pa" processRef="a" />
    <bpmn:participant id="pb" processRef="b" />
    <bpmn:participant id="pc" processRef="c2" />
  </bpmn:collaboration>
  <bpmn:process id="a" isExecutable="true"><bpmn:startEvent id="sa" /></bpmn:process>
  <bpmn:process id="b" isExecutable="false"><bpmn:task id="unsupported-but-not-executable" /></bpmn:process>
  <bpmn:process id="c2" isExecutable="true"><bpmn:startEvent id="sc" /></bpmn:process>
</bpmn:definitions>`;
    const result = await compileBpmn('collab.bpmn', xml);
    expect(result.ok && result.resource.processes.map((p) => p.id)).toEqual(['a', 'c2']);
  });

  it('requires at least one executable process', async () => {
    const xml = bpmn(START).replace('isExecutable="true"', 'isExecutable="false"');
    await expectError(xml, null, 'must contain at least one executable process');
    const missing = bpmn(START).replace(' isExecutable="true"', '');
    await expectError(missing, null, 'must contain at least one executable process');
  });

  it('allows elements without outgoing flows as implicit ends', async () => {
    const process = await compileProcess(bpmn(`${START}${serviceTask('t')}${flow('f', 'start', 't')}`));
    expect(process.elements.get('t')!.outgoing).toEqual([]);
    const lonely = await compileProcess(bpmn(START));
    expect(lonely.elements.get('start')!.outgoing).toEqual([]);
  });

  it('collects all errors instead of stopping at the first', async () => {
    const errors = await compileErrors(
      bpmn(`${START}<bpmn:transaction id="Sub_1" /><bpmn:serviceTask id="Task_1" />${flow('f1', 'start', 'nowhere')}`),
    );
    expect(errors.map((e) => e.elementId)).toEqual(['Sub_1', 'Task_1', 'f1']);
  });

  it('compiles a 50-element process', async () => {
    const tasks = Array.from({ length: 24 }, (_, i) => serviceTask(`t${i}`));
    const flows = Array.from({ length: 24 }, (_, i) => flow(`f${i}`, i === 0 ? 'start' : `t${i - 1}`, `t${i}`));
    const process = await compileProcess(bpmn(START + tasks.join('') + flows.join('')));
    expect(process.elements.size).toBe(26);
    expect(process.flows.size).toBe(24);
  });
});
