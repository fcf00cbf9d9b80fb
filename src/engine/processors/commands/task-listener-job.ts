/**
 * JOB COMPLETE of a task listener's job: the worker's result denies the user task's transition or
 * corrects the task, and the transition goes on (next listener, or its end) in the same command.
 */
import { continueTransition, correctTransition, denyTransition } from '../../behaviors/user-tasks.js';
import type { ProcessingContext } from '../../processing/context.js';
import type { EngineCommand } from '../../processing/types.js';
import type { JobResultValue, JobValue, UserTaskCorrections } from '../../records.js';
import { userTaskKeyOf } from '../../state/element-instances.js';
import type { JobRow } from '../../state/types.js';

/** The listener events whose transition a listener may deny. */
const DENIABLE = ['ASSIGNING', 'COMPLETING', 'UPDATING'];

/** The result as sent by a client: `corrections` holds only the attributes given (non-null). */
export interface JobResultInput {
  readonly denied?: boolean;
  readonly deniedReason?: string;
  readonly corrections?: UserTaskCorrections;
}

export function completeTaskListenerJob(ctx: ProcessingContext, command: EngineCommand, job: JobRow): void {
  const input = (command.value.result ?? {}) as JobResultInput;
  const variables = (command.value.variables ?? {}) as Record<string, unknown>;
  const where = `(job key '${job.key}', type '${job.value.type}', processInstanceKey '${job.value.processInstanceKey}')`;
  if (Object.keys(variables).length > 0) {
    ctx.reject('INVALID_ARGUMENT', `Task Listener job completion with variables payload provided is not yet supported ${where}`);
    return;
  }
  const corrections = input.corrections ?? {};
  const correctedAttributes = Object.keys(corrections).filter((name) => corrections[name as keyof UserTaskCorrections] !== undefined);
  const denied = input.denied === true;
  const eventType = job.value.jobListenerEventType ?? 'UNSPECIFIED';
  if (denied && !DENIABLE.includes(eventType)) {
    ctx.reject(
      'INVALID_ARGUMENT',
      `Denying result is not supported for '${eventType}' task listener jobs ${where}. Only the following listener event types support denying: [${DENIABLE.join(', ')}].`,
    );
    return;
  }
  if (denied && correctedAttributes.length > 0) {
    ctx.reject(
      'INVALID_ARGUMENT',
      `Expected to complete task listener job with corrections, but the job result is denied ${where}. The corrections would be reverted by the denial. Either complete the job with corrections without setting denied, or complete the job with a denied result but no corrections.`,
    );
    return;
  }
  const instance = ctx.state.elementInstances.get(job.value.elementInstanceKey);
  const row = instance ? ctx.state.userTasks.get(userTaskKeyOf(instance)) : undefined;
  if (eventType === 'CREATING' && corrections.assignee !== undefined && row && row.initialAssignee !== '') {
    ctx.reject(
      'INVALID_ARGUMENT',
      `Expected to complete task listener job, but correcting the assignee on 'CREATING' event is not supported when the user task has an assignee defined in the model ${where}. Use the 'ASSIGNING' event to correct an assignee that is already defined.`,
    );
    return;
  }
  const result: JobResultValue = { denied, deniedReason: input.deniedReason ?? '', correctedAttributes, corrections };
  ctx.event<'JOB', JobValue>('JOB', 'COMPLETED', job.key, { ...job.value, variables: {}, result });
  ctx.respond(job.key, {});

  // Read again: the completion counted the listener as done.
  const task = row ? ctx.state.userTasks.get(row.key) : undefined;
  if (!task || !task.transition) return;
  if (denied) {
    denyTransition(ctx, task, result.deniedReason);
    return;
  }
  correctTransition(ctx, task, corrections);
  continueTransition(ctx, task.key);
}
