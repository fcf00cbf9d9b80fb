/** The projectors of user tasks, message subscriptions, decisions and batch operations, by value type (run after projector.ts's own). */
import type { ZenRecord } from '../engine/records.js';
import { projectBatchOperation } from './projectors/batch-operations.js';
import { projectDecision, projectDecisionEvaluation, projectDecisionRequirements } from './projectors/decisions.js';
import { projectMessageStartCorrelation, projectProcessMessageSubscription } from './projectors/messages.js';
import type { Statements } from './projectors/statements.js';
import { projectUserTask, projectUserTaskNames } from './projectors/user-tasks.js';

export const MORE_PROJECTORS: Partial<Record<ZenRecord['valueType'], (record: ZenRecord, sql: Statements) => void>> = {
  PROCESS: projectUserTaskNames,
  USER_TASK: projectUserTask,
  PROCESS_MESSAGE_SUBSCRIPTION: projectProcessMessageSubscription,
  MESSAGE_START_EVENT_SUBSCRIPTION: projectMessageStartCorrelation,
  DECISION_REQUIREMENTS: projectDecisionRequirements,
  DECISION: projectDecision,
  DECISION_EVALUATION: projectDecisionEvaluation,
  BATCH_OPERATION: projectBatchOperation,
};
