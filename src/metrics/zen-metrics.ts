import type { Attributes, BatchObservableResult, Meter } from '@opentelemetry/api';
import { PrometheusExporter, PrometheusSerializer } from '@opentelemetry/exporter-prometheus';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { GaugeRegistry, type GaugeObserver } from './gauges.js';
import {
  BATCH_SIZE_BUCKETS,
  COMMIT_DURATION_BUCKETS,
  LABEL,
  METRIC,
  PARTITION_ROLE_VALUE,
} from './names.js';
import { PartitionMetrics, type CounterId, type PartitionCounters, type PartitionGauges, type PartitionHistograms } from './partition-metrics.js';

/** A node's role in a partition, as topology and metrics name it. */
export type PartitionRole = 'LEADER' | 'FOLLOWER' | 'INACTIVE';

export interface ZenMetricsOptions {
  /** Reported in target_info as service_version. */
  readonly serviceVersion?: string;
  /** Reported in target_info as service_instance_id, to tell nodes apart. */
  readonly nodeId?: string;
  /** Observer callbacks that threw during a scrape; the scrape still answers with the rest. */
  readonly onCollectErrors?: (errors: readonly unknown[]) => void;
}

export interface PartitionStatus {
  readonly role: PartitionRole;
  readonly ready: boolean;
}

/**
 * All metrics of one node, created once at start. Hot paths hold a PartitionMetrics from
 * `partition(id)`; other components add observable gauges with `registerGauge`. Nothing here
 * listens on a port: the system API serves `collectPrometheus()`.
 */
export class ZenMetrics {
  private readonly provider: MeterProvider;
  private readonly reader: PrometheusExporter;
  private readonly serializer: PrometheusSerializer;
  private readonly meter: Meter;
  private readonly counters: PartitionCounters;
  private readonly histograms: PartitionHistograms;
  private readonly partitionGauges: PartitionGauges;
  private readonly partitions = new Map<number, PartitionMetrics>();
  private readonly gauges: GaugeRegistry;

  constructor(private readonly options: ZenMetricsOptions = {}) {
    // A pull reader only: the exporter's own HTTP server stays off and we serialize on demand.
    this.reader = new PrometheusExporter({ preventServerStart: true });
    // Scope labels (otel_scope_name=…) would be added to every series; one meter makes them noise.
    this.serializer = new PrometheusSerializer(undefined, false, undefined, false, true);
    const resource: Attributes = { 'service.name': 'zen' };
    if (options.serviceVersion) resource['service.version'] = options.serviceVersion;
    if (options.nodeId) resource['service.instance.id'] = options.nodeId;
    this.provider = new MeterProvider({ resource: resourceFromAttributes(resource), readers: [this.reader] });
    this.meter = this.provider.getMeter('zen');

    const counter = (name: string, description: string) => this.meter.createObservableCounter(name, { description });
    this.counters = {
      processInstancesCreated: counter(METRIC.processInstancesCreated, 'Process instances created (started)'),
      processInstancesCompleted: counter(METRIC.processInstancesCompleted, 'Process instances completed'),
      processInstancesTerminated: counter(METRIC.processInstancesTerminated, 'Process instances terminated (canceled)'),
      elementInstancesActivated: counter(METRIC.elementInstancesActivated, 'Element instances activated (every BPMN element, the process included)'),
      elementInstanceTransitions: counter(METRIC.elementInstanceTransitions, 'Element instances that reached a state (activated, completed, terminated), by BPMN element type'),
      jobsActivated: counter(METRIC.jobsActivated, 'Jobs activated (polled or pushed to a worker)'),
      jobsCompleted: counter(METRIC.jobsCompleted, 'Jobs completed by workers'),
      jobsFailed: counter(METRIC.jobsFailed, 'Jobs failed by workers'),
      jobEvents: counter(METRIC.jobEvents, 'Job state changes (created, activated, completed, failed, timed_out, error_thrown, canceled), by job type'),
      incidentsCreated: counter(METRIC.incidentsCreated, 'Incidents created'),
      incidentsResolved: counter(METRIC.incidentsResolved, 'Incidents resolved'),
      timersCreated: counter(METRIC.timersCreated, 'Timers created'),
      timersTriggered: counter(METRIC.timersTriggered, 'Timers triggered'),
      timersCanceled: counter(METRIC.timersCanceled, 'Timers canceled before they fired'),
      messagesPublished: counter(METRIC.messagesPublished, 'Messages published'),
      messagesCorrelated: counter(METRIC.messagesCorrelated, 'Messages correlated to a waiting element or a message start event'),
      messagesExpired: counter(METRIC.messagesExpired, 'Messages expired (time to live over) and deleted'),
      commandsProcessed: counter(METRIC.commandsProcessed, 'Commands processed, by value type'),
      recordsWritten: counter(METRIC.recordsWritten, 'Records written to the partition log (commands, events and rejections)'),
      commandsRejected: counter(METRIC.commandsRejected, 'Commands rejected, by rejection type'),
    };
    const gauge = (name: string, description: string) => this.meter.createObservableGauge(name, { description });
    this.partitionGauges = {
      processInstancesActive: gauge(METRIC.processInstancesActive, 'Process instances in the partition state (leader only)'),
      incidentsActive: gauge(METRIC.incidentsActive, 'Unresolved incidents (leader only)'),
      jobsActivatable: gauge(METRIC.jobsActivatable, 'Jobs a worker could activate now, by job type (leader only)'),
      timersPending: gauge(METRIC.timersPending, 'Timers created and not yet triggered or canceled (leader only)'),
      timersDue: gauge(METRIC.timersDue, 'Timers past their due date and not yet triggered (leader only): timer lag'),
      partitionBacklog: gauge(METRIC.partitionBacklog, 'Commands queued and not yet processed (leader only)'),
    };
    this.meter.addBatchObservableCallback(
      (result: BatchObservableResult) => {
        for (const partition of this.partitions.values()) partition.report(result, this.counters, this.partitionGauges);
      },
      [...Object.values(this.counters), ...Object.values(this.partitionGauges)],
    );

    this.histograms = {
      batchCommitDuration: this.meter.createHistogram(METRIC.batchCommitDuration, {
        description: 'Time to process and durably commit one batch of commands, in seconds',
        advice: { explicitBucketBoundaries: [...COMMIT_DURATION_BUCKETS] },
      }),
      batchSize: this.meter.createHistogram(METRIC.batchSize, {
        description: 'Commands per committed batch',
        advice: { explicitBucketBoundaries: [...BATCH_SIZE_BUCKETS] },
      }),
    };

    // Gauges other components feed through registerGauge; every other name is taken.
    const taken = new Set<string>(Object.values(METRIC));
    for (const gaugeName of [METRIC.partitionRole, METRIC.partitionReady, METRIC.pendingRequests, METRIC.heapUsed, METRIC.residentMemory]) taken.delete(gaugeName);
    for (const name of [METRIC.eventLoopDelayMean, METRIC.eventLoopDelayP99, METRIC.eventLoopDelayMax]) taken.delete(name);
    this.gauges = new GaugeRegistry(this.meter, taken);
  }

