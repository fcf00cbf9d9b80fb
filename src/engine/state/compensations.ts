/**
 * Compensation subscriptions on one partition, by key, with an index per process instance.
 * Lookups return them in key order (the order the activities completed): a table restored from a
 * checkpoint fills the index in another order, and processing must not depend on it.
 */
import type { CompensationSubscriptionValue } from '../records.js';
import { bigintKey, type Journal, Table } from './table.js';

export interface CompensationSubscriptionRow {
  readonly key: bigint;
  readonly value: CompensationSubscriptionValue;
}

export class CompensationSubscriptionState {
  readonly table: Table<bigint, CompensationSubscriptionRow>;
  private readonly byProcessInstance = new Map<bigint, Set<bigint>>();

  constructor(journal: Journal) {
    this.table = new Table('compensation_subscriptions', bigintKey, journal);
    this.table.onChange((key, previous, next) => {
      const processInstanceKey = (next ?? previous)!.value.processInstanceKey;
      if (next && !previous) {
        let keys = this.byProcessInstance.get(processInstanceKey);
        if (!keys) this.byProcessInstance.set(processInstanceKey, (keys = new Set()));
        keys.add(key);
      } else if (previous && !next) {
        const keys = this.byProcessInstance.get(processInstanceKey);
        keys?.delete(key);
        if (keys && keys.size === 0) this.byProcessInstance.delete(processInstanceKey);
      }
    });
  }

  put(row: CompensationSubscriptionRow): void {
    this.table.set(row.key, row);
  }

  remove(key: bigint): void {
    this.table.delete(key);
  }

  /** The process instance's subscriptions, in key order. */
  ofProcessInstance(processInstanceKey: bigint): CompensationSubscriptionRow[] {
    const keys = [...(this.byProcessInstance.get(processInstanceKey) ?? [])].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    return keys.map((key) => this.table.get(key)!);
  }
}
