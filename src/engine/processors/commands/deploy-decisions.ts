/**
 * The decision part of a deployment (`.dmn` resources): DECISION_REQUIREMENTS and DECISION
 * CREATED records with Zeebe's versioning. A DMN document deployed again unchanged (same
 * checksum and resource name as its latest version) is a duplicate: no records, its current
 * versions reported.
 */
import type { CompiledDecisionRequirements } from '../../../model/types.js';
import type { ProcessingContext } from '../../processing/context.js';
import type { DecisionMetadataValue, DecisionRequirementsMetadataValue, DecisionRequirementsValue, DecisionValue, DeploymentValue } from '../../records.js';
import type { DeploymentAttachment } from '../../processing/types.js';
import { checksum } from './resource-checksum.js';

export interface DecisionPlanItem {
  readonly resourceName: string;
  readonly resource: string;
  readonly drg: CompiledDecisionRequirements;
}

/** Collects the deployment's DMN documents; a reason to reject when ids repeat across resources. */
export function planDecisions(value: DeploymentValue, attachment: DeploymentAttachment): { plan: DecisionPlanItem[] } | { rejection: string } {
  const plan: DecisionPlanItem[] = [];
  const drgIds = new Map<string, string>();
  const decisionIds = new Map<string, string>();
  for (const { resourceName, resource } of value.resources) {
    const result = attachment.compiled.get(resourceName);
    const drg = result?.ok ? result.resource.decisionRequirements : undefined;
    if (!drg) continue;
    const otherDrg = drgIds.get(drg.id);
    if (otherDrg !== undefined) {
      return { rejection: `Expected the decision requirements ids to be unique within a deployment but found a duplicated id '${drg.id}' in the resources '${otherDrg}' and '${resourceName}'.` };
    }
    drgIds.set(drg.id, resourceName);
    for (const decision of drg.decisions) {
      const other = decisionIds.get(decision.id);
      if (other !== undefined) {
        return { rejection: `Expected the decision ids to be unique within a deployment but found a duplicated id '${decision.id}' in the resources '${other}' and '${resourceName}'.` };
      }
      decisionIds.set(decision.id, resourceName);
    }
    plan.push({ resourceName, resource, drg });
  }
  return { plan };
}

function requirementsMetadata(value: DecisionRequirementsValue, duplicate: boolean): DecisionRequirementsMetadataValue {
  const { resource: _resource, deploymentKey: _deploymentKey, ...rest } = value;
  return { ...rest, duplicate };
}

/** Writes the records of new versions; returns the deployment's metadata (duplicates included). */
export function deployDecisions(
  ctx: ProcessingContext,
  plan: readonly DecisionPlanItem[],
  deploymentKey: bigint,
  tenantId: string,
): { requirements: DecisionRequirementsMetadataValue[]; decisions: DecisionMetadataValue[] } {
  const requirements: DecisionRequirementsMetadataValue[] = [];
  const decisions: DecisionMetadataValue[] = [];
  for (const { resourceName, resource, drg } of plan) {
    const sum = checksum(resource);
    const latest = ctx.state.decisions.latestRequirements(drg.id, tenantId);
    if (latest && latest.value.checksum === sum && latest.value.resourceName === resourceName) {
      requirements.push(requirementsMetadata(latest.value, true));
      for (const d of drg.decisions) {
        const row = ctx.state.decisions.latest(d.id, tenantId);
        if (row && row.value.decisionRequirementsKey === latest.key) decisions.push({ ...row.value, duplicate: true });
      }
      continue;
    }
    const drgValue: DecisionRequirementsValue = {
      decisionRequirementsId: drg.id,
      decisionRequirementsName: drg.name,
      decisionRequirementsVersion: (latest?.value.decisionRequirementsVersion ?? 0) + 1,
      decisionRequirementsKey: ctx.nextKey(),
      namespace: drg.namespace,
      resourceName,
      checksum: sum,
      resource,
      deploymentKey,
      tenantId,
    };
    ctx.event('DECISION_REQUIREMENTS', 'CREATED', drgValue.decisionRequirementsKey, drgValue);
    requirements.push(requirementsMetadata(drgValue, false));
    for (const d of drg.decisions) {
      const decisionValue: DecisionValue = {
        decisionId: d.id,
        decisionName: d.name,
        version: (ctx.state.decisions.latest(d.id, tenantId)?.value.version ?? 0) + 1,
        versionTag: d.versionTag,
        decisionKey: ctx.nextKey(),
        decisionRequirementsId: drg.id,
        decisionRequirementsKey: drgValue.decisionRequirementsKey,
        deploymentKey,
        tenantId,
      };
      ctx.event('DECISION', 'CREATED', decisionValue.decisionKey, decisionValue);
      decisions.push({ ...decisionValue, duplicate: false });
    }
    const model = drg.model;
    const key = drgValue.decisionRequirementsKey;
    ctx.onCommit.push(() => ctx.models.putDecisionModel(key, model));
  }
  return { requirements, decisions };
}

/** On a partition the deployment was distributed to: the same records under the same keys, once. */
export function receiveDistributedDecisions(ctx: ProcessingContext, value: DeploymentValue): boolean {
  let changed = false;
  for (const meta of value.decisionRequirementsMetadata ?? []) {
    if (meta.duplicate || ctx.state.decisions.requirementsOf(meta.decisionRequirementsKey)) continue;
    const resource = value.resources.find((r) => r.resourceName === meta.resourceName)!;
    const { duplicate: _duplicate, ...rest } = meta;
    const deploymentKey = value.decisionsMetadata?.find((d) => d.decisionRequirementsKey === meta.decisionRequirementsKey)?.deploymentKey ?? -1n;
    ctx.event('DECISION_REQUIREMENTS', 'CREATED', meta.decisionRequirementsKey, { ...rest, resource: resource.resource, deploymentKey } satisfies DecisionRequirementsValue);
    changed = true;
  }
  for (const meta of value.decisionsMetadata ?? []) {
    if (meta.duplicate || ctx.state.decisions.get(meta.decisionKey)) continue;
    const { duplicate: _duplicate, ...rest } = meta;
    ctx.event('DECISION', 'CREATED', meta.decisionKey, rest satisfies DecisionValue);
    changed = true;
  }
  return changed;
}
