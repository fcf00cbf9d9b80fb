import type { Attributes, BatchObservableResult, Histogram, ObservableCounter } from '@opentelemetry/api';
import { LABEL } from './names.js';

interface Cell {
  readonly attributes: Attributes;
  value: number;
}

/** The observable counters of the node, shared by every partition. */
export interface PartitionCounters {
  readonly processInstancesCreated: ObservableCounter;
  readonly processInstancesCompleted: ObservableCounter;
  readonly elementInstancesActivated: ObservableCounter;
  readonly jobsActivated: ObservableCounter;
  readonly jobsCompleted: ObservableCounter;
  readonly jobsFailed: ObservableCounter;
  readonly incidentsCreated: ObservableCounter;
  readonly commandsProcessed: ObservableCounter;
  readonly commandsRejected: ObservableCounter;
}

export interface PartitionHistograms {
  readonly batchCommitDuration: Histogram;
  readonly batchSize: Histogram;
}

/**
 * The hot-path face of the metrics for one partition. Counts are plain numbers that the
 * collector reads when Prometheus scrapes (observable counters), so an increment is one
 * addition: no attribute hashing, no allocation. Histograms are recorded once per group commit
 * through OTel with an attribute object built once here.
 *
 * Counts must be non-negative; they are not checked, to keep the calls free.
 */
export class PartitionMetrics {
  readonly attributes: Attributes;
  private instancesCreated = 0;
  private instancesCompleted = 0;
  private elementsActivated = 0;
  private jobsActivatedCount = 0;
  private jobsCompletedCount = 0;
  private jobsFailedCount = 0;
  private incidentsCreatedCount = 0;
  // Keyed by value type / rejection type: both are small fixed enums in the engine, which
  // bounds the label cardinality. Never pass free text (element ids, job types) here.
  private readonly processed = new Map<string, Cell>();
  private readonly rejected = new Map<string, Cell>();

  constructor(
    readonly partitionId: number,
    private readonly histograms: PartitionHistograms,
  ) {
    this.attributes = Object.freeze({ [LABEL.partition]: String(partitionId) });
  }

  processInstanceCreated(count = 1): void {
    this.instancesCreated += count;
  }

  processInstanceCompleted(count = 1): void {
    this.instancesCompleted += count;
  }

  /** Element instances activated (every element, the process included): a measure of the work a model is. */
  elementInstanceActivated(count = 1): void {
    this.elementsActivated += count;
  }

  jobsActivated(count = 1): void {
    this.jobsActivatedCount += count;
  }

  jobCompleted(count = 1): void {
    this.jobsCompletedCount += count;
  }

  jobFailed(count = 1): void {
    this.jobsFailedCount += count;
  }

  incidentCreated(count = 1): void {
    this.incidentsCreatedCount += count;
  }

  /** `valueType` as the record stream names it (PROCESS_INSTANCE_CREATION, JOB, …). */
  commandProcessed(valueType: string, count = 1): void {
    (this.processed.get(valueType) ?? this.addCell(this.processed, LABEL.valueType, valueType)).value += count;
  }

  /** `rejectionType` as the record stream names it (INVALID_ARGUMENT, NOT_FOUND, INVALID_STATE, …). */
  commandRejected(rejectionType: string, count = 1): void {
    (this.rejected.get(rejectionType) ?? this.addCell(this.rejected, LABEL.rejectionType, rejectionType)).value += count;
  }

  /** Once per group commit, after the batch is durable. */
  batchCommitted(durationSeconds: number, commandCount: number): void {
    this.histograms.batchCommitDuration.record(durationSeconds, this.attributes);
    this.histograms.batchSize.record(commandCount, this.attributes);
  }

  /** Called by the collector on each scrape. */
  report(result: BatchObservableResult, counters: PartitionCounters): void {
    const a = this.attributes;
    result.observe(counters.processInstancesCreated, this.instancesCreated, a);
    result.observe(counters.processInstancesCompleted, this.instancesCompleted, a);
    result.observe(counters.elementInstancesActivated, this.elementsActivated, a);
    result.observe(counters.jobsActivated, this.jobsActivatedCount, a);
    result.observe(counters.jobsCompleted, this.jobsCompletedCount, a);
    result.observe(counters.jobsFailed, this.jobsFailedCount, a);
    result.observe(counters.incidentsCreated, this.incidentsCreatedCount, a);
    for (const cell of this.processed.values()) result.observe(counters.commandsProcessed, cell.value, cell.attributes);
    for (const cell of this.rejected.values()) result.observe(counters.commandsRejected, cell.value, cell.attributes);
  }

  private addCell(cells: Map<string, Cell>, label: string, key: string): Cell {
    const cell: Cell = { attributes: Object.freeze({ ...this.attributes, [label]: key }), value: 0 };
    cells.set(key, cell);
    return cell;
  }
}
