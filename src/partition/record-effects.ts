/** What a committed batch means outside the engine: metrics, and job types workers can now get. */
import { hasActivatableJobs } from '../engine/queries.js';
import type { IncidentValue, JobBatchValue, JobValue, ZenRecord } from '../engine/records.js';
import type { EngineState } from '../engine/state/engine-state.js';
import { RecordTally, type CounterId, type PartitionSnapshot } from '../metrics/index.js';

const JOB_AVAILABLE_INTENTS = new Set(['CREATED', 'TIMED_OUT', 'FAILED', 'RECURRED_AFTER_BACKOFF', 'YIELDED']);

const TRANSITIONS: Readonly<Record<string, string>> = {
  ELEMENT_ACTIVATED: 'activated',
  ELEMENT_COMPLETED: 'completed',
  ELEMENT_TERMINATED: 'terminated',
};

const JOB_ACTIONS: Readonly<Record<string, string>> = {
  CREATED: 'created',
  COMPLETED: 'completed',
  FAILED: 'failed',
  TIMED_OUT: 'timed_out',
  ERROR_THROWN: 'error_thrown',
  CANCELED: 'canceled',
};

/** Plain counters by `valueType:intent` of an event. */
const EVENT_COUNTERS: Readonly<Record<string, CounterId>> = {
  'INCIDENT:CREATED': 'incidentsCreated',
  'INCIDENT:RESOLVED': 'incidentsResolved',
  'TIMER:CREATED': 'timersCreated',
  'TIMER:TRIGGERED': 'timersTriggered',
  'TIMER:CANCELED': 'timersCanceled',
  'MESSAGE:PUBLISHED': 'messagesPublished',
  'MESSAGE:EXPIRED': 'messagesExpired',
  // The process side of a correlation (one per element that took the message), and a message
  // that started an instance: each a message taken by a process instance.
  'PROCESS_MESSAGE_SUBSCRIPTION:CORRELATED': 'messagesCorrelated',
  'MESSAGE_START_EVENT_SUBSCRIPTION:CORRELATED': 'messagesCorrelated',
};

/**
 * What a batch's records count for the metrics. Counted when the batch is processed and added
 * to the partition's counters only once it is durable (`PartitionMetrics.commit`).
 */
export function tallyRecords(records: readonly ZenRecord[]): RecordTally {
  const tally = new RecordTally();
  tally.add('recordsWritten', [], records.length);
  for (const record of records) {
    if (record.recordType === 'COMMAND') {
      tally.add('commandsProcessed', [record.valueType]);
      continue;
    }
    if (record.recordType === 'COMMAND_REJECTION') {
      tally.add('commandsRejected', [record.rejectionType ?? 'UNKNOWN']);
      continue;
    }
    if (record.valueType === 'PROCESS_INSTANCE') {
      const transition = TRANSITIONS[record.intent];
      if (!transition) continue;
      const elementType = (record.value as { bpmnElementType: string }).bpmnElementType;
      tally.add('elementInstanceTransitions', [elementType, transition]);
      if (record.intent === 'ELEMENT_ACTIVATED') tally.add('elementInstancesActivated');
      if (elementType !== 'PROCESS') continue;
      if (record.intent === 'ELEMENT_ACTIVATED') tally.add('processInstancesCreated');
      else if (record.intent === 'ELEMENT_COMPLETED') tally.add('processInstancesCompleted');
      else tally.add('processInstancesTerminated');
    } else if (record.valueType === 'JOB') {
      const action = JOB_ACTIONS[record.intent];
      if (!action) continue;
      tally.add('jobEvents', [(record.value as JobValue).type, action]);
      if (record.intent === 'COMPLETED') tally.add('jobsCompleted');
      else if (record.intent === 'FAILED') tally.add('jobsFailed');
    } else if (record.valueType === 'JOB_BATCH' && record.intent === 'ACTIVATED') {
      const batch = record.value as JobBatchValue;
      if (batch.jobKeys.length === 0) continue;
      tally.add('jobsActivated', [], batch.jobKeys.length);
      tally.add('jobEvents', [batch.type, 'activated'], batch.jobKeys.length);
    } else {
      const counter = EVENT_COUNTERS[`${record.valueType}:${record.intent}`];
      if (counter) tally.add(counter);
    }
  }
  return tally;
}

/** The leader's state, as the partition gauges show it; `now` is the engine clock. */
export function partitionSnapshot(state: EngineState, now: number, backlogCommands: number): PartitionSnapshot {
  const jobsActivatable = new Map<string, number>();
  for (const type of state.jobs.activatableTypes()) jobsActivatable.set(type, state.jobs.activatableCount(type));
  return {
    processInstancesActive: state.elementInstances.runningProcessInstances,
    incidentsActive: state.incidents.table.size,
    timersPending: state.timers.table.size,
    timersDue: state.timers.due.countDueAt(now),
    backlogCommands,
    jobsActivatable,
  };
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
