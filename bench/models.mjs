// BPMN models used by the benchmarks.
export function oneTaskProcess(id, jobType) {
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="defs-${id}" targetNamespace="bench">
  <bpmn:process id="${id}" isExecutable="true">
    <bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="task" />
    <bpmn:serviceTask id="task"><bpmn:extensionElements><zeebe:taskDefinition type="${jobType}" /></bpmn:extensionElements><bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing></bpmn:serviceTask>
    <bpmn:sequenceFlow id="f2" sourceRef="task" targetRef="end" />
    <bpmn:endEvent id="end"><bpmn:incoming>f2</bpmn:incoming></bpmn:endEvent>
  </bpmn:process>
</bpmn:definitions>`;
}

/**
 * A realistic order process: 15 flow nodes — an exclusive gateway (review above 100), an
 * embedded sub-process with a timer boundary (1 h, never reached), a parallel multi-instance
 * task over the order's items (10), a message catch (payment, by order id) and more tasks. Every
 * task is a job of `jobType`. Instances need variables { orderId, amount, items } and a
 * "payment" message for their order id.
 */
export function realisticProcess(id, jobType) {
  const task = (taskId, incoming, outgoing, extra = '') =>
    `<bpmn:serviceTask id="${taskId}"><bpmn:extensionElements><zeebe:taskDefinition type="${jobType}" /></bpmn:extensionElements>${incoming}${outgoing}${extra}</bpmn:serviceTask>`;
  const flow = (flowId, from, to, condition) =>
    condition
      ? `<bpmn:sequenceFlow id="${flowId}" sourceRef="${from}" targetRef="${to}"><bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">${condition}</bpmn:conditionExpression></bpmn:sequenceFlow>`
      : `<bpmn:sequenceFlow id="${flowId}" sourceRef="${from}" targetRef="${to}" />`;
  const loop = '<bpmn:multiInstanceLoopCharacteristics><bpmn:extensionElements><zeebe:loopCharacteristics inputCollection="=items" inputElement="item" /></bpmn:extensionElements></bpmn:multiInstanceLoopCharacteristics>';
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" id="defs-${id}" targetNamespace="bench">
  <bpmn:message id="payment" name="payment"><bpmn:extensionElements><zeebe:subscription correlationKey="=orderId" /></bpmn:extensionElements></bpmn:message>
  <bpmn:process id="${id}" isExecutable="true">
    <bpmn:startEvent id="start" />
    ${task('validate', '', '')}
    <bpmn:exclusiveGateway id="check" default="small" />
    ${task('review', '', '')}
    <bpmn:exclusiveGateway id="merge" />
    <bpmn:subProcess id="fulfil">
      <bpmn:startEvent id="f_start" />
      ${task('pick', '', '', loop)}
      ${task('pack', '', '')}
      <bpmn:endEvent id="f_end" />
      ${flow('f1', 'f_start', 'pick')}${flow('f2', 'pick', 'pack')}${flow('f3', 'pack', 'f_end')}
    </bpmn:subProcess>
    <bpmn:boundaryEvent id="late" attachedToRef="fulfil"><bpmn:timerEventDefinition><bpmn:timeDuration>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>
    <bpmn:endEvent id="late_end" />
    <bpmn:intermediateCatchEvent id="paid"><bpmn:messageEventDefinition messageRef="payment" /></bpmn:intermediateCatchEvent>
    ${task('ship', '', '')}
    <bpmn:endEvent id="end" />
    ${flow('s1', 'start', 'validate')}${flow('s2', 'validate', 'check')}${flow('big', 'check', 'review', '=amount &gt; 100')}${flow('small', 'check', 'merge')}
    ${flow('s3', 'review', 'merge')}${flow('s4', 'merge', 'fulfil')}${flow('s5', 'fulfil', 'paid')}${flow('s6', 'late', 'late_end')}${flow('s7', 'paid', 'ship')}${flow('s8', 'ship', 'end')}
  </bpmn:process>
</bpmn:definitions>`;
}

/** A start event straight to an end event: an instance finishes in the command that creates it. */
export function instantProcess(id) {
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="defs-${id}" targetNamespace="bench">
  <bpmn:process id="${id}" isExecutable="true">
    <bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="end" />
    <bpmn:endEvent id="end"><bpmn:incoming>f1</bpmn:incoming></bpmn:endEvent>
  </bpmn:process>
</bpmn:definitions>`;
}

/**
 * A parent that starts `count` instances of `calledId` at once: a parallel multi-instance call
 * activity over 1..count. Filling a node's history this way costs one request per `count`
 * finished instances; each child gets only its number (the call activity's locals `item` and
 * `loopCounter`: parent variables are not propagated).
 */
export function fanOutProcess(id, calledId, count) {
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="defs-${id}" targetNamespace="bench">
  <bpmn:process id="${id}" isExecutable="true">
    <bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="call" />
    <bpmn:callActivity id="call">
      <bpmn:extensionElements><zeebe:calledElement processId="${calledId}" propagateAllChildVariables="false" propagateAllParentVariables="false" /></bpmn:extensionElements>
      <bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing>
      <bpmn:multiInstanceLoopCharacteristics><bpmn:extensionElements><zeebe:loopCharacteristics inputCollection="=for i in 1..${count} return i" inputElement="item" /></bpmn:extensionElements></bpmn:multiInstanceLoopCharacteristics>
    </bpmn:callActivity>
    <bpmn:sequenceFlow id="f2" sourceRef="call" targetRef="end" />
    <bpmn:endEvent id="end"><bpmn:incoming>f2</bpmn:incoming></bpmn:endEvent>
  </bpmn:process>
</bpmn:definitions>`;
}
