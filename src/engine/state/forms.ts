import { bigintKey, type Journal, stringKey, Table } from './table.js';
import type { FormValue } from '../records.js';
import { inTenant } from '../tenants.js';

export interface FormRow {
  readonly key: bigint;
  readonly value: FormValue;
}

/** Deployed forms, by key and by form id and version; and which form of an id each deployment held. */
export class FormState {
  readonly table: Table<bigint, FormRow>;
  /** `deploymentKey:formId` → form key, duplicates included (binding type `deployment`). */
  readonly deployments: Table<string, bigint>;
  /** (tenant, formId) → version → form key. */
  private readonly versions = new Map<string, Map<number, bigint>>();

  constructor(journal: Journal) {
    this.table = new Table('forms', bigintKey, journal);
    this.deployments = new Table('form_deployments', stringKey, journal);
    this.table.onChange((key, previous, next) => {
      const row = (next ?? previous)!;
      const id = inTenant(row.value.tenantId, row.value.formId);
      let byVersion = this.versions.get(id);
      if (next) {
        if (!byVersion) this.versions.set(id, (byVersion = new Map()));
        byVersion.set(row.value.version, key);
      } else {
        byVersion?.delete(row.value.version);
        if (byVersion && byVersion.size === 0) this.versions.delete(id);
      }
    });
  }

  get(key: bigint): FormRow | undefined {
    return this.table.get(key);
  }

  put(row: FormRow): void {
    this.table.set(row.key, row);
  }

  latest(formId: string, tenantId: string): FormRow | undefined {
    return this.versionsOf(formId, tenantId)[0];
  }

  /** The version the next deployment of this form gets: deleted versions are not handed out again (as in Zeebe). */
  nextVersion(formId: string, tenantId: string, highestDeleted: number): number {
    return Math.max(this.latest(formId, tenantId)?.value.version ?? 0, highestDeleted) + 1;
  }

  /** The latest version of a form id that carries this version tag. */
  withVersionTag(formId: string, tenantId: string, versionTag: string): FormRow | undefined {
    return this.versionsOf(formId, tenantId).find((row) => row.value.versionTag === versionTag);
  }

  inDeployment(deploymentKey: bigint, formId: string): FormRow | undefined {
    const key = this.deployments.get(`${deploymentKey}:${formId}`);
    return key === undefined ? undefined : this.table.get(key);
  }

  /** Newest first. */
  private versionsOf(formId: string, tenantId: string): FormRow[] {
    const byVersion = this.versions.get(inTenant(tenantId, formId));
    if (!byVersion) return [];
    return [...byVersion.entries()].sort((a, b) => b[0] - a[0]).map(([, key]) => this.table.get(key)!);
  }
}
