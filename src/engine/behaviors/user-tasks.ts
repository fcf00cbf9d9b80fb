/**
 * Camunda user tasks: the task's transitions (creating, assigning, claiming, updating,
 * completing), the task listener jobs a transition waits for, and the answer to the request
 * that started it. A transition begins with its -ING event; when the listeners of its event
 * are done (or there are none) it ends with its -ED event, or a listener denies it.
 */
import type { ExecutableElement, TaskListenerDefinition, TaskListenerEventType } from '../../model/types.js';
import { elementOf } from '../models.js';
import type { ProcessingContext } from '../processing/context.js';
import type { CommandResponse } from '../processing/types.js';
import type { EventIntent, JobListenerEventType, JobValue, UserTaskCorrections, UserTaskValue } from '../records.js';
import type { ElementInstance } from '../state/types.js';
import type { UserTaskLifecycle, UserTaskRow } from '../state/user-tasks.js';
import { userTaskKeyOf } from '../state/element-instances.js';
import { cancelJob } from './jobs.js';

/** The properties a user task's attributes may change; `changedAttributes` names them so. */
const ATTRIBUTES = ['assignee', 'candidateGroupsList', 'candidateUsersList', 'dueDate', 'followUpDate', 'priority'] as const;
export type UserTaskAttribute = (typeof ATTRIBUTES)[number];

const USER_TASK_HEADER = 'io.camunda.zeebe:';

/** The listener event each transition waits on. */
const EVENT_OF: Readonly<Record<Exclude<UserTaskLifecycle, 'CREATED'>, TaskListenerEventType>> = {
  CREATING: 'creating',
  ASSIGNING: 'assigning',
  CLAIMING: 'assigning',
  UPDATING: 'updating',
  COMPLETING: 'completing',
  CANCELING: 'canceling',
};

/** What a user task's attributes evaluated to when it activated. */
export interface UserTaskProperties {
  readonly assignee: string;
  readonly candidateGroupsList: string[];
  readonly candidateUsersList: string[];
  readonly dueDate: string;
  readonly followUpDate: string;
  readonly formKey: bigint;
  readonly externalFormReference: string;
  readonly priority: number;
}

function sameValue(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((item, i) => item === b[i]);
  return a === b;
}

/** The attributes in which `next` differs from `current`. */
export function changedAttributes(current: UserTaskValue, next: UserTaskValue): string[] {
  return ATTRIBUTES.filter((attribute) => !sameValue(current[attribute], next[attribute]));
}

/** `changes` applied to `task`, with the attributes whose value really changed. */
export function withChanges(task: UserTaskValue, changes: UserTaskCorrections): { value: UserTaskValue; changed: string[] } {
  const value: UserTaskValue = { ...task };
  const changed: string[] = [];
  for (const attribute of ATTRIBUTES) {
    const next = changes[attribute];
    if (next === undefined || sameValue(task[attribute], next)) continue;
    (value as unknown as Record<string, unknown>)[attribute] = next;
    changed.push(attribute);
  }
  return { value, changed };
}

function elementOfTask(ctx: ProcessingContext, task: UserTaskValue): ExecutableElement {
  const model = ctx.models.get(task.processDefinitionKey);
  return elementOf(model, { elementId: task.elementId, bpmnElementType: 'USER_TASK' });
}

function listenersOf(ctx: ProcessingContext, task: UserTaskValue, eventType: TaskListenerEventType): TaskListenerDefinition[] {
  return (elementOfTask(ctx, task).userTask?.listeners ?? []).filter((listener) => listener.eventType === eventType);
}

/** Creates the task (CREATING); without creating listeners it is CREATED at once. Returns its key. */
export function createUserTask(ctx: ProcessingContext, instance: ElementInstance, element: ExecutableElement, properties: UserTaskProperties): bigint {
  const v = instance.value;
  const key = ctx.nextKey();
  const task: UserTaskValue = {
    userTaskKey: key,
    ...properties,
    customHeaders: { ...element.userTask!.headers },
    changedAttributes: [],
    action: '',
    variables: {},
    deniedReason: '',
    elementId: v.elementId,
    elementInstanceKey: instance.key,
    processInstanceKey: v.processInstanceKey,
    processDefinitionKey: v.processDefinitionKey,
    bpmnProcessId: v.bpmnProcessId,
    processDefinitionVersion: v.version,
    creationTimestamp: ctx.now,
    tenantId: v.tenantId,
  };
  ctx.event('USER_TASK', 'CREATING', key, task);
  continueTransition(ctx, key);
  return key;
}

