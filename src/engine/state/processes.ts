import { inTenant, tenantOf } from '../tenants.js';
import { bigintKey, type Journal, Table } from './table.js';
import type { ProcessRow } from './types.js';

export class ProcessState {
  readonly table: Table<bigint, ProcessRow>;
  /** (tenant, bpmnProcessId) → version → definition key: versions count per tenant. */
  private readonly versions = new Map<string, Map<number, bigint>>();

  constructor(journal: Journal) {
    this.table = new Table('processes', bigintKey, journal);
    this.table.onChange((key, previous, next) => {
      const row = (next ?? previous)!;
      const id = inTenant(row.value.tenantId, row.value.bpmnProcessId);
      let byVersion = this.versions.get(id);
      // A definition being deleted is no longer found by id and version, only by its key.
      if (next && !next.deleting) {
        if (!byVersion) this.versions.set(id, (byVersion = new Map()));
        byVersion.set(row.value.version, key);
      } else if (byVersion?.get(row.value.version) === key) {
        byVersion.delete(row.value.version);
        if (byVersion.size === 0) this.versions.delete(id);
      }
    });
  }

  /** A definition by key, also one being deleted (its instances still run on it). */
  get(key: bigint): ProcessRow | undefined {
    return this.table.get(key);
  }

  /** A definition new instances may start on: deployed and not deleted. */
  usable(key: bigint): ProcessRow | undefined {
    const row = this.table.get(key);
    return row && !row.deleting ? row : undefined;
  }

  put(row: ProcessRow): void {
    this.table.set(row.key, row);
  }

  byVersion(bpmnProcessId: string, version: number, tenantId: string): ProcessRow | undefined {
    const key = this.versions.get(inTenant(tenantId, bpmnProcessId))?.get(version);
    return key === undefined ? undefined : this.table.get(key);
  }

  latest(bpmnProcessId: string, tenantId: string): ProcessRow | undefined {
    return this.latestOf(this.versions.get(inTenant(tenantId, bpmnProcessId)));
  }

  /** The latest version of every process id of a tenant. */
  *latestVersions(tenantId: string): IterableIterator<ProcessRow> {
    for (const byVersion of this.versions.values()) {
      const row = this.latestOf(byVersion);
      if (row && tenantOf(row.value.tenantId) === tenantId) yield row;
    }
  }

  /** A definition of a tenant by key: another tenant's is not found, as in Zeebe. */
  usableInTenant(key: bigint, tenantId: string): ProcessRow | undefined {
    const row = this.usable(key);
    return row && tenantOf(row.value.tenantId) === tenantId ? row : undefined;
  }

  all(): IterableIterator<ProcessRow> {
    return this.table.values();
  }

  /** The version the next deployment of this process gets: deleted versions are not handed out again. */
  nextVersion(bpmnProcessId: string, tenantId: string, highestDeleted: number): number {
    return Math.max(this.latest(bpmnProcessId, tenantId)?.value.version ?? 0, highestDeleted) + 1;
  }

  private latestOf(byVersion: Map<number, bigint> | undefined): ProcessRow | undefined {
    if (!byVersion) return undefined;
    let best = -1;
    for (const version of byVersion.keys()) if (version > best) best = version;
    return this.table.get(byVersion.get(best)!);
  }
}
