import { bigintKey, type Journal, Table } from './table.js';
import type { IncidentRow } from './types.js';

export class IncidentState {
  readonly table: Table<bigint, IncidentRow>;
  private readonly byElementInstance = new Map<bigint, bigint>();
  private readonly byJob = new Map<bigint, bigint>();

  constructor(journal: Journal) {
    this.table = new Table('incidents', bigintKey, journal);
    this.table.onChange((key, previous, next) => {
      if (previous) {
        if (previous.value.jobKey > 0n) this.byJob.delete(previous.value.jobKey);
        else this.byElementInstance.delete(previous.value.elementInstanceKey);
      }
      if (next) {
        if (next.value.jobKey > 0n) this.byJob.set(next.value.jobKey, key);
        else this.byElementInstance.set(next.value.elementInstanceKey, key);
      }
    });
  }

  get(key: bigint): IncidentRow | undefined {
    return this.table.get(key);
  }

  put(row: IncidentRow): void {
    this.table.set(row.key, row);
  }

  remove(key: bigint): void {
    this.table.delete(key);
  }

  /** The incident raised on an element instance itself (not on its job). */
  ofElementInstance(elementInstanceKey: bigint): bigint | undefined {
    return this.byElementInstance.get(elementInstanceKey);
  }

  ofJob(jobKey: bigint): bigint | undefined {
    return this.byJob.get(jobKey);
  }
}
