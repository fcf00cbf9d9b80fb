import type { FastifyReply } from 'fastify';
import type { ActivateJobsRequest, JobResult } from '../../../node/api.js';
import { ZenError } from '../../../errors.js';
import { decodeChanges } from './user-tasks.js';
import {
  clampWait,
  decodeBoolean,
  decodeDuration,
  describeJson,
  decodeInteger,
  decodeKey,
  decodeRequiredString,
  decodeString,
  decodeStringList,
  decodeTenantIds,
  decodeVariables,
  invalid,
} from '../decode.js';
import { encodeJob } from '../encode.js';
import { camundaDocs, type PathParam, type RouteGroup } from '../route.js';
import { REQUEST_SCHEMAS } from '../schemas.js';
import type { RestContext } from '../types.js';

type Body = Record<string, unknown>;

const jobKeyParam = (description: string): PathParam[] => [{ name: 'jobKey', description }];
const jobKey = (params: unknown) => decodeKey((params as Record<string, unknown>).jobKey, 'jobKey');

export const jobRoutes: RouteGroup = {
  name: 'jobs',
  routes: [
    {
      method: 'POST',
      path: '/jobs/activation',
      operationId: 'activateJobs',
      summary: 'Activate jobs',
      description:
        'Activates up to maxJobsToActivate jobs of a type. Long polling: when no job is available the request ' +
        'is held until one is, or until requestTimeout passes (then the answer is an empty list).',
      tag: 'Job',
      camundaDocs: camundaDocs('activate-jobs'),
      body: {
        contentType: 'application/json',
        schemaName: 'JobActivationRequest',
        schema: REQUEST_SCHEMAS.JobActivationRequest,
        required: true,
      },
      success: { status: 200, description: 'The activated jobs.', schemaName: 'JobActivationResult' },
      errors: [400, 503],
      handler: async (ctx, request, reply) => {
        const jobs = await activate(ctx, decodeActivation(ctx, request.body as Body), reply);
        return { jobs };
      },
    },
    {
      method: 'POST',
      path: '/jobs/{jobKey}/completion',
      operationId: 'completeJob',
      summary: 'Complete job',
      description:
        'Completes a job with the given variables, which completes the associated service task. A task listener job ' +
        "is completed with a 'userTask' result instead: denied refuses the user task's transition, corrections change it.",
      tag: 'Job',
      camundaDocs: camundaDocs('complete-job'),
      pathParams: jobKeyParam('The key of the job to complete.'),
      body: {
        contentType: 'application/json',
        schemaName: 'JobCompletionRequest',
        schema: REQUEST_SCHEMAS.JobCompletionRequest,
        required: false,
      },
      success: { status: 204, description: 'The job was completed.' },
      errors: [400, 404, 409, 501, 503],
      handler: async (ctx, request) => {
        const body = request.body as Body;
        const key = jobKey(request.params);
        await ctx.api.completeJob(key, decodeVariables(body.variables), decodeJobResult(body.result));
        return undefined;
      },
    },
    {
      method: 'POST',
      path: '/jobs/{jobKey}/failure',
      operationId: 'failJob',
      summary: 'Fail job',
      description:
        'Marks a job as failed. With retries left it can be activated again (after retryBackOff); ' +
        'with none left an incident is raised.',
      tag: 'Job',
      camundaDocs: camundaDocs('fail-job'),
      pathParams: jobKeyParam('The key of the job to fail.'),
      body: {
        contentType: 'application/json',
        schemaName: 'JobFailRequest',
        schema: REQUEST_SCHEMAS.JobFailRequest,
        required: false,
      },
      success: { status: 204, description: 'The job is failed.' },
      errors: [400, 404, 409, 503],
      handler: async (ctx, request) => {
        const body = request.body as Body;
        await ctx.api.failJob({
          jobKey: jobKey(request.params),
          // 0 or less is legal: it raises an incident instead of retrying.
          retries: decodeInteger(body.retries, 'retries', 0),
          errorMessage: decodeString(body.errorMessage, 'errorMessage'),
          retryBackOffMs: decodeDuration(body.retryBackOff, 'retryBackOff'),
          variables: decodeVariables(body.variables),
        });
        return undefined;
      },
    },
    {
      method: 'POST',
      path: '/jobs/{jobKey}/error',
      operationId: 'throwJobError',
      summary: 'Throw error for job',
      description: 'Reports a business error for a job, to be caught by an error event with a matching errorCode.',
      tag: 'Job',
      camundaDocs: camundaDocs('throw-error-for-job'),
      pathParams: jobKeyParam('The key of the job.'),
      body: {
        contentType: 'application/json',
        schemaName: 'JobErrorRequest',
        schema: REQUEST_SCHEMAS.JobErrorRequest,
        required: true,
      },
      success: { status: 204, description: 'An error is thrown for the job.' },
      errors: [400, 404, 409, 503],
      handler: async (ctx, request) => {
        const body = request.body as Body;
        await ctx.api.throwError({
          jobKey: jobKey(request.params),
          errorCode: decodeRequiredString(body.errorCode, 'errorCode'),
          errorMessage: decodeString(body.errorMessage, 'errorMessage'),
          variables: decodeVariables(body.variables),
        });
        return undefined;
      },
    },
    {
      method: 'PATCH',
      path: '/jobs/{jobKey}',
      operationId: 'updateJob',
      summary: 'Update job',
      description: "Changes a job's retries and/or activation timeout.",
      tag: 'Job',
      camundaDocs: camundaDocs('update-job'),
      pathParams: jobKeyParam('The key of the job to update.'),
      body: {
        contentType: 'application/json',
        schemaName: 'JobUpdateRequest',
        schema: REQUEST_SCHEMAS.JobUpdateRequest,
        required: true,
      },
      success: { status: 204, description: 'The job was updated.' },
      errors: [400, 404, 409, 503],
      handler: async (ctx, request) => {
        const key = jobKey(request.params);
        const changeset = (request.body as Body).changeset as Body;
        const hasRetries = changeset.retries !== undefined && changeset.retries !== null;
        const hasTimeout = changeset.timeout !== undefined && changeset.timeout !== null;
        if (!hasRetries && !hasTimeout) {
          throw invalid("Property 'changeset' is invalid: expected 'retries' or 'timeout' to be given, but none was");
        }
        const retries = hasRetries ? decodeInteger(changeset.retries, 'changeset.retries', 0) : null;
        if (retries !== null && retries < 1) {
          throw invalid(`Property 'changeset.retries' is invalid: expected retries greater than 0, but it was ${retries}`);
        }
        const timeoutMs = hasTimeout ? decodeDuration(changeset.timeout, 'changeset.timeout') : null;
        // Two node commands, not one: with both set, retries change even if the timeout update is rejected.
        if (retries !== null) await ctx.api.updateJobRetries(key, retries);
        if (timeoutMs !== null) await ctx.api.updateJobTimeout(key, timeoutMs);
        return undefined;
      },
    },
  ],
};

