import {
  status,
  type handleServerStreamingCall,
  type handleUnaryCall,
  type MethodDefinition,
  type ServiceDefinition,
  type UntypedServiceImplementation,
} from '@grpc/grpc-js';

import { decodeOrMark, undecodableReason } from './undecodable.js';

/**
 * Enforces maxMessageSize on requests with an error that names the limit. grpc-js's own check
 * only says "larger than max (a vs b)", so its transport cap is set above ours (see
 * `transportLimit`) and the size is checked here, on the decompressed bytes, before decoding.
 * Requests beyond the transport cap still get grpc-js's message: they never reach us. Requests
 * that do not decode are refused here too (undecodable.ts).
 */
const OVERSIZED = Symbol('oversized request');

interface Oversized {
  readonly [OVERSIZED]: number;
  /** The limit in force when the request was read. */
  readonly limit: number;
}

/** The cap handed to grpc-js: room above maxMessageSize for the check below to report. */
export function transportLimit(maxMessageSize: number): number {
  return maxMessageSize * 2;
}

/** `maxMessageSize` as a function is read at every request: the limit can change while the server runs. */
export function limitRequestSize(
  service: ServiceDefinition,
  implementation: UntypedServiceImplementation,
  maxMessageSize: number | (() => number),
): { service: ServiceDefinition; implementation: UntypedServiceImplementation } {
  const limit = typeof maxMessageSize === 'function' ? maxMessageSize : () => maxMessageSize;
  const limitedService: Record<string, MethodDefinition<unknown, unknown>> = {};
  const limitedImplementation: UntypedServiceImplementation = {};
  for (const [rpc, method] of Object.entries(service) as [string, MethodDefinition<unknown, unknown>][]) {
    limitedService[rpc] = {
      ...method,
      requestDeserialize: (bytes: Buffer) =>
        bytes.length > limit() ? ({ [OVERSIZED]: bytes.length, limit: limit() } satisfies Oversized) : decodeOrMark(method.requestDeserialize, bytes),
    };
    const handler = implementation[rpc];
    if (!handler) continue;
    limitedImplementation[rpc] = guard(method, handler);
  }
  return { service: limitedService as ServiceDefinition, implementation: limitedImplementation };
}

function guard(method: MethodDefinition<unknown, unknown>, handler: unknown): UntypedServiceImplementation[string] {
  const oversized = ({ [OVERSIZED]: size, limit }: Oversized) => ({
    code: status.RESOURCE_EXHAUSTED,
    details: `Request of ${size} bytes is larger than the limit of ${limit} bytes (maxMessageSize)`,
  });
  const undecodable = (reason: string) => ({
    code: status.INVALID_ARGUMENT,
    details: `Request is not a valid ${method.path.split('/').pop()} request message: ${reason}`,
  });
  const refusal = (request: unknown) => {
    const over = oversizedBy(request);
    if (over !== null) return oversized(over);
    const reason = undecodableReason(request);
    return reason === null ? null : undecodable(reason);
  };
  if (method.requestStream) return handler as UntypedServiceImplementation[string];
  if (method.responseStream) {
    const inner = handler as handleServerStreamingCall<unknown, unknown>;
    const wrapped: handleServerStreamingCall<unknown, unknown> = (call) => {
      const refused = refusal(call.request);
      if (refused === null) return inner(call);
      call.emit('error', refused);
    };
    return wrapped;
  }
  const inner = handler as handleUnaryCall<unknown, unknown>;
  const wrapped: handleUnaryCall<unknown, unknown> = (call, callback) => {
    const refused = refusal(call.request);
    if (refused === null) return inner(call, callback);
    callback(refused);
  };
  return wrapped;
}

function oversizedBy(request: unknown): Oversized | null {
  return typeof request === 'object' && request !== null && OVERSIZED in request ? (request as Oversized) : null;
}
