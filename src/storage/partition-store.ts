/**
 * The main thread's face of a partition's database. Everything runs in the storage worker
 * (store-worker.ts), in the order it was asked; this side encodes records and serializes
 * state rows, so the worker only moves bytes. `append` resolves once the entry is durable.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { ZenError, type ErrorCode } from '../errors.js';
import type { PartitionPage, PartitionSearch } from '../history/search/run.js';
import type { AggregateResult, HistoryAggregate } from '../history/statistics/aggregate.js';
import type { EngineState } from '../engine/state/engine-state.js';
import { decodeEntry, encodeEntry, type LogEntry, type RawLogEntry } from './log-entry.js';
import type { StoreInfo, StoreOptions } from './sqlite-store.js';
import { checkpointRows, loadStateRows } from './state-rows.js';
import type { FollowedRead, StoreReply, StoreRequest } from './store-protocol.js';
import type { ReadQuery } from '../engine/read-views.js';

const READ_CHUNK = 256;

/**
 * The compiled worker script at `path` (relative to `src/` and `dist/`) next to `base` (a
 * module's `import.meta.url`). Running from the TypeScript sources (tests), the compiled one
 * is used: `npm test` builds first.
 */
export function workerScript(base: string, sibling: string, path: string): URL {
  const next = new URL(sibling, base);
  if (existsSync(fileURLToPath(next))) return next;
  return new URL(`../../dist/${path}`, base);
}

/**
 * Entries to post to the worker. Posting a view clones the whole buffer under it — a pushed
 * batch, a 16 KiB inflate output — so the worker gets exact copies instead, handed over
 * (transferred) rather than cloned.
 */
function handOver(entries: readonly RawLogEntry[]): [RawLogEntry[], ArrayBuffer[]] {
  const copies = entries.map((entry) => ({ ...entry, data: new Uint8Array(entry.data) }));
  return [copies, copies.map((c) => c.data.buffer as ArrayBuffer)];
}

export class PartitionStore {
  private readonly worker: Worker;
  private readonly pending = new Map<number, { resolve: (value: unknown) => void; reject: (err: Error) => void }>();
  private nextId = 0;
  private info: StoreInfo = { lastIndex: 0, lastPosition: 0, checkpointIndex: 0 };
  private failure: Error | null = null;
  /**
   * The first failed append or checkpoint. The worker refuses every later write with it (see
   * SqliteStore), and so does this side at once: the in-memory state and `lastIndex` may be
   * ahead of the disk, and only closing and reopening the store (which rebuilds from what is
   * durable) clears it.
   */
  private writeFailure: Error | null = null;

  private constructor(
    readonly options: StoreOptions,
    script: URL,
  ) {
    this.worker = new Worker(script);
    this.worker.on('message', (reply: StoreReply) => this.settle(reply));
    this.worker.on('error', (err) => this.fail(err));
    this.worker.on('exit', (code) => this.fail(new Error(`The storage worker exited with code ${code}`)));
  }

  /** Opens the database in a storage worker; `script` runs a worker that does more (partition/replica-worker.ts). */
  static async open(options: StoreOptions, script = workerScript(import.meta.url, './store-worker.js', 'storage/store-worker.js')): Promise<PartitionStore> {
    const store = new PartitionStore(options, script);
    try {
      store.info = (await store.request({ op: 'open', options })) as StoreInfo;
    } catch (err) {
      await store.worker.terminate();
      throw err;
    }
    return store;
  }

  /** Why this store refuses writes (a failed append or checkpoint, or the worker gone), or null. */
  get failed(): Error | null {
    return this.writeFailure ?? this.failure;
  }

  /** Test hook: the next append or checkpoint fails in the worker as on a full disk. */
  injectFault(kind: 'append' | 'checkpoint'): Promise<void> {
    return this.request({ op: 'injectFault', kind }) as Promise<void>;
  }

  get lastIndex(): number {
    return this.info.lastIndex;
  }

  get lastPosition(): number {
    return this.info.lastPosition;
  }

  get checkpointIndex(): number {
    return this.info.checkpointIndex;
  }

  /** Re-reads the durable position (after a failed append, the optimistic one is wrong). */
  async refresh(): Promise<void> {
    this.info = (await this.request({ op: 'info' })) as StoreInfo;
  }

  /** Loads the checkpointed rows into a fresh state; the log after `checkpointIndex` must be replayed. */
  async loadState(state: EngineState): Promise<void> {
    const rows = (await this.request({ op: 'stateRows' })) as Array<[string, string, Uint8Array]>;
    loadStateRows(state, rows, this.options.path);
  }

  /** Log entries from `fromIndex` on, decoded, in order. */
  async *readLog(fromIndex = 1): AsyncIterableIterator<LogEntry> {
    let next = fromIndex;
    for (;;) {
      const raw = (await this.request({ op: 'readEntries', fromIndex: next, limit: READ_CHUNK })) as RawLogEntry[];
      for (const entry of raw) yield decodeEntry(entry, this.options.partitionId);
      if (raw.length < READ_CHUNK) return;
      next = raw[raw.length - 1]!.index + 1;
    }
  }

  /**
   * Appends an entry; resolves when it is durable. Entries must come in index order, which
   * `nextIndex()` hands out; the worker writes them in the order they were asked.
   */
  append(entry: LogEntry): Promise<void> {
    return this.appendRaw(encodeEntry(entry));
  }

  /** Appends an already encoded entry (a leader encodes once for etcd and for its own log). */
  appendRaw(entry: RawLogEntry): Promise<void> {
    return this.appendRawMany([entry]);
  }

