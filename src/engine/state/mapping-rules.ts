/**
 * The mapping rules, on partition 1 beside the users (docs/adr/014), by id; counted in the
 * shared `identityVersion`.
 */
import type { MappingRuleValue } from '../records.js';
import { type Journal, stringKey, Table } from './table.js';

export type MappingRuleRow = MappingRuleValue;

export class MappingRuleState {
  readonly table: Table<string, MappingRuleRow>;

  constructor(
    journal: Journal,
    private readonly meta: Table<string, bigint | number>,
  ) {
    this.table = new Table('mappingRules', stringKey, journal);
  }

  get(id: string): MappingRuleRow | undefined {
    return this.table.get(id);
  }

  all(): MappingRuleRow[] {
    return [...this.table.values()];
  }

  put(row: MappingRuleRow): void {
    this.table.set(row.mappingRuleId, row);
    this.bump();
  }

  delete(id: string): void {
    this.table.delete(id);
    this.bump();
  }

  private bump(): void {
    this.meta.set('identityVersion', ((this.meta.get('identityVersion') as number | undefined) ?? 0) + 1);
  }
}
