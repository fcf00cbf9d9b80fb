import { INVALID_SPAN_CONTEXT, propagation, ROOT_CONTEXT, trace, type Context, type Span, type TextMapGetter, type TextMapSetter, type Tracer } from '@opentelemetry/api';
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
  /**
   * The level may change while the node runs (`setLevel`, ADR 016): the SDK is then made on
   * the first level above off, and the API layers ask for a `switchable` tracer.
   */
  readonly changeable?: boolean;
}

export const TRACER_NAME = 'zen';

/**
 * The node's tracing. One tracer per level, each null when the level is below it, so the hot
 * paths ask `tracing.engine` and do nothing more when it is null. At `off` no SDK is created:
 * no provider, no context manager, no exporter — every tracer is null.
 */
export class ZenTracing {
  static readonly OFF = new ZenTracing('off', null, null);

  private tracer: Tracer | null;

  private constructor(
    private currentLevel: TracingLevel,
    private provider: NodeTracerProvider | null,
    /** Set when the level may change: what a provider made later is made from. */
    private readonly options: ZenTracingOptions | null,
  ) {
    this.tracer = provider?.getTracer(TRACER_NAME, undefined) ?? null;
  }

  get level(): TracingLevel {
    return this.currentLevel;
  }

  get api(): Tracer | null {
    return this.tracer && tracesAtLeast(this.currentLevel, 'api') ? this.tracer : null;
  }

  get engine(): Tracer | null {
    return this.tracer && tracesAtLeast(this.currentLevel, 'engine') ? this.tracer : null;
  }

  get workers(): Tracer | null {
    return this.tracer && tracesAtLeast(this.currentLevel, 'workers') ? this.tracer : null;
  }

  get full(): Tracer | null {
    return this.tracer && tracesAtLeast(this.currentLevel, 'full') ? this.tracer : null;
  }

  get changeable(): boolean {
    return this.options !== null;
  }

  /** Throws a ConfigError for an OTLP protocol zen cannot export with (grpc). */
  static create(options: ZenTracingOptions): ZenTracing {
    if (options.changeable) {
      const tracing = new ZenTracing('off', null, options);
      tracing.setLevel(options.level);
      return tracing;
    }
    if (options.level === 'off') return ZenTracing.OFF;
    return new ZenTracing(options.level, ZenTracing.makeProvider(options), null);
  }

  private static makeProvider(options: ZenTracingOptions): NodeTracerProvider {
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
    return provider;
  }

  /**
   * Changes the level (a changeable instance only). The SDK is made on the first level above
   * off and kept when the level goes back to off: spans are then simply not started.
   */
  setLevel(level: TracingLevel): void {
    if (!this.options) throw new Error('This tracing was created with a fixed level');
    if (level !== 'off' && !this.provider) {
      this.provider = ZenTracing.makeProvider(this.options);
      this.tracer = this.provider.getTracer(TRACER_NAME, undefined);
    }
    this.currentLevel = level;
  }

  /**
   * For layers built once that must follow the level: a tracer that starts real spans while
   * the level is at least `wanted` and non-recording ones below it. Null when the level is
   * fixed below `wanted` (then nothing is traced, at no cost).
   */
  switchable(wanted: Exclude<TracingLevel, 'off'>): Tracer | null {
    if (!this.options) return this[wanted];
    const current = (): Tracer | null => (this.tracer && tracesAtLeast(this.currentLevel, wanted) ? this.tracer : null);
    const idle = (): Span => trace.wrapSpanContext(INVALID_SPAN_CONTEXT);
    return {
      startSpan: (name, options, ctx) => current()?.startSpan(name, options, ctx) ?? idle(),
      startActiveSpan: ((name: string, ...rest: unknown[]) => {
        const tracer = current();
        if (tracer) return (tracer.startActiveSpan as (...a: unknown[]) => unknown)(name, ...rest);
        const fn = rest[rest.length - 1] as (span: Span) => unknown;
        return fn(idle());
      }) as Tracer['startActiveSpan'],
    };
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
