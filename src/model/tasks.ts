/** Tasks: job definitions (service, send, business-rule, script and job-worker user tasks) and inline scripts. */
import { staticExpression, type Expression } from '../feel/expression.js';
import { parseIsoDateTime } from '../feel/iso8601.js';
import { parseCsvList } from '../feel/typed.js';
import type { JobDefinition, ScriptDefinition, UserTaskDefinition } from './types.js';
import type { ErrorCollector } from './error-collector.js';
import { isBlank, readExpression } from './expressions.js';
import { elementsProp, extensionsOfType, stringProp, type ModdleElement } from './moddle-element.js';

export const USER_TASK_JOB_TYPE = 'io.camunda.zeebe:userTask';
export const HEADER_ASSIGNEE = 'io.camunda.zeebe:assignee';
export const HEADER_CANDIDATE_GROUPS = 'io.camunda.zeebe:candidateGroups';
export const HEADER_CANDIDATE_USERS = 'io.camunda.zeebe:candidateUsers';
export const HEADER_DUE_DATE = 'io.camunda.zeebe:dueDate';
export const HEADER_FOLLOW_UP_DATE = 'io.camunda.zeebe:followUpDate';
export const HEADER_FORM_KEY = 'io.camunda.zeebe:formKey';

/** Headers Zeebe refuses in `zeebe:taskHeaders`, because the engine writes them itself. */
const RESTRICTED_HEADERS = [HEADER_ASSIGNEE, HEADER_CANDIDATE_GROUPS, HEADER_FORM_KEY];

const DEFAULT_RETRIES = '3';
/** Zeebe gives user-task jobs one retry, not three. */
const USER_TASK_RETRIES = '1';

/** `zeebe:taskDefinition` (+ headers) for job-worker tasks. Null after reporting errors. */
export function readJobDefinition(errors: ErrorCollector, element: ModdleElement, elementId: string): JobDefinition | null {
  const definitions = extensionsOfType(element, 'zeebe:TaskDefinition');
  if (definitions.length > 1) {
    errors.element(elementId, 'must have exactly one zeebe:taskDefinition extension element');
    return null;
  }
  const definition = definitions[0];
  const rawType = definition ? stringProp(definition, 'type') : undefined;
  if (!definition || isBlank(rawType)) {
    errors.element(elementId, 'must have a zeebe:taskDefinition with a non-empty type');
    return null;
  }
  const type = readExpression(errors, elementId, rawType!, 'the job type');
  const rawRetries = stringProp(definition, 'retries') ?? DEFAULT_RETRIES;
  let retries: Expression | null = null;
  if (isBlank(rawRetries)) {
    errors.element(elementId, "the zeebe:taskDefinition's retries must not be empty");
  } else {
    retries = readExpression(errors, elementId, rawRetries, 'the job retries');
    if (retries?.kind === 'static' && !/^\d+$/.test(retries.value.trim())) {
      errors.element(elementId, `the job retries must be a non-negative integer or an expression, but was '${rawRetries}'`);
      retries = null;
    }
  }
  const headers = readHeaders(errors, element, elementId);
  if (!type || !retries || !headers) return null;
  return Object.freeze({ type, retries, headers: Object.freeze(headers) });
}

export function readHeaders(errors: ErrorCollector, element: ModdleElement, elementId: string): Record<string, string> | null {
  const containers = extensionsOfType(element, 'zeebe:TaskHeaders');
  if (containers.length > 1) {
    errors.element(elementId, 'must have at most one zeebe:taskHeaders extension element');
    return null;
  }
  return containers[0] ? readHeaderValues(errors, containers[0], elementId) : {};
}

/** The headers of one `zeebe:taskHeaders` element; null after reporting errors. */
export function readHeaderValues(errors: ErrorCollector, container: ModdleElement, elementId: string): Record<string, string> | null {
  const headers: Record<string, string> = {};
  let valid = true;
  for (const header of elementsProp(container, 'values')) {
    const key = stringProp(header, 'key');
    const value = stringProp(header, 'value');
    // Zeebe drops headers without key or value rather than refusing the model.
    if (key === undefined || key === '' || value === undefined || value === '') continue;
    if (RESTRICTED_HEADERS.includes(key)) {
      errors.element(elementId, `the task header key '${key}' is reserved for the engine`);
      valid = false;
      continue;
    }
    Object.defineProperty(headers, key, { value, enumerable: true, writable: true, configurable: true });
  }
  return valid ? headers : null;
}

/** `zeebe:script`: a FEEL expression and the variable its result is written to. */
export function readScript(errors: ErrorCollector, script: ModdleElement, elementId: string): ScriptDefinition | null {
  const rawExpression = stringProp(script, 'expression');
  const resultVariable = stringProp(script, 'resultVariable');
  let valid = true;
  if (isBlank(resultVariable)) {
    errors.element(elementId, 'the zeebe:script must have a non-empty resultVariable');
    valid = false;
  }
  if (isBlank(rawExpression)) {
    errors.element(elementId, 'the zeebe:script must have a non-empty expression');
    return null;
  }
  const expression = readExpression(errors, elementId, rawExpression!, 'the script', { feelOnly: true });
  return valid && expression ? Object.freeze({ expression, resultVariable: resultVariable!.trim() }) : null;
}

