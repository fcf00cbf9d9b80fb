/**
 * BATCH_OPERATION records (partition 1) → h_batch_operation, and one h_batch_operation_item per
 * process instance: ACTIVE until its command was run (COMPLETED or FAILED with the reason),
 * CANCELED when the batch was canceled before it ran.
 */
import type { BatchOperationItemValue, BatchOperationValue, ZenRecord } from '../../engine/records.js';
import type { Statements } from './statements.js';

export function projectBatchOperation(record: ZenRecord, sql: Statements): void {
  switch (record.intent) {
    case 'CREATED': {
      const v = record.value as BatchOperationValue;
      sql.run(
        `INSERT INTO h_batch_operation (key, operation_type, state, start_date, end_date, total_count, completed_count, failed_count)
         VALUES (?, ?, 'ACTIVE', ?, NULL, ?, 0, 0) ON CONFLICT DO NOTHING`,
        record.key, v.batchOperationType, record.timestamp, v.itemKeys.length,
      );
      for (const itemKey of v.itemKeys) {
        sql.run(
          `INSERT INTO h_batch_operation_item (batch_operation_key, item_key, operation_type, process_instance_key, state)
           VALUES (?, ?, ?, ?, 'ACTIVE') ON CONFLICT DO NOTHING`,
          record.key, itemKey, v.batchOperationType, itemKey,
        );
      }
      return;
    }
    case 'ITEM_COMPLETED':
    case 'ITEM_FAILED': {
      const v = record.value as BatchOperationItemValue;
      const failed = record.intent === 'ITEM_FAILED';
      sql.run(
        `UPDATE h_batch_operation_item SET state = ?, processed_date = ?, error_message = ? WHERE batch_operation_key = ? AND item_key = ?`,
        failed ? 'FAILED' : 'COMPLETED', record.timestamp, failed ? v.errorMessage : null, record.key, v.itemKey,
      );
      sql.run(
        `UPDATE h_batch_operation SET ${failed ? 'failed_count = failed_count + 1' : 'completed_count = completed_count + 1'} WHERE key = ?`,
        record.key,
      );
      return;
    }
    case 'SUSPENDED':
    case 'RESUMED':
      sql.run(`UPDATE h_batch_operation SET state = ? WHERE key = ?`, (record.value as BatchOperationValue).state, record.key);
      return;
    case 'COMPLETED':
    case 'CANCELED':
      sql.run(`UPDATE h_batch_operation SET state = ?, end_date = ? WHERE key = ?`, (record.value as BatchOperationValue).state, record.timestamp, record.key);
      if (record.intent === 'CANCELED') {
        sql.run(`UPDATE h_batch_operation_item SET state = 'CANCELED' WHERE batch_operation_key = ? AND state = 'ACTIVE'`, record.key);
      }
      return;
  }
}
