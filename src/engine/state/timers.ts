import { DueIndex } from './due-index.js';
import { bigintKey, type Journal, Table } from './table.js';
import type { TimerRow } from './types.js';

export class TimerState {
  readonly table: Table<bigint, TimerRow>;
  readonly due = new DueIndex();
  private readonly byElementInstance = new Map<bigint, Set<bigint>>();

  constructor(journal: Journal) {
    this.table = new Table('timers', bigintKey, journal);
    this.table.onChange((key, previous, next) => {
      if (previous) {
        this.due.remove(previous.value.dueDate, key);
        const set = this.byElementInstance.get(previous.value.elementInstanceKey);
        set?.delete(key);
        if (set && set.size === 0) this.byElementInstance.delete(previous.value.elementInstanceKey);
      }
      if (next) {
        this.due.add(next.value.dueDate, key);
        let set = this.byElementInstance.get(next.value.elementInstanceKey);
        if (!set) this.byElementInstance.set(next.value.elementInstanceKey, (set = new Set()));
        set.add(key);
      }
    });
  }

  get(key: bigint): TimerRow | undefined {
    return this.table.get(key);
  }

  put(row: TimerRow): void {
    this.table.set(row.key, row);
  }

  remove(key: bigint): void {
    this.table.delete(key);
  }

  ofElementInstance(elementInstanceKey: bigint): bigint[] {
    const set = this.byElementInstance.get(elementInstanceKey);
    return set ? [...set] : [];
  }
}
