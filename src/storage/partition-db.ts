/**
 * One partition's SQLite database: the log (one row per committed batch) and a checkpoint
 * of the state rows. A batch commit writes only its log entry; the state rows changed since
 * the last checkpoint are written every so often, together with the log index they reflect.
 * A restart loads the checkpoint and replays the log entries after it — Zeebe's snapshot and
 * replay. Rows created and deleted between two checkpoints (most of a short instance's
 * state) are never written at all.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import Database from 'better-sqlite3';
import { ZenError } from '../errors.js';
import type { ZenRecord } from '../engine/records.js';
import type { EngineState } from '../engine/state/engine-state.js';
import { decodeRecords, encodeRecords } from './record-codec.js';

const SCHEMA_VERSION = 1;

export interface LogEntry {
  readonly index: number;
  readonly firstPosition: number;
  readonly lastPosition: number;
  /** The key counter after the batch: replay restores it exactly. */
  readonly keyCounter: bigint;
  readonly records: ZenRecord[];
}

export interface PartitionDbOptions {
  readonly path: string;
  readonly partitionId: number;
  readonly partitionCount: number;
  /** `full`: fsync on every commit; `normal`: fsync at checkpoints (safe against process crashes). */
  readonly syncMode: 'full' | 'normal';
}

export class PartitionDb {
  private readonly db: Database.Database;
  private readonly insertLog: Database.Statement;
  private readonly upsertRow: Database.Statement;
  private readonly deleteRow: Database.Statement;
  private readonly setMeta: Database.Statement;
  private lastIndex: number;
  private lastPosition: number;
  private checkpointed: number;

