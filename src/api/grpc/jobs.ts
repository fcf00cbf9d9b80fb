import type { UntypedServiceImplementation } from '@grpc/grpc-js';
import {
  decodeDuration,
  decodeInt32,
  decodeKey,
  decodeRequiredString,
  decodeString,
  decodeVariables,
  invalid,
} from './decode.js';
import type { RpcContext } from './types.js';
import { unary } from './unary.js';
import type {
  CompleteJobRequest,
  Empty,
  FailJobRequest,
  ThrowErrorRequest,
  UpdateJobRetriesRequest,
  UpdateJobTimeoutRequest,
} from './wire.js';

/** The unary job commands; activation lives in activate-jobs.ts and job-stream.ts. */
export function jobHandlers(ctx: RpcContext): UntypedServiceImplementation {
  return {
    CompleteJob: unary<CompleteJobRequest, Empty>(ctx, 'CompleteJob', async (req) => {
      await ctx.api.completeJob(decodeKey(req.jobKey, 'jobKey'), decodeVariables(req.variables));
      return {};
    }),

    FailJob: unary<FailJobRequest, Empty>(ctx, 'FailJob', async (req) => {
      await ctx.api.failJob({
        jobKey: decodeKey(req.jobKey, 'jobKey'),
        // 0 or less is legal: it raises an incident instead of retrying.
        retries: decodeInt32(req.retries, 'retries'),
        errorMessage: decodeString(req.errorMessage),
        retryBackOffMs: decodeDuration(req.retryBackOff, 'retryBackOff'),
        variables: decodeVariables(req.variables),
      });
      return {};
    }),

    ThrowError: unary<ThrowErrorRequest, Empty>(ctx, 'ThrowError', async (req) => {
      await ctx.api.throwError({
        jobKey: decodeKey(req.jobKey, 'jobKey'),
        errorCode: decodeRequiredString(req.errorCode, 'errorCode'),
        errorMessage: decodeString(req.errorMessage),
        variables: decodeVariables(req.variables),
      });
      return {};
    }),

    UpdateJobRetries: unary<UpdateJobRetriesRequest, Empty>(ctx, 'UpdateJobRetries', async (req) => {
      const retries = decodeInt32(req.retries, 'retries');
      if (retries < 1) {
        throw invalid(`Property 'retries' is invalid: expected retries greater than 0, but it was '${retries}'`);
      }
      await ctx.api.updateJobRetries(decodeKey(req.jobKey, 'jobKey'), retries);
      return {};
    }),

    UpdateJobTimeout: unary<UpdateJobTimeoutRequest, Empty>(ctx, 'UpdateJobTimeout', async (req) => {
      await ctx.api.updateJobTimeout(decodeKey(req.jobKey, 'jobKey'), decodeDuration(req.timeout, 'timeout'));
      return {};
    }),
  };
}
