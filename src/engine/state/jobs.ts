import { DueIndex } from './due-index.js';
import { bigintKey, type Journal, Table } from './table.js';
import type { JobRow } from './types.js';

export class JobState {
  readonly table: Table<bigint, JobRow>;
  /** Activatable job keys per type, oldest first. */
  private readonly activatable = new Map<string, Set<bigint>>();
  /** Activated jobs by deadline. */
  readonly deadlines = new DueIndex();
  /** Failed jobs waiting out a retry back-off, by the time they recur. */
  readonly backoffs = new DueIndex();

  constructor(journal: Journal) {
    this.table = new Table('jobs', bigintKey, journal);
    this.table.onChange((key, previous, next) => {
      if (previous) this.unindex(key, previous);
      if (next) this.index(key, next);
    });
  }

  get(key: bigint): JobRow | undefined {
    return this.table.get(key);
  }

  put(row: JobRow): void {
    this.table.set(row.key, row);
  }

  remove(key: bigint): void {
    this.table.delete(key);
  }

  /** Activatable keys of a type, in the order they became activatable. */
  activatableOf(type: string): Iterable<bigint> {
    return this.activatable.get(type) ?? [];
  }

  /** How many jobs of `type` are activatable now. */
  activatableCount(type: string): number {
    return this.activatable.get(type)?.size ?? 0;
  }

  activatableTypes(): Iterable<string> {
    return this.activatable.keys();
  }

  private index(key: bigint, row: JobRow): void {
    if (row.state === 'ACTIVATABLE') {
      let set = this.activatable.get(row.value.type);
      if (!set) this.activatable.set(row.value.type, (set = new Set()));
      set.add(key);
    } else if (row.state === 'ACTIVATED') {
      this.deadlines.add(row.value.deadline, key);
    } else if (row.state === 'FAILED' && row.value.retries > 0 && row.value.recurringTime > 0) {
      this.backoffs.add(row.value.recurringTime, key);
    }
  }

  private unindex(key: bigint, row: JobRow): void {
    if (row.state === 'ACTIVATABLE') {
      const set = this.activatable.get(row.value.type);
      set?.delete(key);
      if (set && set.size === 0) this.activatable.delete(row.value.type);
    } else if (row.state === 'ACTIVATED') {
      this.deadlines.remove(row.value.deadline, key);
    } else if (row.state === 'FAILED' && row.value.retries > 0 && row.value.recurringTime > 0) {
      this.backoffs.remove(row.value.recurringTime, key);
    }
  }
}