/** Begins a transition from CREATED: its -ING event, then its listeners, or its end at once. */
export function beginTransition(
  ctx: ProcessingContext,
  row: UserTaskRow,
  intent: Extract<EventIntent<'USER_TASK'>, 'ASSIGNING' | 'CLAIMING' | 'UPDATING' | 'COMPLETING'>,
  value: UserTaskValue,
  requestId: string | null,
): void {
  ctx.event('USER_TASK', intent, row.key, value);
  if (requestId !== null) {
    ctx.awaiting.addUserTask(row.key, requestId);
    ctx.onRollback.push(() => ctx.awaiting.removeUserTask(row.key));
  }
  continueTransition(ctx, row.key);
}

/** The next listener of the running transition's event, or the transition's end when all are done. */
export function continueTransition(ctx: ProcessingContext, userTaskKey: bigint): void {
  const row = ctx.state.userTasks.get(userTaskKey);
  if (!row || row.state === 'CREATED' || !row.transition) return;
  const eventType = EVENT_OF[row.state];
  const listeners = listenersOf(ctx, row.transition, eventType);
  const next = listeners[row.listenersDone];
  if (next) createListenerJob(ctx, row, next);
  else finishTransition(ctx, row);
}

function finishTransition(ctx: ProcessingContext, row: UserTaskRow): void {
  const transition = row.transition!;
  const final = { ...transition, changedAttributes: changedAttributes(row.value, transition) };
  switch (row.state) {
    case 'CREATING': {
      // Created without the assignee; giving it is an assignment of its own, with its own
      // listeners, once the element is ACTIVATED (right away after creating listeners).
      ctx.event('USER_TASK', 'CREATED', row.key, { ...transition, assignee: '', changedAttributes: [] });
      if (ctx.state.elementInstances.get(transition.elementInstanceKey)?.state === 'ACTIVATED') assignInitially(ctx, row.key, transition.assignee);
      return;
    }
    case 'ASSIGNING':
    case 'CLAIMING':
      ctx.event('USER_TASK', 'ASSIGNED', row.key, final);
      break;
    case 'UPDATING':
      ctx.event('USER_TASK', 'UPDATED', row.key, final);
      break;
    case 'COMPLETING':
      ctx.event('USER_TASK', 'COMPLETED', row.key, final);
      ctx.enqueue({ kind: 'COMPLETE', key: transition.elementInstanceKey });
      break;
    case 'CANCELING':
    case 'CREATED':
      return;
  }
  answer(ctx, row.key, { ok: true, key: row.key, value: { userTaskKey: row.key } });
}

/** Gives a just created task the assignee of the model (or of a creating listener's correction). */
export function assignInitially(ctx: ProcessingContext, userTaskKey: bigint, assignee: string): void {
  const row = ctx.state.userTasks.get(userTaskKey);
  if (!row || row.state !== 'CREATED' || assignee === '') return;
  beginTransition(ctx, row, 'ASSIGNING', { ...row.value, assignee, changedAttributes: ['assignee'], action: '' }, null);
}

/** A listener denied the transition: the task goes back to how it was, and the request is refused. */
export function denyTransition(ctx: ProcessingContext, row: UserTaskRow, deniedReason: string): void {
  const denied = { ...row.value, deniedReason };
  let operation: string;
  if (row.state === 'COMPLETING') {
    ctx.event('USER_TASK', 'COMPLETION_DENIED', row.key, denied);
    operation = 'Completion';
  } else if (row.state === 'ASSIGNING' || row.state === 'CLAIMING') {
    ctx.event('USER_TASK', 'ASSIGNMENT_DENIED', row.key, denied);
    operation = 'Assignment';
  } else if (row.state === 'UPDATING') {
    ctx.event('USER_TASK', 'UPDATE_DENIED', row.key, denied);
    operation = 'Update';
  } else {
    return;
  }
  answer(ctx, row.key, {
    ok: false,
    rejectionType: 'INVALID_STATE',
    reason: `${operation} of the User Task with key '${row.key}' was denied by Task Listener. Reason to deny: '${deniedReason}'`,
  });
}

