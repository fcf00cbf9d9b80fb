/**
 * The partition driver: queue → engine → log entry → (durable) → replies, cross-partition
 * sends, job notifications, timers.
 *
 * Group commit falls out of the event loop: commands that arrive while a batch is processed
 * wait and go into the next batch together. Writing is pipelined: the storage worker makes a
 * batch durable while the next one is processed, and a batch's replies go out only once it
 * is durable — in batch order, since the worker writes in order.
 */
import type { PartitionStore } from '../storage/partition-store.js';
import { context, ROOT_CONTEXT, trace, type Context, type Span } from '@opentelemetry/api';
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import { ZenError } from '../errors.js';
import { Engine } from '../engine/engine.js';
import type { ModelCache } from '../engine/models.js';
import type { CommandResponse, DeferredResponse, EngineCommand, OutboundCommand } from '../engine/processing/types.js';
import { hasActivatableJobs } from '../engine/queries.js';
import { NO_KEY, type ZenRecord } from '../engine/records.js';
import type { EngineState } from '../engine/state/engine-state.js';
import type { PartitionMetrics, RecordTally } from '../metrics/index.js';
import { assignPositions, encodeEntry, type LogEntry, type RawLogEntry } from '../storage/log-entry.js';
import { PartitionSpans } from '../tracing/partition-spans.js';
import type { ZenTracing } from '../tracing/zen-tracing.js';
import { DueScheduler } from './due-scheduler.js';
import { HistoryRetention } from './history-retention.js';
import { BatchOperationDriver } from './batch-operation-driver.js';
import type { BatchOperationRow } from '../engine/state/batch-operations.js';
import { needsPreparation, prepareCommand } from './prepare.js';
import { jobTypesTouched, partitionSnapshot, stillActivatable, tallyRecords } from './record-effects.js';
import { Replica } from './replica.js';
import { Resender } from './resender.js';

export interface PartitionHost {
  /** Delivers a command to the partition it names (possibly this one). */
  route(command: OutboundCommand): void;
  /** Jobs of `type` became activatable on `partitionId` (their batch is committed). */
  jobsAvailable(partitionId: number, type: string): void;
  /**
   * Jobs of `type` were created by the batch being processed, not yet committed: activations
   * for workers waiting on this node, submitted synchronously from here, join that batch
   * (see Partition.activateInBatch). Nothing may be handed out or announced before the commit.
   */
  jobsCreated?(partitionId: number, type: string): void;
  /**
   * Runs one item of a batch operation (partition 1's leader drives them): the item's ordinary
   * command, wherever its instance runs. A host without it runs no batch operations.
   */
  runBatchItem?(batch: BatchOperationRow, itemKey: bigint): Promise<void>;
}

