import { bigintKey, type Journal, Table } from './table.js';
import type { ProcessRow } from './types.js';

export class ProcessState {
  readonly table: Table<bigint, ProcessRow>;
  /** bpmnProcessId → version → definition key. */
  private readonly versions = new Map<string, Map<number, bigint>>();

  constructor(journal: Journal) {
    this.table = new Table('processes', bigintKey, journal);
    this.table.onChange((key, previous, next) => {
      const row = (next ?? previous)!;
      let byVersion = this.versions.get(row.value.bpmnProcessId);
      // A definition being deleted is no longer found by id and version, only by its key.
      if (next && !next.deleting) {
        if (!byVersion) this.versions.set(row.value.bpmnProcessId, (byVersion = new Map()));
        byVersion.set(row.value.version, key);
      } else if (byVersion?.get(row.value.version) === key) {
        byVersion.delete(row.value.version);
        if (byVersion.size === 0) this.versions.delete(row.value.bpmnProcessId);
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

  byVersion(bpmnProcessId: string, version: number): ProcessRow | undefined {
    const key = this.versions.get(bpmnProcessId)?.get(version);
    return key === undefined ? undefined : this.table.get(key);
  }

  latest(bpmnProcessId: string): ProcessRow | undefined {
    const byVersion = this.versions.get(bpmnProcessId);
    if (!byVersion) return undefined;
    let best = -1;
    for (const version of byVersion.keys()) if (version > best) best = version;
    return this.table.get(byVersion.get(best)!);
  }

  /** The latest version of every process id. */
  *latestVersions(): IterableIterator<ProcessRow> {
    for (const bpmnProcessId of this.versions.keys()) {
      const row = this.latest(bpmnProcessId);
      if (row) yield row;
    }
  }

  all(): IterableIterator<ProcessRow> {
    return this.table.values();
  }

  /** The version the next deployment of this process gets: deleted versions are not handed out again. */
  nextVersion(bpmnProcessId: string, highestDeleted: number): number {
    return Math.max(this.latest(bpmnProcessId)?.value.version ?? 0, highestDeleted) + 1;
  }
}
