/**
 * `zeebe:executionListeners`: jobs an element (or the process) waits for as it starts and as it
 * ends. Where Zeebe refuses a listener (start listeners on start and boundary events, end
 * listeners on gateways, error end events and escalation throw events, any listener on a
 * compensation boundary event, the same event type and job type twice) the model is refused too.
 */
import type { ElementDraft } from './element-draft.js';
import type { ErrorCollector } from './error-collector.js';
import { isBlank, readExpression } from './expressions.js';
import { elementProp, elementsProp, extensionsOfType, stringProp, type ModdleElement } from './moddle-element.js';
import { readHeaderValues } from './tasks.js';
import type { ExecutionListenerDefinition, ExecutionListenerEventType } from './types.js';

const EVENT_TYPES: readonly ExecutionListenerEventType[] = ['start', 'end'];
const DEFAULT_RETRIES = '3';

/** The listeners of `element` in model order; null after reporting errors. */
export function readExecutionListeners(errors: ErrorCollector, element: ModdleElement, elementId: string): ExecutionListenerDefinition[] | null {
  const containers = extensionsOfType(element, 'zeebe:ExecutionListeners');
  if (containers.length === 0) return [];
  if (containers.length > 1) {
    errors.element(elementId, 'must have at most one zeebe:executionListeners extension element');
    return null;
  }
  const listeners: ExecutionListenerDefinition[] = [];
  const rawTypes: string[] = [];
  let valid = true;
  for (const listener of elementsProp(containers[0]!, 'listeners')) {
    const eventType = stringProp(listener, 'eventType')?.trim() ?? '';
    const rawType = stringProp(listener, 'type');
    const rawRetries = stringProp(listener, 'retries') ?? DEFAULT_RETRIES;
    if (!EVENT_TYPES.includes(eventType as ExecutionListenerEventType)) {
      errors.element(elementId, `the execution listener event type '${eventType}' is not one of 'start', 'end'`);
      valid = false;
      continue;
    }
    if (isBlank(rawType)) {
      errors.element(elementId, 'an execution listener must have a non-empty type');
      valid = false;
      continue;
    }
    const type = readExpression(errors, elementId, rawType!.trim(), 'the execution listener type');
    let retries = isBlank(rawRetries) ? null : readExpression(errors, elementId, rawRetries.trim(), 'the execution listener retries');
    if (isBlank(rawRetries)) errors.element(elementId, "an execution listener's retries must not be empty");
    if (retries?.kind === 'static' && !/^\d+$/.test(retries.value.trim())) {
      errors.element(elementId, `the execution listener retries must be a non-negative integer or an expression, but was '${rawRetries}'`);
      retries = null;
    }
    // The listener's own headers: `zeebe:taskHeaders` inside `zeebe:executionListener`.
    const headerContainer = elementProp(listener, 'headers');
    const headers = headerContainer ? readHeaderValues(errors, headerContainer, elementId) : {};
    if (!type || !retries || !headers) {
      valid = false;
      continue;
    }
    listeners.push(Object.freeze({ eventType: eventType as ExecutionListenerEventType, type, retries, headers: Object.freeze(headers) }));
    rawTypes.push(`${eventType}\u0000${rawType!.trim()}`);
  }
  const counts = new Map<string, number>();
  for (const key of rawTypes) counts.set(key, (counts.get(key) ?? 0) + 1);
  for (const [key, count] of counts) {
    if (count < 2) continue;
    const [eventType, type] = key.split('\u0000');
    errors.element(elementId, `found '${count}' execution listeners with eventType '${eventType}' and type '${type}'; these combinations must be unique`);
    valid = false;
  }
  return valid ? listeners : null;
}

/** Refuses listeners where Zeebe does not run them (the draft's kind and event type are read). */
export function checkListenerPlacement(errors: ErrorCollector, draft: ElementDraft): void {
  const has = (eventType: ExecutionListenerEventType) => draft.executionListeners.some((listener) => listener.eventType === eventType);
  if (draft.executionListeners.length === 0) return;
  switch (draft.type) {
    case 'START_EVENT':
      if (has('start')) errors.element(draft.id, "execution listeners of type 'start' are not supported by start events");
      return;
    case 'BOUNDARY_EVENT':
      if (draft.eventType === 'COMPENSATION') errors.element(draft.id, "execution listeners of type 'start' and 'end' are not supported by compensation boundary events");
      else if (has('start')) errors.element(draft.id, "execution listeners of type 'start' are not supported by boundary events");
      return;
    case 'EXCLUSIVE_GATEWAY':
    case 'PARALLEL_GATEWAY':
    case 'INCLUSIVE_GATEWAY':
    case 'EVENT_BASED_GATEWAY':
    case 'COMPLEX_GATEWAY':
      if (has('end')) errors.element(draft.id, "execution listeners of type 'end' are not supported by gateways");
      return;
    case 'END_EVENT':
      if (draft.eventType === 'ERROR' && has('end')) errors.element(draft.id, "execution listeners of type 'end' are not supported by error end events");
      return;
    case 'INTERMEDIATE_THROW_EVENT':
      if (draft.eventType === 'ESCALATION' && has('end')) errors.element(draft.id, "execution listeners of type 'end' are not supported by escalation intermediate throw events");
      return;
    default:
      return;
  }
}
