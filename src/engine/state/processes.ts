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
      if (next) {
        if (!byVersion) this.versions.set(row.value.bpmnProcessId, (byVersion = new Map()));
        byVersion.set(row.value.version, key);
      } else {
        byVersion?.delete(row.value.version);
        if (byVersion && byVersion.size === 0) this.versions.delete(row.value.bpmnProcessId);
      }
    });
  }

  get(key: bigint): ProcessRow | undefined {
    return this.table.get(key);
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
}
