/**
 * One partition's SQLite database, at the level of bytes: the log (one row per committed
 * batch, records already encoded) and a checkpoint of the state rows (already serialized)
 * with the log index they reflect. It knows nothing of the engine, so it can run in the
 * storage worker thread; `PartitionStore` is its face on the main thread.
 *
 * A restart loads the checkpoint and replays the log after it (Zeebe's snapshot and replay);
 * rows created and deleted between two checkpoints are never written at all.
 *
 * What is durable when (power loss, OS crash; kill -9 loses nothing committed either way): with
 * `full`, every commit. With `normal`, log appends are not synced, but every checkpoint commit
 * is, and with it everything committed before it (the WAL is one file, synced up to its end):
 * `checkpointIndex` — what a cluster member reports to etcd, which then drops its log below
 * it — is durable by construction. So is the database found at `path` once it is opened,
 * directories included (a snapshot renamed into place, a fresh data directory).
 */
import { mkdirSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { ZenError } from '../errors.js';
import { syncFileIfExists, syncPathTo } from './durable-paths.js';
import { HistoryProjector } from '../history/projector.js';
import { hasExpiredInstances } from '../history/projectors/history-cleanup.js';
import { historySchema, HISTORY_TABLES } from '../history/schema.js';
import { searchPartition, type PartitionPage, type PartitionSearch } from '../history/search/run.js';
import type { AggregateResult, HistoryAggregate } from '../history/statistics/aggregate.js';
import { runAggregate } from '../history/statistics/run.js';
import type { ZenRecord } from '../engine/records.js';
import type { RawLogEntry } from './log-entry.js';
import { decodeRecords } from './record-codec.js';

const SCHEMA_VERSION = 1;
/** Pages (4 KiB) an online backup copies before it lets the worker serve other requests. */
const BACKUP_PAGES_PER_SLICE = 256;

/** The tables, in the database attached as `db` (`main` is the store's own). */
function schema(db: string): string {
  return `
    CREATE TABLE IF NOT EXISTS ${db}.meta (k TEXT PRIMARY KEY, v TEXT NOT NULL);
    CREATE TABLE IF NOT EXISTS ${db}.log (
      log_index INTEGER PRIMARY KEY,
      first_position INTEGER NOT NULL,
      last_position INTEGER NOT NULL,
      key_counter INTEGER NOT NULL,
      data BLOB NOT NULL
    );
    CREATE TABLE IF NOT EXISTS ${db}.state (cf TEXT NOT NULL, k TEXT NOT NULL, v BLOB NOT NULL, PRIMARY KEY (cf, k)) WITHOUT ROWID;
  `;
}

export interface StoreOptions {
  readonly path: string;
  readonly partitionId: number;
  readonly partitionCount: number;
  /**
   * `full`: every commit is fsynced. `normal`: log appends are not (they survive kill -9, not a
   * power loss: a cluster has them in etcd), checkpoints are, and with them the log up to them.
   */
  readonly syncMode: 'full' | 'normal';
  /** Keep the history tables (ADR 010) as entries are appended; default true. */
  readonly history?: boolean;
}

export interface StoreInfo {
  readonly lastIndex: number;
  readonly lastPosition: number;
  /** Durable in either sync mode, with the log up to it. */
  readonly checkpointIndex: number;
}

/** A state row: column family, encoded key, serialized value (null = delete). */
export type StateRow = readonly [cf: string, key: string, value: Uint8Array | null];

/**
 * The error a failed write poisons the store with: a full disk is RESOURCE_EXHAUSTED (it may
 * clear), anything else UNAVAILABLE. SQLite's message names no data, only the condition.
 */
function storeFailure(err: unknown, partitionId: number): ZenError {
  const code = (err as { code?: string }).code;
  const message = err instanceof Error ? err.message : String(err);
  if (code === 'SQLITE_FULL') return new ZenError('RESOURCE_EXHAUSTED', `Partition ${partitionId} cannot write to its local disk (disk full: ${message})`);
  return new ZenError('UNAVAILABLE', `Partition ${partitionId} cannot write to its local database: ${message}`);
}

export class SqliteStore {
  private readonly db: Database.Database;
  private readonly insertLog: Database.Statement;
  private readonly upsertRow: Database.Statement;
  private readonly deleteRow: Database.Statement;
  private readonly setMeta: Database.Statement;
  private readonly history: HistoryProjector | null;
  private lastIndex: number;
  private lastPosition: number;
  private checkpointed: number;
  /**
   * The first failed write (log append or checkpoint). From then on every write is refused with
   * it until the store is closed: a checkpoint or append queued behind a failed append would
   * label state with entries that never reached the disk. The owner reopens the store, which
   * rebuilds from what is durable.
   */
  private failure: Error | null = null;
  /** Test hook (`injectFault`): the next write of this kind fails as a full disk would. */
  private faultNext: 'append' | 'checkpoint' | null = null;

  constructor(readonly options: StoreOptions) {
    const created = mkdirSync(dirname(options.path), { recursive: true });
    // Whatever put a database file here (a snapshot install, a copy) may not have synced it.
    // Now, before SQLite holds it open (see syncFileIfExists); its name below.
    syncFileIfExists(options.path);
    this.db = new Database(options.path, { timeout: 0 });
    // One process per database: a second node on the same data directory would fork the state.
    this.db.pragma('locking_mode = EXCLUSIVE');
    try {
      this.db.pragma('journal_mode = WAL');
      this.db.exec('BEGIN IMMEDIATE; COMMIT');
      // The file's name (created just now, or renamed into place) and the directories leading
      // to it: without them a power loss loses the database, however well its content was synced.
      syncPathTo(options.path, created);
    } catch (err) {
      this.db.close();
      if ((err as { code?: string }).code === 'SQLITE_BUSY') {
        throw new ZenError('FAILED_PRECONDITION', `${options.path} is in use by another process (is another Zen node running on this data directory?)`);
      }
      throw err;
    }
    this.db.pragma(`synchronous = ${options.syncMode === 'full' ? 'FULL' : 'NORMAL'}`);
    this.db.defaultSafeIntegers(true);
    this.db.exec(schema('main'));
    this.checkIdentity();
    this.insertLog = this.db.prepare('INSERT INTO log (log_index, first_position, last_position, key_counter, data) VALUES (?, ?, ?, ?, ?)');
    this.upsertRow = this.db.prepare('INSERT INTO state (cf, k, v) VALUES (?, ?, ?) ON CONFLICT (cf, k) DO UPDATE SET v = excluded.v');
    this.deleteRow = this.db.prepare('DELETE FROM state WHERE cf = ? AND k = ?');
    this.setMeta = this.db.prepare('INSERT INTO meta (k, v) VALUES (?, ?) ON CONFLICT (k) DO UPDATE SET v = excluded.v');
    this.history = options.history === false ? null : new HistoryProjector(this.db);
    const last = this.db.prepare('SELECT log_index, last_position FROM log ORDER BY log_index DESC LIMIT 1').get() as
      | { log_index: bigint; last_position: bigint }
      | undefined;
    this.lastIndex = last ? Number(last.log_index) : Number(this.meta('compacted_index') ?? 0);
    this.lastPosition = last ? Number(last.last_position) : Number(this.meta('compacted_position') ?? 0);
    this.checkpointed = Number(this.meta('checkpoint_index') ?? 0);
  }

  /** A database belongs to one partition of a cluster with a fixed partition count. */
  private checkIdentity(): void {
    const stored = this.meta('identity');
    const identity = `${SCHEMA_VERSION}:${this.options.partitionId}/${this.options.partitionCount}`;
    if (stored === undefined) this.db.prepare('INSERT INTO meta (k, v) VALUES (?, ?)').run('identity', identity);
    else if (stored !== identity) {
      const [schema, part] = stored.split(':');
      if (Number(schema) !== SCHEMA_VERSION) {
        throw new ZenError('FAILED_PRECONDITION', `${this.options.path} has schema version ${schema}; this Zen expects ${SCHEMA_VERSION}`);
      }
      throw new ZenError(
        'FAILED_PRECONDITION',
        `${this.options.path} belongs to partition ${part}, but this node is configured as partition ` +
          `${this.options.partitionId}/${this.options.partitionCount}; the partition count of existing data cannot change`,
      );
    }
  }

  private meta(key: string): string | undefined {
    const row = this.db.prepare('SELECT v FROM meta WHERE k = ?').get(key) as { v: string } | undefined;
    return row?.v;
  }

  info(): StoreInfo {
    return { lastIndex: this.lastIndex, lastPosition: this.lastPosition, checkpointIndex: this.checkpointed };
  }

  /** Every checkpointed state row. */
  stateRows(): Array<[string, string, Uint8Array]> {
    const rows = this.db.prepare('SELECT cf, k, v FROM state ORDER BY cf, k').raw().all() as Array<[string, string, Buffer]>;
    return rows;
  }

  /** Up to `limit` log entries from `fromIndex` on, in order. */
  readEntries(fromIndex: number, limit: number): RawLogEntry[] {
    const rows = this.db
      .prepare('SELECT log_index, first_position, last_position, key_counter, data FROM log WHERE log_index >= ? ORDER BY log_index LIMIT ?')
      .all(fromIndex, limit) as Array<{ log_index: bigint; first_position: bigint; last_position: bigint; key_counter: bigint; data: Buffer }>;
    return rows.map((row) => ({
      index: Number(row.log_index),
      firstPosition: Number(row.first_position),
      lastPosition: Number(row.last_position),
      keyCounter: row.key_counter,
      data: row.data,
    }));
  }

  get failed(): Error | null {
    return this.failure;
  }

  /** Makes the next append or checkpoint fail with SQLITE_FULL, for tests of the recovery. */
  injectFault(kind: 'append' | 'checkpoint'): void {
    this.faultNext = kind;
  }

  private assertWritable(): void {
    if (this.failure) throw this.failure;
  }

  /** Runs a write that poisons the store if it fails; the error it throws is the one kept. */
  private poisonOnFailure<T>(kind: 'append' | 'checkpoint', write: () => T): T {
    this.assertWritable();
    try {
      if (this.faultNext === kind) {
        this.faultNext = null;
        throw Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
      }
      return write();
    } catch (err) {
      this.failure = storeFailure(err, this.options.partitionId);
      throw this.failure;
    }
  }

  /**
   * Appends entries in one transaction (one fsync), keeping their numbering. `decoded`, when
   * given, holds each entry's records already decoded (a follower that applies them decodes
   * once for both), and `afterEach` runs inside the transaction after each entry is projected:
   * if it throws, nothing of the call is written.
   */
  appendEntries(entries: readonly RawLogEntry[], decoded?: readonly (readonly ZenRecord[])[], afterEach?: (i: number) => void): void {
    this.poisonOnFailure('append', () => this.appendUnchecked(entries, decoded, afterEach));
  }

  private appendUnchecked(entries: readonly RawLogEntry[], decoded?: readonly (readonly ZenRecord[])[], afterEach?: (i: number) => void): void {
    let expected = this.lastIndex + 1;
    for (const entry of entries) {
      if (entry.index !== expected++) throw new Error(`Log entry ${entry.index} does not follow ${expected - 2} in ${this.options.path}`);
    }
    this.db.transaction(() => {
      for (let i = 0; i < entries.length; i++) {
        const e = entries[i]!;
        this.insertLog.run(e.index, e.firstPosition, e.lastPosition, e.keyCounter, e.data);
        if (this.history) this.history.project(decoded?.[i] ?? decodeRecords(Buffer.from(e.data.buffer, e.data.byteOffset, e.data.byteLength), this.options.partitionId));
        afterEach?.(i);
      }
    })();
    const last = entries[entries.length - 1];
    if (last) {
      this.lastIndex = last.index;
      this.lastPosition = last.lastPosition;
    }
  }

  /**
   * Writes changed state rows, marked as reflecting the log up to `index` (already appended).
   * Durable when it returns, in either sync mode: the index is reported as safe to drop from etcd.
   */
  writeCheckpoint(index: number, rows: readonly StateRow[], reset = false): void {
    this.poisonOnFailure('checkpoint', () => this.checkpointUnchecked(index, rows, reset));
  }

  private checkpointUnchecked(index: number, rows: readonly StateRow[], reset: boolean): void {
    if (index > this.lastIndex) throw new Error(`Checkpoint at ${index} is ahead of the log (${this.lastIndex})`);
    this.synced(() => {
      // `rows` is then the whole state: rows deleted since the last good checkpoint go too.
      if (reset) this.db.prepare('DELETE FROM state').run();
      for (const [cf, key, value] of rows) {
        if (value === null) this.deleteRow.run(cf, key);
        else this.upsertRow.run(cf, key, value);
      }
      this.setMeta.run('checkpoint_index', String(index));
    });
    this.checkpointed = index;
  }

  /**
   * Runs `write` as a transaction whose commit is fsynced even on a `normal` connection: one
   * WAL fsync (about once a second, per checkpoint) that also makes every append before it durable.
   */
  private synced(write: () => void): void {
    const transaction = this.db.transaction(write);
    if (this.options.syncMode === 'full') return transaction();
    this.db.pragma('synchronous = FULL');
    try {
      transaction();
    } finally {
      this.db.pragma('synchronous = NORMAL');
    }
  }

  /**
   * Drops log entries below `keepFromIndex`, never one after the checkpoint (a restart
   * needs those). Returns how many were dropped. Not synced: should a power loss keep this
   * commit, it keeps the checkpoint committed (and synced) before it too.
   */
  compact(keepFromIndex: number): number {
    this.assertWritable();
    const below = Math.min(keepFromIndex, this.checkpointed + 1);
    const last = this.db.prepare('SELECT log_index, last_position FROM log WHERE log_index < ? ORDER BY log_index DESC LIMIT 1').get(below) as
      | { log_index: bigint; last_position: bigint }
      | undefined;
    if (!last) return 0;
    return this.db.transaction(() => {
      this.setMeta.run('compacted_index', String(last.log_index));
      this.setMeta.run('compacted_position', String(last.last_position));
      return this.db.prepare('DELETE FROM log WHERE log_index < ?').run(below).changes;
    })();
  }

  /**
   * Writes a snapshot of the partition to a new database at `path`: the checkpointed state
   * rows and the log after the checkpoint — what a replica needs to rebuild the state of
   * `lastIndex`, without the log before the checkpoint (which can be most of the database: it
   * is kept for restarts and tools, not needed by a new member). Returns the index it reaches
   * and the position of that entry's last record.
   */
  snapshotTo(path: string): { index: number; position: number } {
    this.assertWritable();
    rmSync(path, { force: true });
    this.db.prepare('ATTACH DATABASE ? AS snap').run(path);
    try {
      this.db.exec(schema('snap'));
      if (this.history) this.db.exec(historySchema('snap'));
      this.db.transaction(() => {
        this.db.exec('INSERT INTO snap.meta SELECT * FROM main.meta; INSERT INTO snap.state SELECT * FROM main.state');
        // History as of the last entry: the copy's log replays into memory only, not into these.
        if (this.history) for (const table of HISTORY_TABLES) this.db.exec(`INSERT INTO snap.${table} SELECT * FROM main.${table}`);
        this.db.prepare('INSERT INTO snap.log SELECT * FROM main.log WHERE log_index > ?').run(this.checkpointed);
        // The log in the copy starts after the checkpoint, as if compacted up to it.
        const at = this.db.prepare('SELECT last_position FROM main.log WHERE log_index = ?').get(this.checkpointed) as { last_position: bigint } | undefined;
        const position = at ? String(at.last_position) : (this.meta('compacted_position') ?? '0');
        const put = this.db.prepare('INSERT INTO snap.meta (k, v) VALUES (?, ?) ON CONFLICT (k) DO UPDATE SET v = excluded.v');
        put.run('compacted_index', String(this.checkpointed));
        put.run('compacted_position', position);
      })();
    } finally {
      this.db.exec('DETACH DATABASE snap');
    }
    return { index: this.lastIndex, position: this.lastPosition };
  }

  /**
   * Copies the whole database to a new one at `path` with SQLite's online backup, a slice of
   * pages at a time: between slices the worker goes on with appends and checkpoints, whose
   * changes the backup carries over (they are made through this very connection), so the copy
   * is the database as of its last slice — one log index — and appends wait for one slice at
   * most instead of the whole copy (a backup, src/backup/). Resolves with the index and
   * position the copy holds, read from the copy itself.
   */
  async backupTo(path: string): Promise<{ index: number; position: number }> {
    this.assertWritable();
    for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(`${path}${suffix}`, { force: true });
    await this.db.backup(path, { progress: () => BACKUP_PAGES_PER_SLICE });
    const copy = new Database(path);
    try {
      // One self-contained file to upload: no WAL beside it.
      copy.pragma('journal_mode = DELETE');
      copy.defaultSafeIntegers(true);
      const last = copy.prepare('SELECT log_index, last_position FROM log ORDER BY log_index DESC LIMIT 1').get() as { log_index: bigint; last_position: bigint } | undefined;
      if (last) return { index: Number(last.log_index), position: Number(last.last_position) };
      const meta = (k: string) => (copy.prepare('SELECT v FROM meta WHERE k = ?').get(k) as { v: string } | undefined)?.v;
      return { index: Number(meta('compacted_index') ?? 0), position: Number(meta('compacted_position') ?? 0) };
    } finally {
      copy.close();
    }
  }

  /** One page of a history search on this partition (ADR 010). */
  searchHistory(search: PartitionSearch): PartitionPage {
    if (!this.history) throw new ZenError('FAILED_PRECONDITION', `Partition ${this.options.partitionId} keeps no history on this node`);
    return searchPartition(this.db, search);
  }

  /** Statistics or sequence flows on this partition's history (history/statistics/). */
  aggregateHistory(aggregate: HistoryAggregate): AggregateResult {
    if (!this.history) throw new ZenError('FAILED_PRECONDITION', `Partition ${this.options.partitionId} keeps no history on this node`);
    return runAggregate(this.db, aggregate);
  }

  /** Whether an instance that ended before `cutoff` is still in the history; null when this replica keeps none. */
  historyExpired(cutoff: number): boolean | null {
    return this.history ? hasExpiredInstances(this.db, cutoff) : null;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
