/**
 * ActivateJobs: long polling. The node holds the call until jobs are activated or the request
 * timeout passes; the jobs go back in as few responses as the size limit allows, then the call ends.
 */
import type { ServerWritableStream, UntypedServiceImplementation } from '@grpc/grpc-js';
import type { ActivateJobsRequest as NodeActivateRequest } from '../../node/api.js';
import {
  clampWait,
  decodeInt32,
  decodeInt64,
  decodeJobTimeout,
  decodeRequiredString,
  decodeString,
  decodeStringList,
  decodeTenantIds,
  invalid,
} from './decode.js';
import { batchBySize, encodeJob } from './job-encoding.js';
import { endWithFailure } from './status.js';
import type { RpcContext } from './types.js';
import type { ActivateJobsRequest, ActivateJobsResponse } from './wire.js';

export function activateJobsHandlers(ctx: RpcContext): UntypedServiceImplementation {
  return {
    ActivateJobs: (call: ServerWritableStream<ActivateJobsRequest, ActivateJobsResponse>) => activateJobs(ctx, call),
  };
}

function activateJobs(ctx: RpcContext, call: ServerWritableStream<ActivateJobsRequest, ActivateJobsResponse>): void {
  const rpc = 'ActivateJobs';
  let request: NodeActivateRequest;
  try {
    request = decodeActivate(ctx, call.request);
  } catch (err) {
    endWithFailure(ctx, call, rpc, err);
    return;
  }

  // Client cancellation and server shutdown both end the long poll the same way: the node
  // resolves with no jobs and the call completes normally.
  const poll = new AbortController();
  const stopPolling = () => poll.abort();
  call.on('cancelled', stopPolling);
  const unregister = ctx.longLived.add(stopPolling);
  const started = performance.now();

  void (async () => {
    try {
      const jobs = await ctx.api.activateJobs(request, poll.signal);
      if (call.cancelled) {
        if (jobs.length > 0) {
          ctx.logger.info(
            { rpc, type: request.type, jobs: jobs.map((j) => j.key.toString()) },
            'Jobs were activated for an ActivateJobs call that is gone; handing them back',
          );
          ctx.api.yieldJobs(jobs.map((j) => j.key));
        }
        return;
      }
      // Zeebe writes nothing when no job was activated; clients read an empty stream as no jobs.
      for (const batch of batchBySize(jobs.map(encodeJob), ctx.limits.maxMessageSize)) {
        call.write({ jobs: batch });
      }
      call.end();
      const ms = Math.round(performance.now() - started);
      ctx.logger.debug({ rpc, type: request.type, jobs: jobs.length, ms }, `${rpc} ok`);
    } catch (err) {
      endWithFailure(ctx, call, rpc, err);
    } finally {
      unregister();
      call.off('cancelled', stopPolling);
    }
  })();
}

function decodeActivate(ctx: RpcContext, req: ActivateJobsRequest): NodeActivateRequest {
  const maxJobsToActivate = decodeInt32(req.maxJobsToActivate, 'maxJobsToActivate');
  if (maxJobsToActivate < 1) {
    throw invalid(
      `Property 'maxJobsToActivate' is invalid: expected a value greater than zero, but it was '${maxJobsToActivate}'`,
    );
  }
  // Zeebe: requestTimeout 0 = the gateway's default long-polling timeout, < 0 = no long polling.
  const requestTimeout = decodeInt64(req.requestTimeout, 'requestTimeout');
  const requestTimeoutMs =
    requestTimeout === 0 ? ctx.timeouts.longPollingMs : requestTimeout < 0 ? 0 : clampWait(requestTimeout);
  return {
    type: decodeRequiredString(req.type, 'type'),
    worker: decodeString(req.worker),
    timeoutMs: decodeJobTimeout(req.timeout),
    maxJobsToActivate,
    fetchVariables: decodeStringList(req.fetchVariable, 'fetchVariable'),
    requestTimeoutMs,
    tenantIds: decodeTenantIds(req.tenantIds, 'ActivateJobs', ctx.multiTenancy),
  };
}
