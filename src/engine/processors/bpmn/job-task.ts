import { closeSubscriptions, subscribeToWaitingEvents } from '../../behaviors/event-subscriptions.js';
import { evalInteger, evalString } from '../../behaviors/expressions.js';
import { raiseIncident } from '../../behaviors/incidents.js';
import { applyOutputMappings } from '../../behaviors/io-mappings.js';
import { cancelJob, createJob, jobHeaders } from '../../behaviors/jobs.js';
import { toActivated, toCompleted } from '../../behaviors/transitions.js';
import { visibleVariables } from '../../behaviors/variables.js';
import type { Variables } from '../../records.js';
import { elementProcessor } from './element-processor.js';

/**
 * Service, send, business rule, script (with a task definition) and user tasks: the work is
 * done by a job worker; the task completes when its job does.
 */
export const jobTaskProcessor = elementProcessor({
  activate(ctx, instance, element, model) {
    let vars: Variables | null = null;
    const context = () => (vars ??= visibleVariables(ctx, instance.key));
    const job = element.job!;
    const type = evalString(job.type, job.type.kind === 'feel' ? context() : {}, ctx.now);
    if (!type.ok) {
      raiseIncident(ctx, instance, 'EXTRACT_VALUE_ERROR', `Element '${element.id}': failed to evaluate the job type: ${type.message}`);
      return;
    }
    const retries = evalInteger(job.retries, job.retries.kind === 'feel' ? context() : {}, ctx.now);
    if (!retries.ok) {
      raiseIncident(ctx, instance, 'EXTRACT_VALUE_ERROR', `Element '${element.id}': failed to evaluate the job retries: ${retries.message}`);
      return;
    }
    const headers = jobHeaders(job, context, ctx.now);
    if (!headers.ok) {
      raiseIncident(ctx, instance, 'EXTRACT_VALUE_ERROR', `Element '${element.id}': ${headers.message}`);
      return;
    }
    if (!subscribeToWaitingEvents(ctx, instance, element, model, context)) return;
    toActivated(ctx, instance);
    createJob(ctx, instance, element, type.value, retries.value, headers.value);
  },
  complete(ctx, instance, element, model) {
    closeSubscriptions(ctx, instance);
    if (!applyOutputMappings(ctx, instance, element)) return;
    toCompleted(ctx, instance, model, element.outgoing);
  },
  terminate(ctx, instance) {
    cancelJob(ctx, instance);
    closeSubscriptions(ctx, instance);
  },
});
