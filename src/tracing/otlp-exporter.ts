import { OTLPTraceExporter as JsonTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtobufTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import type { SpanExporter } from '@opentelemetry/sdk-trace-node';
import { ConfigError } from '../config/errors.js';

export const OTLP_PROTOCOLS = ['http/protobuf', 'http/json'] as const;

/**
 * The OTLP exporter OTEL_EXPORTER_OTLP_(TRACES_)PROTOCOL asks for. Endpoints, headers and
 * timeouts are read from the standard variables by the exporter itself. OTLP over gRPC would
 * need another exporter package (and a second gRPC stack next to the gateway's): it is refused
 * at start rather than quietly sent over HTTP to a port that speaks gRPC.
 */
export function otlpTraceExporter(env: NodeJS.ProcessEnv = process.env): SpanExporter {
  const specific = env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL?.trim();
  const variable = specific ? 'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL' : 'OTEL_EXPORTER_OTLP_PROTOCOL';
  const protocol = (specific || env.OTEL_EXPORTER_OTLP_PROTOCOL?.trim() || 'http/protobuf').toLowerCase();
  switch (protocol) {
    case 'http/protobuf':
      return new ProtobufTraceExporter();
    case 'http/json':
      return new JsonTraceExporter();
    case 'grpc':
      throw new ConfigError([
        { message: `${variable}=grpc is not supported: zen exports traces over OTLP/HTTP only; use http/protobuf (the default, port 4318) or http/json` },
      ]);
    default:
      throw new ConfigError([
        { message: `${variable}=${JSON.stringify(protocol)} is not an OTLP protocol zen exports with; use ${OTLP_PROTOCOLS.join(' or ')}` },
      ]);
  }
}
