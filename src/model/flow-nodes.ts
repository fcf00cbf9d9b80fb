/**
 * Reads one flow node into a draft. The supported set is closed: any other element kind, or a
 * supported kind with an event definition we do not run, is refused by name, never skipped.
 */
import { hasCalledDecision, readCalledDecision } from './called-decisions.js';
import type { BpmnElementType } from './types.js';
import { ACTIVITY_TYPES, newDraft, type ElementDraft } from './element-draft.js';
import type { ErrorCollector } from './error-collector.js';
import { readCatchMessage, readCompensationThrow, readConditional, readError, readEscalation, readSignal } from './event-definitions.js';
import { readIoMappings, type MappingPlacement } from './io-mappings.js';
import { booleanProp, elementsProp, expressionBody, extensionsOfType, stringProp, type ModdleElement } from './moddle-element.js';
import { isBlank, readExpression } from './expressions.js';
import type { UnresolvedReferences } from './moddle-reader.js';
import { readAdHoc } from './ad-hoc.js';
import { checkListenerPlacement, readExecutionListeners } from './execution-listeners.js';
import { readCalledElement } from './call-activities.js';
import { readLoopCharacteristics } from './multi-instance.js';
import { readJobDefinition, readScript, readUserTask } from './tasks.js';
import { isCamundaUserTask, readCamundaUserTask } from './user-tasks.js';
import { readTimer } from './timers.js';

export interface ProcessContext {
  readonly errors: ErrorCollector;
  readonly processId: string;
  readonly unresolved: UnresolvedReferences;
  /** Event sub-processes met so far: their start events may carry event definitions. */
  readonly eventSubProcessIds: Set<string>;
}

const ELEMENT_TYPES: Readonly<Record<string, BpmnElementType>> = {
  'bpmn:StartEvent': 'START_EVENT',
  'bpmn:EndEvent': 'END_EVENT',
  'bpmn:IntermediateCatchEvent': 'INTERMEDIATE_CATCH_EVENT',
  'bpmn:IntermediateThrowEvent': 'INTERMEDIATE_THROW_EVENT',
  'bpmn:Task': 'TASK',
  'bpmn:ManualTask': 'MANUAL_TASK',
  'bpmn:ReceiveTask': 'RECEIVE_TASK',
  'bpmn:BoundaryEvent': 'BOUNDARY_EVENT',
  'bpmn:ServiceTask': 'SERVICE_TASK',
  'bpmn:SendTask': 'SEND_TASK',
  'bpmn:BusinessRuleTask': 'BUSINESS_RULE_TASK',
  'bpmn:ScriptTask': 'SCRIPT_TASK',
  'bpmn:UserTask': 'USER_TASK',
  'bpmn:ExclusiveGateway': 'EXCLUSIVE_GATEWAY',
  'bpmn:ParallelGateway': 'PARALLEL_GATEWAY',
  'bpmn:EventBasedGateway': 'EVENT_BASED_GATEWAY',
  'bpmn:InclusiveGateway': 'INCLUSIVE_GATEWAY',
  'bpmn:ComplexGateway': 'COMPLEX_GATEWAY',
  'bpmn:SubProcess': 'SUB_PROCESS',
  'bpmn:AdHocSubProcess': 'AD_HOC_SUB_PROCESS',
  'bpmn:CallActivity': 'CALL_ACTIVITY',
};

