import type { ApplierTable } from './applier.js';
import type { IncidentValue, ZenRecord } from '../records.js';
import { withoutListeners } from '../state/element-instances.js';

export const incidentAppliers: ApplierTable<'INCIDENT'> = {
  CREATED(state, record: ZenRecord<IncidentValue>) {
    state.incidents.put({ key: record.key, value: record.value });
  },
  MIGRATED(state, record: ZenRecord<IncidentValue>) {
    state.incidents.put({ key: record.key, value: record.value });
  },
  RESOLVED(state, record: ZenRecord<IncidentValue>) {
    state.incidents.remove(record.key);
    // A job incident is resolved by making the job available to workers again.
    const jobKey = record.value.jobKey;
    const job = jobKey > 0n ? state.jobs.get(jobKey) : undefined;
    if (job && (job.state === 'FAILED' || job.state === 'ERROR_THROWN')) {
      state.jobs.put({ key: jobKey, state: 'ACTIVATABLE', value: { ...job.value, recurringTime: -1, retryBackoff: 0 } });
    }
    // An element's own incident: its step runs again from the start, execution listeners from the first (as in Zeebe).
    if (jobKey <= 0n) state.elementInstances.update(record.value.elementInstanceKey, withoutListeners);
  },
};
