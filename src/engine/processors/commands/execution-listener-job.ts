/**
 * JOB COMPLETE of an execution listener's job: its variables are merged (a start listener's into
 * the element's own scope, an end listener's into the element's flow scope, as Zeebe's
 * COMPLETE_EXECUTION_LISTENER does), then the next listener runs or the element goes on, in the
 * same command.
 */
import { continueAfterListener } from '../../behaviors/transitions.js';
import { setLocalVariables } from '../../behaviors/variables.js';
import type { ProcessingContext } from '../../processing/context.js';
import type { EngineCommand } from '../../processing/types.js';
import type { JobValue } from '../../records.js';
import type { JobRow } from '../../state/types.js';

export function completeExecutionListenerJob(ctx: ProcessingContext, command: EngineCommand, job: JobRow): void {
  if (command.value.result !== undefined && command.value.result !== null) {
    ctx.reject('INVALID_ARGUMENT', `Expected to complete job with key '${job.key}' with a result, but only task listener jobs take a result`);
    return;
  }
  const variables = (command.value.variables ?? {}) as Record<string, unknown>;
  ctx.event<'JOB', JobValue>('JOB', 'COMPLETED', job.key, { ...job.value, variables });
  ctx.respond(job.key, {});
  const instance = ctx.state.elementInstances.get(job.value.elementInstanceKey);
  if (!instance) return;
  if (Object.keys(variables).length > 0) {
    const toFlowScope = job.value.jobListenerEventType === 'END' && instance.value.flowScopeKey > 0n;
    setLocalVariables(ctx, toFlowScope ? instance.value.flowScopeKey : instance.key, variables);
  }
  continueAfterListener(ctx, ctx.state.elementInstances.get(instance.key)!);
}
