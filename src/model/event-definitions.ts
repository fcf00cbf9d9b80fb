/** Message and error event definitions, resolved through their `messageRef` / `errorRef`. */
import type { CompensationDefinition, ConditionalDefinition, ErrorDefinition, EscalationDefinition, MessageDefinition, SignalDefinition, VariableEventKind } from './types.js';
import type { ErrorCollector } from './error-collector.js';
import { isBlank, readExpression } from './expressions.js';
import { booleanProp, elementProp, expressionBody, extensionsOfType, stringProp, type ModdleElement } from './moddle-element.js';
import { unresolvedRef, type UnresolvedReferences } from './moddle-reader.js';

/** A catch event's message: a name and a `zeebe:subscription` correlation key, both required. */
export function readCatchMessage(
  errors: ErrorCollector,
  elementId: string,
  definition: ModdleElement,
  unresolved: UnresolvedReferences,
  /** Message start events: the name must be static and no correlation key is needed (a new instance has none to match). */
  startEvent = false,
): MessageDefinition | null {
  const message = elementProp(definition, 'messageRef');
  if (!message) {
    const dangling = unresolvedRef(unresolved, definition, 'messageRef');
    errors.element(
      elementId,
      dangling === undefined
        ? 'the message event definition must reference a message (messageRef)'
        : `the messageRef '${dangling}' does not reference a bpmn:message`,
    );
    return null;
  }
  if (message.$type !== 'bpmn:Message') {
    errors.element(elementId, `the messageRef '${message.id ?? ''}' does not reference a bpmn:message`);
    return null;
  }
  const messageId = message.id ?? '';
  let valid = true;
  const rawName = stringProp(message, 'name');
  let name = null;
  if (isBlank(rawName)) {
    errors.element(elementId, `the message '${messageId}' must have a non-empty name`);
    valid = false;
  } else {
    name = readExpression(errors, elementId, rawName!, `the name of message '${messageId}'`);
    valid &&= name !== null;
    if (startEvent && name?.kind === 'feel') {
      errors.element(elementId, `the name of message '${messageId}' must be static on a message start event, not an expression`);
      valid = false;
    }
  }
  if (startEvent) return valid && name ? { name, correlationKey: null } : null;
  const subscriptions = extensionsOfType(message, 'zeebe:Subscription');
  let correlationKey = null;
  if (subscriptions.length !== 1) {
    errors.element(
      elementId,
      `the message '${messageId}' must have exactly one zeebe:subscription extension element with a correlationKey`,
    );
    valid = false;
  } else {
    const rawKey = stringProp(subscriptions[0]!, 'correlationKey');
    if (isBlank(rawKey)) {
      errors.element(elementId, `the zeebe:subscription of message '${messageId}' must have a non-empty correlationKey`);
      valid = false;
    } else {
      correlationKey = readExpression(errors, elementId, rawKey!, `the correlation key of message '${messageId}'`, {
        feelOnly: true,
      });
      valid &&= correlationKey !== null;
    }
  }
  return valid && name ? { name, correlationKey } : null;
}

export type ErrorRefMode = 'throw' | 'catch';

/**
 * An error event definition. Throwing (end events) needs an error with a code; catching
 * (boundary events) may omit `errorRef` to catch every error, but a referenced error needs a code.
 */
export function readError(
  errors: ErrorCollector,
  elementId: string,
  definition: ModdleElement,
  unresolved: UnresolvedReferences,
  mode: ErrorRefMode,
): ErrorDefinition | null {
  const error = elementProp(definition, 'errorRef');
  const dangling = unresolvedRef(unresolved, definition, 'errorRef');
  if (!error) {
    if (dangling !== undefined) {
      errors.element(elementId, `the errorRef '${dangling}' does not reference a bpmn:error`);
      return null;
    }
    if (mode === 'throw') {
      errors.element(elementId, 'an error end event must reference a bpmn:error with an errorCode (errorRef)');
      return null;
    }
    return { errorCode: null };
  }
  if (error.$type !== 'bpmn:Error') {
    errors.element(elementId, `the errorRef '${error.id ?? ''}' does not reference a bpmn:error`);
    return null;
  }
  const errorCode = stringProp(error, 'errorCode');
  if (errorCode === undefined || errorCode.trim() === '') {
    errors.element(elementId, `the error '${error.id ?? ''}' must have a non-empty errorCode`);
    return null;
  }
  if (errorCode.trimStart().startsWith('=')) {
    errors.element(
      elementId,
      mode === 'catch'
        ? `the errorCode of the error '${error.id ?? ''}' caught here must not be an expression`
        : `the errorCode '${errorCode}' of the error '${error.id ?? ''}' is an expression, which is not supported yet`,
    );
    return null;
  }
  return { errorCode };
}

/**
 * An escalation event definition. Throwing (intermediate throw and end events) needs an
 * escalation with a code; catching (boundary events) may omit `escalationRef` to catch all.
 */