  /**
   * A histogram outside the per-partition set (e.g. etcd request latency). Returns the
   * recording function; attribute objects should be created once by the caller.
   */
  histogram(name: string, description: string, buckets: readonly number[]): (value: number, attributes?: Attributes) => void {
    const histogram = this.meter.createHistogram(name, { description, advice: { explicitBucketBoundaries: [...buckets] } });
    return (value, attributes) => histogram.record(value, attributes);
  }

  /** A monotonic counter outside the per-partition set (e.g. bytes appended to etcd). Returns the adding function. */
  counter(name: string, description: string): (value: number, attributes?: Attributes) => void {
    const counter = this.meter.createCounter(name, { description });
    return (value, attributes) => counter.add(value, attributes);
  }

  /** The partition's hot-path recorder; the same object for the same id. */
  partition(partitionId: number): PartitionMetrics {
    let metrics = this.partitions.get(partitionId);
    if (!metrics) {
      metrics = new PartitionMetrics(partitionId, this.histograms, Object.keys(this.counters) as CounterId[]);
      this.partitions.set(partitionId, metrics);
    }
    return metrics;
  }

  /**
   * Adds an observer to the gauge `name` (created on first use). Observers run on each scrape
   * and must be quick. Returns a function that removes the observer.
   *
   * OTel's cumulative storage keeps exporting the last value of a series nobody observes any
   * more, so removing an observer does not remove its series. A partition that leaves this
   * node should keep reporting INACTIVE / not ready rather than unregister.
   */
  registerGauge(name: string, description: string, observer: GaugeObserver): () => void {
    return this.gauges.register(name, description, observer);
  }

  /** Reports zen_partition_role and zen_partition_ready for one partition from `status()`. */
  observePartition(partitionId: number, status: () => PartitionStatus): () => void {
    const attributes = Object.freeze({ [LABEL.partition]: String(partitionId) });
    const unregisterRole = this.registerGauge(
      METRIC.partitionRole,
      'Role of this node for the partition: 0 inactive, 1 follower, 2 leader',
      (result) => result.observe(PARTITION_ROLE_VALUE[status().role], attributes),
    );
    const unregisterReady = this.registerGauge(
      METRIC.partitionReady,
      'Whether the partition is ready to serve on this node (1) or not (0)',
      (result) => result.observe(status().ready ? 1 : 0, attributes),
    );
    return () => {
      unregisterRole();
      unregisterReady();
    };
  }

  /** Reports zen_pending_requests: requests accepted but not yet answered. */
  observePendingRequests(count: () => number, attributes?: Attributes): () => void {
    const frozen = attributes ? Object.freeze({ ...attributes }) : undefined;
    return this.registerGauge(METRIC.pendingRequests, 'Requests accepted and not yet answered', (result) =>
      result.observe(count(), frozen),
    );
  }

  /** Current values in Prometheus text format 0.0.4. */
  async collectPrometheus(): Promise<string> {
    const { resourceMetrics, errors } = await this.reader.collect();
    if (errors.length > 0) this.options.onCollectErrors?.(errors);
    return this.serializer.serialize(resourceMetrics);
  }

  async shutdown(): Promise<void> {
    await this.provider.shutdown();
  }
}
