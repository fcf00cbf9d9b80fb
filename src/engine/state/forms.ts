import { bigintKey, type Journal, stringKey, Table } from './table.js';
import type { FormValue } from '../records.js';

export interface FormRow {
  readonly key: bigint;
  readonly value: FormValue;
}

/** Deployed forms, by key and by form id and version; and which form of an id each deployment held. */
export class FormState {
  readonly table: Table<bigint, FormRow>;
  /** `deploymentKey:formId` → form key, duplicates included (binding type `deployment`). */
  readonly deployments: Table<string, bigint>;
  /** formId → version → form key. */
  private readonly versions = new Map<string, Map<number, bigint>>();

  constructor(journal: Journal) {
    this.table = new Table('forms', bigintKey, journal);
    this.deployments = new Table('form_deployments', stringKey, journal);
    this.table.onChange((key, previous, next) => {
      const row = (next ?? previous)!;
      let byVersion = this.versions.get(row.value.formId);
      if (next) {
        if (!byVersion) this.versions.set(row.value.formId, (byVersion = new Map()));
        byVersion.set(row.value.version, key);
      } else {
        byVersion?.delete(row.value.version);
        if (byVersion && byVersion.size === 0) this.versions.delete(row.value.formId);
      }
    });
  }

  get(key: bigint): FormRow | undefined {
    return this.table.get(key);
  }

  put(row: FormRow): void {
    this.table.set(row.key, row);
  }

  latest(formId: string): FormRow | undefined {
    return this.versionsOf(formId)[0];
  }

  /** The version the next deployment of this form gets: deleted versions are not handed out again (as in Zeebe). */
  nextVersion(formId: string, highestDeleted: number): number {
    return Math.max(this.latest(formId)?.value.version ?? 0, highestDeleted) + 1;
  }

  /** The latest version of a form id that carries this version tag. */
  withVersionTag(formId: string, versionTag: string): FormRow | undefined {
    return this.versionsOf(formId).find((row) => row.value.versionTag === versionTag);
  }

  inDeployment(deploymentKey: bigint, formId: string): FormRow | undefined {
    const key = this.deployments.get(`${deploymentKey}:${formId}`);
    return key === undefined ? undefined : this.table.get(key);
  }

  /** Newest first. */
  private versionsOf(formId: string): FormRow[] {
    const byVersion = this.versions.get(formId);
    if (!byVersion) return [];
    return [...byVersion.entries()].sort((a, b) => b[0] - a[0]).map(([, key]) => this.table.get(key)!);
  }
}
