import { describe, expect, it } from 'vitest';
import { bpmn, compileErrors, compileProcess, expectError, serviceTask, START } from './bpmn-fixtures.js';

function task(kind: string, id: string, extensions: string, attributes = ''): string {
  return `<bpmn:${kind} id="${id}" ${attributes}><bpmn:extensionElements>${extensions}</bpmn:extensionElements></bpmn:${kind}>`;
}

describe('job worker tasks', () => {
  it('defaults retries to 3', async () => {
    const process = await compileProcess(bpmn(`${START}${serviceTask('Task_1')}`));
    expect(process.elements.get('Task_1')!.job).toEqual({
      type: { kind: 'static', value: 'work' },
      retries: { kind: 'static', value: '3' },
      headers: {},
    });
  });

  it('reads FEEL types and retries', async () => {
    const process = await compileProcess(bpmn(`${START}${serviceTask('Task_1', '<zeebe:taskDefinition type="=jobType" retries="=n + 1"/>')}`));
    expect(process.elements.get('Task_1')!.job).toMatchObject({
      type: { kind: 'feel', source: 'jobType' },
      retries: { kind: 'feel', source: 'n + 1' },
    });
  });

  it('requires a task definition with a type', async () => {
    const errors = await compileErrors(bpmn(`${START}<bpmn:serviceTask id="Task_1"/>`));
    expect(errors).toContainEqual({
      elementId: 'Task_1',
      message: "Element 'Task_1': must have a zeebe:taskDefinition with a non-empty type",
    });
    await expectError(bpmn(`${START}${serviceTask('Task_1', '<zeebe:taskDefinition type=" "/>')}`), 'Task_1', 'non-empty type');
    await expectError(
      bpmn(`${START}${serviceTask('Task_1', '<zeebe:taskDefinition type="a"/><zeebe:taskDefinition type="b"/>')}`),
      'Task_1',
      'exactly one zeebe:taskDefinition',
    );
  });

  it.each([
    ['a broken FEEL type', '<zeebe:taskDefinition type="=job +"/>', "invalid FEEL expression '=job +' for the job type"],
    ['an empty FEEL type', '<zeebe:taskDefinition type="="/>', 'the expression for the job type is empty'],
    ['non-numeric retries', '<zeebe:taskDefinition type="a" retries="many"/>', "the job retries must be a non-negative integer or an expression, but was 'many'"],
    ['empty retries', '<zeebe:taskDefinition type="a" retries=""/>', 'retries must not be empty'],
    ['a reserved header', '<zeebe:taskDefinition type="a"/><zeebe:taskHeaders><zeebe:header key="io.camunda.zeebe:assignee" value="x"/></zeebe:taskHeaders>', "the task header key 'io.camunda.zeebe:assignee' is reserved"],
    ['two header lists', '<zeebe:taskDefinition type="a"/><zeebe:taskHeaders/><zeebe:taskHeaders/>', 'at most one zeebe:taskHeaders'],
    ['two io mappings', '<zeebe:taskDefinition type="a"/><zeebe:ioMapping/><zeebe:ioMapping/>', 'at most one zeebe:ioMapping'],
  ])('refuses a service task with %s', async (_case, extensions, fragment) => {
    await expectError(bpmn(`${START}${serviceTask('Task_1', extensions)}`), 'Task_1', fragment);
  });

  it('keeps headers and drops those without key or value, like Zeebe', async () => {
    const process = await compileProcess(
      bpmn(
        `${START}${serviceTask('Task_1', '<zeebe:taskDefinition type="a"/><zeebe:taskHeaders><zeebe:header key="k" value="v"/><zeebe:header key="" value="x"/><zeebe:header key="empty" value=""/></zeebe:taskHeaders>')}`,
      ),
    );
    expect(process.elements.get('Task_1')!.job!.headers).toEqual({ k: 'v' });
  });

  it('compiles send tasks and business rule tasks with a task definition', async () => {
    const process = await compileProcess(
      bpmn(`${START}${task('sendTask', 'Send_1', '<zeebe:taskDefinition type="send"/>')}${task('businessRuleTask', 'Rule_1', '<zeebe:taskDefinition type="rule"/>')}`),
    );
    expect(process.elements.get('Send_1')).toMatchObject({ type: 'SEND_TASK', job: { type: { value: 'send' } } });
    expect(process.elements.get('Rule_1')).toMatchObject({ type: 'BUSINESS_RULE_TASK', job: { type: { value: 'rule' } } });
    await expectError(bpmn(`${START}<bpmn:sendTask id="Send_1"/>`), 'Send_1', 'must have a zeebe:taskDefinition with a non-empty type');
  });

  it('compiles business rule tasks that call a decision, with a FEEL decision id and a binding type', async () => {
    const process = await compileProcess(
      bpmn(
        `${START}${task('businessRuleTask', 'Rule_1', '<zeebe:calledDecision decisionId="discount" resultVariable="r"/>')}${task('businessRuleTask', 'Rule_2', '<zeebe:calledDecision decisionId="=which" resultVariable="s" bindingType="versionTag" versionTag="v1"/>')}`,
      ),
    );
    expect(process.elements.get('Rule_1')).toMatchObject({ job: null, calledDecision: { decisionId: { kind: 'static', value: 'discount' }, resultVariable: 'r', bindingType: 'latest', versionTag: null } });
    expect(process.elements.get('Rule_2')!.calledDecision).toMatchObject({ decisionId: { kind: 'feel' }, bindingType: 'versionTag', versionTag: 'v1' });
  });

  it('refuses a called decision without id or result variable, with a bad binding type, or beside a task definition', async () => {
    const rule = (inner: string) => bpmn(`${START}${task('businessRuleTask', 'Rule_1', inner)}`);
    await expectError(rule('<zeebe:calledDecision resultVariable="r"/>'), 'Rule_1', 'must have a non-empty decisionId');
    await expectError(rule('<zeebe:calledDecision decisionId="d"/>'), 'Rule_1', 'must have a non-empty resultVariable');
    await expectError(rule('<zeebe:calledDecision decisionId="d" resultVariable="r" bindingType="newest"/>'), 'Rule_1', "the binding type 'newest' is not one of");
    await expectError(rule('<zeebe:calledDecision decisionId="d" resultVariable="r" bindingType="versionTag"/>'), 'Rule_1', "needs a versionTag");
    await expectError(rule('<zeebe:calledDecision decisionId="d" resultVariable="r"/><zeebe:taskDefinition type="t"/>'), 'Rule_1', "either one 'zeebe:calledDecision' or one 'zeebe:taskDefinition'");
  });
});

