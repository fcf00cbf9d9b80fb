import type { ApplierTable } from './applier.js';
import type { CompensationSubscriptionValue, ZenRecord } from '../records.js';
import type { EngineState } from '../state/engine-state.js';

function put(state: EngineState, record: ZenRecord<CompensationSubscriptionValue>): void {
  state.compensations.put({ key: record.key, value: record.value });
}

function remove(state: EngineState, record: ZenRecord<CompensationSubscriptionValue>): void {
  state.compensations.remove(record.key);
}

/** A completed subscription is gone, like a deleted one: its activity is never compensated again. */
export const compensationSubscriptionAppliers: ApplierTable<'COMPENSATION_SUBSCRIPTION'> = {
  CREATED: put,
  TRIGGERED: put,
  COMPLETED: remove,
  DELETED: remove,
};