const PLACEMENTS: Readonly<Record<BpmnElementType, MappingPlacement>> = {
  PROCESS: { inputs: false, outputs: false, kindName: 'a process' },
  START_EVENT: { inputs: false, outputs: true, kindName: 'a start event' },
  END_EVENT: { inputs: true, outputs: true, kindName: 'an end event' },
  INTERMEDIATE_CATCH_EVENT: { inputs: true, outputs: true, kindName: 'an intermediate catch event' },
  INTERMEDIATE_THROW_EVENT: { inputs: true, outputs: true, kindName: 'an intermediate throw event' },
  TASK: { inputs: true, outputs: true, kindName: 'a task' },
  MANUAL_TASK: { inputs: true, outputs: true, kindName: 'a task' },
  RECEIVE_TASK: { inputs: true, outputs: true, kindName: 'a task' },
  BOUNDARY_EVENT: { inputs: false, outputs: true, kindName: 'a boundary event' },
  SERVICE_TASK: { inputs: true, outputs: true, kindName: 'a task' },
  SEND_TASK: { inputs: true, outputs: true, kindName: 'a task' },
  BUSINESS_RULE_TASK: { inputs: true, outputs: true, kindName: 'a task' },
  SCRIPT_TASK: { inputs: true, outputs: true, kindName: 'a task' },
  USER_TASK: { inputs: true, outputs: true, kindName: 'a task' },
  EXCLUSIVE_GATEWAY: { inputs: false, outputs: false, kindName: 'a gateway' },
  PARALLEL_GATEWAY: { inputs: false, outputs: false, kindName: 'a gateway' },
  EVENT_BASED_GATEWAY: { inputs: false, outputs: false, kindName: 'a gateway' },
  INCLUSIVE_GATEWAY: { inputs: false, outputs: false, kindName: 'a gateway' },
  COMPLEX_GATEWAY: { inputs: false, outputs: false, kindName: 'a gateway' },
  SUB_PROCESS: { inputs: true, outputs: true, kindName: 'a sub-process' },
  EVENT_SUB_PROCESS: { inputs: false, outputs: false, kindName: 'an event sub-process' },
  CALL_ACTIVITY: { inputs: true, outputs: true, kindName: 'a call activity' },
  MULTI_INSTANCE_BODY: { inputs: false, outputs: false, kindName: 'a multi-instance body' },
  AD_HOC_SUB_PROCESS: { inputs: true, outputs: true, kindName: 'an ad-hoc sub-process' },
  AD_HOC_SUB_PROCESS_INNER_INSTANCE: { inputs: false, outputs: false, kindName: 'an ad-hoc inner instance' },
  SEQUENCE_FLOW: { inputs: false, outputs: false, kindName: 'a sequence flow' },
};

/** `bpmn:TimerEventDefinition` → `timerEventDefinition`, as written in the XML. */
function xmlName(type: string): string {
  const local = type.replace(/^bpmn:/, '');
  return local[0]!.toLowerCase() + local.slice(1);
}

/** Outcome of reading an element kind: fine, invalid (errors reported), or refused outright. */
type KindResult = 'ok' | 'invalid' | 'unsupported';

function unsupported(ctx: ProcessContext, element: ModdleElement, id: string, detail = ''): 'unsupported' {
  ctx.errors.raw(id, `Element '${id}' of type '${element.$type}'${detail} is not supported`);
  return 'unsupported';
}

const outcome = (valid: boolean): KindResult => (valid ? 'ok' : 'invalid');

/**
 * Reads a flow node (its id already checked). Returns null when the kind is not supported; an
 * invalid but supported node still yields its draft, so that flows to it are checked too.
 */
export function readFlowNode(ctx: ProcessContext, element: ModdleElement, id: string, flowScopeId: string): ElementDraft | null {
  const type = ELEMENT_TYPES[element.$type];
  if (!type) {
    unsupported(ctx, element, id);
    return null;
  }
  const { errors } = ctx;
  const draft = newDraft(id, stringProp(element, 'name') ?? null, type, 'UNSPECIFIED', flowScopeId);

  const listeners = readExecutionListeners(errors, element, id);
  if (listeners) draft.executionListeners = listeners;
  if (ACTIVITY_TYPES.has(type)) {
    draft.multiInstance = readLoopCharacteristics(errors, element, id);
    // A handler is wired to its compensation boundary event once the whole process is read (compensation.ts).
    draft.isForCompensation = booleanProp(element, 'isForCompensation') === true;
  }

  const mappings = readIoMappings(errors, element, id, PLACEMENTS[type]);
  draft.inputMappings = [...mappings.inputs];
  draft.outputMappings = [...mappings.outputs];

  if (readKind(ctx, element, id, draft) === 'unsupported') return null;
  checkListenerPlacement(errors, draft);
  return draft;
}

