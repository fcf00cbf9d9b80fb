import type { ApplierTable } from './applier.js';
import type { TenantEntityType, TenantValue, ZenRecord } from '../records.js';
import { NO_MEMBERS, withMember } from '../state/tenant-rows.js';

export const tenantAppliers: ApplierTable<'TENANT'> = {
  CREATED(state, record: ZenRecord<TenantValue>) {
    const { tenantKey, tenantId, name, description } = record.value;
    state.tenants.put({ tenantKey, tenantId, name, description, members: NO_MEMBERS });
  },
  UPDATED(state, record: ZenRecord<TenantValue>) {
    const row = state.tenants.get(record.value.tenantId);
    if (row) state.tenants.put({ ...row, tenantKey: record.value.tenantKey, name: record.value.name, description: record.value.description });
  },
  DELETED(state, record: ZenRecord<TenantValue>) {
    state.tenants.delete(record.value.tenantId);
  },
  ENTITY_ADDED(state, record: ZenRecord<TenantValue>) {
    const row = state.tenants.get(record.value.tenantId);
    if (row) state.tenants.put({ ...withMember(row, record.value.entityType as TenantEntityType, record.value.entityId, true), tenantKey: record.value.tenantKey });
  },
  ENTITY_REMOVED(state, record: ZenRecord<TenantValue>) {
    const row = state.tenants.get(record.value.tenantId);
    if (row) state.tenants.put({ ...withMember(row, record.value.entityType as TenantEntityType, record.value.entityId, false), tenantKey: record.value.tenantKey });
  },
};
