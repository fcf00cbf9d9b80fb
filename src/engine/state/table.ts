/**
 * A column family of engine state: an in-memory map whose changes are
 *  - journaled, so a command whose processing throws can be rolled back as a whole;
 *  - tracked as dirty, so the partition can write exactly the changed rows to SQLite
 *    in the same transaction as the batch's log entry;
 *  - observed by secondary indexes, which therefore can never drift from the rows.
 *
 * Rows are immutable values: callers replace a row with a new object instead of mutating
 * it, which is what makes the journal's "previous value" trustworthy.
 */

export type KeyCodec<K> = {
  encode(key: K): string;
  decode(text: string): K;
};

export const bigintKey: KeyCodec<bigint> = {
  encode: (key) => key.toString(),
  decode: (text) => BigInt(text),
};

export const stringKey: KeyCodec<string> = {
  encode: (key) => key,
  decode: (text) => text,
};

export type ChangeListener<K, V> = (key: K, previous: V | undefined, next: V | undefined) => void;

/** Shared by all tables of one state: the undo log of the command being processed. */
export class Journal {
  // Flat arrays rather than an object per change: this runs for every state write.
  private tables: Array<Table<unknown, unknown>> = [];
  private keys: unknown[] = [];
  private previous: unknown[] = [];
  private active = false;

  begin(): void {
    this.clear();
    this.active = true;
  }

  record<K, V>(table: Table<K, V>, key: K, previous: V | undefined): void {
    if (!this.active) return;
    this.tables.push(table as Table<unknown, unknown>);
    this.keys.push(key);
    this.previous.push(previous);
  }

  commit(): void {
    this.clear();
    this.active = false;
  }

  rollback(): void {
    // Undo runs with recording off, otherwise undoing would journal itself.
    this.active = false;
    for (let i = this.tables.length - 1; i >= 0; i--) this.tables[i]!.restore(this.keys[i], this.previous[i]);
    this.clear();
  }

  private clear(): void {
    if (this.tables.length === 0) return;
    this.tables = [];
    this.keys = [];
    this.previous = [];
  }
}

export interface PersistentTable {
  readonly name: string;
  /**
   * Rows changed since the last `takeDirty`, as encoded key → value (undefined = deleted);
   * a row that was absent at the last `takeDirty` and is absent again is left out.
   */
  takeDirty(): Array<[string, unknown | undefined]>;
  /** Loads a persisted row without journaling or dirty tracking. */
  loadRow(encodedKey: string, value: unknown): void;
  /** Every row, for snapshots and state comparison. */
  entries(): Array<[string, unknown]>;
  clear(): void;
}

export class Table<K, V> implements PersistentTable {
  private readonly rows = new Map<K, V>();
  /**
   * Rows changed since the last `takeDirty`, each with whether it was absent then. A row that
   * was absent and is absent again (a job created and completed between two checkpoints — most
   * rows under load) is not in the checkpointed rows, so it needs no deletion written.
   */
  private readonly dirty = new Map<K, boolean>();
  private readonly listeners: ChangeListener<K, V>[] = [];

  constructor(
    readonly name: string,
    private readonly codec: KeyCodec<K>,
    private readonly journal: Journal,
    /** Brings a row checkpointed by an older version to the current shape as it is loaded. */
    private readonly upgrade: (row: unknown) => V = (row) => row as V,
  ) {}

  /** Registers a secondary index maintainer; it sees every change, including undo. */
  onChange(listener: ChangeListener<K, V>): void {
    this.listeners.push(listener);
  }

  get(key: K): V | undefined {
    return this.rows.get(key);
  }

  has(key: K): boolean {
    return this.rows.has(key);
  }

  get size(): number {
    return this.rows.size;
  }

  values(): IterableIterator<V> {
    return this.rows.values();
  }

  set(key: K, value: V): void {
    const previous = this.rows.get(key);
    this.rows.set(key, value);
    if (!this.dirty.has(key)) this.dirty.set(key, previous === undefined);
    this.journal.record(this, key, previous);
    this.notify(key, previous, value);
  }

  delete(key: K): void {
    const previous = this.rows.get(key);
    if (previous === undefined) return;
    this.rows.delete(key);
    if (!this.dirty.has(key)) this.dirty.set(key, false);
    this.journal.record(this, key, previous);
    this.notify(key, previous, undefined);
  }

  takeDirty(): Array<[string, unknown | undefined]> {
    const out: Array<[string, unknown | undefined]> = [];
    for (const [key, wasAbsent] of this.dirty) {
      const value = this.rows.get(key);
      if (value === undefined && wasAbsent) continue;
      out.push([this.codec.encode(key), value]);
    }
    this.dirty.clear();
    return out;
  }

  loadRow(encodedKey: string, value: unknown): void {
    const key = this.codec.decode(encodedKey);
    const previous = this.rows.get(key);
    const row = this.upgrade(value);
    this.rows.set(key, row);
    this.notify(key, previous, row);
  }

  entries(): Array<[string, unknown]> {
    const out: Array<[string, unknown]> = [];
    for (const [key, value] of this.rows) out.push([this.codec.encode(key), value]);
    return out;
  }

  clear(): void {
    for (const [key, value] of this.rows) this.notify(key, value, undefined);
    this.rows.clear();
    this.dirty.clear();
  }

  /** Puts back a previous value (journal rollback). */
  restore(key: K, previous: V | undefined): void {
    const current = this.rows.get(key);
    if (previous === undefined) this.rows.delete(key);
    else this.rows.set(key, previous);
    this.notify(key, current, previous);
  }

  private notify(key: K, previous: V | undefined, next: V | undefined): void {
    for (const listener of this.listeners) listener(key, previous, next);
  }
}
