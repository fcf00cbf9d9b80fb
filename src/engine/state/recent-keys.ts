/**
 * A persisted set of keys that forgets each one `retentionMs` after it was added: remembering
 * a key prunes those that have expired, oldest first, so the set stays as small as the recent
 * past. Times come from records (the command clock), so a replay prunes exactly alike.
 */
import { stringKey, type Journal, Table } from './table.js';

export class RecentKeys {
  readonly table: Table<string, { readonly at: number }>;
  /** Keys by time added, oldest first. */
  private readonly order: Array<{ readonly at: number; readonly key: string }> = [];

  constructor(name: string, journal: Journal, private readonly retentionMs: number) {
    this.table = new Table(name, stringKey, journal);
    this.table.onChange((key, previous, next) => {
      if (previous) {
        const at = this.order.findIndex((entry) => entry.key === key);
        if (at >= 0) this.order.splice(at, 1);
      }
      if (next) {
        let at = this.order.length;
        while (at > 0 && this.order[at - 1]!.at > next.at) at--;
        this.order.splice(at, 0, { at: next.at, key });
      }
    });
  }

  has(key: string): boolean {
    return this.table.has(key);
  }

  remember(key: string, at: number): void {
    this.table.set(key, { at });
    while (this.order.length > 0 && this.order[0]!.at < at - this.retentionMs) this.table.delete(this.order[0]!.key);
  }
}