function readKind(ctx: ProcessContext, element: ModdleElement, id: string, draft: ElementDraft): KindResult {
  const { errors } = ctx;
  const definitions = elementsProp(element, 'eventDefinitions');
  switch (draft.type) {
    case 'START_EVENT':
      return readStartEvent(ctx, element, id, draft, definitions);

    case 'END_EVENT':
      return readEndEvent(ctx, element, id, draft, definitions);

    case 'INTERMEDIATE_CATCH_EVENT':
      return readCatchEvent(ctx, element, id, draft, definitions);

    case 'INTERMEDIATE_THROW_EVENT':
      return readThrowEvent(ctx, element, id, draft, definitions);

    case 'RECEIVE_TASK':
      // Waits for its message like a message catch event (the task itself carries messageRef).
      draft.message = readCatchMessage(errors, id, element, ctx.unresolved);
      return outcome(draft.message !== null);

    case 'TASK':
    case 'MANUAL_TASK':
      // Nothing to do but pass through (as in Zeebe): mappings and boundary events still apply.
      return 'ok';

    case 'BOUNDARY_EVENT':
      return readBoundaryEvent(ctx, element, id, draft, definitions);

    case 'SERVICE_TASK':
    case 'SEND_TASK':
      draft.job = readJobDefinition(errors, element, id);
      return outcome(draft.job !== null);

    case 'BUSINESS_RULE_TASK':
      if (hasCalledDecision(element)) {
        draft.calledDecision = readCalledDecision(errors, element, id);
        return outcome(draft.calledDecision !== null);
      }
      draft.job = readJobDefinition(errors, element, id);
      return outcome(draft.job !== null);

    case 'SCRIPT_TASK':
      return readScriptTask(ctx, element, id, draft);

    case 'USER_TASK':
      if (isCamundaUserTask(element)) {
        draft.userTask = readCamundaUserTask(errors, element, id);
        return outcome(draft.userTask !== null);
      }
      if (extensionsOfType(element, 'zeebe:TaskListeners').length > 0) {
        errors.element(id, 'task listeners (zeebe:taskListeners) need a Camunda user task (zeebe:userTask)');
        return 'invalid';
      }
      draft.job = readUserTask(errors, element, id);
      return outcome(draft.job !== null);

    case 'EXCLUSIVE_GATEWAY':
    case 'PARALLEL_GATEWAY':
    case 'EVENT_BASED_GATEWAY':
    case 'INCLUSIVE_GATEWAY':
      return 'ok';

    case 'COMPLEX_GATEWAY':
      return readComplexGateway(ctx, element, id, draft);

    case 'CALL_ACTIVITY':
      draft.calledElement = readCalledElement(errors, element, id);
      return outcome(draft.calledElement !== null);

    case 'AD_HOC_SUB_PROCESS':
      draft.adHoc = readAdHoc(errors, element, id);
      return outcome(draft.adHoc !== null);

    case 'SUB_PROCESS':
      if (booleanProp(element, 'triggeredByEvent') === true) {
        draft.type = 'EVENT_SUB_PROCESS';
        ctx.eventSubProcessIds.add(id);
      }
      return 'ok';

    default:
      return unsupported(ctx, element, id);
  }
}

/**
 * None start events start a scope; a process may also be started by a timer (date or cycle,
 * scheduled at deploy) or a message (by name, on any partition) — sub-processes only by none.
 */
