import type { ApplierTable } from './applier.js';
import type { VariableValue, ZenRecord } from '../records.js';

function putVariable(state: Parameters<ApplierTable[string]>[0], record: ZenRecord<VariableValue>): void {
  state.variables.put({ key: record.key, scopeKey: record.value.scopeKey, name: record.value.name, value: record.value.value });
}

export const variableAppliers: ApplierTable = {
  CREATED: putVariable,
  UPDATED: putVariable,
};
