/**
 * The partition driver: queue → engine → commit (log + state rows, one SQLite
 * transaction) → replies, cross-partition sends, job notifications, timers.
 *
 * Group commit falls out of the event loop: commands that arrive while a batch is being
 * processed wait in the queue and go into the next batch together. A reply is sent only
 * after the batch holding its command is committed.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { ZenError } from '../errors.js';
import { Engine } from '../engine/engine.js';
import { ModelCache } from '../engine/models.js';
import type { CommandResponse, EngineCommand, OutboundCommand } from '../engine/processing/types.js';
import { hasActivatableJobs } from '../engine/queries.js';
import type { IncidentValue, JobValue, ZenRecord } from '../engine/records.js';
import { EngineState } from '../engine/state/engine-state.js';
import type { PartitionMetrics } from '../metrics/index.js';
import { PartitionDb } from '../storage/partition-db.js';
import { DueScheduler } from './due-scheduler.js';
import { applyLogEntry } from './log-applier.js';
import { compileAllProcesses } from './model-loader.js';
import { needsPreparation, prepareCommand } from './prepare.js';
import { Resender } from './resender.js';

export interface PartitionHost {
  /** Delivers a command to the partition it names (possibly this one). */
  route(command: OutboundCommand): void;
  /** Jobs of `type` became activatable on `partitionId`. */
  jobsAvailable(partitionId: number, type: string): void;
}

export interface PartitionOptions {
  readonly partitionId: number;
  readonly partitionCount: number;
  readonly dataDir: string;
  readonly syncMode: 'full' | 'normal';
  readonly maxBatchSize: number;
  /** Already bound to this partition (`partition` field): adding it again repeats the JSON key. */
  readonly logger: Logger;
  readonly metrics: PartitionMetrics | null;
  readonly host: PartitionHost;
  /** Log entries kept behind the head; older ones are compacted away. Unset: keep all. */
  readonly logRetentionEntries?: number;
  /** How often state rows are checkpointed (default 1 s); bounds the log a restart replays. */
  readonly checkpointIntervalMs?: number;
}

interface QueuedCommand {
  readonly command: EngineCommand;
  readonly reply: ((response: CommandResponse) => void) | null;
  readonly onDone?: (failed: boolean) => void;
}

interface WaitingResult {
  readonly resolve: (response: CommandResponse) => void;
  readonly reject: (err: ZenError) => void;
  readonly timer: NodeJS.Timeout;
}

const JOB_AVAILABLE_INTENTS = new Set(['CREATED', 'TIMED_OUT', 'FAILED', 'RECURRED_AFTER_BACKOFF', 'YIELDED']);
const COMPACTION_INTERVAL_ENTRIES = 1000;
/** How often state rows are checkpointed; bounds the log a restart replays. */
const CHECKPOINT_INTERVAL_MS = 1000;

export class Partition {
  readonly id: number;
  readonly state: EngineState;
  readonly models = new ModelCache();
  private readonly engine: Engine;
  private readonly db: PartitionDb;
  private readonly scheduler: DueScheduler;
  private readonly resender: Resender;
  private readonly queue: QueuedCommand[] = [];
  private readonly waitingResults = new Map<string, WaitingResult>();
  private readonly bootId = randomBytes(4).toString('hex');
  private requestSeq = 0;
  private flushScheduled = false;
  private ready = false;
  private closing = false;
  private entriesSinceCompaction = 0;
  private lastCheckpoint = 0;
  /** Set while the state is rebuilt after a failed commit; nothing is processed meanwhile. */
  private restoring = false;

  constructor(private readonly options: PartitionOptions) {
    this.id = options.partitionId;
    this.state = new EngineState(this.id);
    this.db = new PartitionDb({
      path: join(options.dataDir, 'partitions', String(this.id), 'zen.db'),
      partitionId: this.id,
      partitionCount: options.partitionCount,
      syncMode: options.syncMode,
    });
    this.engine = new Engine(this.state, this.models, { partitionId: this.id, partitionCount: options.partitionCount });
    this.engine.onBug = (err, command) =>
      options.logger.error({ err, valueType: command.valueType, intent: command.intent, key: String(command.key) }, 'engine bug while processing a command');
    this.scheduler = new DueScheduler(this.state, (command, onDone) => this.enqueue({ command, reply: null, onDone }));
    this.resender = new Resender(this.state, (command) => options.host.route(command));
  }

  /** Loads state and models; the partition serves only after this resolves. */
  async open(): Promise<void> {
    await this.restoreState();
    this.ready = true;
    this.scheduler.reschedule();
    this.resender.start();
    this.options.logger.info(
      { logIndex: this.db.lastLogIndex, position: this.db.lastLogPosition, processes: this.state.processes.table.size },
      'partition ready',
    );
  }

