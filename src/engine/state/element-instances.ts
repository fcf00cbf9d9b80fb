import { bigintKey, type Journal, Table } from './table.js';
import type { ElementInstance } from './types.js';

export class ElementInstanceState {
  readonly table: Table<bigint, ElementInstance>;
  /** Children per flow scope, for termination and scope queries. */
  private readonly children = new Map<bigint, Set<bigint>>();

  constructor(journal: Journal) {
    this.table = new Table('element_instances', bigintKey, journal);
    this.table.onChange((key, previous, next) => {
      const scope = (previous ?? next)!.value.flowScopeKey;
      if (scope < 0n) return;
      if (next === undefined) {
        const set = this.children.get(scope);
        set?.delete(key);
        if (set && set.size === 0) this.children.delete(scope);
      } else if (previous === undefined) {
        let set = this.children.get(scope);
        if (!set) this.children.set(scope, (set = new Set()));
        set.add(key);
      }
    });
  }

  get(key: bigint): ElementInstance | undefined {
    return this.table.get(key);
  }

  put(instance: ElementInstance): void {
    this.table.set(instance.key, instance);
  }

  update(key: bigint, change: (instance: ElementInstance) => ElementInstance): void {
    const current = this.table.get(key);
    if (current) this.table.set(key, change(current));
  }

  remove(key: bigint): void {
    this.table.delete(key);
  }

  /** Child instance keys of a flow scope, in creation order. */
  childrenOf(scopeKey: bigint): bigint[] {
    const set = this.children.get(scopeKey);
    return set ? [...set] : [];
  }
}
