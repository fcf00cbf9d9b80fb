import { throwToCaller } from '../../behaviors/called-processes.js';
import { findErrorCatch, isCatch, uncaughtErrorMessage } from '../../behaviors/catching.js';
import { triggerEvent } from '../../behaviors/event-triggers.js';
import { raiseIncident } from '../../behaviors/incidents.js';
import { setLocalVariables, visibleVariables } from '../../behaviors/variables.js';
import type { ProcessingContext } from '../../processing/context.js';
import type { EngineCommand } from '../../processing/types.js';
import type { JobBatchValue, JobValue } from '../../records.js';
import type { JobRow, JobState } from '../../state/types.js';
import { DEFAULT_TENANT } from '../../tenants.js';
import { completeExecutionListenerJob } from './execution-listener-job.js';
import { completeTaskListenerJob } from './task-listener-job.js';

/** Finds the job a client command targets, or rejects the command the way Zeebe words it. */
function targetJob(ctx: ProcessingContext, command: EngineCommand, verb: string, allowed: readonly JobState[]): JobRow | null {
  const job = ctx.state.jobs.get(command.key);
  if (!job || !ctx.mayUseTenant(job.value.tenantId)) {
    ctx.reject('NOT_FOUND', `Expected to ${verb} job with key '${command.key}', but no such job was found`);
    return null;
  }
  if (!allowed.includes(job.state)) {
    const state = job.state === 'FAILED' && job.value.retries <= 0 ? 'FAILED (no retries left, incident raised)' : job.state;
    ctx.reject('INVALID_STATE', `Expected to ${verb} job with key '${command.key}', but it is in state '${state}'`);
    return null;
  }
  return job;
}

const WORKABLE: readonly JobState[] = ['ACTIVATABLE', 'ACTIVATED'];

export function jobComplete(ctx: ProcessingContext, command: EngineCommand): void {
  const job = targetJob(ctx, command, 'complete', WORKABLE);
  if (!job) return;
  if (job.value.jobKind === 'TASK_LISTENER') return completeTaskListenerJob(ctx, command, job);
  if (job.value.jobKind === 'EXECUTION_LISTENER') return completeExecutionListenerJob(ctx, command, job);
  if (command.value.result !== undefined && command.value.result !== null) {
    ctx.reject('INVALID_ARGUMENT', `Expected to complete job with key '${job.key}' with a result, but only task listener jobs take a result`);
    return;
  }
  const variables = (command.value.variables ?? {}) as Record<string, unknown>;
  ctx.event<'JOB', JobValue>('JOB', 'COMPLETED', job.key, { ...job.value, variables });
  ctx.enqueue({ kind: 'COMPLETE', key: job.value.elementInstanceKey });
  ctx.respond(job.key, {});
}

export function jobFail(ctx: ProcessingContext, command: EngineCommand): void {
  const job = targetJob(ctx, command, 'fail', WORKABLE);
  if (!job) return;
  const retries = Number(command.value.retries ?? 0);
  const backoff = Math.max(0, Number(command.value.retryBackoff ?? 0));
  const errorMessage = String(command.value.errorMessage ?? '');
  const variables = (command.value.variables ?? {}) as Record<string, unknown>;
  const instance = ctx.state.elementInstances.get(job.value.elementInstanceKey);
  if (instance && Object.keys(variables).length > 0) setLocalVariables(ctx, instance.key, variables, instance.value);
  ctx.event<'JOB', JobValue>('JOB', 'FAILED', job.key, {
    ...job.value,
    retries,
    retryBackoff: retries > 0 ? backoff : 0,
    recurringTime: retries > 0 && backoff > 0 ? ctx.now + backoff : -1,
    errorMessage,
    variables: {},
  });
  if (retries <= 0 && instance) {
    const errorType = job.value.jobKind === 'EXECUTION_LISTENER' ? 'EXECUTION_LISTENER_NO_RETRIES' : 'JOB_NO_RETRIES';
    raiseIncident(ctx, instance, errorType, errorMessage || 'No more retries left.', job.key);
  }
  ctx.respond(job.key, {});
}

export function jobThrowError(ctx: ProcessingContext, command: EngineCommand): void {
  const job = targetJob(ctx, command, 'throw an error for', WORKABLE);
  if (!job) return;
  if (job.value.jobKind === 'TASK_LISTENER') {
    ctx.reject('INVALID_STATE', `Expected to throw an error for job with key '${job.key}', but it is a task listener job, which cannot throw BPMN errors; complete it with a denied result or fail it`);
    return;
  }
  if (job.value.jobKind === 'EXECUTION_LISTENER') {
    ctx.reject(
      'INVALID_STATE',
      `Cannot throw BPMN error from EXECUTION_LISTENER job with key '${job.key}', type '${job.value.type}' and processInstanceKey '${job.value.processInstanceKey}'`,
    );
    return;
  }
  const errorCode = String(command.value.errorCode ?? '');
  const errorMessage = String(command.value.errorMessage ?? '');
  const variables = (command.value.variables ?? {}) as Record<string, unknown>;
  ctx.event<'JOB', JobValue>('JOB', 'ERROR_THROWN', job.key, { ...job.value, errorCode, errorMessage, variables });
  ctx.respond(job.key, {});
  const instance = ctx.state.elementInstances.get(job.value.elementInstanceKey);
  if (!instance) return;
  const caught = findErrorCatch(ctx, instance, errorCode);
  if (isCatch(caught)) triggerEvent(ctx, caught.activity, caught.boundary, variables);
  else if (caught) throwToCaller(ctx, instance, 'ERROR', errorCode, errorMessage, variables, job.key, caught);
  else raiseIncident(ctx, instance, 'UNHANDLED_ERROR_EVENT', uncaughtErrorMessage(errorCode, errorMessage), job.key);
}

