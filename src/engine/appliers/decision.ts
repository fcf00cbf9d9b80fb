import type { ApplierTable } from './applier.js';
import type { DecisionRequirementsValue, DecisionValue, ZenRecord } from '../records.js';

export const decisionRequirementsAppliers: ApplierTable<'DECISION_REQUIREMENTS'> = {
  CREATED(state, record: ZenRecord<DecisionRequirementsValue>) {
    state.decisions.requirements.set(record.key, { key: record.key, value: record.value });
  },
  /** Keyed by a key of its own (as in Zeebe); the value names the version gone. */
  DELETED(state, record: ZenRecord<DecisionRequirementsValue>) {
    state.decisions.requirements.delete(record.value.decisionRequirementsKey);
    state.meta.set(`deletedDefinition:${record.value.decisionRequirementsKey}`, record.value.decisionRequirementsVersion);
  },
};

export const decisionAppliers: ApplierTable<'DECISION'> = {
  CREATED(state, record: ZenRecord<DecisionValue>) {
    state.decisions.decisions.set(record.key, { key: record.key, value: record.value });
  },
  /** The version index follows the table, so the previous version is the latest again. */
  DELETED(state, record: ZenRecord<DecisionValue>) {
    const { decisionKey, decisionId, deploymentKey } = record.value;
    state.decisions.decisions.delete(decisionKey);
    const inDeployment = `${deploymentKey}:${decisionId}`;
    if (state.decisions.deployments.get(inDeployment) === decisionKey) state.decisions.deployments.delete(inDeployment);
  },
};
