/** What a committed batch means outside the engine: metrics, and job types workers can now get. */
import { hasActivatableJobs } from '../engine/queries.js';
import type { IncidentValue, JobValue, ZenRecord } from '../engine/records.js';
import type { EngineState } from '../engine/state/engine-state.js';
import type { PartitionMetrics } from '../metrics/index.js';

const JOB_AVAILABLE_INTENTS = new Set(['CREATED', 'TIMED_OUT', 'FAILED', 'RECURRED_AFTER_BACKOFF', 'YIELDED']);

export function countRecords(metrics: PartitionMetrics, records: readonly ZenRecord[]): void {
  for (const record of records) {
    if (record.recordType === 'COMMAND') {
      metrics.commandProcessed(record.valueType);
      continue;
    }
    if (record.recordType === 'COMMAND_REJECTION') {
      metrics.commandRejected(record.rejectionType ?? 'UNKNOWN');
      continue;
    }
    if (record.valueType === 'PROCESS_INSTANCE') {
      if (record.intent === 'ELEMENT_ACTIVATED') metrics.elementInstanceActivated();
      if ((record.value as { bpmnElementType: string }).bpmnElementType !== 'PROCESS') continue;
      if (record.intent === 'ELEMENT_ACTIVATED') metrics.processInstanceCreated();
      else if (record.intent === 'ELEMENT_COMPLETED') metrics.processInstanceCompleted();
    } else if (record.valueType === 'JOB') {
      if (record.intent === 'COMPLETED') metrics.jobCompleted();
      else if (record.intent === 'FAILED') metrics.jobFailed();
    } else if (record.valueType === 'JOB_BATCH' && record.intent === 'ACTIVATED') {
      metrics.jobsActivated((record.value as { jobKeys: unknown[] }).jobKeys.length);
    } else if (record.valueType === 'INCIDENT' && record.intent === 'CREATED') {
      metrics.incidentCreated();
    }
  }
}

/** Job types that may have become activatable through these records; check with `stillActivatable`. */
export function jobTypesTouched(state: EngineState, records: readonly ZenRecord[]): string[] {
  let types: Set<string> | null = null;
  for (const record of records) {
    if (record.recordType !== 'EVENT') continue;
    if (record.valueType === 'JOB' && JOB_AVAILABLE_INTENTS.has(record.intent)) {
      (types ??= new Set()).add((record.value as JobValue).type);
    } else if (record.valueType === 'INCIDENT' && record.intent === 'RESOLVED') {
      const jobKey = (record.value as IncidentValue).jobKey;
      const job = jobKey > 0n ? state.jobs.get(jobKey) : undefined;
      if (job) (types ??= new Set()).add(job.value.type);
    }
  }
  return types ? [...types] : [];
}

export function stillActivatable(state: EngineState, types: readonly string[]): string[] {
  return types.filter((type) => hasActivatableJobs(state, type));
}