export function jobUpdateRetries(ctx: ProcessingContext, command: EngineCommand): void {
  const job = targetJob(ctx, command, 'update retries of', ['ACTIVATABLE', 'ACTIVATED', 'FAILED', 'ERROR_THROWN']);
  if (!job) return;
  const retries = Number(command.value.retries);
  if (!Number.isInteger(retries) || retries < 1) {
    ctx.reject(
      'INVALID_ARGUMENT',
      `Expected to update retries for job with key '${job.key}' with a positive amount of retries, but the amount given was '${command.value.retries}'`,
    );
    return;
  }
  ctx.event<'JOB', JobValue>('JOB', 'RETRIES_UPDATED', job.key, { ...job.value, retries });
  ctx.respond(job.key, {});
}

export function jobUpdateTimeout(ctx: ProcessingContext, command: EngineCommand): void {
  const job = ctx.state.jobs.get(command.key);
  if (!job || !ctx.mayUseTenant(job.value.tenantId)) {
    ctx.reject('NOT_FOUND', `Expected to update the timeout of job with key '${command.key}', but no such job was found`);
    return;
  }
  if (job.state !== 'ACTIVATED') {
    ctx.reject('INVALID_STATE', `Expected to update the timeout of job with key '${command.key}', but it is not active (state '${job.state}')`);
    return;
  }
  const timeout = Number(command.value.timeout);
  ctx.event<'JOB', JobValue>('JOB', 'TIMEOUT_UPDATED', job.key, { ...job.value, timeout, deadline: ctx.now + timeout });
  ctx.respond(job.key, {});
}

/** Driver command: the activation deadline passed. */
export function jobTimeOut(ctx: ProcessingContext, command: EngineCommand): void {
  const job = ctx.state.jobs.get(command.key);
  if (!job || job.state !== 'ACTIVATED' || job.value.deadline > ctx.now) return ctx.discard();
  ctx.event('JOB', 'TIMED_OUT', job.key, job.value);
}

/** Driver command: the retry back-off passed. */
export function jobRecurAfterBackoff(ctx: ProcessingContext, command: EngineCommand): void {
  const job = ctx.state.jobs.get(command.key);
  if (!job || job.state !== 'FAILED' || job.value.retries <= 0 || job.value.recurringTime > ctx.now) return ctx.discard();
  ctx.event('JOB', 'RECURRED_AFTER_BACKOFF', job.key, job.value);
}

/** Driver command: a pushed job could not be delivered to its stream. */
export function jobYield(ctx: ProcessingContext, command: EngineCommand): void {
  const job = ctx.state.jobs.get(command.key);
  if (!job || job.state !== 'ACTIVATED') return ctx.discard();
  ctx.event('JOB', 'YIELDED', job.key, job.value);
}

export interface ActivatedJobBatch {
  readonly jobKeys: bigint[];
  readonly jobs: JobValue[];
}

export function jobBatchActivate(ctx: ProcessingContext, command: EngineCommand): void {
  const request = command.value as JobBatchValue;
  const keys: bigint[] = [];
  const max = Math.max(0, request.maxJobsToActivate);
  // A worker names its tenants (the gateways fill in the default one); it gets only their jobs.
  const tenantIds = request.tenantIds && request.tenantIds.length > 0 ? request.tenantIds : [DEFAULT_TENANT];
  for (const key of ctx.state.jobs.activatableOf(request.type, tenantIds)) {
    if (keys.length >= max) break;
    keys.push(key);
  }
  if (keys.length === 0) {
    ctx.discard();
    ctx.respond(-1n, { jobKeys: [], jobs: [] } satisfies ActivatedJobBatch);
    return;
  }
  const deadline = ctx.now + request.timeout;
  const logged: JobValue[] = [];
  const delivered: JobValue[] = [];
  for (const key of keys) {
    const job = ctx.state.jobs.get(key)!.value;
    const activated = { ...job, worker: request.worker, deadline, timeout: request.timeout };
    logged.push(activated);
    delivered.push({ ...activated, variables: visibleVariables(ctx, job.elementInstanceKey, request.fetchVariables) });
  }
  const batchKey = ctx.nextKey();
  // The log keeps the activation, not a copy of every variable: workers get those in the response.
  ctx.event<'JOB_BATCH', JobBatchValue>('JOB_BATCH', 'ACTIVATED', batchKey, { ...request, jobKeys: keys, jobs: logged, truncated: false });
  ctx.respond(batchKey, { jobKeys: keys, jobs: delivered } satisfies ActivatedJobBatch);
}
