/**
 * StreamActivatedJobs: the node pushes jobs into the call for as long as the client stays. The
 * node's handle is closed however the call ends.
 */
import { Metadata, status, type ServerWritableStream, type UntypedServiceImplementation } from '@grpc/grpc-js';
import type { ActivatedJob, JobStreamHandle, JobStreamRequest } from '../../node/api.js';
import { decodeJobTimeout, decodeRequiredString, decodeString, decodeStringList, decodeTenantIds } from './decode.js';
import { encodeJob, estimateSize } from './job-encoding.js';
import { endWithFailure, endWithStatus } from './status.js';
import type { RpcContext } from './types.js';
import type { ActivatedJobMessage, StreamActivatedJobsRequest } from './wire.js';

/**
 * How much a job stream may hold that HTTP/2 has not taken yet. A burst of jobs fits; a client
 * that stopped reading does not pin more than this.
 */
const STREAM_BUFFER_BYTES = 1024 * 1024;

export function jobStreamHandlers(ctx: RpcContext): UntypedServiceImplementation {
  return {
    StreamActivatedJobs: (call: ServerWritableStream<StreamActivatedJobsRequest, ActivatedJobMessage>) =>
      streamActivatedJobs(ctx, call),
  };
}

function streamActivatedJobs(
  ctx: RpcContext,
  call: ServerWritableStream<StreamActivatedJobsRequest, ActivatedJobMessage>,
): void {
  const rpc = 'StreamActivatedJobs';
  let request: JobStreamRequest;
  try {
    request = {
      type: decodeRequiredString(call.request.type, 'type'),
      worker: decodeString(call.request.worker),
      timeoutMs: decodeJobTimeout(call.request.timeout),
      fetchVariables: decodeStringList(call.request.fetchVariable, 'fetchVariable'),
      tenantIds: decodeTenantIds(call.request.tenantIds, rpc, ctx.multiTenancy),
    };
  } catch (err) {
    endWithFailure(ctx, call, rpc, err);
    return;
  }

  let open = true;
  let handle: JobStreamHandle | null = null;
  const gone = () => call.cancelled || call.destroyed || call.writableEnded;
  const close = () => {
    if (!open) return;
    open = false;
    unregister();
    handle?.close();
    ctx.logger.debug({ rpc, type: request.type }, 'Job stream closed');
  };
  const unregister = ctx.longLived.add(() =>
    endWithStatus(call, status.UNAVAILABLE, 'Zen is shutting down; open the job stream again'),
  );
  for (const event of ['cancelled', 'finish', 'close', 'error']) call.once(event, close);

  let bufferedBytes = 0;
  const sink = {
    ready: (): boolean => open && !gone() && bufferedBytes < STREAM_BUFFER_BYTES,
    // Refusing when the client is not keeping up hands the job back to the node, which makes it
    // activatable for someone else, instead of buffering without bound (Zeebe checks isReady()).
    push: (job: ActivatedJob): boolean => {
      if (!open || gone() || bufferedBytes >= STREAM_BUFFER_BYTES) return false;
      let message: ActivatedJobMessage;
      try {
        message = encodeJob(job);
      } catch (err) {
        // Thrown into the node's push loop it would do harm; the job stays the node's to re-offer.
        ctx.logger.error({ rpc, err, jobKey: job.key.toString() }, 'Cannot encode a job for a job stream');
        return false;
      }
      const size = estimateSize(message);
      bufferedBytes += size;
      call.write(message, () => {
        bufferedBytes -= size;
      });
      return true;
    },
  };
  try {
    handle = ctx.api.openJobStream(request, sink);
  } catch (err) {
    endWithFailure(ctx, call, rpc, err);
    return;
  }
  if (!open) {
    handle.close();
    return;
  }
  // Headers now, so the client knows the stream is registered before the first job arrives.
  call.sendMetadata(new Metadata());
  ctx.logger.debug({ rpc, type: request.type, worker: request.worker }, 'Job stream opened');
}
