/**
 * Checks that a real node's partition data is what replaying its log rebuilds. On a stopped
 * node's data dir, for every partition database: the checkpointed state rows, loaded into a
 * fresh EngineState, must equal the state that applying the log entries gives (the way a
 * follower or a restart applies them, `applyLogEntry`).
 *
 * The check is incremental, because the standalone node compacts its local log to the last
 * 10,000 entries: per partition it keeps the state replayed so far and the last index applied,
 * and each check applies only the entries after it. If the log no longer holds the next entry
 * needed, the check fails and says to check more often.
 *
 * A graceful stop (SIGTERM) checkpoints at close, so the rows are the live state; `checkNode`
 * stops the node, checks and starts it again.
 */
import { inspect, isDeepStrictEqual } from 'node:util';
import { deserialize } from 'node:v8';
import { expect } from 'vitest';
import { ModelCache } from '../../src/engine/models.js';
import { EngineState } from '../../src/engine/state/engine-state.js';
import { applyLogEntry } from '../../src/partition/log-applier.js';
import { partitionDbPath } from '../../src/partition/replica.js';
import { decodeEntry } from '../../src/storage/log-entry.js';
import { SqliteStore } from '../../src/storage/sqlite-store.js';
import { dumpState } from './engine-harness.js';
import type { ZenServer } from './server-process.js';

/** Log entries read from the database at a time. */
const READ_CHUNK = 500;

/** What one check saw, over all partitions. */
export interface ReplaySummary {
  /** Entries this check applied. */
  readonly applied: number;
  /** Entries applied by every check so far. */
  readonly appliedTotal: number;
  /** Rows per table of the checked state (summed over partitions). */
  readonly rows: Readonly<Record<string, number>>;
}

interface Replayed {
  readonly state: EngineState;
  readonly models: ModelCache;
  /** The last log index applied to `state`. */
  lastIndex: number;
}

export class ReplayCheck {
  private readonly replayed = new Map<number, Replayed>();
  private appliedTotal = 0;
  private checks = 0;

  constructor(
    readonly dataDir: string,
    readonly partitionCount: number,
  ) {}

  /** Entries applied by every check so far. */
  get appliedEntries(): number {
    return this.appliedTotal;
  }

  /** Checks done so far. */
  get checkCount(): number {
    return this.checks;
  }

  /**
   * Stops the node gracefully (its exit code must be 0), checks its data, and starts it again
   * unless `restart` is false (new ports: clients of the old ones must be rebuilt).
   */
  async checkNode(server: ZenServer, restart = true): Promise<ReplaySummary> {
    const exit = await server.stop();
    expect(exit, 'exit of the node stopped for the replay check').toEqual({ code: 0, signal: null });
    const summary = await this.check();
    if (restart) await server.restart();
    return summary;
  }

  /** Checks every partition of a stopped node's data dir; fails naming the first difference. */
  async check(): Promise<ReplaySummary> {
    this.checks++;
    let applied = 0;
    const rows: Record<string, number> = {};
    for (let id = 1; id <= this.partitionCount; id++) {
      const store = new SqliteStore({ path: partitionDbPath(this.dataDir, id), partitionId: id, partitionCount: this.partitionCount, syncMode: 'normal', history: false });
      try {
        applied += await this.replay(id, store);
        const replayed = this.replayed.get(id)!;
        const checkpoint = new EngineState(id);
        const tables = new Map(checkpoint.tables().map((t) => [t.name, t]));
        for (const [cf, key, value] of store.stateRows()) {
          const table = tables.get(cf);
          if (!table) expect.fail(`partition ${id}: the checkpoint holds rows of an unknown table '${cf}'`);
          table.loadRow(key, deserialize(value));
        }
        const difference = stateDifference(dumpState(replayed.state), dumpState(checkpoint));
        if (difference) {
          expect.fail(
            `partition ${id}: the state replayed from the log (entries 1 to ${replayed.lastIndex}) differs from the ` +
              `checkpointed rows (checkpoint index ${store.info().checkpointIndex}): ${difference}`,
          );
        }
        for (const table of replayed.state.tables()) rows[table.name] = (rows[table.name] ?? 0) + table.entries().length;
      } finally {
        store.close();
      }
    }
    return { applied, appliedTotal: this.appliedTotal, rows };
  }