/** A listener corrected the task: the transition goes on with the corrected values. */
export function correctTransition(ctx: ProcessingContext, row: UserTaskRow, corrections: UserTaskCorrections): void {
  const { value, changed } = withChanges(row.transition!, corrections);
  if (changed.length === 0) return;
  const all = [...new Set([...row.transition!.changedAttributes, ...changed])];
  ctx.event('USER_TASK', 'CORRECTED', row.key, { ...value, changedAttributes: all });
}

/** The element goes away (terminated): a transition in progress is abandoned, its listener job canceled. */
export function cancelUserTask(ctx: ProcessingContext, instance: ElementInstance): void {
  const key = userTaskKeyOf(instance);
  const row = key > 0n ? ctx.state.userTasks.get(key) : undefined;
  if (!row || row.state === 'CANCELING') return;
  if (row.state !== 'CREATED') answer(ctx, key, { ok: false, rejectionType: 'INVALID_STATE', reason: 'user task was canceled during ongoing transition' });
  cancelJob(ctx, instance);
  const value = { ...row.value, changedAttributes: [], action: '' };
  ctx.event('USER_TASK', 'CANCELING', key, value);
  ctx.event('USER_TASK', 'CANCELED', key, value);
}

/** Answers the request that started the transition, if its client still waits (not kept across restarts). */
function answer(ctx: ProcessingContext, userTaskKey: bigint, response: CommandResponse): void {
  const requestId = ctx.awaiting.userTask(userTaskKey);
  if (requestId === undefined) return;
  ctx.deferred.push({ requestId, response });
  if (ctx.command.requestId === requestId) ctx.response = response;
  ctx.onCommit.push(() => ctx.awaiting.removeUserTask(userTaskKey));
}

const LISTENER_EVENT: Readonly<Record<TaskListenerEventType, JobListenerEventType>> = {
  creating: 'CREATING',
  assigning: 'ASSIGNING',
  updating: 'UPDATING',
  completing: 'COMPLETING',
  canceling: 'CANCELING',
};

function createListenerJob(ctx: ProcessingContext, row: UserTaskRow, listener: TaskListenerDefinition): void {
  const task = row.transition!;
  const value: JobValue = {
    type: listener.type,
    worker: '',
    retries: listener.retries,
    retryBackoff: 0,
    recurringTime: -1,
    deadline: -1,
    timeout: 0,
    errorMessage: '',
    errorCode: '',
    customHeaders: { ...task.customHeaders, ...listenerHeaders(task) },
    variables: {},
    processInstanceKey: task.processInstanceKey,
    bpmnProcessId: task.bpmnProcessId,
    processDefinitionVersion: task.processDefinitionVersion,
    processDefinitionKey: task.processDefinitionKey,
    elementId: task.elementId,
    elementInstanceKey: task.elementInstanceKey,
    tenantId: task.tenantId,
    jobKind: 'TASK_LISTENER',
    jobListenerEventType: LISTENER_EVENT[listener.eventType],
  };
  ctx.event('JOB', 'CREATED', ctx.nextKey(), value);
}

/** The task as a listener's worker sees it: Zeebe's `io.camunda.zeebe:*` job headers. */
function listenerHeaders(task: UserTaskValue): Record<string, string> {
  const headers: Record<string, string> = {
    userTaskKey: String(task.userTaskKey),
    action: task.action,
    changedAttributes: JSON.stringify(task.changedAttributes),
    priority: String(task.priority),
  };
  if (task.assignee !== '') headers.assignee = task.assignee;
  if (task.candidateGroupsList.length > 0) headers.candidateGroups = JSON.stringify(task.candidateGroupsList);
  if (task.candidateUsersList.length > 0) headers.candidateUsers = JSON.stringify(task.candidateUsersList);
  if (task.dueDate !== '') headers.dueDate = task.dueDate;
  if (task.followUpDate !== '') headers.followUpDate = task.followUpDate;
  if (task.formKey > 0n) headers.formKey = String(task.formKey);
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [USER_TASK_HEADER + name, value]));
}