export function readEscalation(
  errors: ErrorCollector,
  elementId: string,
  definition: ModdleElement,
  unresolved: UnresolvedReferences,
  mode: ErrorRefMode,
): EscalationDefinition | null {
  const escalation = elementProp(definition, 'escalationRef');
  if (!escalation) {
    const dangling = unresolvedRef(unresolved, definition, 'escalationRef');
    if (dangling !== undefined || mode === 'throw') {
      errors.element(elementId, dangling !== undefined ? `the escalationRef '${dangling}' does not reference a bpmn:escalation` : 'a throwing escalation event must reference a bpmn:escalation with an escalationCode (escalationRef)');
      return null;
    }
    return { escalationCode: null };
  }
  const code = stringProp(escalation, 'escalationCode');
  if (code === undefined || code.trim() === '') {
    errors.element(elementId, `the escalation '${escalation.id ?? ''}' must have a non-empty escalationCode`);
    return null;
  }
  if (code.trimStart().startsWith('=')) {
    errors.element(elementId, `the escalationCode '${code}' of the escalation '${escalation.id ?? ''}' is an expression, which is not supported yet`);
    return null;
  }
  return { escalationCode: code };
}

/** A signal event definition: a `bpmn:signal` with a name (static on start events, FEEL allowed elsewhere). */
export function readSignal(
  errors: ErrorCollector,
  elementId: string,
  definition: ModdleElement,
  unresolved: UnresolvedReferences,
  startEvent = false,
): SignalDefinition | null {
  const signal = elementProp(definition, 'signalRef');
  if (!signal || signal.$type !== 'bpmn:Signal') {
    const dangling = unresolvedRef(unresolved, definition, 'signalRef');
    errors.element(elementId, dangling !== undefined ? `the signalRef '${dangling}' does not reference a bpmn:signal` : 'a signal event must reference a bpmn:signal (signalRef)');
    return null;
  }
  const raw = stringProp(signal, 'name');
  if (isBlank(raw)) {
    errors.element(elementId, `the signal '${signal.id ?? ''}' must have a non-empty name`);
    return null;
  }
  const name = readExpression(errors, elementId, raw!, `the name of signal '${signal.id ?? ''}'`);
  if (!name) return null;
  if (startEvent && name.kind === 'feel') {
    errors.element(elementId, `the name of signal '${signal.id ?? ''}' must be static on a signal start event, not an expression`);
    return null;
  }
  return { name };
}

const VARIABLE_EVENTS: ReadonlySet<string> = new Set<VariableEventKind>(['create', 'update']);

/** `a, b ,c` → ['a', 'b', 'c']; blank → []. */
function commaList(raw: string | undefined): string[] {
  return (raw ?? '').split(',').map((part) => part.trim()).filter((part) => part !== '');
}

/**
 * A conditional event definition: a FEEL condition (required; a static value would never change)
 * and an optional `zeebe:conditionalFilter` naming the variables and the kinds of change
 * (`create`, `update`) that make the engine look at the condition again.
 */
export function readConditional(errors: ErrorCollector, elementId: string, definition: ModdleElement): ConditionalDefinition | null {
  const body = expressionBody(definition, 'condition');
  if (isBlank(body)) {
    errors.element(elementId, 'a conditional event must have a condition (bpmn:condition with a FEEL expression)');
    return null;
  }
  const condition = readExpression(errors, elementId, body!.trim(), 'the condition', { feelOnly: true });
  const filters = extensionsOfType(definition, 'zeebe:ConditionalFilter');
  if (filters.length > 1) {
    errors.element(elementId, 'a conditional event definition may have at most one zeebe:conditionalFilter');
    return null;
  }
  const variableNames = commaList(filters[0] && stringProp(filters[0], 'variableNames'));
  const variableEvents = commaList(filters[0] && stringProp(filters[0], 'variableEvents'));
  const unknown = variableEvents.filter((kind) => !VARIABLE_EVENTS.has(kind));
  if (unknown.length > 0) {
    errors.element(elementId, `the variableEvents of zeebe:conditionalFilter may only be 'create' and 'update', but found '${unknown.join("', '")}'`);
    return null;
  }
  if (!condition) return null;
  return { condition, variableNames, variableEvents: variableEvents as VariableEventKind[] };
}

/**
 * The compensation definition of an intermediate throw or end event. Zeebe always waits for the
 * handlers to complete, so `waitForCompletion="false"` is refused; `activityRef` names one
 * activity to compensate (checked against the scope once the whole process is read).
 */
export function readCompensationThrow(
  errors: ErrorCollector,
  elementId: string,
  definition: ModdleElement,
  unresolved: UnresolvedReferences,
  kindName: string,
): CompensationDefinition | null {
  let valid = true;
  if (booleanProp(definition, 'waitForCompletion') === false) {
    errors.element(elementId, `the waitForCompletion attribute of a compensation ${kindName} must be true or not present`);
    valid = false;
  }
  const activity = elementProp(definition, 'activityRef');
  const dangling = unresolvedRef(unresolved, definition, 'activityRef');
  if (!activity && dangling !== undefined) {
    errors.element(elementId, `the activityRef '${dangling}' does not reference an element of the process`);
    return null;
  }
  return valid ? { handlerId: null, activityRef: activity?.id ?? null } : null;
}
