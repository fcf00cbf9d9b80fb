import {
  status as grpcStatus,
  type handleServerStreamingCall,
  type handleUnaryCall,
  type MethodDefinition,
  type ServiceDefinition,
  type UntypedServiceImplementation,
} from '@grpc/grpc-js';
import { context, SpanKind, SpanStatusCode, trace, type Span, type Tracer } from '@opentelemetry/api';
import { metadataGetter, splitMethodPath } from './grpc-metadata.js';
import type { ZenTracing } from './zen-tracing.js';

/** gRPC status codes that are the server's fault (OpenTelemetry's rule for server spans). */
const SERVER_ERRORS: ReadonlySet<number> = new Set([
  grpcStatus.UNKNOWN,
  grpcStatus.DEADLINE_EXCEEDED,
  grpcStatus.UNIMPLEMENTED,
  grpcStatus.INTERNAL,
  grpcStatus.UNAVAILABLE,
  grpcStatus.DATA_LOSS,
]);

/**
 * Ends an RPC span with the call's status code, once (streams can report several endings).
 * A server span fails only on codes that are the server's fault; a client span on any but OK.
 */
export function endRpcSpan(span: Span, code: number, message?: string, client = false): void {
  if (!span.isRecording()) return;
  span.setAttribute('rpc.grpc.status_code', code);
  if (client ? code !== grpcStatus.OK : SERVER_ERRORS.has(code)) span.setStatus({ code: SpanStatusCode.ERROR, message });
  span.end();
}

function statusCodeOf(err: unknown): number {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'number' ? code : grpcStatus.UNKNOWN;
}

/**
 * A SERVER span around every call of `service` (OpenTelemetry's RPC conventions: named
 * `package.Service/Method`, rpc.system grpc), child of the caller's `traceparent` if it sent
 * one. The handler runs in the span's context, so whatever it starts (a partition command, a
 * call to another node) is a child of it.
 */
export function traceServerCalls(
  service: ServiceDefinition,
  implementation: UntypedServiceImplementation,
  tracing: ZenTracing,
  tracer: Tracer,
): UntypedServiceImplementation {
  const traced: UntypedServiceImplementation = {};
  for (const [rpc, handler] of Object.entries(implementation)) {
    const method = (service as Record<string, MethodDefinition<unknown, unknown> | undefined>)[rpc];
    if (!method || method.requestStream) {
      traced[rpc] = handler;
      continue;
    }
    const names = splitMethodPath(method.path);
    const spanName = `${names.service}/${names.method}`;
    const attributes = { 'rpc.system': 'grpc', 'rpc.service': names.service, 'rpc.method': names.method };
    const start = (metadata: Parameters<typeof metadataGetter.keys>[0]) => {
      const parent = tracing.extract(metadata, metadataGetter);
      const span = tracer.startSpan(spanName, { kind: SpanKind.SERVER, attributes }, parent);
      return { span, spanContext: trace.setSpan(parent, span) };
    };
    if (method.responseStream) {
      const inner = handler as handleServerStreamingCall<unknown, unknown>;
      const wrapped: handleServerStreamingCall<unknown, unknown> = (call) => {
        const { span, spanContext } = start(call.metadata);
        call.once('finish', () => endRpcSpan(span, grpcStatus.OK));
        call.once('cancelled', () => endRpcSpan(span, grpcStatus.CANCELLED));
        call.once('error', (err: unknown) => endRpcSpan(span, statusCodeOf(err), (err as Error | null)?.message));
        context.with(spanContext, () => inner(call));
      };
      traced[rpc] = wrapped;
    } else {
      const inner = handler as handleUnaryCall<unknown, unknown>;
      const wrapped: handleUnaryCall<unknown, unknown> = (call, callback) => {
        const { span, spanContext } = start(call.metadata);
        call.once('cancelled', () => endRpcSpan(span, grpcStatus.CANCELLED));
        context.with(spanContext, () =>
          inner(call, (err, ...rest) => {
            if (err) endRpcSpan(span, statusCodeOf(err), err.details ?? (err as Error).message);
            else endRpcSpan(span, grpcStatus.OK);
            callback(err, ...rest);
          }),
        );
      };
      traced[rpc] = wrapped;
    }
  }
  return traced;
}
