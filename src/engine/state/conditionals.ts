/**
 * Conditional events waiting in running instances, by subscription key; found by the element
 * instance that waits (to close them) and by process instance (variable changes re-evaluate
 * the subscriptions of their instance only).
 */
import { bigintKey, type Journal, Table } from './table.js';
import type { ConditionalSubscriptionValue } from '../records.js';

export interface ConditionalSubscriptionRow {
  readonly key: bigint;
  readonly value: ConditionalSubscriptionValue;
  /**
   * The condition was true when last looked at and the event fired for it: a non-interrupting
   * event fires again only after it turned false (RESET) and true again.
   */
  readonly fired: boolean;
}

export class ConditionalSubscriptionState {
  readonly table: Table<bigint, ConditionalSubscriptionRow>;
  private readonly byElementInstance = new Map<bigint, Set<bigint>>();
  private readonly byProcessInstance = new Map<bigint, Set<bigint>>();

  constructor(journal: Journal) {
    this.table = new Table('conditional_subscriptions', bigintKey, journal);
    this.table.onChange((key, previous, next) => {
      const value = (next ?? previous)!.value;
      if (previous && !next) {
        remove(this.byElementInstance, value.elementInstanceKey, key);
        remove(this.byProcessInstance, value.processInstanceKey, key);
      } else if (next && !previous) {
        add(this.byElementInstance, value.elementInstanceKey, key);
        add(this.byProcessInstance, value.processInstanceKey, key);
      }
    });
  }

  get(key: bigint): ConditionalSubscriptionRow | undefined {
    return this.table.get(key);
  }

  put(row: ConditionalSubscriptionRow): void {
    this.table.set(row.key, row);
  }

  remove(key: bigint): void {
    this.table.delete(key);
  }

  /** Whether anything in this process instance waits for a condition (the common answer is no). */
  anyIn(processInstanceKey: bigint): boolean {
    return this.byProcessInstance.has(processInstanceKey);
  }

  /** The instance's subscriptions, oldest first (keys grow), so evaluation order never depends on load order. */
  ofProcessInstance(processInstanceKey: bigint): ConditionalSubscriptionRow[] {
    return rows(this.table, this.byProcessInstance.get(processInstanceKey));
  }

  ofElementInstance(elementInstanceKey: bigint): ConditionalSubscriptionRow[] {
    return rows(this.table, this.byElementInstance.get(elementInstanceKey));
  }
}

function rows(table: Table<bigint, ConditionalSubscriptionRow>, keys: Set<bigint> | undefined): ConditionalSubscriptionRow[] {
  if (!keys) return [];
  return [...keys].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)).map((key) => table.get(key)!);
}

function add(index: Map<bigint, Set<bigint>>, key: bigint, value: bigint): void {
  let set = index.get(key);
  if (!set) index.set(key, (set = new Set()));
  set.add(value);
}

function remove(index: Map<bigint, Set<bigint>>, key: bigint, value: bigint): void {
  const set = index.get(key);
  set?.delete(value);
  if (set && set.size === 0) index.delete(key);
}