function readStartEvent(ctx: ProcessContext, element: ModdleElement, id: string, draft: ElementDraft, definitions: readonly ModdleElement[]): KindResult {
  if (definitions.length === 0) {
    draft.eventType = 'NONE';
    return 'ok';
  }
  const definition = definitions[0]!;
  const inProcess = draft.flowScopeId === ctx.processId;
  const inEventSubProcess = draft.flowScopeId !== null && ctx.eventSubProcessIds.has(draft.flowScopeId);
  if (definitions.length > 1 || (!inProcess && !inEventSubProcess)) {
    return unsupported(ctx, element, id, ` with a ${definitions.map((d) => xmlName(d.$type)).join(' and ')}${inProcess || inEventSubProcess ? '' : ' inside a sub-process'}`);
  }
  if (inEventSubProcess) {
    // BPMN's default is interrupting; moddle leaves the attribute unset when absent.
    draft.cancelActivity = booleanProp(element, 'isInterrupting') ?? true;
    if (definition.$type === 'bpmn:ErrorEventDefinition') {
      draft.eventType = 'ERROR';
      if (!draft.cancelActivity) {
        ctx.errors.element(id, 'an error start event of an event sub-process must be interrupting');
        return 'invalid';
      }
      draft.error = readError(ctx.errors, id, definition, ctx.unresolved, 'catch');
      return outcome(draft.error !== null);
    }
    if (definition.$type === 'bpmn:EscalationEventDefinition') {
      draft.eventType = 'ESCALATION';
      draft.escalation = readEscalation(ctx.errors, id, definition, ctx.unresolved, 'catch');
      return outcome(draft.escalation !== null);
    }
    if (definition.$type === 'bpmn:ConditionalEventDefinition') {
      draft.eventType = 'CONDITIONAL';
      draft.conditional = readConditional(ctx.errors, id, definition);
      return outcome(draft.conditional !== null);
    }
    if (definition.$type === 'bpmn:MessageEventDefinition') {
      // Inside a running scope the message correlates like a catch event: with a correlation key.
      draft.eventType = 'MESSAGE';
      draft.message = readCatchMessage(ctx.errors, id, definition, ctx.unresolved);
      return outcome(draft.message !== null);
    }
  }
  switch (definition.$type) {
    case 'bpmn:SignalEventDefinition':
      draft.eventType = 'SIGNAL';
      draft.signal = readSignal(ctx.errors, id, definition, ctx.unresolved, inProcess);
      return outcome(draft.signal !== null);
    case 'bpmn:TimerEventDefinition':
      draft.eventType = 'TIMER';
      draft.timer = readTimer(ctx.errors, id, definition, { allowCycle: true, cycleRefusal: 'a timer start event' });
      return outcome(draft.timer !== null);
    case 'bpmn:MessageEventDefinition':
      draft.eventType = 'MESSAGE';
      draft.message = readCatchMessage(ctx.errors, id, definition, ctx.unresolved, true);
      return outcome(draft.message !== null);
    case 'bpmn:ConditionalEventDefinition':
      // Started by POST /v2/conditionals/evaluation, whose variables the condition sees.
      draft.eventType = 'CONDITIONAL';
      draft.conditional = readConditional(ctx.errors, id, definition);
      return outcome(draft.conditional !== null);
    default:
      return unsupported(ctx, element, id, ` with a ${xmlName(definition.$type)}`);
  }
}

function readEndEvent(
  ctx: ProcessContext,
  element: ModdleElement,
  id: string,
  draft: ElementDraft,
  definitions: readonly ModdleElement[],
): KindResult {
  if (definitions.length === 0) {
    draft.eventType = 'NONE';
    return 'ok';
  }
  if (definitions.length > 1) {
    ctx.errors.element(id, 'an end event must have at most one event definition');
    return 'invalid';
  }
  const definition = definitions[0]!;
  if (definition.$type === 'bpmn:TerminateEventDefinition') {
    draft.eventType = 'TERMINATE';
    return 'ok';
  }
  if (definition.$type === 'bpmn:EscalationEventDefinition') {
    draft.eventType = 'ESCALATION';
    draft.escalation = readEscalation(ctx.errors, id, definition, ctx.unresolved, 'throw');
    return outcome(draft.escalation !== null);
  }
  if (definition.$type === 'bpmn:SignalEventDefinition') {
    draft.eventType = 'SIGNAL';
    draft.signal = readSignal(ctx.errors, id, definition, ctx.unresolved);
    return outcome(draft.signal !== null);
  }
  if (definition.$type === 'bpmn:CompensateEventDefinition') {
    draft.eventType = 'COMPENSATION';
    draft.compensation = readCompensationThrow(ctx.errors, id, definition, ctx.unresolved, 'end event');
    return outcome(draft.compensation !== null);
  }
  if (definition.$type !== 'bpmn:ErrorEventDefinition') {
    return unsupported(ctx, element, id, ` with a ${xmlName(definition.$type)}`);
  }
  draft.eventType = 'ERROR';
  draft.error = readError(ctx.errors, id, definition, ctx.unresolved, 'throw');
  return outcome(draft.error !== null);
}

