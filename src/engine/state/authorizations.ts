/**
 * The authorizations, on partition 1 beside the users (docs/adr/013), by key. They bump the
 * same `identityVersion` as the users: a node mirrors both with one read, and a change to
 * either is one step of one counter.
 */
import type { AuthorizationValue } from '../records.js';
import { bigintKey, type Journal, Table } from './table.js';

export type AuthorizationRow = AuthorizationValue;

export class AuthorizationState {
  readonly table: Table<bigint, AuthorizationRow>;

  constructor(
    journal: Journal,
    private readonly meta: Table<string, bigint | number>,
  ) {
    this.table = new Table('authorizations', bigintKey, journal);
  }

  get(key: bigint): AuthorizationRow | undefined {
    return this.table.get(key);
  }

  all(): AuthorizationRow[] {
    return [...this.table.values()];
  }

  put(row: AuthorizationRow): void {
    this.table.set(row.authorizationKey, row);
    this.bump();
  }

  delete(key: bigint): void {
    this.table.delete(key);
    this.bump();
  }

  private bump(): void {
    this.meta.set('identityVersion', ((this.meta.get('identityVersion') as number | undefined) ?? 0) + 1);
  }
}
