import type { ServerWritableStream, status, StatusObject } from '@grpc/grpc-js';
import { ERROR_CATALOGUE, isZenError, toZenError } from '../../errors.js';
import type { GrpcLogger, RpcContext } from './types.js';

export type CallStatus = Pick<StatusObject, 'code' | 'details'>;

/**
 * The status a failed call ends with. Only the catalogue decides the code; INTERNAL means a bug,
 * so it is logged with the original stack (the client sees just the message).
 */
export function failureStatus(err: unknown, rpc: string, logger: GrpcLogger): CallStatus {
  const zen = toZenError(err);
  if (zen.code === 'INTERNAL') {
    // pino's err serializer writes the stack; the original error, not the wrapper, has the useful one.
    logger.error({ rpc, err: err instanceof Error ? err : zen }, `${rpc} failed with an internal error`);
  }
  return { code: ERROR_CATALOGUE[zen.code].grpc, details: zen.message };
}

/** For debug logs: the catalogue code name of a failure, without the cost of a stack. */
export function failureCode(err: unknown): string {
  return isZenError(err) ? err.code : 'INTERNAL';
}

export function endWithFailure(ctx: RpcContext, call: ServerWritableStream<unknown, unknown>, rpc: string, err: unknown): void {
  const failure = failureStatus(err, rpc, ctx.logger);
  ctx.logger.debug({ rpc, code: failureCode(err), details: failure.details }, `${rpc} failed`);
  endWithStatus(call, failure.code, failure.details);
}

/** grpc-js turns an 'error' event on a server stream into the call's final status. */
export function endWithStatus(call: ServerWritableStream<unknown, unknown>, code: status, details: string): void {
  if (call.cancelled || call.writableEnded) return;
  call.emit('error', { code, details });
}
