export { ZenTracing, TRACER_NAME, type ZenTracingOptions } from './zen-tracing.js';
export { tracesAtLeast } from './levels.js';
export { otlpTraceExporter } from './otlp-exporter.js';
