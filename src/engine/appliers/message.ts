import type { ApplierTable } from './applier.js';
import type { MessageCorrelationValue, MessageStartEventSubscriptionValue, MessageSubscriptionValue, MessageValue, ProcessMessageSubscriptionValue, ZenRecord } from '../records.js';

export const messageAppliers: ApplierTable<'MESSAGE'> = {
  PUBLISHED(state, record: ZenRecord<MessageValue>) {
    state.messages.put({ key: record.key, value: record.value });
  },
  EXPIRED(state, record) {
    state.messages.remove(record.key);
  },
};

/** Message partition side. */
export const messageSubscriptionAppliers: ApplierTable<'MESSAGE_SUBSCRIPTION'> = {
  CREATED(state, record: ZenRecord<MessageSubscriptionValue>) {
    state.messageSubscriptions.put({ value: record.value, correlating: false });
  },
  CORRELATING(state, record: ZenRecord<MessageSubscriptionValue>) {
    const { elementInstanceKey, messageName, messageKey, bpmnProcessId } = record.value;
    const row = state.messageSubscriptions.get(elementInstanceKey, messageName);
    if (row) state.messageSubscriptions.put({ ...row, correlating: true, value: { ...row.value, messageKey, variables: record.value.variables } });
    state.messages.markCorrelated(messageKey, bpmnProcessId);
  },
  CORRELATED(state, record: ZenRecord<MessageSubscriptionValue>) {
    const { elementInstanceKey, messageName } = record.value;
    const row = state.messageSubscriptions.get(elementInstanceKey, messageName);
    if (!row) return;
    if (row.value.interrupting) state.messageSubscriptions.delete(elementInstanceKey, messageName, record.timestamp);
    else state.messageSubscriptions.put({ ...row, correlating: false, value: { ...row.value, variables: {} } });
  },
  REJECTED(state, record: ZenRecord<MessageSubscriptionValue>) {
    const { elementInstanceKey, messageName, messageKey, bpmnProcessId } = record.value;
    // The instance no longer waits (or already took the message): drop the subscription, as
    // Zeebe does. Kept open, the message would be offered to it again and again.
    state.messageSubscriptions.delete(elementInstanceKey, messageName, record.timestamp);
    state.messages.correlated.delete(`${messageKey}:${bpmnProcessId}`);
  },
  DELETED(state, record: ZenRecord<MessageSubscriptionValue>) {
    state.messageSubscriptions.delete(record.value.elementInstanceKey, record.value.messageName, record.timestamp);
  },
};

/** Process instance partition side. */
export const processMessageSubscriptionAppliers: ApplierTable<'PROCESS_MESSAGE_SUBSCRIPTION'> = {
  CREATING(state, record: ZenRecord<ProcessMessageSubscriptionValue>) {
    state.processMessageSubscriptions.put({ state: 'CREATING', value: record.value });
  },
  CREATED(state, record: ZenRecord<ProcessMessageSubscriptionValue>) {
    const row = state.processMessageSubscriptions.get(record.value.elementInstanceKey, record.value.messageName);
    if (row) state.processMessageSubscriptions.put({ ...row, state: 'CREATED' });
  },
  CORRELATED(state, record: ZenRecord<ProcessMessageSubscriptionValue>) {
    const { elementInstanceKey, messageName, interrupting, elementId } = record.value;
    const row = state.processMessageSubscriptions.get(elementInstanceKey, messageName);
    if (row) {
      if (interrupting) state.processMessageSubscriptions.remove(elementInstanceKey, messageName);
      // Remember the message, so a re-delivered CORRELATE of it is recognised as a duplicate.
      else state.processMessageSubscriptions.put({ ...row, state: 'CREATED', value: { ...row.value, messageKey: record.value.messageKey } });
    }
    // A catch event keeps the message's variables until it completes (output mappings).
    state.elementInstances.update(elementInstanceKey, (instance) =>
      instance.value.elementId === elementId ? { ...instance, triggerVariables: record.value.variables } : instance,
    );
  },
  DELETING(state, record: ZenRecord<ProcessMessageSubscriptionValue>) {
    const row = state.processMessageSubscriptions.get(record.value.elementInstanceKey, record.value.messageName);
    // Without a row: closing one the message partition re-created after it ended here.
    state.processMessageSubscriptions.put(row ? { ...row, state: 'DELETING' } : { state: 'DELETING', value: record.value });
  },
  DELETED(state, record: ZenRecord<ProcessMessageSubscriptionValue>) {
    state.processMessageSubscriptions.remove(record.value.elementInstanceKey, record.value.messageName);
  },
  MIGRATED(state, record: ZenRecord<ProcessMessageSubscriptionValue>) {
    const row = state.processMessageSubscriptions.get(record.value.elementInstanceKey, record.value.messageName);
    if (row) state.processMessageSubscriptions.put({ ...row, value: record.value });
  },
};

/** A message started an instance: it counts as correlated to the process, and a keyed start is locked until the instance ends. */
export const messageStartEventSubscriptionAppliers: ApplierTable<'MESSAGE_START_EVENT_SUBSCRIPTION'> = {
  CORRELATED(state, record: ZenRecord<MessageStartEventSubscriptionValue>) {
    const { messageKey, bpmnProcessId, correlationKey, processInstanceKey, tenantId } = record.value;
    state.messages.markCorrelated(messageKey, bpmnProcessId);
    if (correlationKey !== '') state.messageStartLocks.lock({ bpmnProcessId, correlationKey, processInstanceKey, tenantId });
  },
};

/** A correlation request is remembered until it is answered, on the message's partition. */
export const messageCorrelationAppliers: ApplierTable<'MESSAGE_CORRELATION'> = {
  CORRELATING(state, record: ZenRecord<MessageCorrelationValue>) {
    state.messageCorrelations.put(record.value);
  },
  CORRELATED(state, record: ZenRecord<MessageCorrelationValue>) {
    state.messageCorrelations.remove(record.value.messageKey);
  },
  NOT_CORRELATED(state, record: ZenRecord<MessageCorrelationValue>) {
    state.messageCorrelations.remove(record.value.messageKey);
  },
};
