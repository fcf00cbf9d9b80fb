import type { ApplierTable } from './applier.js';
import type { JobBatchValue, JobValue, ZenRecord } from '../records.js';
import type { EngineState } from '../state/engine-state.js';
import { jobKeyOf } from '../state/element-instances.js';
import { type JobRow, type JobState, NO_PAYLOAD } from '../state/types.js';

function updateJob(state: EngineState, key: bigint, next: JobState, value: Partial<JobValue>): void {
  const row = state.jobs.get(key);
  if (row) state.jobs.put({ key, state: next, value: { ...row.value, ...value } });
}

function detachJob(state: EngineState, record: ZenRecord<JobValue>): void {
  state.jobs.remove(record.key);
  if (record.value.jobKind === 'EXECUTION_LISTENER') {
    // The element's own job and payload are not the listener's business.
    state.elementInstances.update(record.value.elementInstanceKey, (instance) =>
      instance.listeners?.jobKey === record.key ? { ...instance, listeners: { ...instance.listeners, jobKey: -1n } } : instance,
    );
    return;
  }
  state.elementInstances.update(record.value.elementInstanceKey, (instance) => {
    if (jobKeyOf(instance) !== record.key) return instance;
    // A user task's listener job goes; the task stays.
    return { ...instance, payload: instance.payload.kind === 'userTask' ? { ...instance.payload, listenerJobKey: -1n } : NO_PAYLOAD };
  });
}

/** Job values are stored without variables: those are read fresh at every activation. */
function stored(value: JobValue): JobValue {
  return value.variables && Object.keys(value.variables).length === 0 ? value : { ...value, variables: {} };
}

export const jobAppliers: ApplierTable<'JOB'> = {
  CREATED(state, record: ZenRecord<JobValue>) {
    const row: JobRow = { key: record.key, state: 'ACTIVATABLE', value: stored(record.value) };
    state.jobs.put(row);
    if (record.value.jobKind === 'EXECUTION_LISTENER') {
      state.elementInstances.update(record.value.elementInstanceKey, (instance) => ({ ...instance, listeners: { done: instance.listeners?.done ?? 0, jobKey: record.key } }));
      return;
    }
    state.elementInstances.update(record.value.elementInstanceKey, (instance) => ({
      ...instance,
      payload: instance.payload.kind === 'userTask' ? { ...instance.payload, listenerJobKey: record.key } : { kind: 'job', jobKey: record.key },
    }));
  },
  COMPLETED(state, record: ZenRecord<JobValue>) {
    const instance = state.elementInstances.get(record.value.elementInstanceKey);
    detachJob(state, record);
    if (record.value.jobKind === 'EXECUTION_LISTENER') {
      // Counted as done: the step goes on with the next listener (its variables are written as VARIABLE events).
      state.elementInstances.update(record.value.elementInstanceKey, (instance) => ({ ...instance, listeners: { done: (instance.listeners?.done ?? 0) + 1, jobKey: -1n } }));
      return;
    }
    if (record.value.jobKind === 'TASK_LISTENER') {
      if (instance?.payload.kind === 'userTask') state.userTasks.update(instance.payload.userTaskKey, (task) => ({ ...task, listenersDone: task.listenersDone + 1 }));
      return;
    }
    state.elementInstances.update(record.value.elementInstanceKey, (instance) => ({
      ...instance,
      triggerVariables: record.value.variables,
    }));
  },
  CANCELED: detachJob,
  MIGRATED(state, record: ZenRecord<JobValue>) {
    const row = state.jobs.get(record.key);
    if (row) {
      const { processDefinitionKey, processDefinitionVersion, bpmnProcessId, elementId } = record.value;
      state.jobs.put({ ...row, value: { ...row.value, processDefinitionKey, processDefinitionVersion, bpmnProcessId, elementId } });
    }
  },
  FAILED(state, record: ZenRecord<JobValue>) {
    const { retries, retryBackoff, recurringTime, errorMessage } = record.value;
    const next: JobState = retries > 0 && retryBackoff <= 0 ? 'ACTIVATABLE' : 'FAILED';
    updateJob(state, record.key, next, { retries, retryBackoff, recurringTime, errorMessage, deadline: -1, worker: '' });
  },
  TIMED_OUT(state, record) {
    updateJob(state, record.key, 'ACTIVATABLE', { deadline: -1, worker: '' });
  },
  YIELDED(state, record) {
    updateJob(state, record.key, 'ACTIVATABLE', { deadline: -1, worker: '' });
  },
  RECURRED_AFTER_BACKOFF(state, record) {
    updateJob(state, record.key, 'ACTIVATABLE', { recurringTime: -1, retryBackoff: 0 });
  },
  RETRIES_UPDATED(state, record: ZenRecord<JobValue>) {
    const row = state.jobs.get(record.key);
    if (row) updateJob(state, record.key, row.state, { retries: record.value.retries });
  },
  TIMEOUT_UPDATED(state, record: ZenRecord<JobValue>) {
    const row = state.jobs.get(record.key);
    if (row) updateJob(state, record.key, row.state, { deadline: record.value.deadline, timeout: record.value.timeout });
  },
  ERROR_THROWN(state, record: ZenRecord<JobValue>) {
    updateJob(state, record.key, 'ERROR_THROWN', {
      errorCode: record.value.errorCode,
      errorMessage: record.value.errorMessage,
      deadline: -1,
    });
  },
};

export const jobBatchAppliers: ApplierTable<'JOB_BATCH'> = {
  ACTIVATED(state, record: ZenRecord<JobBatchValue>) {
    const { jobKeys, jobs } = record.value;
    for (let i = 0; i < jobKeys.length; i++) {
      const job = jobs[i]!;
      updateJob(state, jobKeys[i]!, 'ACTIVATED', { deadline: job.deadline, worker: job.worker, timeout: job.timeout });
    }
  },
};