  /** Appends consecutive encoded entries in one transaction; resolves when all are durable. */
  appendRawMany(entries: readonly RawLogEntry[]): Promise<void> {
    const last = entries[entries.length - 1];
    if (!last) return Promise.resolve();
    if (this.writeFailure) return Promise.reject(this.writeFailure);
    this.info = { ...this.info, lastIndex: last.index, lastPosition: last.lastPosition };
    const [copies, transfer] = handOver(entries);
    return this.write({ op: 'append', entries: copies }, transfer) as Promise<void>;
  }

  /** One page of a history search on this partition, run in the storage worker. */
  searchHistory(search: PartitionSearch): Promise<PartitionPage> {
    return this.request({ op: 'searchHistory', search }) as Promise<PartitionPage>;
  }

  /** Statistics or sequence flows of this partition's history, computed in the storage worker. */
  aggregateHistory(aggregate: HistoryAggregate): Promise<AggregateResult> {
    return this.request({ op: 'aggregateHistory', aggregate }) as Promise<AggregateResult>;
  }

  /** Whether an instance that ended before `cutoff` is still in the history (null: no history kept here). */
  historyExpired(cutoff: number): Promise<boolean | null> {
    return this.request({ op: 'historyExpired', cutoff }) as Promise<boolean | null>;
  }

  /**
   * Writes a snapshot of the partition to `path` (for a member that needs one: see
   * SqliteStore.snapshotTo) and resolves with the log index the copy holds and its position.
   */
  snapshot(path: string): Promise<{ index: number; position: number }> {
    if (this.writeFailure) return Promise.reject(this.writeFailure);
    return this.request({ op: 'snapshot', path }) as Promise<{ index: number; position: number }>;
  }

  /**
   * Copies the whole database to `path` while appends go on (SqliteStore.backupTo); resolves
   * with the log index and position the copy holds. For backups.
   */
  backup(path: string): Promise<{ index: number; position: number }> {
    if (this.writeFailure) return Promise.reject(this.writeFailure);
    return this.request({ op: 'backup', path }) as Promise<{ index: number; position: number }>;
  }

  /**
   * Writes the state rows changed since the last checkpoint, as of the last appended entry;
   * with `full`, replaces the checkpointed state with all rows (after a failed checkpoint,
   * whose changes — deletions included — are no longer tracked).
   */
  async checkpoint(state: EngineState, full = false): Promise<void> {
    if (this.writeFailure) throw this.writeFailure;
    const rows = checkpointRows(state, full);
    const index = this.info.lastIndex;
    await this.write({ op: 'checkpoint', index, rows, reset: full });
    this.info = { ...this.info, checkpointIndex: Math.max(this.info.checkpointIndex, index) };
  }

  /**
   * From now on the worker holds the state, built from the checkpoint and the log after it
   * (partition/follower-state.ts); the worker must run partition/replica-worker.ts.
   */
  async follow(checkpointIntervalMs: number): Promise<void> {
    this.info = (await this.request({ op: 'follow', partitionId: this.options.partitionId, checkpointIntervalMs })) as StoreInfo;
  }

  /** Applies committed entries to the followed state and appends them; resolves once both are done. */
  async applyFollowed(entries: readonly RawLogEntry[]): Promise<void> {
    if (entries.length === 0) return;
    if (this.writeFailure) throw this.writeFailure;
    const [copies, transfer] = handOver(entries);
    // On failure nothing of the call was written, and the store refuses writes (see write()).
    this.info = (await this.write({ op: 'applyFollowed', entries: copies }, transfer)) as StoreInfo;
  }

  /** The worker checkpoints the followed state and drops it: `loadState` then gets all of it. */
  async unfollow(): Promise<void> {
    this.info = (await this.write({ op: 'unfollow' })) as StoreInfo;
  }

  /** A read of the followed state; null when this store does not follow. */
  readFollowed(query: ReadQuery): Promise<FollowedRead | null> {
    return this.request({ op: 'readFollowed', query }) as Promise<FollowedRead | null>;
  }

  /** Every row of the followed state, table by table (for comparisons); null when not following. */
  dumpFollowed(): Promise<Record<string, Array<[string, unknown]>> | null> {
    return this.request({ op: 'dumpFollowed' }) as Promise<Record<string, Array<[string, unknown]>> | null>;
  }

  compact(keepFromIndex: number): Promise<number> {
    if (this.writeFailure) return Promise.reject(this.writeFailure);
    return this.request({ op: 'compact', keepFromIndex }) as Promise<number>;
  }

  /** Resolves once the worker has answered everything asked before and closed the database. */
  async close(): Promise<void> {
    if (this.failure) return;
    try {
      await this.request({ op: 'close' });
    } finally {
      await this.worker.terminate();
    }
  }

  /** A write whose failure poisons this side too, so nothing asked after it reaches the worker. */
  private write(request: StoreRequest, transfer: ArrayBuffer[] = []): Promise<unknown> {
    return this.request(request, transfer).catch((err: unknown) => {
      this.writeFailure ??= err instanceof Error ? err : new Error(String(err));
      throw err;
    });
  }

  private request(request: StoreRequest, transfer: ArrayBuffer[] = []): Promise<unknown> {
    if (this.failure) return Promise.reject(this.failure);
    const id = ++this.nextId;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ ...request, id }, transfer);
    });
  }

  private settle(reply: StoreReply): void {
    const waiting = this.pending.get(reply.id);
    if (!waiting) return;
    this.pending.delete(reply.id);
    if (reply.ok) waiting.resolve(reply.result);
    else {
      const { message, code, zen } = reply.error;
      waiting.reject(zen ? new ZenError(code as ErrorCode, message) : new Error(message));
    }
  }

  private fail(err: Error): void {
    if (this.failure) return;
    this.failure = err;
    for (const waiting of this.pending.values()) waiting.reject(err);
    this.pending.clear();
  }
}
