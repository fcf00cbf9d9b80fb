import { type Journal, stringKey, Table } from './table.js';
import type { VariableRow } from './types.js';

function rowKey(scopeKey: bigint, name: string): string {
  return `${scopeKey}:${name}`;
}

export class VariableState {
  readonly table: Table<string, VariableRow>;
  private readonly byScope = new Map<bigint, Map<string, VariableRow>>();

  constructor(journal: Journal) {
    this.table = new Table('variables', stringKey, journal);
    this.table.onChange((_key, previous, next) => {
      const row = (next ?? previous)!;
      let scope = this.byScope.get(row.scopeKey);
      if (next) {
        if (!scope) this.byScope.set(row.scopeKey, (scope = new Map()));
        scope.set(row.name, next);
      } else if (scope) {
        scope.delete(row.name);
        if (scope.size === 0) this.byScope.delete(row.scopeKey);
      }
    });
  }

  get(scopeKey: bigint, name: string): VariableRow | undefined {
    return this.byScope.get(scopeKey)?.get(name);
  }

  /** Local variables of one scope, by name. */
  local(scopeKey: bigint): ReadonlyMap<string, VariableRow> {
    return this.byScope.get(scopeKey) ?? EMPTY;
  }

  put(row: VariableRow): void {
    this.table.set(rowKey(row.scopeKey, row.name), row);
  }

  removeScope(scopeKey: bigint): void {
    const scope = this.byScope.get(scopeKey);
    if (!scope) return;
    for (const name of [...scope.keys()]) this.table.delete(rowKey(scopeKey, name));
  }
}

const EMPTY: ReadonlyMap<string, VariableRow> = new Map();
