import type { ApplierTable } from './applier.js';
import type { TimerValue, ZenRecord } from '../records.js';

export const timerAppliers: ApplierTable<'TIMER'> = {
  CREATED(state, record: ZenRecord<TimerValue>) {
    state.timers.put({ key: record.key, value: record.value });
  },
  TRIGGERED(state, record) {
    state.timers.remove(record.key);
  },
  MIGRATED(state, record: ZenRecord<TimerValue>) {
    state.timers.put({ key: record.key, value: record.value });
  },
  CANCELED(state, record) {
    state.timers.remove(record.key);
  },
};
