/**
 * The users of basic authentication, on partition 1 (docs/adr/012), by username. `version`
 * counts the changes applied: nodes that mirror the table ask for it again only when it moved,
 * and every replica, replaying the same log, counts the same.
 */
import type { UserValue } from '../records.js';
import { type Journal, stringKey, Table } from './table.js';

export type UserRow = UserValue;

export class UserState {
  readonly table: Table<string, UserRow>;

  constructor(
    journal: Journal,
    private readonly meta: Table<string, bigint | number>,
  ) {
    this.table = new Table('users', stringKey, journal);
  }

  get(username: string): UserRow | undefined {
    return this.table.get(username);
  }

  all(): UserRow[] {
    return [...this.table.values()];
  }

  get version(): number {
    return (this.meta.get('identityVersion') as number | undefined) ?? 0;
  }

  put(row: UserRow): void {
    this.table.set(row.username, row);
    this.bump();
  }

  delete(username: string): void {
    this.table.delete(username);
    this.bump();
  }

  private bump(): void {
    this.meta.set('identityVersion', this.version + 1);
  }
}
