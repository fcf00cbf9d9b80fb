import type { Applier, ApplierTable } from './applier.js';
import type { ConditionalSubscriptionValue, ZenRecord } from '../records.js';

function setFired(fired: boolean): Applier<ConditionalSubscriptionValue> {
  return (state, record) => {
    const row = state.conditionals.get(record.key);
    if (row) state.conditionals.put({ ...row, fired });
  };
}

export const conditionalSubscriptionAppliers: ApplierTable<'CONDITIONAL_SUBSCRIPTION'> = {
  CREATED(state, record: ZenRecord<ConditionalSubscriptionValue>) {
    state.conditionals.put({ key: record.key, value: record.value, fired: false });
  },
  TRIGGERED: setFired(true),
  RESET: setFired(false),
  DELETED(state, record) {
    state.conditionals.remove(record.key);
  },
};
