import type { ApplierTable } from './applier.js';
import type { ClockValue, ZenRecord } from '../records.js';

export const clockAppliers: ApplierTable<'CLOCK'> = {
  PINNED(state, record: ZenRecord<ClockValue>) {
    state.setClock(record.value.time, record.key);
  },
  RESETTED(state, record: ZenRecord<ClockValue>) {
    state.setClock(null, record.key);
  },
};
