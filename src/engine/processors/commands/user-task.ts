import { beginTransition, withChanges } from '../../behaviors/user-tasks.js';
import type { ProcessingContext } from '../../processing/context.js';
import type { EngineCommand } from '../../processing/types.js';
import type { UserTaskCorrections, Variables } from '../../records.js';
import type { UserTaskRow } from '../../state/user-tasks.js';

/** The command values the node sends. */
export interface UserTaskCommandValue {
  readonly assignee?: string;
  readonly action?: string;
  readonly variables?: Variables;
  /** UPDATE: the attributes to change, by record field name; absent ones stay. */
  readonly changeset?: UserTaskCorrections;
}

/** The task a command targets, in a state it may start a transition from; or the command is rejected as Zeebe words it. */
function targetTask(ctx: ProcessingContext, command: EngineCommand, verb: string): UserTaskRow | null {
  const row = ctx.state.userTasks.get(command.key);
  if (!row || !ctx.mayUseTenant(row.value.tenantId)) {
    ctx.reject('NOT_FOUND', `Expected to ${verb} user task with key '${command.key}', but no such user task was found`);
    return null;
  }
  if (row.state !== 'CREATED') {
    ctx.reject('INVALID_STATE', `Expected to ${verb} user task with key '${command.key}', but it is in state '${row.state}'`);
    return null;
  }
  return row;
}

function actionOf(command: EngineCommand, fallback: string): string {
  const action = (command.value as UserTaskCommandValue).action;
  return typeof action === 'string' && action !== '' ? action : fallback;
}

/** ASSIGN: a new assignee, whoever had it; an empty one unassigns. */
export function userTaskAssign(ctx: ProcessingContext, command: EngineCommand): void {
  const row = targetTask(ctx, command, 'assign');
  if (!row) return;
  const assignee = String((command.value as UserTaskCommandValue).assignee ?? '');
  const changed = row.value.assignee !== assignee ? ['assignee'] : [];
  beginTransition(ctx, row, 'ASSIGNING', { ...row.value, assignee, changedAttributes: changed, action: actionOf(command, 'assign') }, command.requestId ?? null);
}

/** CLAIM: assigns only a task nobody (else) has. */
export function userTaskClaim(ctx: ProcessingContext, command: EngineCommand): void {
  const row = targetTask(ctx, command, 'claim');
  if (!row) return;
  const assignee = String((command.value as UserTaskCommandValue).assignee ?? '');
  if (assignee.trim() === '') {
    ctx.reject('INVALID_STATE', `Expected to claim user task with key '${command.key}', but provided assignee is empty`);
    return;
  }
  if (row.value.assignee !== '' && row.value.assignee !== assignee) {
    ctx.reject('INVALID_STATE', `Expected to claim user task with key '${command.key}', but it has already been assigned`);
    return;
  }
  const changed = row.value.assignee !== assignee ? ['assignee'] : [];
  beginTransition(ctx, row, 'CLAIMING', { ...row.value, assignee, changedAttributes: changed, action: actionOf(command, 'claim') }, command.requestId ?? null);
}

/** UPDATE: candidate groups and users, dates, priority; the assignee changes only by assignment. */
export function userTaskUpdate(ctx: ProcessingContext, command: EngineCommand): void {
  const row = targetTask(ctx, command, 'update');
  if (!row) return;
  const { assignee: _ignored, ...changeset } = (command.value as UserTaskCommandValue).changeset ?? {};
  const { value, changed } = withChanges(row.value, changeset);
  beginTransition(ctx, row, 'UPDATING', { ...value, changedAttributes: changed, action: actionOf(command, 'update') }, command.requestId ?? null);
}

/** COMPLETE: the element completes with these variables once the completing listeners are done. */
export function userTaskComplete(ctx: ProcessingContext, command: EngineCommand): void {
  const row = targetTask(ctx, command, 'complete');
  if (!row) return;
  const variables = (command.value as UserTaskCommandValue).variables ?? {};
  beginTransition(ctx, row, 'COMPLETING', { ...row.value, variables, changedAttributes: [], action: actionOf(command, 'complete') }, command.requestId ?? null);
}