  constructor(readonly options: PartitionDbOptions) {
    mkdirSync(dirname(options.path), { recursive: true });
    this.db = new Database(options.path, { timeout: 0 });
    // One process per database: a second node on the same data directory would fork the state.
    this.db.pragma('locking_mode = EXCLUSIVE');
    try {
      this.db.pragma('journal_mode = WAL');
      this.db.exec('BEGIN IMMEDIATE; COMMIT');
    } catch (err) {
      this.db.close();
      if ((err as { code?: string }).code === 'SQLITE_BUSY') {
        throw new ZenError('FAILED_PRECONDITION', `${options.path} is in use by another process (is another Zen node running on this data directory?)`);
      }
      throw err;
    }
    this.db.pragma(`synchronous = ${options.syncMode === 'full' ? 'FULL' : 'NORMAL'}`);
    this.db.defaultSafeIntegers(true);
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS meta (k TEXT PRIMARY KEY, v TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS log (
        log_index INTEGER PRIMARY KEY,
        first_position INTEGER NOT NULL,
        last_position INTEGER NOT NULL,
        key_counter INTEGER NOT NULL,
        data BLOB NOT NULL
      );
      CREATE TABLE IF NOT EXISTS state (cf TEXT NOT NULL, k TEXT NOT NULL, v BLOB NOT NULL, PRIMARY KEY (cf, k)) WITHOUT ROWID;
    `);
    this.checkIdentity();
    this.insertLog = this.db.prepare('INSERT INTO log (log_index, first_position, last_position, key_counter, data) VALUES (?, ?, ?, ?, ?)');
    this.upsertRow = this.db.prepare('INSERT INTO state (cf, k, v) VALUES (?, ?, ?) ON CONFLICT (cf, k) DO UPDATE SET v = excluded.v');
    this.deleteRow = this.db.prepare('DELETE FROM state WHERE cf = ? AND k = ?');
    this.setMeta = this.db.prepare('INSERT INTO meta (k, v) VALUES (?, ?) ON CONFLICT (k) DO UPDATE SET v = excluded.v');
    const last = this.db.prepare('SELECT log_index, last_position FROM log ORDER BY log_index DESC LIMIT 1').get() as
      | { log_index: bigint; last_position: bigint }
      | undefined;
    const compactedTo = this.meta('compacted_index');
    const compactedPosition = this.meta('compacted_position');
    this.lastIndex = last ? Number(last.log_index) : Number(compactedTo ?? 0);
    this.lastPosition = last ? Number(last.last_position) : Number(compactedPosition ?? 0);
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

  get lastLogIndex(): number {
    return this.lastIndex;
  }

  get lastLogPosition(): number {
    return this.lastPosition;
  }

  /** Loads the checkpointed state rows into `state` (a fresh EngineState); replay the log after `checkpointIndex`. */
  loadState(state: EngineState): void {
    const tables = new Map(state.tables().map((t) => [t.name, t]));
    const rows = this.db.prepare('SELECT cf, k, v FROM state').iterate() as IterableIterator<{ cf: string; k: string; v: Buffer }>;
    for (const row of rows) {
      const table = tables.get(row.cf);
      if (!table) throw new Error(`Unknown state table '${row.cf}' in ${this.options.path}`);
      table.loadRow(row.k, deserialize(row.v));
    }
  }

  /**
   * Appends one batch and writes the state rows it changed, atomically. Positions are
   * assigned here: the batch's records are numbered from the previous batch's last position.
   */
  commit(state: EngineState, records: ZenRecord[]): LogEntry | null {
    if (records.length === 0) return null;
    let position = this.lastPosition;
    let commandPosition = -1;
    for (const record of records) {
      record.position = ++position;
      if (record.recordType === 'COMMAND') commandPosition = position;
      else record.sourceRecordPosition = commandPosition;
    }
    const entry: LogEntry = {
      index: this.lastIndex + 1,
      firstPosition: this.lastPosition + 1,
      lastPosition: position,
      keyCounter: state.keyCounter,
      records,
    };
    this.appendEntry(entry);
    return entry;
  }

  /**
   * Writes the state rows changed since the last checkpoint, marked as reflecting the log up
   * to the last appended entry. Returns the number of rows written.
   */
  checkpoint(state: EngineState): number {
    const dirty = state.tables().map((t) => [t.name, t.takeDirty()] as const);
    let written = 0;
    this.db.transaction(() => {
      for (const [name, rows] of dirty) {
        for (const [key, value] of rows) {
          if (value === undefined) this.deleteRow.run(name, key);
          else this.upsertRow.run(name, key, serialize(value));
          written++;
        }
      }
      this.setMeta.run('checkpoint_index', String(this.lastIndex));
    })();
    this.checkpointed = this.lastIndex;
    return written;
  }

  /** The log index the stored state rows reflect; entries after it must be replayed. */
  get checkpointIndex(): number {
    return this.checkpointed;
  }

  /** Log entries from `fromIndex` on, in order. */
  *readLog(fromIndex = 1): IterableIterator<LogEntry> {
    const rows = this.db
      .prepare('SELECT log_index, first_position, last_position, key_counter, data FROM log WHERE log_index >= ? ORDER BY log_index')
      .iterate(fromIndex) as IterableIterator<{ log_index: bigint; first_position: bigint; last_position: bigint; key_counter: bigint; data: Buffer }>;
    for (const row of rows) {
      yield {
        index: Number(row.log_index),
        firstPosition: Number(row.first_position),
        lastPosition: Number(row.last_position),
        keyCounter: row.key_counter,
        records: decodeRecords(row.data, this.options.partitionId),
      };
    }
  }

  /** Appends an entry (this partition's, or one produced elsewhere), keeping its numbering. */
  appendEntry(entry: LogEntry): void {
    if (entry.index !== this.lastIndex + 1) {
      throw new Error(`Log entry ${entry.index} does not follow ${this.lastIndex} in ${this.options.path}`);
    }
    this.insertLog.run(entry.index, entry.firstPosition, entry.lastPosition, entry.keyCounter, encodeRecords(entry.records));
    this.lastIndex = entry.index;
    this.lastPosition = entry.lastPosition;
  }

  /**
   * Drops log entries below `keepFromIndex`. The state rows already hold their effect, so
   * this only limits how far back replay and lagging followers can go.
   */
  compactLog(keepFromIndex: number): number {
    // Entries after the checkpoint are still needed to restart.
    const below = Math.min(keepFromIndex, this.checkpointed + 1);
    const last = this.db.prepare('SELECT log_index, last_position FROM log WHERE log_index < ? ORDER BY log_index DESC LIMIT 1').get(below) as
      | { log_index: bigint; last_position: bigint }
      | undefined;
    if (!last) return 0;
    const result = this.db.transaction(() => {
      this.setMeta.run('compacted_index', String(last.log_index));
      this.setMeta.run('compacted_position', String(last.last_position));
      return this.db.prepare('DELETE FROM log WHERE log_index < ?').run(below);
    })();
    return result.changes;
  }

  /** All state rows as decoded values, sorted: for comparing two databases. */
  dumpState(): Record<string, Array<[string, unknown]>> {
    const out: Record<string, Array<[string, unknown]>> = {};
    const rows = this.db.prepare('SELECT cf, k, v FROM state ORDER BY cf, k').iterate() as IterableIterator<{ cf: string; k: string; v: Buffer }>;
    for (const row of rows) (out[row.cf] ??= []).push([row.k, deserialize(row.v)]);
    return out;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
