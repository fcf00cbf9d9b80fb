import type { ApplierTable } from './applier.js';
import type { UserValue, ZenRecord } from '../records.js';

export const userAppliers: ApplierTable<'USER'> = {
  CREATED(state, record: ZenRecord<UserValue>) {
    state.users.put({ ...record.value });
  },
  UPDATED(state, record: ZenRecord<UserValue>) {
    state.users.put({ ...record.value });
  },
  DELETED(state, record: ZenRecord<UserValue>) {
    state.users.delete(record.value.username);
  },
};
