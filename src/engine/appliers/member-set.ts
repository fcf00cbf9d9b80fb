import type { ApplierTable } from './applier.js';
import type { GroupValue, RoleValue, ZenRecord } from '../records.js';
import type { EngineState } from '../state/engine-state.js';
import type { MemberSetState } from '../state/member-sets.js';

type Ids = { key: bigint; id: string };

function table<T extends 'GROUP' | 'ROLE', V extends GroupValue | RoleValue>(of: (state: EngineState) => MemberSetState, ids: (v: V) => Ids): ApplierTable<T> {
  return {
    CREATED(state, record: ZenRecord<V>) {
      const { key, id } = ids(record.value);
      of(state).put({ key, id, name: record.value.name, description: record.value.description, members: [] });
    },
    UPDATED(state, record: ZenRecord<V>) {
      const row = of(state).get(ids(record.value).id);
      if (row) of(state).put({ ...row, name: record.value.name, description: record.value.description });
    },
    DELETED(state, record: ZenRecord<V>) {
      of(state).delete(ids(record.value).id);
    },
    ENTITY_ADDED(state, record: ZenRecord<V>) {
      of(state).addMember(ids(record.value).id, { entityType: record.value.entityType, entityId: record.value.entityId });
    },
    ENTITY_REMOVED(state, record: ZenRecord<V>) {
      of(state).removeMember(ids(record.value).id, { entityType: record.value.entityType, entityId: record.value.entityId });
    },
  } as ApplierTable<T>;
}

export const groupAppliers = table<'GROUP', GroupValue>((s) => s.groups, (v) => ({ key: v.groupKey, id: v.groupId }));
export const roleAppliers = table<'ROLE', RoleValue>((s) => s.roles, (v) => ({ key: v.roleKey, id: v.roleId }));
