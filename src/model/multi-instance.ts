/**
 * `bpmn:multiInstanceLoopCharacteristics` with `zeebe:loopCharacteristics`: the activity runs
 * once per item of a collection, in parallel or one after the other. At deploy the activity
 * becomes two elements under one id, as in Zeebe: the multi-instance body (what flows and
 * boundary events connect to) and the inner activity it runs per item.
 */
import type { ElementDraft } from './element-draft.js';
import type { ErrorCollector } from './error-collector.js';
import { readExpression } from './expressions.js';
import { booleanProp, elementProp, expressionBody, extensionsOfType, stringProp, type ModdleElement } from './moddle-element.js';
import type { MultiInstanceDefinition } from './types.js';

/** Reads the loop characteristics of an activity; null when it has none or they are invalid (reported). */
export function readLoopCharacteristics(errors: ErrorCollector, element: ModdleElement, id: string): MultiInstanceDefinition | null {
  const loop = elementProp(element, 'loopCharacteristics');
  if (!loop) return null;
  if (loop.$type !== 'bpmn:MultiInstanceLoopCharacteristics') {
    errors.element(id, `loops (${loop.$type}) are not supported; use multi-instance (bpmn:multiInstanceLoopCharacteristics)`);
    return null;
  }
  const zeebe = extensionsOfType(loop, 'zeebe:LoopCharacteristics')[0];
  const inputCollectionRaw = zeebe ? stringProp(zeebe, 'inputCollection') : undefined;
  if (!inputCollectionRaw || inputCollectionRaw.trim() === '') {
    errors.element(id, 'a multi-instance activity must have a zeebe:loopCharacteristics inputCollection');
    return null;
  }
  let valid = true;
  const inputCollection = readExpression(errors, id, inputCollectionRaw, 'the input collection', { feelOnly: true });
  valid &&= inputCollection !== null;
  const inputElement = blankToNull(zeebe && stringProp(zeebe, 'inputElement'));
  const outputCollection = blankToNull(zeebe && stringProp(zeebe, 'outputCollection'));
  const outputElementRaw = blankToNull(zeebe && stringProp(zeebe, 'outputElement'));
  if ((outputCollection === null) !== (outputElementRaw === null)) {
    errors.element(id, 'a multi-instance activity needs both outputCollection and outputElement, or neither');
    valid = false;
  }
  const outputElement = outputElementRaw === null ? null : readExpression(errors, id, outputElementRaw, 'the output element');
  valid &&= outputElementRaw === null || outputElement !== null;
  const conditionBody = expressionBody(loop, 'completionCondition');
  let completionCondition = null;
  if (conditionBody !== undefined && conditionBody.trim() !== '') {
    completionCondition = readExpression(errors, id, conditionBody, 'the completion condition', { feelOnly: true });
    valid &&= completionCondition !== null;
  }
  if (!valid || inputCollection === null) return null;
  return Object.freeze({
    sequential: booleanProp(loop, 'isSequential') === true,
    inputCollection,
    inputElement,
    outputCollection,
    outputElement,
    completionCondition,
  });
}

function blankToNull(value: string | undefined | null | false | ModdleElement): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}

/**
 * The two elements of a multi-instance activity: the inner activity keeps what runs per item
 * (job, script, mappings); the body takes the flows, the boundary events and the loop.
 */
export function splitMultiInstance(draft: ElementDraft): { body: ElementDraft; inner: ElementDraft } {
  const inner: ElementDraft = { ...draft, incoming: [], outgoing: [], boundaryEventIds: [], multiInstance: null };
  const body: ElementDraft = {
    ...draft,
    type: 'MULTI_INSTANCE_BODY',
    eventType: 'UNSPECIFIED',
    inputMappings: [],
    outputMappings: [],
    job: null,
    script: null,
    message: null,
    calledElement: null,
    adHoc: null,
    // Zeebe runs them around every inner instance, not around the body.
    executionListeners: [],
  };
  return { body, inner };
}
