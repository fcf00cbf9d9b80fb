import type { Applier, ApplierTable } from './applier.js';
import { commandDistributionAppliers, processAppliers, processEventAppliers } from './deployment.js';
import { incidentAppliers } from './incident.js';
import { jobAppliers, jobBatchAppliers } from './job.js';
import { messageAppliers, messageSubscriptionAppliers, processMessageSubscriptionAppliers } from './message.js';
import { processInstanceAppliers } from './process-instance.js';
import { timerAppliers } from './timer.js';
import { variableAppliers } from './variable.js';
import type { ModelCache } from '../models.js';
import type { ValueType, ZenRecord } from '../records.js';
import type { EngineState } from '../state/engine-state.js';

const APPLIERS: Partial<Record<ValueType, ApplierTable>> = {
  PROCESS: processAppliers,
  PROCESS_INSTANCE: processInstanceAppliers,
  PROCESS_EVENT: processEventAppliers,
  JOB: jobAppliers,
  JOB_BATCH: jobBatchAppliers,
  VARIABLE: variableAppliers,
  INCIDENT: incidentAppliers,
  TIMER: timerAppliers,
  MESSAGE: messageAppliers,
  MESSAGE_SUBSCRIPTION: messageSubscriptionAppliers,
  PROCESS_MESSAGE_SUBSCRIPTION: processMessageSubscriptionAppliers,
  COMMAND_DISTRIBUTION: commandDistributionAppliers,
};

/** The applier for an event, or undefined for events that change no state. */
export function applierFor(valueType: ValueType, intent: string): Applier | undefined {
  return APPLIERS[valueType]?.[intent];
}

/**
 * Applies one event. Used while processing (right after an event is written) and when
 * replaying a log, which is why state can only ever be what the log says.
 */
export function applyEvent(state: EngineState, record: ZenRecord, models: ModelCache): void {
  if (record.recordType !== 'EVENT') return;
  applierFor(record.valueType, record.intent)?.(state, record, models);
}
