import type { ApplierTable } from './applier.js';
import type { SignalSubscriptionValue, SignalValue, ZenRecord } from '../records.js';
import { partitionOfKey } from '../state/engine-state.js';

export const signalAppliers: ApplierTable<'SIGNAL'> = {
  /** A broadcast distributed from another partition is remembered, so a re-send is not fired again. */
  BROADCASTED(state, record: ZenRecord<SignalValue>) {
    if (record.key > 0n && partitionOfKey(record.key) !== record.partitionId) state.signals.markReceived(record.key, record.timestamp);
  },
};

export const signalSubscriptionAppliers: ApplierTable<'SIGNAL_SUBSCRIPTION'> = {
  CREATED(state, record: ZenRecord<SignalSubscriptionValue>) {
    state.signals.subscribe(record.value);
  },
  DELETED(state, record: ZenRecord<SignalSubscriptionValue>) {
    state.signals.unsubscribe(record.value);
  },
};