  /** The last checkpoint plus the log after it: exactly the state of the last commit. */
  private async restoreState(): Promise<void> {
    for (const table of this.state.tables()) table.clear();
    this.db.loadState(this.state);
    await compileAllProcesses(this.state, this.models);
    let replayed = 0;
    for (const entry of this.db.readLog(this.db.checkpointIndex + 1)) {
      await applyLogEntry(this.state, this.models, entry);
      replayed++;
    }
    if (replayed > 0) this.db.checkpoint(this.state);
    this.lastCheckpoint = Date.now();
  }

  get isReady(): boolean {
    return this.ready && !this.closing && !this.restoring;
  }

  /** Submits a command and resolves with its response once the batch holding it is committed. */
  async submit(command: Omit<EngineCommand, 'requestId'>): Promise<CommandResponse> {
    this.assertAccepting();
    let prepared = command;
    if (needsPreparation(command)) {
      prepared = await prepareCommand(command);
      this.assertAccepting();
    }
    return new Promise((resolve) => this.enqueue({ command: { ...prepared, requestId: this.newRequestId() }, reply: resolve }));
  }

  /**
   * Submits a command whose answer comes later (CreateProcessInstanceWithResult): resolves
   * with the rejection, or with the deferred response, or DEADLINE_EXCEEDED after `timeoutMs`.
   */
  submitAwaiting(command: Omit<EngineCommand, 'requestId'>, timeoutMs: number): Promise<CommandResponse> {
    this.assertAccepting();
    const requestId = this.newRequestId();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waitingResults.delete(requestId);
        this.engine.awaiting.removeRequest(requestId);
        reject(new ZenError('DEADLINE_EXCEEDED', `Timed out after ${timeoutMs} ms waiting for the process instance to complete`));
      }, timeoutMs);
      this.waitingResults.set(requestId, { resolve, reject, timer });
      this.enqueue({
        command: { ...command, requestId },
        reply: (response) => {
          // Only a rejection answers at once; success answers when the instance completes.
          if (response.ok) return;
          clearTimeout(timer);
          this.waitingResults.delete(requestId);
          resolve(response);
        },
      });
    });
  }

  /** A command nobody waits for: from another partition, or from the scheduler. */
  deliver(command: EngineCommand): void {
    if (this.closing) return;
    if (!needsPreparation(command)) {
      this.enqueue({ command, reply: null });
      return;
    }
    void prepareCommand(command).then(
      (prepared) => this.enqueue({ command: prepared, reply: null }),
      (err) => this.options.logger.error({ err }, 'could not prepare a delivered command'),
    );
  }

  hasActivatableJobs(type: string): boolean {
    return hasActivatableJobs(this.state, type);
  }

  /** Stops accepting commands, processes what is queued, and closes the database. */
  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    this.scheduler.stop();
    this.resender.stop();
    while (this.queue.length > 0 && !this.restoring) this.flush();
    if (!this.restoring) this.db.checkpoint(this.state);
    // The queue is flushed, so whoever still waits had the instance created: not a processing
    // error (INTERNAL, logged as a bug), just a result that will never come from this process.
    for (const [, waiting] of this.waitingResults) {
      clearTimeout(waiting.timer);
      waiting.reject(
        new ZenError('UNAVAILABLE', `Partition ${this.id} is shutting down; the process instance was created, but its result will not be awaited`),
      );
    }
    this.waitingResults.clear();
    this.db.close();
  }

  /** The database, for replay tools and tests. */
  get database(): PartitionDb {
    return this.db;
  }

  private assertAccepting(): void {
    if (this.closing) throw new ZenError('UNAVAILABLE', `Partition ${this.id} is shutting down`);
    if (!this.ready) throw new ZenError('UNAVAILABLE', `Partition ${this.id} is not ready yet`);
  }

  private newRequestId(): string {
    return `${this.bootId}-${++this.requestSeq}`;
  }

  private enqueue(item: QueuedCommand): void {
    this.queue.push(item);
    this.scheduleFlush();
  }

  private scheduleFlush(): void {
    if (this.flushScheduled || this.queue.length === 0) return;
    this.flushScheduled = true;
    setImmediate(() => this.flush());
  }

  private flush(): void {
    this.flushScheduled = false;
    if (this.queue.length === 0 || this.restoring) return;
    const batch = this.queue.splice(0, this.options.maxBatchSize);
    const started = performance.now();
    const records: ZenRecord[] = [];
    const responses: Array<CommandResponse | null> = [];
    const outbox: OutboundCommand[] = [];
    const deferred: Array<{ requestId: string; response: CommandResponse }> = [];
    for (const item of batch) {
      const result = this.engine.process(item.command, Date.now());
      for (const record of result.records) records.push(record);
      responses.push(result.response);
      for (const command of result.outbox) outbox.push(command);
      for (const answer of result.deferred) deferred.push(answer);
    }

    try {
      this.db.commit(this.state, records);
    } catch (err) {
      this.failBatch(batch, err);
      return;
    }
    this.options.metrics?.batchCommitted((performance.now() - started) / 1000, batch.length);
    this.countRecords(records);

    for (let i = 0; i < batch.length; i++) {
      const item = batch[i]!;
      const response = responses[i]!;
      item.onDone?.(response !== null && !response.ok && response.rejectionType === 'PROCESSING_ERROR');
      if (item.reply) item.reply(response ?? { ok: true, key: -1n, value: null });
    }
    for (const { requestId, response } of deferred) {
      const waiting = this.waitingResults.get(requestId);
      if (!waiting) continue;
      clearTimeout(waiting.timer);
      this.waitingResults.delete(requestId);
      waiting.resolve(response);
    }
    for (const command of outbox) this.options.host.route(command);
    this.notifyJobs(records);
    this.scheduler.reschedule();
    this.maybeCheckpoint();
    this.maybeCompact(records.length > 0);
    this.scheduleFlush();
  }

  /**
   * The commit failed (disk full, I/O error): the in-memory state is ahead of the disk, so
   * it is rebuilt from the last commit; the batch's callers get an error.
   */
  private failBatch(batch: QueuedCommand[], err: unknown): void {
    this.options.logger.error({ err }, 'batch commit failed; rebuilding state from disk');
    const reason = `Partition ${this.id} could not commit: ${err instanceof Error ? err.message : String(err)}`;
    for (const item of batch) {
      item.onDone?.(true);
      item.reply?.({ ok: false, rejectionType: 'PROCESSING_ERROR', reason });
    }
    this.restoring = true;
    void this.restoreState().then(
      () => {
        this.restoring = false;
        this.scheduleFlush();
      },
      (restoreErr) => this.options.logger.fatal({ err: restoreErr }, 'could not rebuild partition state; the partition stays unavailable'),
    );
  }

  /** Writes the state rows at most once per interval: restart replays what came after. */
  private maybeCheckpoint(): void {
    const now = Date.now();
    if (now - this.lastCheckpoint < (this.options.checkpointIntervalMs ?? CHECKPOINT_INTERVAL_MS)) return;
    this.lastCheckpoint = now;
    this.db.checkpoint(this.state);
  }

  private countRecords(records: ZenRecord[]): void {
    const metrics = this.options.metrics;
    if (!metrics) return;
    for (const record of records) {
      if (record.recordType === 'COMMAND') {
        metrics.commandProcessed(record.valueType);
        continue;
      }
      if (record.recordType === 'COMMAND_REJECTION') {
        metrics.commandRejected(record.rejectionType ?? 'UNKNOWN');
        continue;
      }
      if (record.valueType === 'PROCESS_INSTANCE' && (record.value as { bpmnElementType: string }).bpmnElementType === 'PROCESS') {
        if (record.intent === 'ELEMENT_ACTIVATED') metrics.processInstanceCreated();
        else if (record.intent === 'ELEMENT_COMPLETED') metrics.processInstanceCompleted();
      } else if (record.valueType === 'JOB') {
        if (record.intent === 'COMPLETED') metrics.jobCompleted();
        else if (record.intent === 'FAILED') metrics.jobFailed();
      } else if (record.valueType === 'JOB_BATCH' && record.intent === 'ACTIVATED') {
        metrics.jobsActivated((record.value as { jobKeys: unknown[] }).jobKeys.length);
      } else if (record.valueType === 'INCIDENT' && record.intent === 'CREATED') {
        metrics.incidentCreated();
      }
    }
  }

  /** Tells the node which job types became available, so waiting workers get them. */
  private notifyJobs(records: ZenRecord[]): void {
    let types: Set<string> | null = null;
    for (const record of records) {
      if (record.recordType !== 'EVENT') continue;
      if (record.valueType === 'JOB' && JOB_AVAILABLE_INTENTS.has(record.intent)) {
        (types ??= new Set()).add((record.value as JobValue).type);
      } else if (record.valueType === 'INCIDENT' && record.intent === 'RESOLVED') {
        const jobKey = (record.value as IncidentValue).jobKey;
        const job = jobKey > 0n ? this.state.jobs.get(jobKey) : undefined;
        if (job) (types ??= new Set()).add(job.value.type);
      }
    }
    if (!types) return;
    for (const type of types) if (hasActivatableJobs(this.state, type)) this.options.host.jobsAvailable(this.id, type);
  }

  private maybeCompact(wroteEntry: boolean): void {
    const retention = this.options.logRetentionEntries;
    if (!wroteEntry || retention === undefined) return;
    if (++this.entriesSinceCompaction < COMPACTION_INTERVAL_ENTRIES) return;
    this.entriesSinceCompaction = 0;
    this.db.compactLog(this.db.lastLogIndex - retention + 1);
  }
}
