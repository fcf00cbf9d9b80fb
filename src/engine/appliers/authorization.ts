import type { ApplierTable } from './applier.js';
import type { AuthorizationValue, ZenRecord } from '../records.js';

export const authorizationAppliers: ApplierTable<'AUTHORIZATION'> = {
  CREATED(state, record: ZenRecord<AuthorizationValue>) {
    state.authorizations.put({ ...record.value, permissionTypes: [...record.value.permissionTypes] });
  },
  UPDATED(state, record: ZenRecord<AuthorizationValue>) {
    state.authorizations.put({ ...record.value, permissionTypes: [...record.value.permissionTypes] });
  },
  DELETED(state, record: ZenRecord<AuthorizationValue>) {
    state.authorizations.delete(record.value.authorizationKey);
  },
};
