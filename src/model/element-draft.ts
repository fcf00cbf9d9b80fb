import type { BpmnElementType, BpmnEventType, ExecutableElement } from './types.js';

/** An `ExecutableElement` while it is being assembled; frozen once the whole process is read. */
export type ElementDraft = {
  -readonly [K in keyof ExecutableElement]: ExecutableElement[K] extends readonly (infer T)[] ? T[] : ExecutableElement[K];
};

export function newDraft(
  id: string,
  name: string | null,
  type: BpmnElementType,
  eventType: BpmnEventType,
  flowScopeId: string | null,
): ElementDraft {
  return {
    id,
    name,
    type,
    eventType,
    flowScopeId,
    incoming: [],
    outgoing: [],
    inputMappings: [],
    outputMappings: [],
    job: null,
    userTask: null,
    script: null,
    calledDecision: null,
    defaultFlowId: null,
    timer: null,
    message: null,
    error: null,
    escalation: null,
    signal: null,
    conditional: null,
    activationCondition: null,
    flowUpstream: null,
    compensation: null,
    isForCompensation: false,
    attachedToId: null,
    cancelActivity: false,
    boundaryEventIds: [],
    noneStartEventId: null,
    eventSubProcessStartIds: [],
    calledElement: null,
    joinUpstream: null,
    multiInstance: null,
    innerActivity: null,
    link: null,
    adHoc: null,
    executionListeners: [],
  };
}

export function freezeDraft(draft: ElementDraft): ExecutableElement {
  return Object.freeze({
    ...draft,
    incoming: Object.freeze([...draft.incoming]),
    outgoing: Object.freeze([...draft.outgoing]),
    inputMappings: Object.freeze([...draft.inputMappings]),
    outputMappings: Object.freeze([...draft.outputMappings]),
    boundaryEventIds: Object.freeze([...draft.boundaryEventIds]),
    eventSubProcessStartIds: Object.freeze([...draft.eventSubProcessStartIds]),
    executionListeners: Object.freeze([...draft.executionListeners]),
  });
}

/** Activities: what boundary events attach to and what may carry loop characteristics. */
export const ACTIVITY_TYPES: ReadonlySet<BpmnElementType> = new Set([
  'SERVICE_TASK',
  'SEND_TASK',
  'BUSINESS_RULE_TASK',
  'SCRIPT_TASK',
  'USER_TASK',
  'TASK',
  'MANUAL_TASK',
  'RECEIVE_TASK',
  'SUB_PROCESS',
  'AD_HOC_SUB_PROCESS',
  'CALL_ACTIVITY',
]);
