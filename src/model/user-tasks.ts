/**
 * Camunda user tasks (`zeebe:userTask`): the engine keeps the task, with its assignment, schedule,
 * priority, form and task listeners, instead of handing a job to a worker.
 */
import type { Expression } from '../feel/expression.js';
import type { ErrorCollector } from './error-collector.js';
import { isBlank } from './expressions.js';
import { elementsProp, extensionsOfType, stringProp, undeclared, type ModdleElement } from './moddle-element.js';
import { optionalExpression, readAssignmentAndSchedule, readHeaders, single } from './tasks.js';
import type { CamundaUserTaskDefinition, TaskListenerDefinition, TaskListenerEventType, UserTaskFormDefinition } from './types.js';

const LISTENER_EVENT_TYPES: readonly TaskListenerEventType[] = ['creating', 'assigning', 'updating', 'completing', 'canceling'];
/** Zeebe's default for a task listener's retries. */
const DEFAULT_LISTENER_RETRIES = 3;

export function isCamundaUserTask(element: ModdleElement): boolean {
  return extensionsOfType(element, 'zeebe:UserTask').length > 0;
}

/** A user task marked with `zeebe:userTask`; null after reporting errors. */
export function readCamundaUserTask(errors: ErrorCollector, element: ModdleElement, elementId: string): CamundaUserTaskDefinition | null {
  const headers = readHeaders(errors, element, elementId);
  const properties = readAssignmentAndSchedule(errors, element, elementId);
  const priority = readPriority(errors, element, elementId);
  const form = readForm(errors, element, elementId);
  const listeners = readTaskListeners(errors, element, elementId);
  if (!headers || !properties || priority === false || form === false || !listeners) return null;
  return Object.freeze({
    ...properties,
    priority,
    form,
    headers: Object.freeze(headers),
    listeners: Object.freeze(listeners),
  });
}

/** `zeebe:priorityDefinition`: an integer from 0 to 100, or FEEL checked when the task activates. */
function readPriority(errors: ErrorCollector, element: ModdleElement, elementId: string): Expression | null | false {
  const definition = single(errors, element, elementId, 'zeebe:PriorityDefinition', 'zeebe:priorityDefinition');
  if (definition === null) return false;
  const failed = { invalid: false };
  const range = (value: string): string | null => {
    const trimmed = value.trim();
    return /^\d+$/.test(trimmed) && Number(trimmed) <= 100 ? null : 'be an integer between 0 and 100';
  };
  const priority = optionalExpression(errors, elementId, definition, 'priority', 'the priority', failed, range);
  return failed.invalid ? false : priority;
}

/**
 * `zeebe:formDefinition`: a form deployed to the cluster (`formId`, found when the task activates
 * by its binding type) or an `externalReference`. `formKey` belongs to job-worker user tasks.
 */
function readForm(errors: ErrorCollector, element: ModdleElement, elementId: string): UserTaskFormDefinition | null | false {
  const definition = single(errors, element, elementId, 'zeebe:FormDefinition', 'zeebe:formDefinition');
  if (definition === null) return false;
  if (definition === undefined) return null;
  const formId = stringProp(definition, 'formId');
  const reference = stringProp(definition, 'externalReference');
  const formKey = stringProp(definition, 'formKey');
  const given = [formId, reference, formKey].filter((value) => !isBlank(value)).length;
  if (!isBlank(formKey)) {
    errors.element(elementId, "a Camunda user task (zeebe:userTask) links its form with 'formId' or 'externalReference'; 'formKey' is for job-worker user tasks");
    return false;
  }
  if (given !== 1) {
    errors.element(elementId, "the zeebe:formDefinition must have exactly one of 'formId' and 'externalReference'");
    return false;
  }
  const failed = { invalid: false };
  if (!isBlank(reference)) {
    const expression = optionalExpression(errors, elementId, definition, 'externalReference', 'the external form reference', failed);
    return failed.invalid || !expression ? false : Object.freeze({ kind: 'external', reference: expression });
  }
  const id = optionalExpression(errors, elementId, definition, 'formId', 'the form id', failed);
  const bindingType = undeclared(definition, 'bindingType') ?? 'latest';
  if (bindingType !== 'latest' && bindingType !== 'deployment' && bindingType !== 'versionTag') {
    errors.element(elementId, `the form's binding type '${bindingType}' is not one of 'latest', 'deployment' or 'versionTag'`);
    return false;
  }
  const versionTag = undeclared(definition, 'versionTag')?.trim() || null;
  if (bindingType === 'versionTag' && versionTag === null) {
    errors.element(elementId, "the binding type 'versionTag' needs a versionTag on zeebe:formDefinition");
    return false;
  }
  if (failed.invalid || !id) return false;
  return Object.freeze({ kind: 'linked', formId: id, bindingType, versionTag });
}

/** `zeebe:taskListeners`: jobs the task's transitions wait for, in model order. */
function readTaskListeners(errors: ErrorCollector, element: ModdleElement, elementId: string): TaskListenerDefinition[] | null {
  const containers = single(errors, element, elementId, 'zeebe:TaskListeners', 'zeebe:taskListeners');
  if (containers === null) return null;
  const listeners: TaskListenerDefinition[] = [];
  let valid = true;
  for (const listener of containers ? elementsProp(containers, 'listeners') : []) {
    const eventType = stringProp(listener, 'eventType')?.trim() ?? '';
    const type = stringProp(listener, 'type')?.trim() ?? '';
    const rawRetries = stringProp(listener, 'retries')?.trim();
    if (!LISTENER_EVENT_TYPES.includes(eventType as TaskListenerEventType)) {
      errors.element(elementId, `the task listener event type '${eventType}' is not one of ${LISTENER_EVENT_TYPES.map((t) => `'${t}'`).join(', ')}`);
      valid = false;
      continue;
    }
    if (eventType === 'canceling') {
      // Zeebe holds the termination of the task until the listener's job completes; Zen's
      // termination is not able to wait yet.
      errors.element(elementId, "task listeners for the 'canceling' event are not supported yet");
      valid = false;
      continue;
    }
    if (type === '') {
      errors.element(elementId, 'a task listener must have a non-empty type');
      valid = false;
      continue;
    }
    if (type.startsWith('=') || rawRetries?.startsWith('=')) {
      errors.element(elementId, 'expressions for the type or retries of a task listener are not supported yet');
      valid = false;
      continue;
    }
    if (rawRetries !== undefined && rawRetries !== '' && !/^\d+$/.test(rawRetries)) {
      errors.element(elementId, `the task listener retries must be a non-negative integer, but was '${rawRetries}'`);
      valid = false;
      continue;
    }
    const retries = rawRetries === undefined || rawRetries === '' ? DEFAULT_LISTENER_RETRIES : Number(rawRetries);
    listeners.push(Object.freeze({ eventType: eventType as TaskListenerEventType, type, retries }));
  }
  return valid ? listeners : null;
}
