import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Context, type Span, type Tracer } from '@opentelemetry/api';
import type { CommandResponse, EngineCommand } from '../engine/processing/types.js';
import type { JobBatchValue, JobValue, ProcessInstanceValue, ZenRecord } from '../engine/records.js';
import type { ZenTracing } from './zen-tracing.js';

/** Job events after which the worker no longer holds the job: its span ends. */
const JOB_RELEASED: ReadonlySet<string> = new Set(['COMPLETED', 'FAILED', 'ERROR_THROWN', 'TIMED_OUT', 'CANCELED', 'YIELDED']);
const ELEMENT_ENDED: ReadonlySet<string> = new Set(['ELEMENT_COMPLETED', 'ELEMENT_TERMINATED']);
/** Rejections that say the partition failed, not that the command was wrong. */
const FAILURES: ReadonlySet<string> = new Set(['PROCESSING_ERROR', 'UNKNOWN_OUTCOME']);
/**
 * Spans kept open per partition, for jobs and for element instances each. Beyond it new ones
 * are not started: a backlog of millions of waiting instances must not become a leak.
 */
export const MAX_OPEN_SPANS = 100_000;

/**
 * The spans of one partition leader: a span per command from enqueue to its answer (level
 * `engine`); a span per job from its activation to completion, failure or time-out, linked
 * both ways to the commands that ended it (`workers`); a span per element instance from
 * ELEMENT_ACTIVATING to ELEMENT_COMPLETED or ELEMENT_TERMINATED (`full`). Jobs and elements
 * are read from the records once they are committed: the engine itself knows nothing of it.
 * What a previous leader started is not continued here (its spans were never exported).
 */
export class PartitionSpans {
  private readonly jobs = new Map<bigint, Span>();
  private readonly elements = new Map<bigint, Span>();
  private readonly workers: Tracer | null;
  private readonly full: Tracer | null;

  private constructor(
    private readonly partitionId: number,
    private readonly engine: Tracer,
    tracing: ZenTracing,
  ) {
    this.workers = tracing.workers;
    this.full = tracing.full;
  }

  /** Null below level `engine`: the partition then does nothing for tracing at all. */
  static create(partitionId: number, tracing: ZenTracing | undefined): PartitionSpans | null {
    return tracing?.engine ? new PartitionSpans(partitionId, tracing.engine, tracing) : null;
  }

  /** Whether committed records are wanted at all (levels workers and full). */
  get followsRecords(): boolean {
    return this.workers !== null || this.full !== null;
  }

  /** A record `committed` will look at: keep it (and only those) until the batch is durable. */
  wants(record: ZenRecord): boolean {
    if (record.recordType !== 'EVENT') return false;
    if (this.workers && (record.valueType === 'JOB_BATCH' || (record.valueType === 'JOB' && JOB_RELEASED.has(record.intent)))) return true;
    return this.full !== null && record.valueType === 'PROCESS_INSTANCE' && (record.intent === 'ELEMENT_ACTIVATING' || ELEMENT_ENDED.has(record.intent));
  }

  commandEnqueued(command: Pick<EngineCommand, 'valueType' | 'intent' | 'key'>, parent: Context): Span {
    return this.engine.startSpan(
      `command ${command.valueType} ${command.intent}`,
      {
        kind: SpanKind.INTERNAL,
        attributes: {
          'zen.partition.id': this.partitionId,
          'zen.command.value_type': command.valueType,
          'zen.command.intent': command.intent,
          ...(command.key >= 0n ? { 'zen.command.key': command.key.toString() } : {}),
        },
      },
      parent,
    );
  }

  /** The command's batch is durable and its answer goes out (null: nobody waits for one). */
  commandAnswered(span: Span, response: CommandResponse | null, batchSize: number): void {
    span.setAttribute('zen.batch.size', batchSize);
    if (response && !response.ok) this.rejected(span, response.rejectionType, response.reason);
    span.end();
  }

  /** The command was never committed (leadership lost, a failed write, shutdown). */
  commandAbandoned(span: Span, rejectionType: string, reason: string): void {
    this.rejected(span, rejectionType, reason);
    span.setStatus({ code: SpanStatusCode.ERROR, message: reason });
    span.end();
  }

  /**
   * Records of a durable batch (those `wants` kept), each with the span of the command that
   * wrote it. `startTime`: when the batch was processed (epoch ms), the start of what began in it.
   */
  committed(records: readonly ZenRecord[], causes: readonly Span[], startTime: number): void {
    for (let i = 0; i < records.length; i++) {
      const record = records[i]!;
      const cause = causes[i]!;
      if (record.valueType === 'JOB_BATCH') this.jobsActivated(record as ZenRecord<JobBatchValue>, cause, startTime);
      else if (record.valueType === 'JOB') this.jobReleased(record as ZenRecord<JobValue>, cause);
      else if (record.intent === 'ELEMENT_ACTIVATING') this.elementActivating(record as ZenRecord<ProcessInstanceValue>, cause, startTime);
      else this.elementEnded(record as ZenRecord<ProcessInstanceValue>, cause);
    }
  }

