import type { ApplierTable } from './applier.js';
import type { DecisionRequirementsValue, DecisionValue, ZenRecord } from '../records.js';

export const decisionRequirementsAppliers: ApplierTable<'DECISION_REQUIREMENTS'> = {
  CREATED(state, record: ZenRecord<DecisionRequirementsValue>) {
    state.decisions.requirements.set(record.key, { key: record.key, value: record.value });
  },
};

export const decisionAppliers: ApplierTable<'DECISION'> = {
  CREATED(state, record: ZenRecord<DecisionValue>) {
    state.decisions.decisions.set(record.key, { key: record.key, value: record.value });
  },
};
