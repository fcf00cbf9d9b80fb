import { bigintKey, type Journal, stringKey, Table } from './table.js';
import type { DecisionRequirementsValue, DecisionValue } from '../records.js';
import { inTenant } from '../tenants.js';

export interface DecisionRequirementsRow {
  readonly key: bigint;
  readonly value: DecisionRequirementsValue;
}

export interface DecisionRow {
  readonly key: bigint;
  readonly value: DecisionValue;
}

/** (tenant, id) → version → key, kept beside a table from its changes (rebuilt on replay, never stored). */
class VersionIndex {
  private readonly versions = new Map<string, Map<number, bigint>>();

  change(id: string, version: number, key: bigint, present: boolean): void {
    let byVersion = this.versions.get(id);
    if (present) {
      if (!byVersion) this.versions.set(id, (byVersion = new Map()));
      byVersion.set(version, key);
    } else {
      byVersion?.delete(version);
      if (byVersion && byVersion.size === 0) this.versions.delete(id);
    }
  }

  /** Keys newest first. */
  keys(id: string): bigint[] {
    const byVersion = this.versions.get(id);
    if (!byVersion) return [];
    return [...byVersion.entries()].sort((a, b) => b[0] - a[0]).map(([, key]) => key);
  }
}

/** Deployed DMN documents (decision requirements) and their decisions, by key and by id and version. */
export class DecisionState {
  readonly requirements: Table<bigint, DecisionRequirementsRow>;
  readonly decisions: Table<bigint, DecisionRow>;
  /** `deploymentKey:decisionId` → decision key, duplicates included (binding type `deployment`). */
  readonly deployments: Table<string, bigint>;
  private readonly requirementsVersions = new VersionIndex();
  private readonly decisionVersions = new VersionIndex();

  constructor(journal: Journal) {
    this.requirements = new Table('decision_requirements', bigintKey, journal);
    this.decisions = new Table('decisions', bigintKey, journal);
    this.deployments = new Table('decision_deployments', stringKey, journal);
    this.requirements.onChange((key, previous, next) => {
      const row = (next ?? previous)!;
      this.requirementsVersions.change(inTenant(row.value.tenantId, row.value.decisionRequirementsId), row.value.decisionRequirementsVersion, key, next !== undefined);
    });
    this.decisions.onChange((key, previous, next) => {
      const row = (next ?? previous)!;
      this.decisionVersions.change(inTenant(row.value.tenantId, row.value.decisionId), row.value.version, key, next !== undefined);
    });
  }

  requirementsOf(key: bigint): DecisionRequirementsRow | undefined {
    return this.requirements.get(key);
  }

  latestRequirements(decisionRequirementsId: string, tenantId: string): DecisionRequirementsRow | undefined {
    const key = this.requirementsVersions.keys(inTenant(tenantId, decisionRequirementsId))[0];
    return key === undefined ? undefined : this.requirements.get(key);
  }

  get(decisionKey: bigint): DecisionRow | undefined {
    return this.decisions.get(decisionKey);
  }

  latest(decisionId: string, tenantId: string): DecisionRow | undefined {
    const key = this.decisionVersions.keys(inTenant(tenantId, decisionId))[0];
    return key === undefined ? undefined : this.decisions.get(key);
  }

  /** The latest version of a decision id that carries this version tag. */
  withVersionTag(decisionId: string, tenantId: string, versionTag: string): DecisionRow | undefined {
    return this.decisionVersions
      .keys(inTenant(tenantId, decisionId))
      .map((key) => this.decisions.get(key)!)
      .find((row) => row.value.versionTag === versionTag);
  }

  /** The decision of this id that belongs to a given version of decision requirements (of the same tenant). */
  latestOfRequirements(decisionId: string, tenantId: string, decisionRequirementsKey: bigint): DecisionRow | undefined {
    return this.decisionVersions
      .keys(inTenant(tenantId, decisionId))
      .map((key) => this.decisions.get(key)!)
      .find((row) => row.value.decisionRequirementsKey === decisionRequirementsKey);
  }

  inDeployment(deploymentKey: bigint, decisionId: string): DecisionRow | undefined {
    const key = this.deployments.get(`${deploymentKey}:${decisionId}`);
    return key === undefined ? undefined : this.decisions.get(key);
  }

  /** The decisions of one version of decision requirements, by key (a scan: only deletion asks). */
  ofRequirements(decisionRequirementsKey: bigint): DecisionRow[] {
    return [...this.decisions.values()].filter((row) => row.value.decisionRequirementsKey === decisionRequirementsKey).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }
}