  /** The partition stops leading: open spans are dropped unexported (the next leader cannot end them). */
  close(): void {
    this.jobs.clear();
    this.elements.clear();
  }

  private rejected(span: Span, rejectionType: string, reason: string): void {
    span.setAttribute('zen.command.rejection_type', rejectionType);
    if (FAILURES.has(rejectionType)) span.setStatus({ code: SpanStatusCode.ERROR, message: reason });
  }

  private jobsActivated(record: ZenRecord<JobBatchValue>, cause: Span, startTime: number): void {
    const { value } = record;
    const parent = trace.setSpan(ROOT_CONTEXT, cause);
    for (let j = 0; j < value.jobKeys.length; j++) {
      if (this.jobs.size >= MAX_OPEN_SPANS) return;
      const key = value.jobKeys[j]!;
      const job = value.jobs[j];
      const span = this.workers!.startSpan(
        `job ${value.type}`,
        {
          kind: SpanKind.INTERNAL,
          startTime,
          attributes: {
            'zen.partition.id': this.partitionId,
            'zen.job.key': key.toString(),
            'zen.job.type': value.type,
            'zen.job.worker': value.worker,
            ...(job
              ? {
                  'zen.job.retries': job.retries,
                  'zen.process_instance.key': job.processInstanceKey.toString(),
                  'zen.element.id': job.elementId,
                  'zen.element_instance.key': job.elementInstanceKey.toString(),
                  'zen.bpmn_process_id': job.bpmnProcessId,
                }
              : {}),
          },
        },
        parent,
      );
      // A job activated again (its span never ended, e.g. after a lost leadership) starts over.
      this.jobs.get(key)?.end();
      this.jobs.set(key, span);
    }
  }

  private jobReleased(record: ZenRecord<JobValue>, cause: Span): void {
    const span = this.jobs.get(record.key);
    if (!span) return;
    this.jobs.delete(record.key);
    // Both ways: the job's span names the command that ended it, and that command's span (in
    // the worker's trace) the activation it answers.
    span.addLink({ context: cause.spanContext(), attributes: { 'zen.link': 'released by' } });
    cause.addLink({ context: span.spanContext(), attributes: { 'zen.link': 'job activation', 'zen.job.key': record.key.toString() } });
    span.setAttribute('zen.job.outcome', record.intent);
    if (record.intent === 'FAILED' || record.intent === 'ERROR_THROWN') {
      span.setAttribute('zen.job.retries_left', record.value.retries);
      if (record.value.errorMessage) span.setAttribute('zen.job.error_message', record.value.errorMessage);
    }
    span.end();
  }

  private elementActivating(record: ZenRecord<ProcessInstanceValue>, cause: Span, startTime: number): void {
    if (this.elements.size >= MAX_OPEN_SPANS) return;
    const { value } = record;
    const scope =
      this.elements.get(value.flowScopeKey) ??
      (value.parentElementInstanceKey >= 0n ? this.elements.get(value.parentElementInstanceKey) : undefined) ??
      cause;
    const span = this.full!.startSpan(
      `${value.bpmnElementType} ${value.elementId}`,
      {
        kind: SpanKind.INTERNAL,
        startTime,
        attributes: {
          'zen.partition.id': this.partitionId,
          'zen.element_instance.key': record.key.toString(),
          'zen.element.id': value.elementId,
          'zen.element.type': value.bpmnElementType,
          'zen.process_instance.key': value.processInstanceKey.toString(),
          'zen.process_definition.key': value.processDefinitionKey.toString(),
          'zen.bpmn_process_id': value.bpmnProcessId,
        },
      },
      trace.setSpan(ROOT_CONTEXT, scope),
    );
    this.elements.set(record.key, span);
  }

  private elementEnded(record: ZenRecord<ProcessInstanceValue>, cause: Span): void {
    const span = this.elements.get(record.key);
    if (!span) return;
    this.elements.delete(record.key);
    span.setAttribute('zen.element.outcome', record.intent === 'ELEMENT_COMPLETED' ? 'COMPLETED' : 'TERMINATED');
    // The element's span sits in the trace that started it; the command that ended it may be another's.
    if (cause.spanContext().traceId !== span.spanContext().traceId) span.addLink({ context: cause.spanContext(), attributes: { 'zen.link': 'ended by' } });
    span.end();
  }
}