describe('script tasks', () => {
  it('compiles zeebe:script and job-worker script tasks', async () => {
    const process = await compileProcess(
      bpmn(
        `${START}${task('scriptTask', 'S1', '<zeebe:script expression="=a + b" resultVariable="sum"/>')}${task('scriptTask', 'S2', '<zeebe:taskDefinition type="script-worker"/>')}`,
      ),
    );
    expect(process.elements.get('S1')).toMatchObject({
      script: { expression: { kind: 'feel', source: 'a + b' }, resultVariable: 'sum' },
      job: null,
    });
    expect(process.elements.get('S2')).toMatchObject({ script: null, job: { type: { value: 'script-worker' } } });
  });

  it.each([
    ['neither script nor job', '', "either one 'zeebe:script' or one 'zeebe:taskDefinition'"],
    ['both', '<zeebe:script expression="=1" resultVariable="r"/><zeebe:taskDefinition type="a"/>', "either one 'zeebe:script' or one 'zeebe:taskDefinition'"],
    ['a static expression', '<zeebe:script expression="1 + 1" resultVariable="r"/>', "expected an expression for the script but found the static value '1 + 1'"],
    ['no expression', '<zeebe:script resultVariable="r"/>', 'must have a non-empty expression'],
    ['no result variable', '<zeebe:script expression="=1"/>', 'must have a non-empty resultVariable'],
    ['broken FEEL', '<zeebe:script expression="=1 +" resultVariable="r"/>', "invalid FEEL expression '=1 +' for the script"],
  ])('refuses a script task with %s', async (_case, extensions, fragment) => {
    await expectError(bpmn(`${START}${task('scriptTask', 'Script_1', extensions)}`), 'Script_1', fragment);
  });
});

