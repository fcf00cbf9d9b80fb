/**
 * Ad-hoc sub-processes (`bpmn:adHocSubProcess` with `zeebe:adHoc`), as Zeebe 8.8 runs them
 * when Zeebe itself drives them (not the job-worker implementation, which AI agents use).
 */
import type { AdHocDefinition } from './types.js';
import { ACTIVITY_TYPES, type ElementDraft } from './element-draft.js';
import type { ErrorCollector } from './error-collector.js';
import { readExpression } from './expressions.js';
import { booleanProp, expressionBody, extensionsOfType, stringProp, type ModdleElement } from './moddle-element.js';

/** Inside an ad-hoc sub-process nothing starts or ends a path by itself. */
const REFUSED_INSIDE = new Map([
  ['START_EVENT', 'a start event'],
  ['END_EVENT', 'an end event'],
  ['EVENT_SUB_PROCESS', 'an event sub-process'],
]);

/** Reads the attributes; the activities are filled in by `checkAdHocContents` once flows are wired. */
export function readAdHoc(errors: ErrorCollector, element: ModdleElement, id: string): AdHocDefinition | null {
  if (extensionsOfType(element, 'zeebe:TaskDefinition').length > 0) {
    errors.element(id, 'ad-hoc sub-processes implemented by a job worker (zeebe:taskDefinition) are not supported; Zen runs them as BPMN');
    return null;
  }
  const zeebe = extensionsOfType(element, 'zeebe:AdHoc')[0];
  let valid = true;
  const read = (raw: string | undefined, what: string, feelOnly: boolean) => {
    if (raw === undefined || raw.trim() === '') return null;
    const expression = readExpression(errors, id, raw.trim(), what, { feelOnly });
    valid &&= expression !== null;
    return expression;
  };
  const activeElementsCollection = read(zeebe && stringProp(zeebe, 'activeElementsCollection'), 'the active elements collection', true);
  const completionCondition = read(expressionBody(element, 'completionCondition'), 'the completion condition', true);
  const outputCollection = (zeebe && stringProp(zeebe, 'outputCollection')?.trim()) || null;
  const outputElement = read(zeebe && stringProp(zeebe, 'outputElement'), 'the output element', false);
  if ((outputCollection === null) !== (outputElement === null) && valid) {
    errors.element(id, 'an ad-hoc sub-process needs both outputCollection and outputElement, or neither');
    valid = false;
  }
  if (!valid) return null;
  return {
    activeElementsCollection,
    completionCondition,
    // BPMN's default: true.
    cancelRemainingInstances: booleanProp(element, 'cancelRemainingInstances') !== false,
    outputCollection,
    outputElement,
    activityIds: [],
    innerInstanceId: `${id}#innerInstance`,
  };
}

/**
 * What may run inside: no start, end or event sub-process; at least one activity; a catch
 * event leads somewhere. The activatable elements are those without incoming flows.
 */
export function checkAdHocContents(errors: ErrorCollector, adHoc: ElementDraft, drafts: Iterable<ElementDraft>): void {
  const inside = [...drafts].filter((draft) => draft.flowScopeId === adHoc.id);
  let activities = 0;
  const activityIds: string[] = [];
  for (const draft of inside) {
    const refused = REFUSED_INSIDE.get(draft.type);
    if (refused) errors.element(draft.id, `${refused} is not allowed inside the ad-hoc sub-process '${adHoc.id}'`);
    if (draft.type === 'INTERMEDIATE_CATCH_EVENT' && draft.outgoing.length === 0) {
      errors.element(draft.id, `an intermediate catch event inside the ad-hoc sub-process '${adHoc.id}' must have an outgoing sequence flow`);
    }
    if (draft.attachedToId === null && !refused && draft.incoming.length === 0 && !(draft.type === 'INTERMEDIATE_CATCH_EVENT' && draft.link)) activityIds.push(draft.id);
    if (ACTIVITY_TYPES.has(draft.type)) activities++;
  }
  if (activities === 0) errors.element(adHoc.id, 'an ad-hoc sub-process must contain at least one activity');
  if (adHoc.adHoc) adHoc.adHoc = { ...adHoc.adHoc, activityIds };
}