  /** Applies the entries after the last one applied, up to the checkpoint; returns how many. */
  private async replay(id: number, store: SqliteStore): Promise<number> {
    let replayed = this.replayed.get(id);
    if (!replayed) {
      replayed = { state: new EngineState(id), models: new ModelCache(), lastIndex: 0 };
      this.replayed.set(id, replayed);
    }
    const { checkpointIndex, lastIndex } = store.info();
    if (checkpointIndex < replayed.lastIndex) {
      expect.fail(`partition ${id}: the checkpoint index went back from ${replayed.lastIndex} (last check) to ${checkpointIndex}`);
    }
    let applied = 0;
    while (replayed.lastIndex < checkpointIndex) {
      const next: number = replayed.lastIndex + 1;
      const raws = store.readEntries(next, READ_CHUNK);
      if (raws[0]?.index !== next) {
        const first = raws[0] ? `it starts at entry ${raws[0].index}` : `it is empty up to entry ${lastIndex}`;
        expect.fail(
          `partition ${id}: the log no longer holds entry ${next}, the next one the replay check needs (${first}: ` +
            `compacted ${this.checks > 1 ? 'since the last check' : 'before the first check'}). The node keeps the last ` +
            `10,000 entries: check more often (fewer cases between checks).`,
        );
      }
      for (const raw of raws) {
        if (raw.index > checkpointIndex) break;
        if (raw.index !== replayed.lastIndex + 1) expect.fail(`partition ${id}: the log skips from entry ${replayed.lastIndex} to entry ${raw.index}`);
        await applyLogEntry(replayed.state, replayed.models, decodeEntry(raw, id));
        replayed.lastIndex = raw.index;
        applied++;
        this.appliedTotal++;
      }
    }
    // Nothing writes this state out: its dirty rows need not pile up across checks.
    for (const table of replayed.state.tables()) table.takeDirty();
    return applied;
  }
}

type Dump = Record<string, Array<[string, unknown]>>;

/**
 * The first difference between two dumps (`dumpState`), as a short text naming the table, key
 * and path inside the row; null when they are equal. Values compare as vitest's toEqual does
 * (prototypes ignored, undefined properties the same as missing ones).
 */
export function stateDifference(replayed: Dump, checkpoint: Dump): string | null {
  const names = [...new Set([...Object.keys(replayed), ...Object.keys(checkpoint)])];
  const differing: Array<{ table: string; count: number; first: string }> = [];
  for (const name of names) {
    const a = replayed[name] ?? [];
    const b = checkpoint[name] ?? [];
    let count = 0;
    let first = '';
    const note = (text: string) => {
      if (count++ === 0) first = text;
    };
    let i = 0;
    let j = 0;
    while (i < a.length || j < b.length) {
      const ka = a[i]?.[0];
      const kb = b[j]?.[0];
      if (kb === undefined || (ka !== undefined && ka < kb)) {
        note(`key '${ka}' is in the replayed state only: ${show(a[i]![1])}`);
        i++;
      } else if (ka === undefined || kb < ka) {
        note(`key '${kb}' is in the checkpoint only: ${show(b[j]![1])}`);
        j++;
      } else {
        const va = a[i]![1];
        const vb = b[j]![1];
        if (!isDeepStrictEqual(va, vb)) {
          const at = valueDifference(va, vb, '');
          if (at) note(`key '${ka}' differs${at}`);
        }
        i++;
        j++;
      }
    }
    if (count > 0) differing.push({ table: name, count, first });
  }
  if (differing.length === 0) return null;
  const [head, ...rest] = differing;
  const others = rest.length > 0 ? `; other tables that differ: ${rest.map((d) => `${d.table} (${d.count})`).join(', ')}` : '';
  return `table '${head!.table}' (${head!.count} key${head!.count === 1 ? ' differs' : 's differ'}): ${head!.first}${others}`;
}

/** A short rendering of a value for a failure message. */
function show(value: unknown): string {
  const text = inspect(value, { depth: 3, breakLength: Infinity, maxArrayLength: 10, maxStringLength: 80 });
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}

function isObject(value: unknown): value is object {
  return typeof value === 'object' && value !== null;
}

/** Where two values differ (` at .a[2]: replayed …, checkpoint …`), or null if they are equal. */
function valueDifference(a: unknown, b: unknown, path: string): string | null {
  const here = () => ` at ${path || '(the row)'}: replayed ${show(a)}, checkpoint ${show(b)}`;
  if (Object.is(a, b)) return null;
  if (!isObject(a) || !isObject(b)) return here();
  if (a instanceof Date || b instanceof Date) return a instanceof Date && b instanceof Date && a.getTime() === b.getTime() ? null : here();
  if (ArrayBuffer.isView(a) || ArrayBuffer.isView(b)) {
    if (!ArrayBuffer.isView(a) || !ArrayBuffer.isView(b)) return here();
    return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength)) ? null : here();
  }
  if (Array.isArray(a) !== Array.isArray(b)) return here();
  if (a instanceof Map || b instanceof Map) {
    if (!(a instanceof Map) || !(b instanceof Map) || a.size !== b.size) return here();
    for (const [k, v] of a) {
      if (!b.has(k)) return here();
      const d = valueDifference(v, b.get(k), `${path}.get(${show(k)})`);
      if (d) return d;
    }
    return null;
  }
  if (a instanceof Set || b instanceof Set) {
    if (!(a instanceof Set) || !(b instanceof Set) || a.size !== b.size) return here();
    for (const v of a) if (!b.has(v)) return here();
    return null;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return ` at ${path || '(the row)'}: replayed ${a.length} items, checkpoint ${b.length}: replayed ${show(a)}, checkpoint ${show(b)}`;
    for (let i = 0; i < a.length; i++) {
      const d = valueDifference(a[i], b[i], `${path}[${i}]`);
      if (d) return d;
    }
    return null;
  }
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  const keys = new Set([...Object.keys(ra), ...Object.keys(rb)]);
  for (const key of keys) {
    const d = valueDifference(ra[key], rb[key], `${path}.${key}`);
    if (d) return d;
  }
  return null;
}