describe('user tasks', () => {
  it('runs a plain user task as an io.camunda.zeebe:userTask job', async () => {
    const process = await compileProcess(bpmn(`${START}<bpmn:userTask id="User_1"/>`));
    expect(process.elements.get('User_1')!.job).toEqual({
      type: { kind: 'static', value: 'io.camunda.zeebe:userTask' },
      retries: { kind: 'static', value: '1' },
      headers: {},
      userTask: {
        assignee: null,
        candidateGroups: null,
        candidateUsers: null,
        dueDate: null,
        followUpDate: null,
        formKey: null,
      },
    });
  });

  it('puts static assignment values in Zeebe headers and keeps FEEL ones for activation', async () => {
    const process = await compileProcess(
      bpmn(
        `${START}${task(
          'userTask',
          'User_1',
          '<zeebe:assignmentDefinition assignee="demo" candidateUsers="=approvers"/><zeebe:taskSchedule followUpDate="2030-01-01T10:00:00+01:00"/><zeebe:formDefinition formKey="form-1"/><zeebe:taskHeaders><zeebe:header key="custom" value="1"/></zeebe:taskHeaders>',
        )}`,
      ),
    );
    const job = process.elements.get('User_1')!.job!;
    expect(job.headers).toEqual({
      custom: '1',
      'io.camunda.zeebe:assignee': 'demo',
      'io.camunda.zeebe:followUpDate': '2030-01-01T10:00:00+01:00',
      'io.camunda.zeebe:formKey': 'form-1',
    });
    expect(job.userTask).toMatchObject({ candidateUsers: { kind: 'feel', source: 'approvers' } });
  });

  it('reads a Camunda user task (zeebe:userTask) into its own definition, without a job', async () => {
    const process = await compileProcess(
      bpmn(
        `${START}${task(
          'userTask',
          'User_1',
          '<zeebe:userTask/><zeebe:assignmentDefinition assignee="demo" candidateGroups="a,b"/><zeebe:priorityDefinition priority="=p"/><zeebe:formDefinition formId="f" bindingType="versionTag" versionTag="v1"/><zeebe:taskListeners><zeebe:taskListener eventType="completing" type="audit"/><zeebe:taskListener eventType="assigning" type="check" retries="7"/></zeebe:taskListeners><zeebe:taskHeaders><zeebe:header key="k" value="v"/></zeebe:taskHeaders>',
        )}`,
      ),
    );
    const element = process.elements.get('User_1')!;
    expect(element.job).toBeNull();
    expect(element.userTask).toEqual({
      assignee: { kind: 'static', value: 'demo' },
      candidateGroups: { kind: 'static', value: 'a,b' },
      candidateUsers: null,
      dueDate: null,
      followUpDate: null,
      priority: { kind: 'feel', source: 'p' },
      form: { kind: 'linked', formId: { kind: 'static', value: 'f' }, bindingType: 'versionTag', versionTag: 'v1' },
      headers: { k: 'v' },
      listeners: [
        { eventType: 'completing', type: 'audit', retries: 3 },
        { eventType: 'assigning', type: 'check', retries: 7 },
      ],
    });
  });

  it.each([
    ['a priority above 100', '<zeebe:priorityDefinition priority="200"/>', 'expected the priority to be an integer between 0 and 100'],
    ['formId and externalReference together', '<zeebe:formDefinition formId="f" externalReference="x"/>', "exactly one of 'formId' and 'externalReference'"],
    ['a listener without type', '<zeebe:taskListeners><zeebe:taskListener eventType="completing"/></zeebe:taskListeners>', 'a task listener must have a non-empty type'],
    ['a listener type expression', '<zeebe:taskListeners><zeebe:taskListener eventType="completing" type="=t"/></zeebe:taskListeners>', 'expressions for the type or retries of a task listener are not supported yet'],
    ['an unknown binding type', '<zeebe:formDefinition formId="f" bindingType="newest"/>', "the form's binding type 'newest' is not one of"],
  ])('refuses a Camunda user task with %s', async (_case, extensions, fragment) => {
    await expectError(bpmn(`${START}${task('userTask', 'User_1', `<zeebe:userTask/>${extensions}`)}`), 'User_1', fragment);
  });

  it.each([
    ['blank CSV entries', '<zeebe:assignmentDefinition candidateGroups="a,,b"/>', "expected the candidate groups to be a list of comma-separated values, e.g. 'a,b,c', but found 'a,,b'"],
    ['an invalid due date', '<zeebe:taskSchedule dueDate="tomorrow"/>', "expected the due date to be a valid date-time"],
    ['a broken FEEL assignee', '<zeebe:assignmentDefinition assignee="=user."/>', "invalid FEEL expression '=user.' for the assignee"],
    ['two assignment definitions', '<zeebe:assignmentDefinition/><zeebe:assignmentDefinition/>', 'at most one zeebe:assignmentDefinition'],
    ['task listeners', '<zeebe:taskListeners><zeebe:taskListener eventType="complete" type="x"/></zeebe:taskListeners>', 'task listeners (zeebe:taskListeners) need a Camunda user task (zeebe:userTask)'],
    ['a reserved header', '<zeebe:taskHeaders><zeebe:header key="io.camunda.zeebe:formKey" value="x"/></zeebe:taskHeaders>', 'is reserved for the engine'],
  ])('refuses a user task with %s', async (_case, extensions, fragment) => {
    await expectError(bpmn(`${START}${task('userTask', 'User_1', extensions)}`), 'User_1', fragment);
  });
});

