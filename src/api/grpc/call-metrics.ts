import {
  status,
  type handleServerStreamingCall,
  type handleUnaryCall,
  type ServiceDefinition,
  type UntypedServiceImplementation,
} from '@grpc/grpc-js';
import type { ApiMetrics } from '../../metrics/api-metrics.js';

function codeName(code: number | undefined): string {
  return code === undefined ? 'UNKNOWN' : (status[code] ?? String(code));
}

/**
 * Wraps every handler so that each call is counted once when it ends, with its status code
 * and duration. Server streams (ActivateJobs, StreamActivatedJobs) end with `finish` (OK), an
 * emitted status (`error`) or the client going away (CANCELLED).
 */
export function instrumentCalls(
  service: ServiceDefinition,
  implementation: UntypedServiceImplementation,
  metrics: Pick<ApiMetrics, 'grpc'>,
): UntypedServiceImplementation {
  const out: UntypedServiceImplementation = {};
  for (const [rpc, handler] of Object.entries(implementation)) {
    const method = service[rpc];
    if (!method || method.requestStream) {
      out[rpc] = handler;
      continue;
    }
    if (method.responseStream) {
      const inner = handler as handleServerStreamingCall<unknown, unknown>;
      const wrapped: handleServerStreamingCall<unknown, unknown> = (call) => {
        const started = performance.now();
        let done = false;
        const end = (code: string) => {
          if (done) return;
          done = true;
          metrics.grpc(rpc, code, (performance.now() - started) / 1000);
        };
        call.once('finish', () => end('OK'));
        call.once('error', (err: { code?: number }) => end(codeName(err?.code)));
        call.once('cancelled', () => end('CANCELLED'));
        inner(call);
      };
      out[rpc] = wrapped;
      continue;
    }
    const inner = handler as handleUnaryCall<unknown, unknown>;
    const wrapped: handleUnaryCall<unknown, unknown> = (call, callback) => {
      const started = performance.now();
      inner(call, (err, value, ...rest) => {
        metrics.grpc(rpc, err ? codeName(err.code) : 'OK', (performance.now() - started) / 1000);
        callback(err, value, ...rest);
      });
    };
    out[rpc] = wrapped;
  }
  return out;
}