export interface PartitionOptions {
  readonly partitionId: number;
  readonly partitionCount: number;
  /** `--multi-tenancy`: the engine takes commands naming tenants other than the default one. */
  readonly multiTenancy?: boolean;
  /** Where the replica lives when the partition opens it itself (single node). */
  readonly dataDir: string;
  readonly syncMode: 'full' | 'normal';
  /** Keep the queryable history (ADR 010); default true. */
  readonly history?: boolean;
  /**
   * Leader: history of instances that ended longer ago than this (ms) is deleted, through
   * HISTORY CLEAN_UP commands in the log (ADR 010). Unset or 0: kept forever.
   */
  readonly historyRetentionMs?: number | (() => number);
  /** How often the leader looks for history past its retention (default 1 minute). */
  readonly historyCleanupIntervalMs?: number;
  /** Instances one cleanup command deletes at most (default HISTORY_CLEANUP_LIMIT). */
  readonly historyCleanupLimit?: number;
  /** An already restored replica (a follower being promoted); else `open()` opens one. */
  readonly replica?: Replica;
  /**
   * Cluster: makes an entry durable in the partition group before it is written locally
   * (appended to the partition log in etcd, fenced on leadership). Called in index order, for
   * several entries at once; resolves in index order. A rejection with `fenced: true` means
   * this node must stop leading; `outcomeUnknown: true` that the entry may be committed.
   */
  readonly replicate?: (entry: RawLogEntry) => Promise<void>;
  /**
   * Cluster: ms until the log would send another append (a leader holds appends back while its
   * node is saturated: LogAppender's gap). Commands wait in the queue meanwhile, so that what
   * comes during the gap is processed as one batch, one log entry, rather than as several small
   * ones waiting for the same append: every entry costs its encoding and its local and
   * followers' writes.
   */
  readonly appendHoldMs?: () => number;
  /** Batches processed but not yet durable; beyond this the queue waits (default 4). */
  readonly maxBatchesInFlight?: number;
  /** Called once when replication reports that leadership is lost; the partition has stopped. */
  readonly onFenced?: (err: unknown) => void;
  readonly maxBatchSize: number;
  /** Already bound to this partition (`partition` field): adding it again repeats the JSON key. */
  readonly logger: Logger;
  readonly metrics: PartitionMetrics | null;
  readonly host: PartitionHost;
  /** Log entries kept behind the head; older ones are compacted away. Unset: keep all. */
  readonly logRetentionEntries?: number;
  /** How often state rows are checkpointed (default 1 s); bounds the log a restart replays. */
  readonly checkpointIntervalMs?: number;
  /**
   * Client commands waiting beyond which new work is refused with RESOURCE_EXHAUSTED (default
   * 2,000, `--backpressure-limit`); a function is read at every command, so it can change live.
   */
  readonly maxQueuedCommands?: number | (() => number);
  /**
   * Why a client command must be refused with RESOURCE_EXHAUSTED now (e.g. the group log's
   * etcd is near its quota), or null. `finishing`: the command finishes work (complete, fail,
   * cancel, …), which should be taken as long as at all possible.
   */
  readonly admission?: (finishing: boolean) => string | null;
  /** From level `engine` on: a span per command, and (workers, full) per job and element instance. */
  readonly tracing?: ZenTracing;
}

interface QueuedCommand {
  readonly command: EngineCommand;
  readonly reply: ((response: CommandResponse) => void) | null;
  readonly onDone?: (failed: boolean) => void;
  /** Tracing on: the command's span, from enqueue to its answer. */
  span?: Span;
}

interface WaitingResult {
  readonly resolve: (response: CommandResponse) => void;
  readonly reject: (err: ZenError) => void;
  readonly timer: NodeJS.Timeout;
}

/** The outcome of processing one batch, held until its log entry is durable. */
interface ProcessedBatch {
  readonly items: QueuedCommand[];
  readonly responses: Array<CommandResponse | null>;
  /** Released once encoded: records held across the write would survive into the old generation. */
  records: ZenRecord[];
  jobTypes: string[];
  /** What the batch adds to the metrics, counted once it is durable. */
  tally: RecordTally | null;
  readonly outbox: OutboundCommand[];
  readonly deferred: DeferredResponse[];
  readonly started: number;
  /** Tracing on: which item sent each outbox command, so the send continues its trace. */
  readonly outboxCauses?: number[];
  /** Tracing at workers/full: the records the spans are made of, and the spans of the commands that wrote them. */
  readonly traced?: { records: ZenRecord[]; causes: Span[] };
  /** Answered already: in a cluster, once the group committed it (before the local write). */
  answered?: boolean;
}

/** Batches written but not yet durable; beyond this the queue waits (back-pressure). */
const DEFAULT_MAX_BATCHES_IN_FLIGHT = 4;
const DEFAULT_MAX_QUEUED_COMMANDS = 2000;
/** After a failed local write, the store is reopened after this delay, doubling up to the maximum. */
export const REOPEN_FIRST_DELAY_MS = 1000;
export const REOPEN_MAX_DELAY_MS = 30_000;

/**
 * Commands that finish or remove work are taken even under backpressure, as Zeebe does: refusing
 * them would keep the load that caused it. Job activation and hand-backs too: without them the
 * workers cannot finish anything either.
 */
const ALWAYS_ACCEPTED = new Set(['JOB:COMPLETE', 'JOB:FAIL', 'JOB:THROW_ERROR', 'JOB:YIELD', 'JOB_BATCH:ACTIVATE', 'PROCESS_INSTANCE:CANCEL', 'INCIDENT:RESOLVE', 'USER_TASK:COMPLETE']);

