import type { Applier, ApplierTable } from './applier.js';
import type { VariableValue, ZenRecord } from '../records.js';

const putVariable: Applier<VariableValue> = (state, record: ZenRecord<VariableValue>) => {
  state.variables.put({ key: record.key, scopeKey: record.value.scopeKey, name: record.value.name, value: record.value.value });
};

export const variableAppliers: ApplierTable<'VARIABLE'> = {
  CREATED: putVariable,
  UPDATED: putVariable,
  // The variable's process definition changed with its instance; the row does not hold it.
  MIGRATED: null,
};
