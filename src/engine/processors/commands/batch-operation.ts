import type { ProcessingContext } from '../../processing/context.js';
import type { EngineCommand } from '../../processing/types.js';
import type { BatchOperationItemValue, BatchOperationType, BatchOperationValue } from '../../records.js';
import type { BatchOperationRow } from '../../state/batch-operations.js';

/** More items than this would make one log entry (and one state row set) too large to write at once. */
export const MAX_BATCH_OPERATION_ITEMS = 10_000;

const TYPES: readonly BatchOperationType[] = ['CANCEL_PROCESS_INSTANCE', 'RESOLVE_INCIDENT', 'MIGRATE_PROCESS_INSTANCE', 'MODIFY_PROCESS_INSTANCE'];

/**
 * BATCH_OPERATION CREATE: the batch and its items (process instances), on partition 1. A batch
 * with no items is completed at once, as Camunda does with a filter that matches nothing.
 */
export function batchOperationCreate(ctx: ProcessingContext, command: EngineCommand): void {
  const value = command.value as BatchOperationValue;
  if (ctx.partitionId !== 1) {
    ctx.reject('INVALID_ARGUMENT', `Expected to create a batch operation on partition 1, but it was sent to partition ${ctx.partitionId}`);
    return;
  }
  if (!TYPES.includes(value.batchOperationType)) {
    ctx.reject('INVALID_ARGUMENT', `Expected a batch operation type of ${TYPES.join(', ')}, but it was '${String(value.batchOperationType)}'`);
    return;
  }
  const itemKeys = [...new Set(value.itemKeys)];
  if (itemKeys.length > MAX_BATCH_OPERATION_ITEMS) {
    ctx.reject('INVALID_ARGUMENT', `Expected at most ${MAX_BATCH_OPERATION_ITEMS} process instances in one batch operation, but the filter matched ${itemKeys.length}; narrow the filter`);
    return;
  }
  if (value.batchOperationType === 'MIGRATE_PROCESS_INSTANCE' && !value.migrationPlan) {
    ctx.reject('INVALID_ARGUMENT', 'Expected a migration plan for a migration batch operation, but none was given');
    return;
  }
  if (value.batchOperationType === 'MODIFY_PROCESS_INSTANCE' && !value.moveInstructions?.length) {
    ctx.reject('INVALID_ARGUMENT', 'Expected at least one move instruction for a modification batch operation, but none was given');
    return;
  }
  const key = ctx.nextKey();
  const created: BatchOperationValue = {
    batchOperationType: value.batchOperationType,
    itemKeys,
    ...(value.migrationPlan ? { migrationPlan: value.migrationPlan } : {}),
    ...(value.moveInstructions ? { moveInstructions: value.moveInstructions } : {}),
    state: 'ACTIVE',
    operationsTotalCount: itemKeys.length,
    operationsCompletedCount: 0,
    operationsFailedCount: 0,
  };
  ctx.event('BATCH_OPERATION', 'CREATED', key, created);
  if (itemKeys.length === 0) complete(ctx, key);
  ctx.respond(key, { batchOperationKey: key, batchOperationType: value.batchOperationType });
}

/** BATCH_OPERATION COMPLETE_ITEM: the item's command was taken. */
export function batchOperationCompleteItem(ctx: ProcessingContext, command: EngineCommand): void {
  itemDone(ctx, command, false);
}

/** BATCH_OPERATION FAIL_ITEM: the item's command was rejected (the reason in `errorMessage`). */
export function batchOperationFailItem(ctx: ProcessingContext, command: EngineCommand): void {
  itemDone(ctx, command, true);
}

function itemDone(ctx: ProcessingContext, command: EngineCommand, failed: boolean): void {
  const { itemKey, errorMessage } = command.value as BatchOperationItemValue;
  const batch = found(ctx, command.key, failed ? 'fail an item of' : 'complete an item of');
  if (!batch) return;
  if (!ctx.state.batchOperations.isPending(batch.key, itemKey)) {
    ctx.reject('INVALID_STATE', `Expected item '${itemKey}' of batch operation '${batch.key}' to be pending, but it was already done or is not in the batch`);
    return;
  }
  const value: BatchOperationItemValue = { batchOperationType: batch.batchOperationType, itemKey, errorMessage: failed ? String(errorMessage ?? '') : '' };
  ctx.event('BATCH_OPERATION', failed ? 'ITEM_FAILED' : 'ITEM_COMPLETED', batch.key, value);
  if (ctx.state.batchOperations.pendingCount(batch.key) === 0) complete(ctx, batch.key);
  ctx.respond(batch.key, value);
}

function complete(ctx: ProcessingContext, key: bigint): void {
  const row = ctx.state.batchOperations.get(key)!;
  ctx.event('BATCH_OPERATION', 'COMPLETED', key, summary(row, row.operationsFailedCount > 0 ? 'PARTIALLY_COMPLETED' : 'COMPLETED'));
}

/** BATCH_OPERATION CANCEL: the items not run yet are not run; those run stay done. */
export function batchOperationCancel(ctx: ProcessingContext, command: EngineCommand): void {
  const batch = found(ctx, command.key, 'cancel');
  if (!batch) return;
  const value = summary(batch, 'CANCELED');
  ctx.event('BATCH_OPERATION', 'CANCELED', batch.key, value);
  ctx.respond(batch.key, value);
}

/** BATCH_OPERATION SUSPEND: no further item is started until RESUME (those running finish). */
export function batchOperationSuspend(ctx: ProcessingContext, command: EngineCommand): void {
  const batch = found(ctx, command.key, 'suspend');
  if (!batch) return;
  if (batch.state !== 'ACTIVE') {
    ctx.reject('INVALID_STATE', `Expected to suspend batch operation with key '${batch.key}', but it is ${batch.state}`);
    return;
  }
  const value = summary(batch, 'SUSPENDED');
  ctx.event('BATCH_OPERATION', 'SUSPENDED', batch.key, value);
  ctx.respond(batch.key, value);
}

export function batchOperationResume(ctx: ProcessingContext, command: EngineCommand): void {
  const batch = found(ctx, command.key, 'resume');
  if (!batch) return;
  if (batch.state !== 'SUSPENDED') {
    ctx.reject('INVALID_STATE', `Expected to resume batch operation with key '${batch.key}', but it is ${batch.state}`);
    return;
  }
  const value = summary(batch, 'ACTIVE');
  ctx.event('BATCH_OPERATION', 'RESUMED', batch.key, value);
  ctx.respond(batch.key, value);
}

/** A batch that ended is no longer in the state: to the client it cannot be changed any more. */
function found(ctx: ProcessingContext, key: bigint, what: string): BatchOperationRow | undefined {
  const batch = ctx.state.batchOperations.get(key);
  if (!batch) ctx.reject('NOT_FOUND', `Expected to ${what} batch operation with key '${key}', but no such batch operation is running`);
  return batch;
}

function summary(row: BatchOperationRow, state: BatchOperationValue['state']): BatchOperationValue {
  return {
    batchOperationType: row.batchOperationType,
    itemKeys: [],
    state,
    operationsTotalCount: row.operationsTotalCount,
    operationsCompletedCount: row.operationsCompletedCount,
    operationsFailedCount: row.operationsFailedCount,
  };
}