export class Partition {
  readonly id: number;
  private replica: Replica | null;
  private engine!: Engine;
  private scheduler!: DueScheduler;
  private resender!: Resender;
  private retention: HistoryRetention | null = null;
  private batchDriver: BatchOperationDriver | null = null;
  private readonly queue: QueuedCommand[] = [];
  private readonly waitingResults = new Map<string, WaitingResult>();
  private readonly bootId = randomBytes(4).toString('hex');
  private requestSeq = 0;
  private flushScheduled = false;
  /** A flush waiting for the log's append gap (options.appendHoldMs). */
  private holdTimer: NodeJS.Timeout | null = null;
  private ready = false;
  private closing = false;
  private fenced = false;
  /** The last entry handed to the log (durable or not yet): the next one follows it. */
  private head = { index: 0, position: 0 };
  /** Set after a failed commit until the state is rebuilt; nothing is processed meanwhile. */
  private restoring = false;
  /** The rebuild has started (it waits for every batch in flight to settle first). */
  private rebuilding = false;
  /** The rebuild after a failed commit failed too: nothing more is accepted. */
  private broken = false;
  private inFlight = 0;
  /** The rebuild after a failed commit, while it runs; stop() waits for it (it may be reopening the store). */
  private rebuildRun: Promise<void> | null = null;
  /** Ends the wait before the next attempt to reopen the store (the partition is stopping). */
  private wakeRebuild: (() => void) | null = null;
  /** Settles when the newest batch in flight is durable (true) or failed (false). */
  private lastWrite: Promise<boolean> = Promise.resolve(true);
  /** Stops the state gauges reading this partition (it no longer leads here). */
  private detachMetrics: (() => void) | null = null;
  /** Null below tracing level `engine`: then nothing here touches OpenTelemetry. */
  private readonly spans: PartitionSpans | null;

  constructor(private readonly options: PartitionOptions) {
    this.id = options.partitionId;
    this.replica = options.replica ?? null;
    this.spans = PartitionSpans.create(options.partitionId, options.tracing);
  }

  get state(): EngineState {
    return this.replica!.state;
  }

  get models(): ModelCache {
    return this.replica!.models;
  }

  /** The partition's database (history searches read it: ADR 010). */
  get store(): PartitionStore {
    return this.replica!.store;
  }

  /** Opens (or takes over) the replica and starts processing; the partition serves only after this resolves. */
  async open(): Promise<void> {
    const { options } = this;
    this.replica ??= await Replica.open({
      dataDir: options.dataDir,
      partitionId: this.id,
      partitionCount: options.partitionCount,
      syncMode: options.syncMode,
      logger: options.logger,
      checkpointIntervalMs: options.checkpointIntervalMs,
      logRetentionEntries: options.logRetentionEntries,
      history: options.history ?? true,
    });
    const state = this.replica.state;
    this.engine = new Engine(state, this.replica.models, { partitionId: this.id, partitionCount: options.partitionCount, multiTenancy: options.multiTenancy ?? false });
    this.engine.onBug = (err, command) =>
      options.logger.error({ err, valueType: command.valueType, intent: command.intent, key: String(command.key) }, 'engine bug while processing a command');
    // Due items are due by the engine's time: a pinned clock (CLOCK PINNED) stands in for the system's.
    this.scheduler = new DueScheduler(
      state,
      // Due work belongs to no request: a trace of its own, whatever context the timer inherited.
      (command, onDone) => this.enqueue({ command, reply: null, onDone }, ROOT_CONTEXT),
      () => state.pinnedClock ?? Date.now(),
    );
    this.resender = new Resender(state, (command) => options.host.route(command));
    this.head = { index: this.replica.lastIndex, position: this.replica.lastPosition };
    this.ready = true;
    this.detachMetrics = options.metrics?.attach(() => partitionSnapshot(this.state, this.state.pinnedClock ?? Date.now(), this.queue.length)) ?? null;
    this.scheduler.reschedule();
    this.resender.start();
    this.startHistoryRetention();
    this.startBatchOperations();
    this.scheduleFlush();
    options.logger.info(
      { logIndex: this.replica.lastIndex, position: this.replica.lastPosition, processes: state.processes.table.size },
      'partition ready',
    );
  }