/** A user task's assignment and schedule, common to job-worker and Camunda user tasks. */
export interface AssignmentAndSchedule {
  readonly assignee: Expression | null;
  readonly candidateGroups: Expression | null;
  readonly candidateUsers: Expression | null;
  readonly dueDate: Expression | null;
  readonly followUpDate: Expression | null;
}

/**
 * An optional attribute as an expression: null when absent or blank; static values are checked
 * with `staticCheck` (a problem's wording completes "expected <what> to …"). `failed` is set on errors.
 */
export function optionalExpression(
  errors: ErrorCollector,
  elementId: string,
  source: ModdleElement | undefined,
  attribute: string,
  what: string,
  failed: { invalid: boolean },
  staticCheck?: (value: string) => string | null,
): Expression | null {
  const raw = source ? stringProp(source, attribute) : undefined;
  if (raw === undefined || raw.trim() === '') return null;
  const expression = readExpression(errors, elementId, raw, what);
  if (!expression) {
    failed.invalid = true;
    return null;
  }
  const problem = expression.kind === 'static' && staticCheck ? staticCheck(expression.value) : null;
  if (problem !== null) {
    errors.element(elementId, `expected ${what} to ${problem}, but found '${raw}'`);
    failed.invalid = true;
    return null;
  }
  return expression;
}

/** `zeebe:assignmentDefinition` and `zeebe:taskSchedule`; null after reporting errors. */
export function readAssignmentAndSchedule(errors: ErrorCollector, element: ModdleElement, elementId: string): AssignmentAndSchedule | null {
  const assignment = single(errors, element, elementId, 'zeebe:AssignmentDefinition', 'zeebe:assignmentDefinition');
  const schedule = single(errors, element, elementId, 'zeebe:TaskSchedule', 'zeebe:taskSchedule');
  if (assignment === null || schedule === null) return null;
  const failed = { invalid: false };
  const csv = (value: string): string | null =>
    parseCsvList(value) ? null : "be a list of comma-separated values, e.g. 'a,b,c'";
  const dateTime = (value: string): string | null =>
    parseIsoDateTime(value) !== null ? null : "be a valid date-time, e.g. '2023-03-02T15:35+02:00'";
  const read = (source: ModdleElement | undefined, attribute: string, what: string, check?: (value: string) => string | null) =>
    optionalExpression(errors, elementId, source, attribute, what, failed, check);
  const result: AssignmentAndSchedule = {
    assignee: read(assignment, 'assignee', 'the assignee'),
    candidateGroups: read(assignment, 'candidateGroups', 'the candidate groups', csv),
    candidateUsers: read(assignment, 'candidateUsers', 'the candidate users', csv),
    dueDate: read(schedule, 'dueDate', 'the due date', dateTime),
    followUpDate: read(schedule, 'followUpDate', 'the follow-up date', dateTime),
  };
  return failed.invalid ? null : result;
}

/**
 * A user task without `zeebe:userTask`, as a job of type `io.camunda.zeebe:userTask`: the way Zeebe
 * runs job-worker user tasks (and how Tasklist's job-based mode consumes them).
 */
export function readUserTask(errors: ErrorCollector, element: ModdleElement, elementId: string): JobDefinition | null {
  const headers = readHeaders(errors, element, elementId);
  const properties = readAssignmentAndSchedule(errors, element, elementId);
  const form = single(errors, element, elementId, 'zeebe:FormDefinition', 'zeebe:formDefinition');
  if (!headers || !properties || form === null) return null;

  const userTask: UserTaskDefinition = Object.freeze({
    ...properties,
    formKey: (form && stringProp(form, 'formKey')) || null,
  });

  const staticHeader = (name: string, expression: Expression | null, encode: (value: string) => string): void => {
    if (expression?.kind === 'static') headers[name] = encode(expression.value);
  };
  const asJsonList = (value: string): string => JSON.stringify(parseCsvList(value) ?? []);
  staticHeader(HEADER_ASSIGNEE, userTask.assignee, (value) => value);
  staticHeader(HEADER_CANDIDATE_GROUPS, userTask.candidateGroups, asJsonList);
  staticHeader(HEADER_CANDIDATE_USERS, userTask.candidateUsers, asJsonList);
  staticHeader(HEADER_DUE_DATE, userTask.dueDate, (value) => value.trim());
  staticHeader(HEADER_FOLLOW_UP_DATE, userTask.followUpDate, (value) => value.trim());
  if (userTask.formKey !== null) headers[HEADER_FORM_KEY] = userTask.formKey;

  return Object.freeze({
    type: staticExpression(USER_TASK_JOB_TYPE),
    retries: staticExpression(USER_TASK_RETRIES),
    headers: Object.freeze(headers),
    userTask,
  });
}

/** The one extension element of a type; undefined when absent, null (reported) when repeated. */
export function single(
  errors: ErrorCollector,
  element: ModdleElement,
  elementId: string,
  type: string,
  xmlName: string,
): ModdleElement | undefined | null {
  const found = extensionsOfType(element, type);
  if (found.length > 1) {
    errors.element(elementId, `must have at most one ${xmlName} extension element`);
    return null;
  }
  return found[0];
}
