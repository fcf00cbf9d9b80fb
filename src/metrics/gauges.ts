import type { Meter, ObservableGauge, ObservableResult } from '@opentelemetry/api';

/** Receives one gauge's measurements during a scrape: `result.observe(value, attributes)`. */
export type GaugeObserver = (result: ObservableResult) => void;

interface RegisteredGauge {
  readonly description: string;
  readonly gauge: ObservableGauge;
  readonly observers: Set<GaugeObserver>;
}

const PROMETHEUS_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/**
 * Observable gauges that several owners feed: each partition registers its own observer under
 * the same name, so the name maps to one OTel instrument with a set of observers behind it.
 */
export class GaugeRegistry {
  private readonly gauges = new Map<string, RegisteredGauge>();

  constructor(
    private readonly meter: Meter,
    private readonly reservedNames: ReadonlySet<string>,
  ) {}

  register(name: string, description: string, observer: GaugeObserver): () => void {
    if (!PROMETHEUS_NAME.test(name)) throw new Error(`Gauge name ${JSON.stringify(name)} is not a valid Prometheus name`);
    if (this.reservedNames.has(name)) throw new Error(`Gauge name ${name} is already used by a non-gauge metric`);
    let entry = this.gauges.get(name);
    if (!entry) {
      const observers = new Set<GaugeObserver>();
      const gauge = this.meter.createObservableGauge(name, { description });
      gauge.addCallback((result) => {
        for (const observe of observers) observe(result);
      });
      entry = { description, gauge, observers };
      this.gauges.set(name, entry);
    } else if (entry.description !== description) {
      throw new Error(`Gauge ${name} is already registered with another description`);
    }
    const observers = entry.observers;
    observers.add(observer);
    return () => void observers.delete(observer);
  }
}
