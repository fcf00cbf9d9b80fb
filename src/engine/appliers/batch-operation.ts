import type { ApplierTable } from './applier.js';
import type { BatchOperationItemValue, BatchOperationValue, ZenRecord } from '../records.js';

export const batchOperationAppliers: ApplierTable<'BATCH_OPERATION'> = {
  CREATED(state, record: ZenRecord<BatchOperationValue>) {
    const { batchOperationType, itemKeys, migrationPlan, moveInstructions } = record.value;
    state.batchOperations.create(
      {
        key: record.key,
        batchOperationType,
        state: 'ACTIVE',
        ...(migrationPlan ? { migrationPlan } : {}),
        ...(moveInstructions ? { moveInstructions } : {}),
        operationsTotalCount: itemKeys.length,
        operationsCompletedCount: 0,
        operationsFailedCount: 0,
      },
      itemKeys,
    );
  },
  ITEM_COMPLETED(state, record: ZenRecord<BatchOperationItemValue>) {
    state.batchOperations.itemDone(record.key, record.value.itemKey, false);
  },
  ITEM_FAILED(state, record: ZenRecord<BatchOperationItemValue>) {
    state.batchOperations.itemDone(record.key, record.value.itemKey, true);
  },
  SUSPENDED(state, record) {
    state.batchOperations.setState(record.key, 'SUSPENDED');
  },
  RESUMED(state, record) {
    state.batchOperations.setState(record.key, 'ACTIVE');
  },
  COMPLETED(state, record) {
    state.batchOperations.end(record.key);
  },
  CANCELED(state, record) {
    state.batchOperations.end(record.key);
  },
};
