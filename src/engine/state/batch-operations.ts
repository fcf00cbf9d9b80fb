/**
 * Batch operations that have not ended, on partition 1: their counts, and the items (process
 * instances) not run yet. An ended batch leaves the state; the history keeps it for searches.
 */
import { bigintKey, type Journal, stringKey, Table } from './table.js';
import type { BatchMigrationPlan, BatchMoveInstruction, BatchOperationType } from '../records.js';

export interface BatchOperationRow {
  key: bigint;
  batchOperationType: BatchOperationType;
  state: 'ACTIVE' | 'SUSPENDED';
  migrationPlan?: BatchMigrationPlan;
  moveInstructions?: BatchMoveInstruction[];
  operationsTotalCount: number;
  operationsCompletedCount: number;
  operationsFailedCount: number;
}

export interface PendingItemRow {
  batchOperationKey: bigint;
  itemKey: bigint;
  /** The item's place in the batch: pending items are run in this order. */
  index: number;
}

export class BatchOperationState {
  readonly batches: Table<bigint, BatchOperationRow>;
  readonly items: Table<string, PendingItemRow>;
  private readonly pendingByBatch = new Map<bigint, Map<bigint, number>>();

  constructor(journal: Journal) {
    this.batches = new Table('batch_operations', bigintKey, journal);
    this.items = new Table('batch_operation_items', stringKey, journal);
    this.items.onChange((_key, previous, next) => {
      if (previous && !next) {
        const pending = this.pendingByBatch.get(previous.batchOperationKey);
        pending?.delete(previous.itemKey);
        if (pending && pending.size === 0) this.pendingByBatch.delete(previous.batchOperationKey);
      } else if (next && !previous) {
        let pending = this.pendingByBatch.get(next.batchOperationKey);
        if (!pending) this.pendingByBatch.set(next.batchOperationKey, (pending = new Map()));
        pending.set(next.itemKey, next.index);
      }
    });
  }

  get(key: bigint): BatchOperationRow | undefined {
    return this.batches.get(key);
  }

  running(): BatchOperationRow[] {
    return [...this.batches.values()];
  }

  isPending(batchOperationKey: bigint, itemKey: bigint): boolean {
    return this.items.has(itemId(batchOperationKey, itemKey));
  }

  pendingCount(batchOperationKey: bigint): number {
    return this.pendingByBatch.get(batchOperationKey)?.size ?? 0;
  }

  /** Up to `limit` items not run yet, in the batch's order. */
  pending(batchOperationKey: bigint, limit: number): bigint[] {
    const pending = this.pendingByBatch.get(batchOperationKey);
    if (!pending) return [];
    return [...pending].sort((a, b) => a[1] - b[1]).slice(0, limit).map(([itemKey]) => itemKey);
  }

  create(row: BatchOperationRow, itemKeys: readonly bigint[]): void {
    this.batches.set(row.key, row);
    itemKeys.forEach((itemKey, index) => this.items.set(itemId(row.key, itemKey), { batchOperationKey: row.key, itemKey, index }));
  }

  itemDone(batchOperationKey: bigint, itemKey: bigint, failed: boolean): void {
    this.items.delete(itemId(batchOperationKey, itemKey));
    const row = this.batches.get(batchOperationKey);
    if (!row) return;
    this.batches.set(
      batchOperationKey,
      failed ? { ...row, operationsFailedCount: row.operationsFailedCount + 1 } : { ...row, operationsCompletedCount: row.operationsCompletedCount + 1 },
    );
  }

  setState(batchOperationKey: bigint, state: BatchOperationRow['state']): void {
    const row = this.batches.get(batchOperationKey);
    if (row) this.batches.set(batchOperationKey, { ...row, state });
  }

  /** The batch ended: it and the items it did not run leave the state. */
  end(batchOperationKey: bigint): void {
    for (const itemKey of [...(this.pendingByBatch.get(batchOperationKey)?.keys() ?? [])]) this.items.delete(itemId(batchOperationKey, itemKey));
    this.batches.delete(batchOperationKey);
  }
}

function itemId(batchOperationKey: bigint, itemKey: bigint): string {
  return `${batchOperationKey}/${itemKey}`;
}
