import type { Attributes, BatchObservableResult, Histogram, ObservableCounter, ObservableGauge } from '@opentelemetry/api';
import { LABEL } from './names.js';

/** The observable counters of the node, shared by every partition. */
export interface PartitionCounters {
  readonly processInstancesCreated: ObservableCounter;
  readonly processInstancesCompleted: ObservableCounter;
  readonly processInstancesTerminated: ObservableCounter;
  readonly elementInstancesActivated: ObservableCounter;
  readonly elementInstanceTransitions: ObservableCounter;
  readonly jobsActivated: ObservableCounter;
  readonly jobsCompleted: ObservableCounter;
  readonly jobsFailed: ObservableCounter;
  readonly jobEvents: ObservableCounter;
  readonly incidentsCreated: ObservableCounter;
  readonly incidentsResolved: ObservableCounter;
  readonly timersCreated: ObservableCounter;
  readonly timersTriggered: ObservableCounter;
  readonly timersCanceled: ObservableCounter;
  readonly messagesPublished: ObservableCounter;
  readonly messagesCorrelated: ObservableCounter;
  readonly messagesExpired: ObservableCounter;
  readonly commandsProcessed: ObservableCounter;
  readonly commandsRejected: ObservableCounter;
  readonly recordsWritten: ObservableCounter;
}

export type CounterId = keyof PartitionCounters;

/**
 * Label names beyond `partition`, per counter. Every value must come from a small fixed set
 * (record value types, BPMN element types, job types of the deployed models), never from
 * keys or variables: each distinct value is a series for as long as the node runs.
 */
export const COUNTER_LABELS: { readonly [id in CounterId]?: readonly string[] } = {
  elementInstanceTransitions: [LABEL.elementType, LABEL.transition],
  jobEvents: [LABEL.jobType, LABEL.action],
  commandsProcessed: [LABEL.valueType],
  commandsRejected: [LABEL.rejectionType],
};

/** The per-partition gauges, read from the leader's state at scrape time. */
export interface PartitionGauges {
  readonly processInstancesActive: ObservableGauge;
  readonly incidentsActive: ObservableGauge;
  readonly jobsActivatable: ObservableGauge;
  readonly timersPending: ObservableGauge;
  readonly timersDue: ObservableGauge;
  readonly partitionBacklog: ObservableGauge;
}

/** What the leading partition reports when scraped; cheap to build (sizes of indexes). */
export interface PartitionSnapshot {
  readonly processInstancesActive: number;
  readonly incidentsActive: number;
  readonly timersPending: number;
  /** Timers whose due date has passed (by the engine clock) and that have not fired yet. */
  readonly timersDue: number;
  readonly backlogCommands: number;
  /** Activatable jobs per job type. */
  readonly jobsActivatable: ReadonlyMap<string, number>;
}

export interface PartitionHistograms {
  readonly batchCommitDuration: Histogram;
  readonly batchSize: Histogram;
}

interface Cell {
  readonly counter: CounterId;
  readonly attributes: Attributes;
  value: number;
}

const SEPARATOR = '\u0000';

function cellKey(counter: CounterId, labelValues: readonly string[]): string {
  return labelValues.length === 0 ? counter : counter + SEPARATOR + labelValues.join(SEPARATOR);
}

/**
 * The counts one batch adds, kept until the batch is durable: what a batch that never commits
 * did must not be counted. Built while the batch is processed (the records themselves are
 * released before the write), applied with `PartitionMetrics.commit`.
 */
export class RecordTally {
  readonly counts = new Map<string, { readonly counter: CounterId; readonly labelValues: readonly string[]; n: number }>();

  add(counter: CounterId, labelValues: readonly string[] = [], n = 1): void {
    const key = cellKey(counter, labelValues);
    const entry = this.counts.get(key);
    if (entry) entry.n += n;
    else this.counts.set(key, { counter, labelValues, n });
  }

  get isEmpty(): boolean {
    return this.counts.size === 0;
  }
}

/**
 * The hot-path face of the metrics for one partition. Counts are plain numbers that the
 * collector reads when Prometheus scrapes (observable counters), so an increment is a map
 * lookup and an addition. Histograms are recorded once per group commit through OTel with an
 * attribute object built once here. Gauges come from the snapshot of whichever Partition
 * leads here (`attach`); without one they read 0, so summing over nodes gives the leader's.
 *
 * Counts must be non-negative; they are not checked, to keep the calls free.
 */
