import type { Applier, ApplierTable } from './applier.js';
import { batchOperationAppliers } from './batch-operation.js';
import { calledProcessInstanceAppliers } from './called-process-instance.js';
import { clockAppliers } from './clock.js';
import { conditionalSubscriptionAppliers } from './conditional.js';
import { compensationSubscriptionAppliers } from './compensation.js';
import { commandDistributionAppliers, processAppliers, processEventAppliers } from './deployment.js';
import { decisionAppliers, decisionRequirementsAppliers } from './decision.js';
import { deploymentAppliers, formAppliers } from './form.js';
import { incidentAppliers } from './incident.js';
import { jobAppliers, jobBatchAppliers } from './job.js';
import { messageAppliers, messageCorrelationAppliers, messageStartEventSubscriptionAppliers, messageSubscriptionAppliers, processMessageSubscriptionAppliers } from './message.js';
import { processInstanceAppliers } from './process-instance.js';
import { signalAppliers, signalSubscriptionAppliers } from './signal.js';
import { timerAppliers } from './timer.js';
import { userTaskAppliers } from './user-task.js';
import { userAppliers } from './user.js';
import { authorizationAppliers } from './authorization.js';
import { groupAppliers, roleAppliers } from './member-set.js';
import { mappingRuleAppliers } from './mapping-rule.js';
import { tenantAppliers } from './tenant.js';
import { variableAppliers } from './variable.js';
import type { ModelCache } from '../models.js';
import type { ValueType, ZenRecord } from '../records.js';
import type { EngineState } from '../state/engine-state.js';

/** Every value type's events; those that change no state are there too, as null. */
const APPLIERS: { readonly [T in ValueType]: ApplierTable<T> } = {
  DEPLOYMENT: deploymentAppliers,
  COMMAND_DISTRIBUTION: commandDistributionAppliers,
  PROCESS: processAppliers,
  PROCESS_INSTANCE: processInstanceAppliers,
  PROCESS_INSTANCE_CREATION: { CREATED: null },
  PROCESS_EVENT: processEventAppliers,
  JOB: jobAppliers,
  JOB_BATCH: jobBatchAppliers,
  VARIABLE: variableAppliers,
  VARIABLE_DOCUMENT: { UPDATED: null },
  INCIDENT: incidentAppliers,
  TIMER: timerAppliers,
  MESSAGE: messageAppliers,
  MESSAGE_SUBSCRIPTION: messageSubscriptionAppliers,
  PROCESS_MESSAGE_SUBSCRIPTION: processMessageSubscriptionAppliers,
  MESSAGE_START_EVENT_SUBSCRIPTION: messageStartEventSubscriptionAppliers,
  MESSAGE_CORRELATION: messageCorrelationAppliers,
  ERROR: { CREATED: null },
  ESCALATION: { ESCALATED: null, NOT_ESCALATED: null },
  SIGNAL: signalAppliers,
  SIGNAL_SUBSCRIPTION: signalSubscriptionAppliers,
  PROCESS_INSTANCE_MODIFICATION: { MODIFIED: null },
  PROCESS_INSTANCE_MIGRATION: { MIGRATED: null },
  RESOURCE_DELETION: { DELETING: null, DELETED: null },
  CONDITIONAL_SUBSCRIPTION: conditionalSubscriptionAppliers,
  CONDITIONAL_EVALUATION: { EVALUATED: null },
  // What it activates is in the PROCESS_INSTANCE events that follow.
  AD_HOC_SUB_PROCESS_INSTRUCTION: { ACTIVATED: null },
  COMPENSATION_SUBSCRIPTION: compensationSubscriptionAppliers,
  USER_TASK: userTaskAppliers,
  FORM: formAppliers,
  DECISION_REQUIREMENTS: decisionRequirementsAppliers,
  DECISION: decisionAppliers,
  // The evaluation's effects are in the VARIABLE and INCIDENT events around it.
  DECISION_EVALUATION: { EVALUATED: null, FAILED: null },
  CALLED_PROCESS_INSTANCE: calledProcessInstanceAppliers,
  CLOCK: clockAppliers,
  // The history projection deletes; the engine's state holds no history.
  HISTORY: { CLEANED_UP: null },
  BATCH_OPERATION: batchOperationAppliers,
  USER: userAppliers,
  AUTHORIZATION: authorizationAppliers,
  GROUP: groupAppliers,
  ROLE: roleAppliers,
  MAPPING_RULE: mappingRuleAppliers,
  TENANT: tenantAppliers,
};

/**
 * The applier of an event: a function, or null when the event changes no state. An event this
 * version does not know (a log written by a newer one, a corrupt entry) is an error: replaying
 * past it would rebuild a state that is not the log's.
 */
export function applierFor(valueType: ValueType, intent: string): Applier | null {
  const table = APPLIERS[valueType] as Readonly<Record<string, Applier | null>> | undefined;
  if (!table || !Object.hasOwn(table, intent)) throw new Error(`No applier for the event ${valueType} ${intent}: this log was not written by this version of Zen`);
  return table[intent]!;
}

/**
 * Applies one event. Used while processing (right after an event is written) and when
 * replaying a log, which is why state can only ever be what the log says.
 */
export function applyEvent(state: EngineState, record: ZenRecord, models: ModelCache): void {
  if (record.recordType !== 'EVENT') return;
  applierFor(record.valueType, record.intent)?.(state, record, models);
}
