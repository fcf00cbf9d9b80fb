import type { ApplierTable } from './applier.js';
import type { MappingRuleValue, ZenRecord } from '../records.js';

export const mappingRuleAppliers: ApplierTable<'MAPPING_RULE'> = {
  CREATED(state, record: ZenRecord<MappingRuleValue>) {
    state.mappingRules.put({ ...record.value });
  },
  UPDATED(state, record: ZenRecord<MappingRuleValue>) {
    state.mappingRules.put({ ...record.value });
  },
  DELETED(state, record: ZenRecord<MappingRuleValue>) {
    state.mappingRules.delete(record.value.mappingRuleId);
  },
};