/** A task listener's result (type userTask); the ad-hoc sub-process kind is not supported yet. */
function decodeJobResult(value: unknown): JobResult | undefined {
  if (value === undefined || value === null) return undefined;
  const result = value as Body;
  if (result.type === 'adHocSubProcess') throw new ZenError('UNIMPLEMENTED', "Complete job with an 'adHocSubProcess' result is not supported by Zen yet");
  if (result.type !== 'userTask') throw invalid(`Property 'result.type' is invalid: expected 'userTask', but it was ${describeJson(result.type)}`);
  return {
    denied: decodeBoolean(result.denied, 'result.denied'),
    deniedReason: decodeString(result.deniedReason, 'result.deniedReason'),
    corrections: decodeChanges((result.corrections ?? {}) as Body, 'result.corrections'),
  };
}

function decodeActivation(ctx: RestContext, body: Body): ActivateJobsRequest {
  const maxJobsToActivate = decodeInteger(body.maxJobsToActivate, 'maxJobsToActivate', 0);
  if (maxJobsToActivate < 1) {
    throw invalid(
      `Property 'maxJobsToActivate' is invalid: expected a value greater than zero, but it was ${maxJobsToActivate}`,
    );
  }
  const timeoutMs = decodeInteger(body.timeout, 'timeout', 0);
  if (timeoutMs < 1) {
    throw invalid(`Property 'timeout' is invalid: expected a job timeout greater than zero, but it was ${timeoutMs}`);
  }
  // Camunda: requestTimeout 0 = the server's default long-polling timeout, < 0 = no long polling.
  const requestTimeout = decodeInteger(body.requestTimeout, 'requestTimeout', 0);
  const requestTimeoutMs =
    requestTimeout === 0 ? ctx.timeouts.longPollingMs : requestTimeout < 0 ? 0 : clampWait(requestTimeout);
  return {
    type: decodeRequiredString(body.type, 'type'),
    worker: decodeString(body.worker, 'worker'),
    timeoutMs,
    maxJobsToActivate,
    fetchVariables: decodeStringList(body.fetchVariable, 'fetchVariable'),
    requestTimeoutMs,
    tenantIds: decodeTenantIds(body.tenantIds, 'Activate jobs', ctx.multiTenancy),
  };
}

/**
 * Long polling. The client going away and the server closing both end the poll the same way:
 * the node resolves with no jobs. Jobs activated for a client that is gone are handed back, so
 * they are activatable again at once.
 */
async function activate(ctx: RestContext, request: ActivateJobsRequest, reply: FastifyReply) {
  const poll = new AbortController();
  let clientGone = false;
  const onClose = () => {
    if (!reply.raw.writableFinished) {
      clientGone = true;
      poll.abort();
    }
  };
  reply.raw.on('close', onClose);
  const unregister = ctx.longPolls.add(() => poll.abort());
  try {
    const jobs = await ctx.api.activateJobs(request, poll.signal);
    if (clientGone && jobs.length > 0) {
      ctx.logger.info(
        { operation: 'activateJobs', type: request.type, jobs: jobs.map((j) => j.key.toString()) },
        'Jobs were activated for a REST request whose client is gone; handing them back',
      );
      ctx.api.yieldJobs(jobs.map((j) => j.key));
    }
    return jobs.map(encodeJob);
  } finally {
    unregister();
    reply.raw.off('close', onClose);
  }
}
