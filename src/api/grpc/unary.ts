import type { handleUnaryCall, ServerUnaryCall } from '@grpc/grpc-js';
import { failureCode, failureStatus } from './status.js';
import type { RpcContext } from './types.js';

/**
 * Adapts a promise-returning RPC body to grpc-js: decoding errors thrown synchronously and
 * rejections alike become the catalogue's status, and every call leaves one debug line.
 */
export function unary<Req, Res>(
  ctx: RpcContext,
  rpc: string,
  body: (request: Req, call: ServerUnaryCall<Req, Res>) => Promise<Res>,
): handleUnaryCall<Req, Res> {
  return (call, callback) => {
    const started = performance.now();
    const elapsedMs = () => Math.round(performance.now() - started);
    let result: Promise<Res>;
    try {
      result = body(call.request, call);
    } catch (err) {
      result = Promise.reject(err);
    }
    result.then(
      (response) => {
        ctx.logger.debug({ rpc, ms: elapsedMs() }, `${rpc} ok`);
        callback(null, response);
      },
      (err: unknown) => {
        const status = failureStatus(err, rpc, ctx.logger);
        ctx.logger.debug({ rpc, ms: elapsedMs(), code: failureCode(err), details: status.details }, `${rpc} failed`);
        callback(status);
      },
    );
  };
}