  private startBatchOperations(): void {
    const host = this.options.host;
    if (this.id !== 1 || !host.runBatchItem) return;
    this.batchDriver = new BatchOperationDriver({
      batches: this.state.batchOperations,
      runItem: (batch, itemKey) => host.runBatchItem!(batch, itemKey),
      submit: (command) => this.submit(command),
      logger: this.options.logger,
    });
    this.batchDriver.start();
  }

  private startHistoryRetention(): void {
    const retentionMs = this.options.historyRetentionMs ?? 0;
    // A fixed 0 keeps history forever; a live setting may turn retention on later.
    if (typeof retentionMs === 'number' && retentionMs <= 0) return;
    const state = this.state;
    this.retention = new HistoryRetention({
      retentionMs,
      intervalMs: this.options.historyCleanupIntervalMs,
      limit: this.options.historyCleanupLimit,
      clock: () => state.pinnedClock ?? Date.now(),
      submit: (value) => this.submit({ valueType: 'HISTORY', intent: 'CLEAN_UP', key: NO_KEY, value }),
      expired: (cutoff) => this.store.historyExpired(cutoff),
      logger: this.options.logger,
    });
    this.retention.start();
  }

  get localBacklog(): number {
    return this.queue.length;
  }

  get isReady(): boolean {
    return this.ready && !this.closing && !this.restoring && !this.fenced;
  }