function readCatchEvent(
  ctx: ProcessContext,
  element: ModdleElement,
  id: string,
  draft: ElementDraft,
  definitions: readonly ModdleElement[],
): KindResult {
  if (definitions.length !== 1) {
    ctx.errors.element(id, `an intermediate catch event must have exactly one event definition, but has ${definitions.length}`);
    return 'invalid';
  }
  const definition = definitions[0]!;
  switch (definition.$type) {
    case 'bpmn:LinkEventDefinition':
      return readLink(ctx, element, id, draft, definition);
    case 'bpmn:SignalEventDefinition':
      draft.eventType = 'SIGNAL';
      draft.signal = readSignal(ctx.errors, id, definition, ctx.unresolved);
      return outcome(draft.signal !== null);
    case 'bpmn:TimerEventDefinition':
      draft.eventType = 'TIMER';
      draft.timer = readTimer(ctx.errors, id, definition, {
        allowCycle: false,
        cycleRefusal: 'an intermediate timer catch event',
      });
      return outcome(draft.timer !== null);
    case 'bpmn:MessageEventDefinition':
      draft.eventType = 'MESSAGE';
      draft.message = readCatchMessage(ctx.errors, id, definition, ctx.unresolved);
      return outcome(draft.message !== null);
    case 'bpmn:ConditionalEventDefinition':
      draft.eventType = 'CONDITIONAL';
      draft.conditional = readConditional(ctx.errors, id, definition);
      return outcome(draft.conditional !== null);
    default:
      return unsupported(ctx, element, id, ` with a ${xmlName(definition.$type)}`);
  }
}

/** A none intermediate throw event passes through; a link throw continues at its catch. */
function readThrowEvent(
  ctx: ProcessContext,
  element: ModdleElement,
  id: string,
  draft: ElementDraft,
  definitions: readonly ModdleElement[],
): KindResult {
  if (definitions.length === 0) {
    draft.eventType = 'NONE';
    return 'ok';
  }
  if (definitions.length > 1) {
    ctx.errors.element(id, 'an intermediate throw event must have at most one event definition');
    return 'invalid';
  }
  const definition = definitions[0]!;
  if (definition.$type === 'bpmn:EscalationEventDefinition') {
    draft.eventType = 'ESCALATION';
    draft.escalation = readEscalation(ctx.errors, id, definition, ctx.unresolved, 'throw');
    return outcome(draft.escalation !== null);
  }
  if (definition.$type === 'bpmn:SignalEventDefinition') {
    draft.eventType = 'SIGNAL';
    draft.signal = readSignal(ctx.errors, id, definition, ctx.unresolved);
    return outcome(draft.signal !== null);
  }
  if (definition.$type === 'bpmn:CompensateEventDefinition') {
    draft.eventType = 'COMPENSATION';
    draft.compensation = readCompensationThrow(ctx.errors, id, definition, ctx.unresolved, 'intermediate throw event');
    return outcome(draft.compensation !== null);
  }
  if (definition.$type !== 'bpmn:LinkEventDefinition') return unsupported(ctx, element, id, ` with a ${xmlName(definition.$type)}`);
  return readLink(ctx, element, id, draft, definition);
}

/** The link's name; which catch a throw continues at is resolved once the whole scope is read (compile-process.ts). */
function readLink(ctx: ProcessContext, _element: ModdleElement, id: string, draft: ElementDraft, definition: ModdleElement): KindResult {
  draft.eventType = 'LINK';
  const name = stringProp(definition, 'name')?.trim() ?? '';
  if (name === '') {
    ctx.errors.element(id, 'a link event must have a name (linkEventDefinition name)');
    return 'invalid';
  }
  draft.link = { name, catchId: null };
  return 'ok';
}

