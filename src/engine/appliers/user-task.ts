import type { ApplierTable } from './applier.js';
import type { UserTaskValue, ZenRecord } from '../records.js';
import type { EngineState } from '../state/engine-state.js';
import type { UserTaskLifecycle } from '../state/user-tasks.js';
import { NO_PAYLOAD } from '../state/types.js';

/** What the state keeps of a record: completion variables and a denial's reason belong to that record only. */
function kept(value: UserTaskValue): UserTaskValue {
  return Object.keys(value.variables).length === 0 && value.deniedReason === '' ? value : { ...value, variables: {}, deniedReason: '' };
}

/** A transition starts: listeners of its event start from the first. */
function begin(state: EngineState, record: ZenRecord<UserTaskValue>, next: UserTaskLifecycle): void {
  state.userTasks.update(record.key, (row) => ({ ...row, state: next, transition: record.value, listenersDone: 0 }));
}

/** A transition ends with the task as the record has it. */
function finish(state: EngineState, record: ZenRecord<UserTaskValue>): void {
  state.userTasks.update(record.key, (row) => ({ ...row, state: 'CREATED', value: kept(record.value), transition: null, listenersDone: 0 }));
}

/** A listener denied the transition: the task stays as it was. */
function deny(state: EngineState, record: ZenRecord<UserTaskValue>): void {
  state.userTasks.update(record.key, (row) => ({ ...row, state: 'CREATED', transition: null, listenersDone: 0 }));
}

function release(state: EngineState, record: ZenRecord<UserTaskValue>): void {
  state.userTasks.remove(record.key);
  state.elementInstances.update(record.value.elementInstanceKey, (instance) =>
    instance.payload.kind === 'userTask' && instance.payload.userTaskKey === record.key ? { ...instance, payload: NO_PAYLOAD } : instance,
  );
}

export const userTaskAppliers: ApplierTable<'USER_TASK'> = {
  CREATING(state, record: ZenRecord<UserTaskValue>, models) {
    const model = models.get(record.value.processDefinitionKey);
    state.userTasks.put({
      key: record.key,
      state: 'CREATING',
      // The model's assignee is given once the task exists (an assignment of its own).
      value: kept({ ...record.value, assignee: '' }),
      transition: record.value,
      listenersDone: 0,
      initialAssignee: record.value.assignee,
      name: model.elements.get(record.value.elementId)?.name ?? '',
      processName: model.name ?? '',
    });
    state.elementInstances.update(record.value.elementInstanceKey, (instance) => ({
      ...instance,
      payload: { kind: 'userTask', userTaskKey: record.key, listenerJobKey: -1n },
    }));
  },
  CREATED: finish,
  ASSIGNING(state, record) {
    begin(state, record, 'ASSIGNING');
  },
  CLAIMING(state, record) {
    begin(state, record, 'CLAIMING');
  },
  ASSIGNED: finish,
  UPDATING(state, record) {
    begin(state, record, 'UPDATING');
  },
  UPDATED: finish,
  COMPLETING(state, record) {
    begin(state, record, 'COMPLETING');
  },
  COMPLETED(state, record: ZenRecord<UserTaskValue>) {
    release(state, record);
    // Like a job's, the completion's variables reach the scope through the element's output.
    state.elementInstances.update(record.value.elementInstanceKey, (instance) => ({ ...instance, triggerVariables: record.value.variables }));
  },
  CANCELING(state, record) {
    begin(state, record, 'CANCELING');
  },
  CANCELED: release,
  CORRECTED(state, record: ZenRecord<UserTaskValue>) {
    state.userTasks.update(record.key, (row) => ({ ...row, transition: record.value }));
  },
  COMPLETION_DENIED: deny,
  ASSIGNMENT_DENIED: deny,
  UPDATE_DENIED: deny,
};