  /** Submits a command and resolves with its response once the batch holding it is committed. */
  async submit(command: Omit<EngineCommand, 'requestId'>): Promise<CommandResponse> {
    this.assertAccepting();
    this.applyBackpressure(command);
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
    this.applyBackpressure(command);
    const requestId = this.newRequestId();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waitingResults.delete(requestId);
        this.engine.awaiting.removeRequest(requestId);
        const what =
          command.valueType === 'USER_TASK'
            ? "the user task's listeners"
            : command.valueType === 'MESSAGE_CORRELATION'
              ? 'the process instance to take the message'
              : 'the process instance to complete';
        reject(new ZenError('DEADLINE_EXCEEDED', `Timed out after ${timeoutMs} ms waiting for ${what}`));
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

  hasActivatableJobs(type: string, tenantIds?: readonly string[]): boolean {
    return hasActivatableJobs(this.state, type, tenantIds);
  }

  /** Stops accepting commands, processes what is queued, and closes the database. */
  async close(): Promise<void> {
    await this.stop();
    await this.replica?.close();
  }

  /**
   * Stops accepting commands and processes what is queued; the replica stays open (a
   * leader handing over keeps following). Waiting results are answered UNAVAILABLE.
   */
  async stop(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    if (this.holdTimer) clearTimeout(this.holdTimer);
    this.holdTimer = null;
    this.detachMetrics?.();
    this.scheduler?.stop();
    this.resender?.stop();
    this.retention?.stop();
    this.batchDriver?.stop();
    while ((this.queue.length > 0 || this.inFlight > 0) && !this.restoring && !this.fenced) {
      this.flush();
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    while (this.inFlight > 0) await new Promise((resolve) => setTimeout(resolve, 1));
    this.wakeRebuild?.();
    await this.rebuildRun;
    if (!this.restoring && !this.fenced) await this.replica?.checkpoint().catch(() => {});
    this.abandonQueued(`Partition ${this.id} is shutting down`);
    this.spans?.close();
    // The queue is flushed, so whoever still waits had the instance created: not a processing
    // error (INTERNAL, logged as a bug), just a result that will never come from this process.
    for (const [, waiting] of this.waitingResults) {
      clearTimeout(waiting.timer);
      waiting.reject(
        new ZenError('UNAVAILABLE', `Partition ${this.id} is shutting down; the process instance was created, but its result will not be awaited`),
      );
    }
    this.waitingResults.clear();
  }

  /** The log from `fromIndex` on, for replay tools and tests. */
  readLog(fromIndex = 1): AsyncIterableIterator<LogEntry> {
    return this.replica!.readLog(fromIndex);
  }

  get lastLogIndex(): number {
    return this.replica?.lastIndex ?? 0;
  }

  get checkpointIndex(): number {
    return this.replica?.store.checkpointIndex ?? 0;
  }

  /** The replica this partition drives (handed back to a follower after a lost term). */
  get localReplica(): Replica | null {
    return this.replica;
  }

  /** Queued commands were never processed: whoever sent them may send them elsewhere. */
  private abandonQueued(reason: string): void {
    for (const item of this.queue.splice(0)) {
      if (item.span) this.spans!.commandAbandoned(item.span, 'NOT_LEADER', reason);
      item.onDone?.(true);
      item.reply?.({ ok: false, rejectionType: 'NOT_LEADER', reason });
    }
  }

  /**
   * Refuses new work while the queue is long: clients back off and retry (Zeebe's clients do
   * so on RESOURCE_EXHAUSTED) instead of the queue, and every caller's latency, growing
   * without bound.
   */
  private applyBackpressure(command: Omit<EngineCommand, 'requestId'>): void {
    const finishing = ALWAYS_ACCEPTED.has(`${command.valueType}:${command.intent}`);
    const refusal = this.options.admission?.(finishing);
    if (refusal) {
      this.options.metrics?.commandRejected('RESOURCE_EXHAUSTED');
      throw new ZenError('RESOURCE_EXHAUSTED', `Expected to handle the request, but partition ${this.id} refuses it: ${refusal}; retry later`);
    }
    const configured = this.options.maxQueuedCommands ?? DEFAULT_MAX_QUEUED_COMMANDS;
    const limit = typeof configured === 'function' ? configured() : configured;
    if (this.queue.length < limit || finishing) return;
    this.options.metrics?.commandRejected('BACKPRESSURE');
    throw new ZenError(
      'RESOURCE_EXHAUSTED',
      `Expected to handle the request, but partition ${this.id} has ${this.queue.length} commands waiting (backpressure); retry later`,
    );
  }

  private assertAccepting(): void {
    if (this.fenced) throw new ZenError('UNAVAILABLE', `Partition ${this.id} is no longer led by this node`);
    if (this.broken) throw new ZenError('UNAVAILABLE', `Partition ${this.id} is unavailable: its state could not be rebuilt after a failed commit (see the node's log)`);
    if (this.closing) throw new ZenError('UNAVAILABLE', `Partition ${this.id} is shutting down`);
    const failed = this.restoring ? this.replica?.failed : null;
    if (failed) throw failed instanceof ZenError ? failed : new ZenError('UNAVAILABLE', `Partition ${this.id} cannot write to its disk; retry later`);
    if (!this.ready) throw new ZenError('UNAVAILABLE', `Partition ${this.id} is not ready yet`);
  }

  /**
   * Resolves once every batch processed so far is durable (or has failed). A read that waits
   * for it sees nothing uncommitted that was processed before it; batches processed during the
   * wait may show too — they are milliseconds from their commit.
   */
  async settled(): Promise<void> {
    await this.lastWrite;
  }

  private newRequestId(): string {
    return `${this.bootId}-${++this.requestSeq}`;
  }

  /** `parent`: the trace the command continues; default whatever context the caller runs in. */
  private enqueue(item: QueuedCommand, parent?: Context): void {
    if (this.spans) item.span = this.spans.commandEnqueued(item.command, parent ?? context.active());
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
    // Commands delivered before open() wait for the engine.
    if (!this.ready || this.queue.length === 0 || this.restoring || this.fenced || this.inFlight >= (this.options.maxBatchesInFlight ?? DEFAULT_MAX_BATCHES_IN_FLIGHT)) return;
    // A due checkpoint needs the state to be exactly the durable log (see Replica.afterAppend):
    // let the batches in flight land first; the last of them checkpoints and flushes again.
    if (this.inFlight > 0 && this.replica!.checkpointDue) return;
    if (this.holdTimer) return;
    const hold = this.closing ? 0 : (this.options.appendHoldMs?.() ?? 0);
    if (hold > 0) {
      this.holdTimer = setTimeout(() => {
        this.holdTimer = null;
        this.flush();
      }, hold);
      return;
    }
    const items = this.queue.splice(0, this.options.maxBatchSize);
    const spans = this.spans;
    const batch: ProcessedBatch = {
      items,
      responses: [],
      records: [],
      jobTypes: [],
      tally: null,
      outbox: [],
      deferred: [],
      started: performance.now(),
      ...(spans ? { outboxCauses: [] } : {}),
      ...(spans?.followsRecords ? { traced: { records: [], causes: [] } } : {}),
    };
    this.process(batch, 0);
    batch.jobTypes = jobTypesTouched(this.state, batch.records);
    this.activateInBatch(batch);
    if (this.options.metrics) batch.tally = tallyRecords(batch.records);
    if (batch.records.length === 0) {
      // Nothing to make durable (e.g. an activation that found no job, a duplicate discarded):
      // answer now — or, behind batches still committing, once they are, since what it answers
      // or sends (an acknowledgement to another partition) may rest on them.
      if (this.inFlight === 0) this.finish(batch);
      else {
        void this.lastWrite.then((ok) => {
          if (ok && !this.fenced && !this.restoring) this.finish(batch);
          else this.abandon(batch, 'an earlier batch failed to commit', this.fenced ? 'NOT_LEADER' : 'PROCESSING_ERROR');
        });
      }
    } else {
      const entry: LogEntry = {
        index: this.head.index + 1,
        firstPosition: this.head.position + 1,
        lastPosition: assignPositions(batch.records, this.head.position),
        keyCounter: this.state.keyCounter,
        records: batch.records,
      };
      this.head = { index: entry.index, position: entry.lastPosition };
      this.inFlight++;
      const written = this.write(entry, () => this.finish(batch));
      this.lastWrite = written.then(
        () => true,
        () => false,
      );
      batch.records = [];
      written.then(
        () => {
          this.inFlight--;
          // Durable (and every batch before it): answer it even if a later one already failed.
          if (!batch.answered) this.finish(batch);
          this.replica!.afterAppend(this.inFlight === 0 && !this.restoring && !this.fenced);
          // The failure of a later batch may have been waiting for this one to settle.
          this.rebuildAfterFailure();
          this.scheduleFlush();
        },
        (err) => {
          this.inFlight--;
          this.failBatch(batch, err);
        },
      );
    }
    this.scheduler.reschedule();
    this.scheduleFlush();
  }

  /** Processes the batch's items from `from` on, collecting what they produced. */
  private process(batch: ProcessedBatch, from: number): void {
    const spans = this.spans;
    const { items } = batch;
    for (let i = from; i < items.length; i++) {
      const item = items[i]!;
      const result = this.engine.process(item.command, Date.now());
      for (const record of result.records) batch.records.push(record);
      batch.responses.push(result.response);
      for (const command of result.outbox) batch.outbox.push(command);
      for (const answer of result.deferred) batch.deferred.push(answer);
      if (spans) {
        for (let j = 0; j < result.outbox.length; j++) batch.outboxCauses!.push(i);
        if (batch.traced) {
          for (const record of result.records) {
            if (!spans.wants(record)) continue;
            batch.traced.records.push(record);
            batch.traced.causes.push(item.span!);
          }
        }
      }
    }
  }

  /**
   * Jobs this batch made activatable go to workers already waiting for them in this same
   * batch: the host's broker submits its activations synchronously, and they join the batch.
   * A waiting worker then has its job one commit after the command that created it, not two
   * (after the commit, then after the activation's own). It is safe before the commit: the
   * activation is answered only once its batch is durable, and with it what created the jobs.
   */
  private activateInBatch(batch: ProcessedBatch): void {
    const host = this.options.host;
    if (!host.jobsCreated || batch.jobTypes.length === 0) return;
    const queued = this.queue.length;
    for (const type of stillActivatable(this.state, batch.jobTypes)) host.jobsCreated(this.id, type);
    if (this.queue.length === queued) return;
    const from = batch.items.length;
    for (const item of this.queue.splice(queued)) batch.items.push(item);
    this.process(batch, from);
    batch.jobTypes = jobTypesTouched(this.state, batch.records);
  }

  /**
   * Single node: the local append makes the entry durable. Cluster: the partition group's
   * log (etcd) first — a term that is over must never reach the local log — then locally. An
   * entry committed in the group is durable there (a majority of etcd has it on disk), so its
   * batch is answered then (`committed`), not after the local write: that write is off every
   * command's critical path. An entry committed in the group whose local write fails is still
   * committed, and the leader stops (its replica is rebuilt from the group log).
   */
  private write(entry: LogEntry, committed: () => void): Promise<void> {
    const store = this.replica!.store;
    const raw = encodeEntry(entry);
    if (!this.options.replicate) return store.appendRaw(raw);
    return this.options.replicate(raw).then(() => {
      committed();
      return store.appendRaw(raw).catch((err: unknown) => {
        throw Object.assign(new Error(`entry ${raw.index} is committed in the partition group, but writing it locally failed: ${String(err)}`, { cause: err }), {
          committedElsewhere: true,
        });
      });
    });
  }

  /** The batch is durable: answer, send, notify. */
  private finish(batch: ProcessedBatch): void {
    batch.answered = true;
    const metrics = this.options.metrics;
    if (metrics) {
      metrics.batchCommitted((performance.now() - batch.started) / 1000, batch.items.length);
      if (batch.tally) metrics.commit(batch.tally);
    }
    if (this.spans) return this.finishTraced(batch, this.spans);
    for (let i = 0; i < batch.items.length; i++) {
      const item = batch.items[i]!;
      const response = batch.responses[i]!;
      item.onDone?.(response !== null && !response.ok && response.rejectionType === 'PROCESSING_ERROR');
      if (item.reply) item.reply(response ?? { ok: true, key: -1n, value: null });
    }
    for (const { requestId, response } of batch.deferred) {
      const waiting = this.waitingResults.get(requestId);
      if (!waiting) continue;
      clearTimeout(waiting.timer);
      this.waitingResults.delete(requestId);
      waiting.resolve(response);
    }
    for (const command of batch.outbox) this.options.host.route(command);
    for (const type of stillActivatable(this.state, batch.jobTypes)) this.options.host.jobsAvailable(this.id, type);
  }

  /** `finish` with spans: what the batch began and ended, then each command's answer; sends continue their command's trace. */
  private finishTraced(batch: ProcessedBatch, spans: PartitionSpans): void {
    if (batch.traced) spans.committed(batch.traced.records, batch.traced.causes, performance.timeOrigin + batch.started);
    for (let i = 0; i < batch.items.length; i++) {
      const item = batch.items[i]!;
      const response = batch.responses[i]!;
      spans.commandAnswered(item.span!, response, batch.items.length);
      item.onDone?.(response !== null && !response.ok && response.rejectionType === 'PROCESSING_ERROR');
      if (item.reply) item.reply(response ?? { ok: true, key: -1n, value: null });
    }
    for (const { requestId, response } of batch.deferred) {
      const waiting = this.waitingResults.get(requestId);
      if (!waiting) continue;
      clearTimeout(waiting.timer);
      this.waitingResults.delete(requestId);
      waiting.resolve(response);
    }
    for (let i = 0; i < batch.outbox.length; i++) {
      const cause = batch.items[batch.outboxCauses![i]!]!.span!;
      const command = batch.outbox[i]!;
      context.with(trace.setSpan(ROOT_CONTEXT, cause), () => this.options.host.route(command));
    }
    for (const type of stillActivatable(this.state, batch.jobTypes)) this.options.host.jobsAvailable(this.id, type);
  }

  /** The batch will never be committed here: its callers get an error, nothing else happens. */
  private abandon(batch: ProcessedBatch, why: string, rejectionType: 'PROCESSING_ERROR' | 'NOT_LEADER' | 'UNKNOWN_OUTCOME' = 'PROCESSING_ERROR'): void {
    const reason = `Partition ${this.id} could not commit: ${why}`;
    for (const item of batch.items) {
      if (item.span) this.spans!.commandAbandoned(item.span, rejectionType, reason);
      item.onDone?.(true);
      item.reply?.({ ok: false, rejectionType, reason });
    }
  }

  /**
   * A batch did not become durable here. Cluster: the leader stops (the group log says what
   * is committed; a follower rebuilds from it). Single node (disk full, I/O error): the
   * in-memory state is ahead of the disk, so once no write is in flight it is rebuilt from the
   * last durable entry.
   */
  private failBatch(batch: ProcessedBatch, err: unknown): void {
    const failure = err as { fenced?: boolean; outcomeUnknown?: boolean; committedElsewhere?: boolean };
    if (failure.committedElsewhere) {
      if (!batch.answered) this.finish(batch);
      this.stopLeading(err, 'the local write of a committed entry failed; this node stops leading the partition');
      return;
    }
    if (failure.fenced) {
      this.abandon(
        batch,
        failure.outcomeUnknown ? `leadership was lost while committing; the command may have been committed` : `this node no longer leads partition ${this.id}`,
        failure.outcomeUnknown ? 'UNKNOWN_OUTCOME' : 'NOT_LEADER',
      );
      this.stopLeading(err, 'leadership lost while committing; this node stops leading the partition');
      return;
    }
    if (!this.restoring) this.options.logger.error({ err }, 'batch commit failed; rebuilding state from disk');
    // The local store refuses writes (disk full): the batch certainly is not on disk, so its
    // callers get UNAVAILABLE (NOT_LEADER) with the reason, and may send it again later.
    const notWritten = this.replica!.failed !== null && !failure.outcomeUnknown;
    this.abandon(batch, err instanceof Error ? err.message : String(err), failure.outcomeUnknown ? 'UNKNOWN_OUTCOME' : notWritten ? 'NOT_LEADER' : 'PROCESSING_ERROR');
    this.restoring = true;
    this.rebuildAfterFailure();
  }

  /** Cluster: the partition stops here; whoever leads next goes on from the group log. */
  private stopLeading(err: unknown, why: string): void {
    if (this.fenced) return;
    this.fenced = true;
    this.detachMetrics?.();
    this.options.logger.warn({ err }, why);
    this.scheduler.stop();
    this.resender.stop();
    this.retention?.stop();
    this.batchDriver?.stop();
    this.spans?.close();
    this.abandonQueued(`partition ${this.id} lost its leadership`);
    this.options.onFenced?.(err);
  }

  /**
   * After a failed commit: rebuilds the state once every batch in flight has settled. If the
   * store refuses writes since (disk full, I/O error), it is closed and reopened from disk,
   * retried with a growing delay until the disk takes writes again.
   */
  private rebuildAfterFailure(): void {
    if (!this.restoring || this.rebuilding || this.inFlight > 0) return;
    this.rebuilding = true;
    const run = this.rebuild();
    this.rebuildRun = run.catch(() => {});
    void run.then(
      () => {
        this.rebuilding = false;
        // Stopping before the store was reopened: the state stays marked as not durable.
        if (this.replica!.failed) return;
        this.head = { index: this.replica!.lastIndex, position: this.replica!.lastPosition };
        this.restoring = false;
        if (this.closing) return;
        this.options.logger.info({ logIndex: this.head.index }, 'partition state rebuilt from disk; processing again');
        this.scheduler.reschedule();
        this.scheduleFlush();
      },
      (restoreErr) => {
        this.options.logger.fatal({ err: restoreErr }, 'could not rebuild partition state; the partition stays unavailable');
        this.broken = true;
        this.scheduler.stop();
        this.resender.stop();
        this.retention?.stop();
        this.batchDriver?.stop();
        this.abandonQueued(`Partition ${this.id} could not rebuild its state after a failed commit`);
      },
    );
  }

  private async rebuild(): Promise<void> {
    const replica = this.replica!;
    if (!replica.failed) return replica.restore();
    // Whatever was queued was processed against a state the disk does not have: refuse it.
    this.abandonQueued(`Partition ${this.id} cannot write to its disk; retry later`);
    let cause: unknown = replica.failed;
    for (let attempt = 1, delay = REOPEN_FIRST_DELAY_MS; ; attempt++, delay = Math.min(delay * 2, REOPEN_MAX_DELAY_MS)) {
      this.options.logger.warn({ err: cause, attempt, retryInMs: delay }, 'the local database refuses writes; reopening it from disk');
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, delay);
        this.wakeRebuild = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wakeRebuild = null;
      if (this.closing) return;
      try {
        await replica.reopen();
        return;
      } catch (err) {
        cause = err;
      }
    }
  }
}
