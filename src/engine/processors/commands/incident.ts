import { reopenConditions } from '../../behaviors/conditions.js';
import { continueAfterIncident } from '../../behaviors/transitions.js';
import type { ProcessingContext } from '../../processing/context.js';
import type { EngineCommand } from '../../processing/types.js';

export function incidentResolve(ctx: ProcessingContext, command: EngineCommand): void {
  const incident = ctx.state.incidents.get(command.key);
  if (!incident || !ctx.mayUseTenant(incident.value.tenantId)) {
    ctx.reject('NOT_FOUND', `Expected to resolve incident with key '${command.key}', but no such incident was found`);
    return;
  }
  const { jobKey, elementInstanceKey } = incident.value;
  if (jobKey > 0n) {
    const job = ctx.state.jobs.get(jobKey);
    // Resolving would hand out a job that fails again at once: ask for retries first.
    if (job && (incident.value.errorType === 'JOB_NO_RETRIES' || incident.value.errorType === 'EXECUTION_LISTENER_NO_RETRIES') && job.value.retries <= 0) {
      ctx.reject(
        'INVALID_STATE',
        `Expected to resolve incident with key '${command.key}', but job ${jobKey} has no retries left; update its retries first`,
      );
      return;
    }
    ctx.event('INCIDENT', 'RESOLVED', incident.key, incident.value);
    ctx.respond(incident.key, {});
    return;
  }
  ctx.event('INCIDENT', 'RESOLVED', incident.key, incident.value);
  ctx.respond(incident.key, {});
  const instance = ctx.state.elementInstances.get(elementInstanceKey);
  if (!instance) return;
  // An active element's incident came from one of its conditions: they are evaluated again.
  if (instance.state === 'ACTIVATED') reopenConditions(ctx, instance);
  else continueAfterIncident(ctx, instance);
}
