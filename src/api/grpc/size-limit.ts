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
}

/** The cap handed to grpc-js: room above maxMessageSize for the check below to report. */
export function transportLimit(maxMessageSize: number): number {
  return maxMessageSize * 2;
}

export function limitRequestSize(
  service: ServiceDefinition,
  implementation: UntypedServiceImplementation,
  maxMessageSize: number,
): { service: ServiceDefinition; implementation: UntypedServiceImplementation } {
  const limitedService: Record<string, MethodDefinition<unknown, unknown>> = {};
  const limitedImplementation: UntypedServiceImplementation = {};
  for (const [rpc, method] of Object.entries(service) as [string, MethodDefinition<unknown, unknown>][]) {
    limitedService[rpc] = {
      ...method,
      requestDeserialize: (bytes: Buffer) =>
        bytes.length > maxMessageSize ? ({ [OVERSIZED]: bytes.length } satisfies Oversized) : decodeOrMark(method.requestDeserialize, bytes),
    };
    const handler = implementation[rpc];
    if (!handler) continue;
    limitedImplementation[rpc] = guard(method, handler, maxMessageSize);
  }
  return { service: limitedService as ServiceDefinition, implementation: limitedImplementation };
}

function guard(method: MethodDefinition<unknown, unknown>, handler: unknown, maxMessageSize: number): UntypedServiceImplementation[string] {
  const oversized = (size: number) => ({
    code: status.RESOURCE_EXHAUSTED,
    details: `Request of ${size} bytes is larger than the limit of ${maxMessageSize} bytes (maxMessageSize)`,
  });
  const undecodable = (reason: string) => ({
    code: status.INVALID_ARGUMENT,
    details: `Request is not a valid ${method.path.split('/').pop()} request message: ${reason}`,
  });
  const refusal = (request: unknown) => {
    const size = oversizedBy(request);
    if (size !== null) return oversized(size);
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

function oversizedBy(request: unknown): number | null {
  return typeof request === 'object' && request !== null && OVERSIZED in request ? (request as Oversized)[OVERSIZED] : null;
}
