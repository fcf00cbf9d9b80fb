import type { CommandIntent, ValueType } from '../../records.js';
import type { CommandProcessor } from './command-processor.js';
import {
  batchOperationCancel,
  batchOperationCompleteItem,
  batchOperationCreate,
  batchOperationFailItem,
  batchOperationResume,
  batchOperationSuspend,
} from './batch-operation.js';
import {
  calledProcessInstanceAnswerThrow,
  calledProcessInstanceCancel,
  calledProcessInstanceComplete,
  calledProcessInstanceConfirmCancel,
  calledProcessInstanceConfirmComplete,
  calledProcessInstanceConfirmCreate,
  calledProcessInstanceCreate,
  calledProcessInstanceThrow,
} from './called-process-instance.js';
import { clockPin, clockReset } from './clock.js';
import { conditionalEvaluationEvaluate } from './conditional-evaluation.js';
import { decisionEvaluationEvaluate } from './decision-evaluation.js';
import { adHocSubProcessActivate } from './ad-hoc-sub-process.js';
import { commandDistributionAcknowledge, deploymentCreate } from './deployment.js';
import { historyCleanUp } from './history.js';
import { incidentResolve } from './incident.js';
import {
  jobBatchActivate,
  jobComplete,
  jobFail,
  jobRecurAfterBackoff,
  jobThrowError,
  jobTimeOut,
  jobUpdateRetries,
  jobUpdateTimeout,
  jobYield,
} from './job.js';
import { messageExpire, messagePublish } from './message.js';
import { messageCorrelationCorrelate } from './message-correlation.js';
import {
  messageSubscriptionCorrelate,
  messageSubscriptionCreate,
  messageSubscriptionDelete,
  messageSubscriptionReject,
} from './message-subscription.js';
import { processInstanceCancel, processInstanceCreate } from './process-instance.js';
import {
  processMessageSubscriptionCorrelate,
  processMessageSubscriptionCreate,
  processMessageSubscriptionDelete,
} from './process-message-subscription.js';
import { processInstanceMigrate } from './process-instance-migration.js';
import { processInstanceModify } from './process-instance-modification.js';
import { resourceDeletionDelete } from './resource-deletion.js';
import { signalBroadcast } from './signal.js';
import { timerTrigger } from './timer.js';
import { userTaskAssign, userTaskClaim, userTaskComplete, userTaskUpdate } from './user-task.js';
import { userCreate, userDelete, userUpdate } from './user.js';
import { authorizationCreate, authorizationDelete, authorizationUpdate } from './authorization.js';
import { groupProcessors, roleProcessors } from './member-set.js';
import { mappingRuleCreate, mappingRuleDelete, mappingRuleUpdate } from './mapping-rule.js';
import { tenantAddEntity, tenantCreate, tenantDelete, tenantRemoveEntity, tenantUpdate } from './tenant.js';
import { variableDocumentUpdate } from './variable-document.js';

/** The processor of each command a value type has; one named with an intent its type lacks does not compile. */
type CommandTable = { readonly [T in ValueType]?: { readonly [I in CommandIntent<T>]?: CommandProcessor } };

let table: CommandTable | null = null;

