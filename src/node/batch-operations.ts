/**
 * Batch operations (Camunda 8.8's `/v2/process-instances/cancellation` and friends): the node
 * that takes the request finds the instances in the history, and partition 1 keeps the batch
 * (BATCH_OPERATION records); partition 1's leader runs each item with the ordinary command.
 */
import { ZenError } from '../errors.js';
import type { BatchMigrationPlan, BatchMoveInstruction, BatchOperationType, BatchOperationValue } from '../engine/records.js';
import type { BatchOperationRow } from '../engine/state/batch-operations.js';
import { MAX_BATCH_OPERATION_ITEMS } from '../engine/processors/commands/batch-operation.js';
import type { CreateBatchOperationRequest, HistorySearchRequest, ZenApi } from './api.js';


const PAGE = 1000;

/** What the batch needs of the node: searches and the single-instance commands. */
type Commands = Pick<ZenApi, 'searchHistory' | 'cancelProcessInstance' | 'resolveIncident' | 'updateJobRetries' | 'migrateProcessInstance' | 'modifyProcessInstance'>;

/**
 * Every running instance the filter matches, paged through with cursors and read fresh (the
 * caller's own writes count). Only running instances can be canceled, resolved, migrated or
 * modified; an incident resolution takes those with an incident.
 */
export async function collectItems(api: Commands, req: CreateBatchOperationRequest): Promise<bigint[]> {
  const keys: bigint[] = [];
  let after: string | undefined;
  for (;;) {
    const request: HistorySearchRequest = {
      filter: req.filter ?? {},
      sort: [{ field: 'processInstanceKey', order: 'ASC' }],
      page: { limit: PAGE, ...(after !== undefined ? { after } : {}) },
      fresh: true,
    };
    const answer = await api.searchHistory('processInstances', request);
    for (const item of answer.items) {
      if (item.state !== 'ACTIVE') continue;
      if (req.batchOperationType === 'RESOLVE_INCIDENT' && item.hasIncident !== true) continue;
      keys.push(BigInt(String(item.processInstanceKey)));
      if (keys.length > MAX_BATCH_OPERATION_ITEMS) {
        throw new ZenError('INVALID_ARGUMENT', `Expected at most ${MAX_BATCH_OPERATION_ITEMS} process instances in one batch operation, but the filter matched more; narrow the filter`);
      }
    }
    if (answer.items.length < PAGE || answer.page.endCursor === undefined) return keys;
    after = answer.page.endCursor;
  }
}

export function creationValue(req: CreateBatchOperationRequest, itemKeys: bigint[]): BatchOperationValue {
  return {
    batchOperationType: req.batchOperationType,
    itemKeys,
    ...(req.migrationPlan ? { migrationPlan: req.migrationPlan } : {}),
    ...(req.moveInstructions ? { moveInstructions: [...req.moveInstructions] } : {}),
    state: 'ACTIVE',
    operationsTotalCount: itemKeys.length,
    operationsCompletedCount: 0,
    operationsFailedCount: 0,
  };
}

/** One item: the instance's ordinary command(s); throws with the reason when one was rejected. */
export async function runBatchItem(api: Commands, batch: BatchOperationRow, processInstanceKey: bigint): Promise<void> {
  switch (batch.batchOperationType) {
    case 'CANCEL_PROCESS_INSTANCE':
      return api.cancelProcessInstance(processInstanceKey);
    case 'RESOLVE_INCIDENT':
      return resolveIncidents(api, processInstanceKey);
    case 'MIGRATE_PROCESS_INSTANCE':
      return api.migrateProcessInstance({ processInstanceKey, ...batch.migrationPlan! });
    case 'MODIFY_PROCESS_INSTANCE':
      return move(api, processInstanceKey, batch.moveInstructions ?? []);
  }
}

/**
 * Every active incident of the instance resolved; a job out of retries gets one retry first
 * (as Operate does), else resolving it would be rejected.
 */
async function resolveIncidents(api: Commands, processInstanceKey: bigint): Promise<void> {
  const answer = await api.searchHistory('incidents', {
    filter: { processInstanceKey: String(processInstanceKey), state: 'ACTIVE' },
    sort: [],
    page: { limit: PAGE },
    fresh: true,
  });
  for (const incident of answer.items) {
    const errorType = String(incident.errorType);
    if (incident.jobKey !== undefined && (errorType === 'JOB_NO_RETRIES' || errorType === 'EXECUTION_LISTENER_NO_RETRIES')) {
      await api.updateJobRetries(BigInt(String(incident.jobKey)), 1);
    }
    await api.resolveIncident(BigInt(String(incident.incidentKey)));
  }
}

/**
 * Each active instance of a move instruction's source element terminated, and the target
 * activated in that instance's flow scope (as Zeebe's batch modification does: one target per
 * source instance, so a source in each of several subprocess instances moves within each), all
 * in one modification of the instance.
 */
async function move(api: Commands, processInstanceKey: bigint, instructions: readonly BatchMoveInstruction[]): Promise<void> {
  const targets = new Map(instructions.map((i) => [i.sourceElementId, i.targetElementId]));
  const answer = await api.searchHistory('elementInstanceScopes', {
    filter: { processInstanceKey: String(processInstanceKey), elementId: { $in: [...targets.keys()] }, state: 'ACTIVE' },
    sort: [{ field: 'elementInstanceKey', order: 'ASC' }],
    page: { limit: PAGE },
    fresh: true,
  });
  if (answer.items.length === 0) {
    throw new ZenError('FAILED_PRECONDITION', `Expected process instance '${processInstanceKey}' to have an active instance of ${instructions.map((i) => `'${i.sourceElementId}'`).join(' or ')}, but it has none`);
  }
  await api.modifyProcessInstance({
    processInstanceKey,
    activateInstructions: answer.items.map((item) => ({
      elementId: targets.get(String(item.elementId))!,
      ancestorElementInstanceKey: BigInt(String(item.flowScopeKey ?? processInstanceKey)),
      variableInstructions: [],
    })),
    terminateInstructions: answer.items.map((item) => BigInt(String(item.elementInstanceKey))),
  });
}