function readBoundaryEvent(
  ctx: ProcessContext,
  element: ModdleElement,
  id: string,
  draft: ElementDraft,
  definitions: readonly ModdleElement[],
): KindResult {
  const { errors } = ctx;
  // BPMN's default for cancelActivity is true; moddle leaves the property unset when absent.
  draft.cancelActivity = booleanProp(element, 'cancelActivity') ?? true;
  if (definitions.length !== 1) {
    errors.element(id, `a boundary event must have exactly one event definition, but has ${definitions.length}`);
    return 'invalid';
  }
  const definition = definitions[0]!;
  switch (definition.$type) {
    case 'bpmn:ErrorEventDefinition':
      draft.eventType = 'ERROR';
      if (!draft.cancelActivity) {
        errors.element(id, 'an error boundary event must be interrupting (cancelActivity="true")');
        return 'invalid';
      }
      draft.error = readError(errors, id, definition, ctx.unresolved, 'catch');
      return outcome(draft.error !== null);
    case 'bpmn:EscalationEventDefinition':
      draft.eventType = 'ESCALATION';
      draft.escalation = readEscalation(errors, id, definition, ctx.unresolved, 'catch');
      return outcome(draft.escalation !== null);
    case 'bpmn:SignalEventDefinition':
      draft.eventType = 'SIGNAL';
      draft.signal = readSignal(errors, id, definition, ctx.unresolved);
      return outcome(draft.signal !== null);
    case 'bpmn:TimerEventDefinition':
      draft.eventType = 'TIMER';
      draft.timer = readTimer(errors, id, definition, {
        allowCycle: !draft.cancelActivity,
        cycleRefusal: 'an interrupting timer boundary event',
      });
      return outcome(draft.timer !== null);
    case 'bpmn:MessageEventDefinition':
      draft.eventType = 'MESSAGE';
      draft.message = readCatchMessage(errors, id, definition, ctx.unresolved);
      return outcome(draft.message !== null);
    case 'bpmn:ConditionalEventDefinition':
      draft.eventType = 'CONDITIONAL';
      draft.conditional = readConditional(errors, id, definition);
      return outcome(draft.conditional !== null);
    case 'bpmn:CompensateEventDefinition':
      // Never fires while its activity runs: it marks the activity as compensable; its handler
      // (an association away) is resolved once the whole process is read.
      draft.eventType = 'COMPENSATION';
      draft.compensation = { handlerId: null, activityRef: null };
      return 'ok';
    default:
      return unsupported(ctx, element, id, ` with a ${xmlName(definition.$type)}`);
  }
}

/**
 * A complex gateway forks like an inclusive gateway; joining, its `activationCondition` (FEEL)
 * decides when the tokens that arrived fire it. Whether it joins is known once its flows are
 * wired (compile-process.ts checks that a join has a condition).
 */
function readComplexGateway(ctx: ProcessContext, element: ModdleElement, id: string, draft: ElementDraft): KindResult {
  const body = expressionBody(element, 'activationCondition');
  if (body === undefined) return 'ok';
  if (isBlank(body)) {
    ctx.errors.element(id, 'the activation condition must not be empty');
    return 'invalid';
  }
  draft.activationCondition = readExpression(ctx.errors, id, body.trim(), 'the activation condition', { feelOnly: true });
  return outcome(draft.activationCondition !== null);
}

function readScriptTask(ctx: ProcessContext, element: ModdleElement, id: string, draft: ElementDraft): KindResult {
  const { errors } = ctx;
  const scripts = extensionsOfType(element, 'zeebe:Script');
  const taskDefinitions = extensionsOfType(element, 'zeebe:TaskDefinition');
  if (scripts.length + taskDefinitions.length !== 1) {
    errors.element(id, "a script task must have either one 'zeebe:script' or one 'zeebe:taskDefinition' extension element");
    return 'invalid';
  }
  if (scripts.length === 1) {
    draft.script = readScript(errors, scripts[0]!, id);
    return outcome(draft.script !== null);
  }
  draft.job = readJobDefinition(errors, element, id);
  return outcome(draft.job !== null);
}