function build(): CommandTable {
  return {
    DEPLOYMENT: { CREATE: deploymentCreate },
    COMMAND_DISTRIBUTION: { ACKNOWLEDGE: commandDistributionAcknowledge },
    PROCESS_INSTANCE_CREATION: { CREATE: processInstanceCreate, CREATE_WITH_AWAITING_RESULT: processInstanceCreate },
    PROCESS_INSTANCE: { CANCEL: processInstanceCancel },
    JOB: {
      COMPLETE: jobComplete,
      FAIL: jobFail,
      THROW_ERROR: jobThrowError,
      UPDATE_RETRIES: jobUpdateRetries,
      UPDATE_TIMEOUT: jobUpdateTimeout,
      TIME_OUT: jobTimeOut,
      RECUR_AFTER_BACKOFF: jobRecurAfterBackoff,
      YIELD: jobYield,
    },
    JOB_BATCH: { ACTIVATE: jobBatchActivate },
    MESSAGE: { PUBLISH: messagePublish, EXPIRE: messageExpire },
    MESSAGE_CORRELATION: { CORRELATE: messageCorrelationCorrelate },
    MESSAGE_SUBSCRIPTION: {
      CREATE: messageSubscriptionCreate,
      CORRELATE: messageSubscriptionCorrelate,
      REJECT: messageSubscriptionReject,
      DELETE: messageSubscriptionDelete,
    },
    PROCESS_MESSAGE_SUBSCRIPTION: {
      CREATE: processMessageSubscriptionCreate,
      CORRELATE: processMessageSubscriptionCorrelate,
      DELETE: processMessageSubscriptionDelete,
    },
    VARIABLE_DOCUMENT: { UPDATE: variableDocumentUpdate },
    INCIDENT: { RESOLVE: incidentResolve },
    TIMER: { TRIGGER: timerTrigger },
    SIGNAL: { BROADCAST: signalBroadcast },
    PROCESS_INSTANCE_MODIFICATION: { MODIFY: processInstanceModify },
    PROCESS_INSTANCE_MIGRATION: { MIGRATE: processInstanceMigrate },
    RESOURCE_DELETION: { DELETE: resourceDeletionDelete },
    CONDITIONAL_EVALUATION: { EVALUATE: conditionalEvaluationEvaluate },
    DECISION_EVALUATION: { EVALUATE: decisionEvaluationEvaluate },
    AD_HOC_SUB_PROCESS_INSTRUCTION: { ACTIVATE: adHocSubProcessActivate },
    USER_TASK: { ASSIGN: userTaskAssign, CLAIM: userTaskClaim, UPDATE: userTaskUpdate, COMPLETE: userTaskComplete },
    CLOCK: { PIN: clockPin, RESET: clockReset },
    USER: { CREATE: userCreate, UPDATE: userUpdate, DELETE: userDelete },
    AUTHORIZATION: { CREATE: authorizationCreate, UPDATE: authorizationUpdate, DELETE: authorizationDelete },
    GROUP: groupProcessors,
    ROLE: roleProcessors,
    MAPPING_RULE: { CREATE: mappingRuleCreate, UPDATE: mappingRuleUpdate, DELETE: mappingRuleDelete },
    TENANT: { CREATE: tenantCreate, UPDATE: tenantUpdate, DELETE: tenantDelete, ADD_ENTITY: tenantAddEntity, REMOVE_ENTITY: tenantRemoveEntity },
    HISTORY: { CLEAN_UP: historyCleanUp },
    BATCH_OPERATION: {
      CREATE: batchOperationCreate,
      COMPLETE_ITEM: batchOperationCompleteItem,
      FAIL_ITEM: batchOperationFailItem,
      CANCEL: batchOperationCancel,
      SUSPEND: batchOperationSuspend,
      RESUME: batchOperationResume,
    },
    CALLED_PROCESS_INSTANCE: {
      CREATE: calledProcessInstanceCreate,
      CONFIRM_CREATE: calledProcessInstanceConfirmCreate,
      COMPLETE: calledProcessInstanceComplete,
      CONFIRM_COMPLETE: calledProcessInstanceConfirmComplete,
      CANCEL: calledProcessInstanceCancel,
      CONFIRM_CANCEL: calledProcessInstanceConfirmCancel,
      THROW: calledProcessInstanceThrow,
      ANSWER_THROW: calledProcessInstanceAnswerThrow,
    },
  };
}

export function commandProcessorFor(valueType: ValueType, intent: string): CommandProcessor | undefined {
  table ??= build();
  const byIntent = table[valueType] as Readonly<Record<string, CommandProcessor>> | undefined;
  return byIntent && Object.hasOwn(byIntent, intent) ? byIntent[intent] : undefined;
}
