import {
  status,
  type handleServerStreamingCall,
  type handleUnaryCall,
  type ServiceDefinition,
  type UntypedHandleCall,
  type UntypedServiceImplementation,
} from '@grpc/grpc-js';

/**
 * Handlers for every RPC of the service that Zen does not serve, so clients get a message that
 * names the RPC instead of grpc-js's generic one.
 */
export function unimplementedHandlers(
  service: ServiceDefinition,
  implemented: UntypedServiceImplementation,
): UntypedServiceImplementation {
  const handlers: UntypedServiceImplementation = {};
  for (const [rpc, method] of Object.entries(service)) {
    if (rpc in implemented) continue;
    handlers[rpc] = unsupported(method.responseStream, {
      code: status.UNIMPLEMENTED,
      details: `${rpc} is not supported by Zen yet`,
    });
  }
  return handlers;
}

function unsupported(responseStream: boolean, failure: { code: status; details: string }): UntypedHandleCall {
  if (responseStream) {
    const handler: handleServerStreamingCall<unknown, unknown> = (call) => call.emit('error', failure);
    return handler;
  }
  const handler: handleUnaryCall<unknown, unknown> = (_call, callback) => callback(failure);
  return handler;
}