describe('activity features that are not supported yet', () => {
  it.each([
    ['a standard loop', '<bpmn:standardLoopCharacteristics/>', '', 'loops (bpmn:StandardLoopCharacteristics) are not supported; use multi-instance'],
  ])('refuses %s', async (_case, child, attributes, fragment) => {
    const xml = bpmn(
      `${START}<bpmn:serviceTask id="Task_1" ${attributes}><bpmn:extensionElements><zeebe:taskDefinition type="a"/></bpmn:extensionElements>${child}</bpmn:serviceTask>`,
    );
    await expectError(xml, 'Task_1', fragment);
  });

  it.each([
    ['transaction', 'bpmn:Transaction'],
  ])('refuses bpmn:%s by name', async (tag, type) => {
    await expectError(bpmn(`${START}<bpmn:${tag} id="El_1"/>`), 'El_1', `Element 'El_1' of type '${type}' is not supported`);
  });

  it('compiles a complex gateway, with its activation condition when it has one', async () => {
    const process = await compileProcess(
      bpmn(`${START}<bpmn:complexGateway id="G1"/><bpmn:complexGateway id="G2"><bpmn:activationCondition xsi:type="bpmn:tFormalExpression">=activationCount &gt;= 1</bpmn:activationCondition></bpmn:complexGateway>`),
    );
    expect(process.elements.get('G1')).toMatchObject({ type: 'COMPLEX_GATEWAY', activationCondition: null });
    expect(process.elements.get('G2')!.activationCondition).toEqual({ kind: 'feel', source: 'activationCount >= 1' });
  });

  it('compiles undefined and manual tasks (they pass through)', async () => {
    const process = await compileProcess(bpmn(`${START}<bpmn:task id="T1"/><bpmn:manualTask id="T2"/>`));
    expect(process.elements.get('T1')!.type).toBe('TASK');
    expect(process.elements.get('T2')!.type).toBe('MANUAL_TASK');
  });

  it('checks event sub-processes: one start event with an event definition, no flows of their own', async () => {
    await expectError(
      bpmn(`${START}<bpmn:subProcess id="El_1" triggeredByEvent="true"><bpmn:startEvent id="s2"/></bpmn:subProcess>`),
      's2',
      'the start event of an event sub-process must have a timer, message, signal, conditional, error or escalation definition',
    );
    await expectError(bpmn(`${START}<bpmn:subProcess id="El_1" triggeredByEvent="true"></bpmn:subProcess>`), 'El_1', 'must have exactly one start event, but has 0');
    await expectError(
      bpmn(`${START}<bpmn:subProcess id="El_1" triggeredByEvent="true"><bpmn:startEvent id="s2" isInterrupting="false"><bpmn:errorEventDefinition/></bpmn:startEvent></bpmn:subProcess>`),
      's2',
      'an error start event of an event sub-process must be interrupting',
    );
    const process = await compileProcess(bpmn(`${START}<bpmn:subProcess id="E" triggeredByEvent="true"><bpmn:startEvent id="s2" isInterrupting="false"><bpmn:timerEventDefinition><bpmn:timeCycle>R/PT1M</bpmn:timeCycle></bpmn:timerEventDefinition></bpmn:startEvent></bpmn:subProcess>`));
    expect(process.elements.get('E')!.type).toBe('EVENT_SUB_PROCESS');
    expect(process.elements.get('p')!.eventSubProcessStartIds).toEqual(['s2']);
    expect(process.elements.get('s2')).toMatchObject({ eventType: 'TIMER', cancelActivity: false });
  });
});

