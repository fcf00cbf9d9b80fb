/**
 * A partition's state on one node: the in-memory engine state, the compiled models, and the
 * local database it is durable in. A leader's Partition drives it by processing commands;
 * a follower drives it by applying committed log entries, in the storage worker that holds
 * its state while it follows (follower-state.ts). Either way, the state is exactly what the
 * log up to `lastIndex` says.
 */
import { join } from 'node:path';
import type { Logger } from 'pino';
import { ZenError } from '../errors.js';
import { ModelCache } from '../engine/models.js';
import { EngineState } from '../engine/state/engine-state.js';
import { decodeEntry, type LogEntry, type RawLogEntry } from '../storage/log-entry.js';
import { PartitionStore, workerScript } from '../storage/partition-store.js';
import type { FollowedRead } from '../storage/store-protocol.js';
import { stateDump, type ReadQuery } from '../engine/read-views.js';
import { applyLogEntry } from './log-applier.js';
import { compileAllProcesses } from './model-loader.js';
import { monotonicNow } from '../elapsed.js';

export interface ReplicaOptions {
  readonly dataDir: string;
  readonly partitionId: number;
  readonly partitionCount: number;
  readonly syncMode: 'full' | 'normal';
  readonly logger: Logger;
  /** How often state rows are checkpointed (default 1 s); bounds the log a restart replays. */
  readonly checkpointIntervalMs?: number;
  /** Log entries kept behind the head; older ones are compacted away. Unset: keep all. */
  readonly logRetentionEntries?: number;
  /** Keep the queryable history (ADR 010); default true. */
  readonly history?: boolean;
  /** A background write (checkpoint, compaction) failed and the store now refuses writes. */
  readonly onWriteFailure?: () => void;
  /**
   * Opens following: the state is held and advanced in the storage worker (follower-state.ts),
   * until `lead()` brings it to this thread. A cluster member's replica; a single node's leads
   * from the start.
   */
  readonly following?: boolean;
}

const CHECKPOINT_INTERVAL_MS = 1000;
const COMPACTION_INTERVAL_ENTRIES = 1000;

export function partitionDbPath(dataDir: string, partitionId: number): string {
  return join(dataDir, 'partitions', String(partitionId), 'zen.db');
}

export class Replica {
  readonly state: EngineState;
  readonly models = new ModelCache();
  private lastCheckpoint = -Infinity;
  /** Set after a failed checkpoint: the next one replaces all checkpointed rows. */
  private rewriteAll = false;
  private entriesSinceCompaction = 0;

  /** Null between closing a failed store and opening it again (`reopen`). */
  private current: PartitionStore | null;
  /** The state lives in the storage worker; `state` here is empty. */
  private followingHere: boolean;

  private constructor(
    store: PartitionStore,
    private readonly options: ReplicaOptions,
  ) {
    this.current = store;
    this.state = new EngineState(options.partitionId);
    this.followingHere = options.following ?? false;
  }

  private static openStore(options: ReplicaOptions): Promise<PartitionStore> {
    const store = {
      path: partitionDbPath(options.dataDir, options.partitionId),
      partitionId: options.partitionId,
      partitionCount: options.partitionCount,
      syncMode: options.syncMode,
      history: options.history ?? true,
    };
    // Only a replica that may follow needs the engine in its worker.
    return options.following ? PartitionStore.open(store, workerScript(import.meta.url, './replica-worker.js', 'partition/replica-worker.js')) : PartitionStore.open(store);
  }

  /** Opens the local database and rebuilds the state of its last durable entry. */
  static async open(options: ReplicaOptions): Promise<Replica> {
    const store = await Replica.openStore(options);
    const replica = new Replica(store, options);
    try {
      await replica.restore();
    } catch (err) {
      await store.close();
      throw err;
    }
    return replica;
  }

  get store(): PartitionStore {
    if (!this.current) throw new ZenError('UNAVAILABLE', `Partition ${this.partitionId}'s local database is being reopened after a failed write`);
    return this.current;
  }

  /** Why the local database refuses writes (disk full, I/O error), or null: see `reopen`. */
  get failed(): Error | null {
    return this.current ? this.current.failed : new Error(`Partition ${this.partitionId}'s local database is closed after a failed write`);
  }

  /**
   * After a failed write: closes the store (the worker answers everything queued first, all
   * refused), opens it again and rebuilds the state from its checkpoint and log — exactly the
   * last durable entry, so nothing applied in memory but never written survives. The state
   * object stays the same (an engine may hold it). On failure the store stays closed and
   * `reopen` may be tried again.
   */
  async reopen(): Promise<void> {
    const failed = this.current;
    this.current = null;
    if (failed) await failed.close().catch((err: unknown) => this.options.logger.debug({ err }, 'closing the failed store failed'));
    const store = await Replica.openStore(this.options);
    this.current = store;
    this.rewriteAll = false;
    this.entriesSinceCompaction = 0;
    try {
      await this.restore();
    } catch (err) {
      this.current = null;
      await store.close().catch(() => {});
      throw err;
    }
  }

  get partitionId(): number {
    return this.options.partitionId;
  }

  get lastIndex(): number {
    return this.current?.lastIndex ?? 0;
  }

  /** When the state was last checkpointed (its local snapshot), on this node's monotonic clock (`monotonicNow()`). */
  get lastCheckpointAt(): number {
    return this.lastCheckpoint;
  }

  get lastPosition(): number {
    return this.current?.lastPosition ?? 0;
  }

