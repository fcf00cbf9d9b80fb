import type { Expression } from '../../feel/expression.js';
import {
  HEADER_ASSIGNEE,
  HEADER_CANDIDATE_GROUPS,
  HEADER_CANDIDATE_USERS,
  HEADER_DUE_DATE,
  HEADER_FOLLOW_UP_DATE,
} from '../../model/tasks.js';
import type { ExecutableElement, JobDefinition } from '../../model/types.js';
import type { ProcessingContext } from '../processing/context.js';
import type { JobValue, Variables } from '../records.js';
import type { ElementInstance } from '../state/types.js';
import { type Evaluated, evalOptionalDateTime, evalString, evalStringList } from './expressions.js';
import { jobKeyOf } from '../state/element-instances.js';

/**
 * The job's headers: the static ones from the model plus the user-task properties written as
 * FEEL, which the compiler could not turn into headers.
 */
export function jobHeaders(job: JobDefinition, vars: () => Variables, now: number): Evaluated<Record<string, string>> {
  const headers: Record<string, string> = { ...job.headers };
  const userTask = job.userTask;
  if (!userTask) return { ok: true, value: headers };
  const properties: Array<[string, Expression | null, string, (expr: Expression) => Evaluated<string | null>]> = [
    [HEADER_ASSIGNEE, userTask.assignee, 'the assignee', (expr) => evalString(expr, vars(), now)],
    [HEADER_CANDIDATE_GROUPS, userTask.candidateGroups, 'the candidate groups', (expr) => asJson(evalStringList(expr, vars(), now))],
    [HEADER_CANDIDATE_USERS, userTask.candidateUsers, 'the candidate users', (expr) => asJson(evalStringList(expr, vars(), now))],
    [HEADER_DUE_DATE, userTask.dueDate, 'the due date', (expr) => asIso(evalOptionalDateTime(expr, vars(), now))],
    [HEADER_FOLLOW_UP_DATE, userTask.followUpDate, 'the follow-up date', (expr) => asIso(evalOptionalDateTime(expr, vars(), now))],
  ];
  for (const [header, expression, what, evaluate] of properties) {
    if (expression?.kind !== 'feel') continue;
    const result = evaluate(expression);
    if (!result.ok) return { ok: false, message: `failed to evaluate ${what}: ${result.message}` };
    if (result.value !== null) headers[header] = result.value;
  }
  return { ok: true, value: headers };
}

function asJson(result: Evaluated<string[]>): Evaluated<string> {
  return result.ok ? { ok: true, value: JSON.stringify(result.value) } : result;
}

function asIso(result: Evaluated<number | null>): Evaluated<string | null> {
  if (!result.ok) return result;
  return { ok: true, value: result.value === null ? null : new Date(result.value).toISOString() };
}

export function createJob(
  ctx: ProcessingContext,
  instance: ElementInstance,
  element: ExecutableElement,
  type: string,
  retries: number,
  headers: Readonly<Record<string, string>> = element.job!.headers,
  /** A listener's job: what it is for (a task's own job has neither). */
  listener?: Pick<JobValue, 'jobKind' | 'jobListenerEventType'>,
): void {
  const v = instance.value;
  const value: JobValue = {
    type,
    worker: '',
    retries,
    retryBackoff: 0,
    recurringTime: -1,
    deadline: -1,
    timeout: 0,
    errorMessage: '',
    errorCode: '',
    customHeaders: { ...headers },
    variables: {},
    processInstanceKey: v.processInstanceKey,
    bpmnProcessId: v.bpmnProcessId,
    processDefinitionVersion: v.version,
    processDefinitionKey: v.processDefinitionKey,
    elementId: v.elementId,
    elementInstanceKey: instance.key,
    tenantId: v.tenantId,
    ...listener,
  };
  ctx.event('JOB', 'CREATED', ctx.nextKey(), value);
}

export function cancelJob(ctx: ProcessingContext, instance: ElementInstance): void {
  const jobKey = jobKeyOf(instance);
  if (jobKey <= 0n) return;
  const job = ctx.state.jobs.get(jobKey);
  if (job) ctx.event('JOB', 'CANCELED', job.key, job.value);
}