describe('multi-instance', () => {
  const mi = (zeebe: string, extra = '') =>
    bpmn(`${START}<bpmn:serviceTask id="Task_1"><bpmn:extensionElements><zeebe:taskDefinition type="a"/></bpmn:extensionElements><bpmn:multiInstanceLoopCharacteristics><bpmn:extensionElements>${zeebe}</bpmn:extensionElements>${extra}</bpmn:multiInstanceLoopCharacteristics></bpmn:serviceTask>`);

  it.each([
    ['no input collection', '', 'must have a zeebe:loopCharacteristics inputCollection'],
    ['a static input collection', '<zeebe:loopCharacteristics inputCollection="items"/>', 'expected an expression for the input collection'],
    ['an output collection alone', '<zeebe:loopCharacteristics inputCollection="=items" outputCollection="out"/>', 'needs both outputCollection and outputElement, or neither'],
  ])('refuses %s, naming the activity', async (_case, zeebe, fragment) => {
    await expectError(mi(zeebe), 'Task_1', fragment);
  });

  it('refuses an invalid completion condition', async () => {
    await expectError(mi('<zeebe:loopCharacteristics inputCollection="=items"/>', '<bpmn:completionCondition xsi:type="bpmn:tFormalExpression">=x &gt;</bpmn:completionCondition>'), 'Task_1', 'the completion condition');
  });
});

describe('call activities', () => {
  const call = (called: string) => bpmn(`${START}<bpmn:callActivity id="Call_1"><bpmn:extensionElements>${called}</bpmn:extensionElements></bpmn:callActivity>`);

  it('reads the called element with Zeebe\'s defaults (latest version, all variables both ways)', async () => {
    const process = await compileProcess(call('<zeebe:calledElement processId="=target"/>'));
    expect(process.elements.get('Call_1')!.calledElement).toEqual({
      processId: { kind: 'feel', source: 'target' },
      bindingType: 'latest',
      versionTag: null,
      propagateAllChildVariables: true,
      propagateAllParentVariables: true,
    });
  });

  it.each([
    ['no called element', '', 'must have exactly one zeebe:calledElement'],
    ['an empty process id', '<zeebe:calledElement processId=""/>', 'must have a zeebe:calledElement processId'],
    ['an unknown binding type', '<zeebe:calledElement processId="p2" bindingType="newest"/>', "the binding type 'newest' is not one of"],
    ['a versionTag binding without a tag', '<zeebe:calledElement processId="p2" bindingType="versionTag"/>', "needs a versionTag"],
  ])('refuses %s, naming the call activity', async (_case, called, fragment) => {
    await expectError(call(called), 'Call_1', fragment);
  });
});