export class PartitionMetrics {
  readonly attributes: Attributes;
  private readonly cells = new Map<string, Cell>();
  private snapshot: (() => PartitionSnapshot) | null = null;
  /** Job types ever reported as activatable: they read 0 once none is left, not their last value. */
  private readonly jobTypes = new Map<string, Attributes>();

  constructor(
    readonly partitionId: number,
    private readonly histograms: PartitionHistograms,
    counters: readonly CounterId[] = [],
  ) {
    this.attributes = Object.freeze({ [LABEL.partition]: String(partitionId) });
    // Unlabelled counters are exported from 0, so rate() has a start point before the first event.
    for (const counter of counters) if (!COUNTER_LABELS[counter]) this.cell(counter, []);
  }

  add(counter: CounterId, labelValues: readonly string[] = [], n = 1): void {
    (this.cells.get(cellKey(counter, labelValues)) ?? this.cell(counter, labelValues)).value += n;
  }

  /** A durable batch's counts. */
  commit(tally: RecordTally): void {
    for (const { counter, labelValues, n } of tally.counts.values()) this.add(counter, labelValues, n);
  }

  processInstanceCreated(count = 1): void {
    this.add('processInstancesCreated', [], count);
  }

  processInstanceCompleted(count = 1): void {
    this.add('processInstancesCompleted', [], count);
  }

  /** Element instances activated (every element, the process included): a measure of the work a model is. */
  elementInstanceActivated(count = 1): void {
    this.add('elementInstancesActivated', [], count);
  }

  jobsActivated(count = 1): void {
    this.add('jobsActivated', [], count);
  }

  jobCompleted(count = 1): void {
    this.add('jobsCompleted', [], count);
  }

  jobFailed(count = 1): void {
    this.add('jobsFailed', [], count);
  }

  incidentCreated(count = 1): void {
    this.add('incidentsCreated', [], count);
  }

  /** `valueType` as the record stream names it (PROCESS_INSTANCE_CREATION, JOB, …). */
  commandProcessed(valueType: string, count = 1): void {
    this.add('commandsProcessed', [valueType], count);
  }

  /** `rejectionType` as the record stream names it (INVALID_ARGUMENT, NOT_FOUND, INVALID_STATE, …). */
  commandRejected(rejectionType: string, count = 1): void {
    this.add('commandsRejected', [rejectionType], count);
  }

  /** Once per group commit, after the batch is durable. */
  batchCommitted(durationSeconds: number, commandCount: number): void {
    this.histograms.batchCommitDuration.record(durationSeconds, this.attributes);
    this.histograms.batchSize.record(commandCount, this.attributes);
  }

  /** The leading partition's state gauges; returns the detach function (gauges go back to 0). */
  attach(snapshot: () => PartitionSnapshot): () => void {
    this.snapshot = snapshot;
    return () => {
      if (this.snapshot === snapshot) this.snapshot = null;
    };
  }

  /** Called by the collector on each scrape. */
  report(result: BatchObservableResult, counters: PartitionCounters, gauges: PartitionGauges): void {
    for (const cell of this.cells.values()) result.observe(counters[cell.counter], cell.value, cell.attributes);
    const s = this.snapshot?.() ?? null;
    const a = this.attributes;
    result.observe(gauges.processInstancesActive, s?.processInstancesActive ?? 0, a);
    result.observe(gauges.incidentsActive, s?.incidentsActive ?? 0, a);
    result.observe(gauges.timersPending, s?.timersPending ?? 0, a);
    result.observe(gauges.timersDue, s?.timersDue ?? 0, a);
    result.observe(gauges.partitionBacklog, s?.backlogCommands ?? 0, a);
    if (s) {
      for (const type of s.jobsActivatable.keys()) {
        if (!this.jobTypes.has(type)) this.jobTypes.set(type, Object.freeze({ ...a, [LABEL.jobType]: type }));
      }
    }
    for (const [type, attributes] of this.jobTypes) result.observe(gauges.jobsActivatable, s?.jobsActivatable.get(type) ?? 0, attributes);
  }

  private cell(counter: CounterId, labelValues: readonly string[]): Cell {
    const names = COUNTER_LABELS[counter] ?? [];
    const attributes: Attributes = { ...this.attributes };
    names.forEach((name, i) => (attributes[name] = labelValues[i] ?? ''));
    const cell: Cell = { counter, attributes: Object.freeze(attributes), value: 0 };
    this.cells.set(cellKey(counter, labelValues), cell);
    return cell;
  }
}
