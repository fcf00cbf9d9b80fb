import type { ApplierTable } from './applier.js';
import type { CalledProcessInstanceValue, CalledProcessThrowValue, ZenRecord } from '../records.js';

/** A call activity and its child on another partition (docs/adr/008): each side's rows. */
export const calledProcessInstanceAppliers: ApplierTable<'CALLED_PROCESS_INSTANCE'> = {
  // ---- caller side
  CREATING(state, record: ZenRecord<CalledProcessInstanceValue>) {
    state.calledInstances.calls.set(record.key, { state: 'CREATING', value: record.value });
  },
  CREATED(state, record: ZenRecord<CalledProcessInstanceValue>) {
    state.calledInstances.calls.set(record.key, { state: 'CREATED', value: record.value });
    const calledInstanceKey = record.value.processInstanceKey;
    state.elementInstances.update(record.key, (instance) => ({ ...instance, payload: { kind: 'callActivity', calledInstanceKey } }));
  },
  COMPLETED(state, record) {
    state.calledInstances.calls.delete(record.key);
  },
  CANCELING(state, record: ZenRecord<CalledProcessInstanceValue>) {
    state.calledInstances.calls.set(record.key, { state: 'CANCELING', value: record.value });
  },
  CANCELED(state, record) {
    state.calledInstances.calls.delete(record.key);
  },
  // ---- child side
  ACCEPTED(state, record: ZenRecord<CalledProcessInstanceValue>) {
    state.calledInstances.children.set(record.key, { state: 'RUNNING', value: record.value });
  },
  RETURNING(state, record: ZenRecord<CalledProcessInstanceValue>) {
    state.calledInstances.children.set(record.key, { state: 'RETURNING', value: record.value });
  },
  RELEASED(state, record) {
    state.calledInstances.release(record.key, record.timestamp);
  },
  // ---- thrower side (keyed by the throw), and the catcher's memory of what it caught
  THROWING(state, record: ZenRecord<CalledProcessThrowValue>) {
    state.calledInstances.throws.set(record.value.throwElementInstanceKey, record.value);
  },
  THROW_ANSWERED(state, record: ZenRecord<CalledProcessThrowValue>) {
    state.calledInstances.throws.delete(record.value.throwElementInstanceKey);
  },
  CAUGHT(state, record: ZenRecord<CalledProcessThrowValue>) {
    // An interrupting catch needs no memory: the call activity is gone, a re-sent THROW finds nothing.
    if (record.value.caught === 'NON_INTERRUPTING') state.calledInstances.caught.remember(record.key.toString(), record.timestamp);
  },
};