  /**
   * The last checkpoint plus the log after it: exactly the state of the last durable entry.
   * Also how a leader that lost its term throws away what it processed but never committed.
   */
  async restore(): Promise<void> {
    await this.store.refresh();
    for (const table of this.state.tables()) table.clear();
    if (this.followingHere) {
      await this.store.follow(this.options.checkpointIntervalMs ?? CHECKPOINT_INTERVAL_MS);
      this.lastCheckpoint = monotonicNow();
      return;
    }
    await this.store.loadState(this.state);
    await compileAllProcesses(this.state, this.models);
    let replayed = 0;
    for await (const entry of this.store.readLog(this.store.checkpointIndex + 1)) {
      await applyLogEntry(this.state, this.models, entry);
      replayed++;
    }
    if (replayed > 0) await this.store.checkpoint(this.state);
    this.lastCheckpoint = monotonicNow();
  }

  /**
   * Elected: the worker checkpoints the state it followed and drops it, and `state` is loaded
   * from that checkpoint, for the engine to drive.
   */
  async lead(): Promise<void> {
    if (!this.followingHere) return;
    await this.store.unfollow();
    this.followingHere = false;
    await this.restore();
  }

  /**
   * After leading: `state` is emptied (it may hold what the engine processed but the group
   * never committed) and the worker rebuilds the state from what is durable and follows on.
   * With a store that refuses writes, the rebuild is left to `reopen`.
   */
  async follow(): Promise<void> {
    this.followingHere = true;
    for (const table of this.state.tables()) table.clear();
    if (!this.failed) await this.restore();
  }

  /**
   * A read of the followed state, in the worker; null once it is no longer followed (elected
   * meanwhile: the engine's state is read through the leader). `reached` false: not applied
   * far enough (`hasReached`).
   */
  read(query: ReadQuery): Promise<FollowedRead | null> {
    return this.followingHere ? this.store.readFollowed(query) : Promise.resolve(null);
  }

  /** Every row of the state, table by table, sorted by key (to compare replicas). */
  async dump(): Promise<Record<string, Array<[string, unknown]>>> {
    if (this.followingHere) {
      const dumped = await this.store.dumpFollowed();
      if (dumped) return dumped;
    }
    return stateDump(this.state);
  }

  /**
   * Follower path: applies consecutive entries the leader committed (as they come in a push or
   * a catch-up read), one after the other, and makes them durable locally in one write. The
   * bytes are stored as committed in the group log: re-encoding the decoded records costs CPU
   * on every follower and does not give back the same bytes (v8 serialization depends on the
   * values' internal representation), so the replicas' logs would differ byte-wise though
   * they hold the same records.
   */
  async applyCommittedRaw(raws: readonly RawLogEntry[]): Promise<void> {
    if (this.followingHere) {
      const checkpointed = this.store.checkpointIndex;
      await this.store.applyFollowed(raws);
      if (this.store.checkpointIndex > checkpointed) this.lastCheckpoint = monotonicNow();
      this.afterAppend();
      return;
    }
    const applied: RawLogEntry[] = [];
    try {
      for (const raw of raws) {
        const previous = applied.length > 0 ? applied[applied.length - 1]!.index : this.store.lastIndex;
        if (raw.index !== previous + 1) throw new Error(`Partition ${this.partitionId}: entry ${raw.index} does not follow ${previous}`);
        await applyLogEntry(this.state, this.models, decodeEntry(raw, this.partitionId));
        applied.push(raw);
      }
    } finally {
      // What was applied is stored even if a later entry failed: the state must not run ahead of the log.
      if (applied.length > 0) {
        await this.store.appendRawMany(applied);
        this.afterAppend();
      }
    }
  }

  /** A checkpoint is due: the interval has passed since the last one. */
  get checkpointDue(): boolean {
    return monotonicNow() - this.lastCheckpoint >= (this.options.checkpointIntervalMs ?? CHECKPOINT_INTERVAL_MS);
  }

  /**
   * Checkpoints at most once per interval and compacts the local log behind its retention.
   * `settled` says the in-memory state is exactly the log up to `lastIndex` — no batch was
   * processed that is not durable yet. A checkpoint writes the current rows labelled with
   * `lastIndex`, so one taken while later batches are in flight would carry their effects:
   * a leader deposed before they commit would restore state the group never committed.
   */
  afterAppend(settled = true): void {
    const now = monotonicNow();
    // A followed state is checkpointed by the worker that holds it.
    if (settled && !this.followingHere && this.checkpointDue) {
      this.lastCheckpoint = now;
      this.checkpoint().catch((err) => {
        this.options.logger.warn({ err }, 'checkpoint failed; the local database refuses writes until it is reopened');
        if (this.failed) this.options.onWriteFailure?.();
      });
    }
    const retention = this.options.logRetentionEntries;
    if (retention !== undefined && ++this.entriesSinceCompaction >= COMPACTION_INTERVAL_ENTRIES) {
      this.entriesSinceCompaction = 0;
      void this.store.compact(this.store.lastIndex - retention + 1).catch((err) => this.options.logger.warn({ err }, 'log compaction failed'));
    }
  }

  async checkpoint(): Promise<void> {
    if (this.followingHere) return;
    const full = this.rewriteAll;
    this.rewriteAll = false;
    return this.store.checkpoint(this.state, full).catch((err: unknown) => {
      // The changes taken for it (deletions too) are no longer tracked: rewrite everything next time.
      this.rewriteAll = true;
      throw err;
    });
  }

  readLog(fromIndex = 1): AsyncIterableIterator<LogEntry> {
    return this.store.readLog(fromIndex);
  }

  async close(): Promise<void> {
    await this.current?.close();
  }
}
