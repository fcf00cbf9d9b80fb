import { tenantOf } from '../tenants.js';
import { DueIndex } from './due-index.js';
import { bigintKey, type Journal, Table } from './table.js';
import type { JobRow } from './types.js';

export class JobState {
  readonly table: Table<bigint, JobRow>;
  /** Activatable job keys per type and tenant, oldest first: workers activate only their tenants' jobs. */
  private readonly activatable = new Map<string, Map<string, Set<bigint>>>();
  /** Activated jobs by deadline. */
  readonly deadlines = new DueIndex();
  /** Failed jobs waiting out a retry back-off, by the time they recur. */
  readonly backoffs = new DueIndex();

  constructor(journal: Journal) {
    this.table = new Table('jobs', bigintKey, journal);
    this.table.onChange((key, previous, next) => {
      if (previous) this.unindex(key, previous);
      if (next) this.index(key, next);
    });
  }

  get(key: bigint): JobRow | undefined {
    return this.table.get(key);
  }

  put(row: JobRow): void {
    this.table.set(row.key, row);
  }

  remove(key: bigint): void {
    this.table.delete(key);
  }

  /** Activatable keys of a type and of these tenants, each tenant's in the order they became activatable. */
  *activatableOf(type: string, tenantIds: readonly string[]): Iterable<bigint> {
    const byTenant = this.activatable.get(type);
    if (!byTenant) return;
    for (const tenantId of new Set(tenantIds)) yield* byTenant.get(tenantId) ?? [];
  }

  /** Whether a job of `type` and of one of these tenants is activatable now. */
  hasActivatable(type: string, tenantIds: readonly string[]): boolean {
    const byTenant = this.activatable.get(type);
    return byTenant !== undefined && tenantIds.some((tenantId) => byTenant.has(tenantId));
  }

  /** How many jobs of `type` are activatable now, of every tenant. */
  activatableCount(type: string): number {
    let count = 0;
    for (const keys of this.activatable.get(type)?.values() ?? []) count += keys.size;
    return count;
  }

  activatableTypes(): Iterable<string> {
    return this.activatable.keys();
  }

  private index(key: bigint, row: JobRow): void {
    if (row.state === 'ACTIVATABLE') {
      const tenantId = tenantOf(row.value.tenantId);
      let byTenant = this.activatable.get(row.value.type);
      if (!byTenant) this.activatable.set(row.value.type, (byTenant = new Map()));
      let set = byTenant.get(tenantId);
      if (!set) byTenant.set(tenantId, (set = new Set()));
      set.add(key);
    } else if (row.state === 'ACTIVATED') {
      this.deadlines.add(row.value.deadline, key);
    } else if (row.state === 'FAILED' && row.value.retries > 0 && row.value.recurringTime > 0) {
      this.backoffs.add(row.value.recurringTime, key);
    }
  }

  private unindex(key: bigint, row: JobRow): void {
    if (row.state === 'ACTIVATABLE') {
      const tenantId = tenantOf(row.value.tenantId);
      const byTenant = this.activatable.get(row.value.type);
      const set = byTenant?.get(tenantId);
      set?.delete(key);
      if (set && set.size === 0) byTenant!.delete(tenantId);
      if (byTenant && byTenant.size === 0) this.activatable.delete(row.value.type);
    } else if (row.state === 'ACTIVATED') {
      this.deadlines.remove(row.value.deadline, key);
    } else if (row.state === 'FAILED' && row.value.retries > 0 && row.value.recurringTime > 0) {
      this.backoffs.remove(row.value.recurringTime, key);
    }
  }
}
