import { propagation, ROOT_CONTEXT, type Context, type TextMapGetter, type TextMapSetter, type Tracer } from '@opentelemetry/api';
import { detectResources, envDetector, resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, NodeTracerProvider, type SpanProcessor } from '@opentelemetry/sdk-trace-node';
import type { TracingLevel } from '../config/types.js';
import { tracesAtLeast } from './levels.js';
import { otlpTraceExporter } from './otlp-exporter.js';

export interface ZenTracingOptions {
  readonly level: TracingLevel;
  /** Resource service.version. */
  readonly serviceVersion?: string;
  /** Resource service.instance.id, to tell nodes apart. */
  readonly nodeId?: string;
  /** Where finished spans go; default a batch processor with the OTLP exporter the environment names. */
  readonly spanProcessor?: SpanProcessor;
}

export const TRACER_NAME = 'zen';

/**
 * The node's tracing. One tracer per level, each null when the level is below it, so the hot
 * paths ask `tracing.engine` and do nothing more when it is null. At `off` no SDK is created:
 * no provider, no context manager, no exporter — every tracer is null.
 */
export class ZenTracing {
  static readonly OFF = new ZenTracing('off', null);

  readonly api: Tracer | null;
  readonly engine: Tracer | null;
  readonly workers: Tracer | null;
  readonly full: Tracer | null;

  private constructor(
    readonly level: TracingLevel,
    private readonly provider: NodeTracerProvider | null,
  ) {
    const tracer = provider?.getTracer(TRACER_NAME, undefined) ?? null;
    this.api = tracer && tracesAtLeast(level, 'api') ? tracer : null;
    this.engine = tracer && tracesAtLeast(level, 'engine') ? tracer : null;
    this.workers = tracer && tracesAtLeast(level, 'workers') ? tracer : null;
    this.full = tracer && tracesAtLeast(level, 'full') ? tracer : null;
  }

  /** Throws a ConfigError for an OTLP protocol zen cannot export with (grpc). */
  static create(options: ZenTracingOptions): ZenTracing {
    if (options.level === 'off') return ZenTracing.OFF;
    const base: Record<string, string> = { 'service.name': 'zen' };
    if (options.serviceVersion) base['service.version'] = options.serviceVersion;
    if (options.nodeId) base['service.instance.id'] = options.nodeId;
    // OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES override the defaults above.
    const resource = resourceFromAttributes(base).merge(detectResources({ detectors: [envDetector] }));
    const spanProcessor = options.spanProcessor ?? new BatchSpanProcessor(otlpTraceExporter());
    const provider = new NodeTracerProvider({ resource, spanProcessors: [spanProcessor] });
    // The async-local-storage context manager carries a request's span from the API handler
    // to the partition's queue; the W3C propagator reads and writes `traceparent`. Registering
    // twice in one process (tests) keeps the first, which works the same.
    provider.register();
    return new ZenTracing(options.level, provider);
  }

  get enabled(): boolean {
    return this.provider !== null;
  }

  /** The context a caller sent (W3C traceparent/tracestate), or the root context. */
  extract<C>(carrier: C, getter: TextMapGetter<C>): Context {
    return propagation.extract(ROOT_CONTEXT, carrier, getter);
  }

  inject<C>(context: Context, carrier: C, setter: TextMapSetter<C>): void {
    propagation.inject(context, carrier, setter);
  }

  /** Exports what is still buffered. */
  async shutdown(): Promise<void> {
    await this.provider?.shutdown();
  }

  async flush(): Promise<void> {
    await this.provider?.forceFlush();
  }
}
