/**
 * Errors across the internal service. A ZenError thrown by a handler travels as the gRPC
 * status of its code plus its code name in metadata, and comes back as the same ZenError.
 * A status without that metadata came from the transport, and its meaning depends on whether
 * the request can have reached the other node.
 */
import { Metadata, status, type ServiceError, type StatusObject } from '@grpc/grpc-js';
import { ERROR_CATALOGUE, toZenError, ZenError, type ErrorCode } from '../../errors.js';

const ERROR_CODE_KEY = 'zen-error-code';
const NOT_LEADER_KEY = 'zen-not-leader';

/** The called node does not lead the partition (any more): the command was not run; ask the new leader. */
export class NotLeaderError extends ZenError {
  constructor(
    readonly partitionId: number,
    message = `This node is not the leader of partition ${partitionId}`,
  ) {
    super('UNAVAILABLE', message);
    this.name = 'NotLeaderError';
  }
}

/** No connection to the node could be made, so the request was never sent. */
export class PeerUnreachableError extends ZenError {
  constructor(
    readonly address: string,
    message: string,
  ) {
    super('UNAVAILABLE', message);
    this.name = 'PeerUnreachableError';
  }
}

/** Retrying elsewhere or later cannot run a command twice. */
export function isSafeToRetry(err: unknown): boolean {
  return err instanceof NotLeaderError || err instanceof PeerUnreachableError;
}

export function toServiceStatus(err: unknown): Partial<StatusObject> {
  const zen = toZenError(err);
  const metadata = new Metadata();
  metadata.set(ERROR_CODE_KEY, zen.code);
  if (zen instanceof NotLeaderError) metadata.set(NOT_LEADER_KEY, String(zen.partitionId));
  return { code: ERROR_CATALOGUE[zen.code].grpc, details: zen.message, metadata };
}

const CODE_BY_GRPC = new Map<number, ErrorCode>(
  (Object.entries(ERROR_CATALOGUE) as Array<[ErrorCode, { grpc: number }]>).map(([code, entry]) => [entry.grpc, code]),
);

export interface CallContext {
  readonly address: string;
  readonly rpc: string;
  readonly partitionId?: number;
  readonly timeoutMs: number;
}

export function fromServiceError(err: ServiceError, ctx: CallContext): ZenError {
  const metadata = err.metadata;
  const notLeader = metadata?.get(NOT_LEADER_KEY)[0];
  if (notLeader !== undefined) return new NotLeaderError(Number(notLeader), err.details);
  const code = metadata?.get(ERROR_CODE_KEY)[0];
  if (typeof code === 'string' && code in ERROR_CATALOGUE) return new ZenError(code as ErrorCode, err.details);

  const target = ctx.partitionId === undefined ? `node ${ctx.address}` : `node ${ctx.address} (partition ${ctx.partitionId})`;
  switch (err.code) {
    case status.UNAVAILABLE:
      // grpc-js fails a call with this text when it has no connection to send it on.
      if (/No connection established/.test(err.details)) {
        return new PeerUnreachableError(ctx.address, `Cannot reach ${target} for ${ctx.rpc}: ${err.details}`);
      }
      return new ZenError(
        'UNAVAILABLE',
        `Lost the connection to ${target} during ${ctx.rpc}; the request may or may not have been processed: ${err.details}`,
      );
    case status.DEADLINE_EXCEEDED:
      return new ZenError(
        'DEADLINE_EXCEEDED',
        `${target} did not answer ${ctx.rpc} within ${ctx.timeoutMs} ms; the request may or may not have been processed`,
      );
    case status.CANCELLED:
      return new ZenError('CANCELLED', `${ctx.rpc} to ${target} was cancelled`);
    default: {
      const mapped = CODE_BY_GRPC.get(err.code) ?? 'INTERNAL';
      return new ZenError(mapped, `${ctx.rpc} to ${target} failed: ${err.details}`);
    }
  }
}
