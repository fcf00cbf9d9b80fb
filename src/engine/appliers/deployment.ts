import type { ApplierTable } from './applier.js';
import type { CommandDistributionValue, ProcessEventValue, ProcessValue, ZenRecord } from '../records.js';
import { tenantOf } from '../tenants.js';

export const processAppliers: ApplierTable<'PROCESS'> = {
  CREATED(state, record: ZenRecord<ProcessValue>) {
    state.processes.put({ key: record.key, value: record.value });
  },
  DELETING(state, record: ZenRecord<ProcessValue>) {
    const row = state.processes.get(record.value.processDefinitionKey);
    if (row) state.processes.put({ ...row, deleting: true });
    const { bpmnProcessId, version, tenantId } = record.value;
    state.noteDeletedVersion(bpmnProcessId, tenantOf(tenantId), version);
  },
  DELETED(state, record: ZenRecord<ProcessValue>) {
    state.processes.table.delete(record.value.processDefinitionKey);
    state.meta.set(`deletedDefinition:${record.value.processDefinitionKey}`, record.value.version);
  },
};

export const commandDistributionAppliers: ApplierTable<'COMMAND_DISTRIBUTION'> = {
  DISTRIBUTING(state, record: ZenRecord<CommandDistributionValue>) {
    state.distributions.set(`${record.key}:${record.value.partitionId}`, { key: record.key, value: record.value });
  },
  ACKNOWLEDGED(state, record: ZenRecord<CommandDistributionValue>) {
    state.distributions.delete(`${record.key}:${record.value.partitionId}`);
  },
};

export const processEventAppliers: ApplierTable<'PROCESS_EVENT'> = {
  TRIGGERED(state, record: ZenRecord<ProcessEventValue>) {
    state.elementInstances.update(record.value.scopeKey, (instance) => ({
      ...instance,
      triggerVariables: record.value.variables,
      // Fired for an event the instance waits on, not the instance itself (an event-based gateway).
      payload: record.value.targetElementId !== instance.value.elementId ? { kind: 'triggered', eventId: record.value.targetElementId } : instance.payload,
    }));
  },
};
