import { describe, expect, it } from 'vitest';
import type { BatchOperationItemValue, BatchOperationValue } from '../../src/engine/records.js';
import { EngineHarness, expectRejected, expectReplayable } from '../support/engine-harness.js';

const A = (1n << 51n) | 100n;
const B = (1n << 51n) | 101n;
const C = (1n << 51n) | 102n;

function create(h: EngineHarness, itemKeys: bigint[], partitionId = 1) {
  const value = { batchOperationType: 'CANCEL_PROCESS_INSTANCE', itemKeys };
  return h.process(partitionId, { valueType: 'BATCH_OPERATION', intent: 'CREATE', key: -1n, value });
}

function item(h: EngineHarness, key: bigint, itemKey: bigint, errorMessage = '') {
  const intent = errorMessage ? 'FAIL_ITEM' : 'COMPLETE_ITEM';
  return h.process(1, { valueType: 'BATCH_OPERATION', intent, key, value: { itemKey, errorMessage } });
}

function lifecycle(h: EngineHarness, key: bigint, intent: 'CANCEL' | 'SUSPEND' | 'RESUME') {
  return h.process(1, { valueType: 'BATCH_OPERATION', intent, key, value: {} });
}

function keyOf(response: ReturnType<EngineHarness['process']>): bigint {
  if (!response?.ok) throw new Error(`expected an accepted command, got ${JSON.stringify(response)}`);
  return response.key;
}

describe('BATCH_OPERATION', () => {
  it('keeps the pending items and counts, and completes with the last item reported', async () => {
    const h = new EngineHarness();
    const key = keyOf(create(h, [A, B, B, C]));
    const [created] = h.events<BatchOperationValue>('BATCH_OPERATION', 'CREATED');
    expect(created).toMatchObject({ key, value: { itemKeys: [A, B, C], state: 'ACTIVE', operationsTotalCount: 3 } });
    const batches = h.partition().state.batchOperations;
    expect(batches.pending(key, 10)).toEqual([A, B, C]);

    expect(item(h, key, A)?.ok).toBe(true);
    expect(item(h, key, C, 'no such instance')?.ok).toBe(true);
    expect(batches.pending(key, 10)).toEqual([B]);
    expect(batches.get(key)).toMatchObject({ operationsCompletedCount: 1, operationsFailedCount: 1 });
    // A report of an item already done (a re-run after a leader change) changes nothing.
    expectRejected(item(h, key, A), 'INVALID_STATE', 'to be pending');
    expect(h.events('BATCH_OPERATION', 'COMPLETED')).toHaveLength(0);

    item(h, key, B);
    expect(h.events<BatchOperationItemValue>('BATCH_OPERATION', 'ITEM_FAILED').map((r) => r.value)).toEqual([
      { batchOperationType: 'CANCEL_PROCESS_INSTANCE', itemKey: C, errorMessage: 'no such instance' },
    ]);
    const [completed] = h.events<BatchOperationValue>('BATCH_OPERATION', 'COMPLETED');
    expect(completed).toMatchObject({ key, value: { state: 'PARTIALLY_COMPLETED', operationsTotalCount: 3, operationsCompletedCount: 2, operationsFailedCount: 1 } });
    // An ended batch leaves the state: the history keeps it.
    expect(batches.get(key)).toBeUndefined();
    expect(h.partition().state.batchOperations.items.size).toBe(0);
    await expectReplayable(h);
  });

  it('completes a batch with no items at once', async () => {
    const h = new EngineHarness();
    const key = keyOf(create(h, []));
    expect(h.events<BatchOperationValue>('BATCH_OPERATION', 'COMPLETED').map((r) => [r.key, r.value.state])).toEqual([[key, 'COMPLETED']]);
    await expectReplayable(h);
  });

  it('suspends, resumes and cancels; a canceled batch takes no more reports', async () => {
    const h = new EngineHarness();
    const key = keyOf(create(h, [A, B]));
    expectRejected(lifecycle(h, key, 'RESUME'), 'INVALID_STATE', 'it is ACTIVE');
    expect(lifecycle(h, key, 'SUSPEND')?.ok).toBe(true);
    expect(h.partition().state.batchOperations.get(key)?.state).toBe('SUSPENDED');
    expectRejected(lifecycle(h, key, 'SUSPEND'), 'INVALID_STATE', 'it is SUSPENDED');
    expect(lifecycle(h, key, 'RESUME')?.ok).toBe(true);
    item(h, key, A);
    expect(lifecycle(h, key, 'CANCEL')?.ok).toBe(true);
    const [canceled] = h.events<BatchOperationValue>('BATCH_OPERATION', 'CANCELED');
    expect(canceled?.value).toMatchObject({ state: 'CANCELED', operationsTotalCount: 2, operationsCompletedCount: 1 });
    expect(h.partition().state.batchOperations.get(key)).toBeUndefined();
    expectRejected(item(h, key, B), 'NOT_FOUND', 'no such batch operation is running');
    expectRejected(lifecycle(h, key, 'CANCEL'), 'NOT_FOUND', 'cancel batch operation');
    await expectReplayable(h);
  });

  it('is created on partition 1 only, with a known type', async () => {
    const h = new EngineHarness(2);
    expectRejected(create(h, [A], 2), 'INVALID_ARGUMENT', 'on partition 1');
    const odd = h.process(1, { valueType: 'BATCH_OPERATION', intent: 'CREATE', key: -1n, value: { batchOperationType: 'DELETE_PROCESS_INSTANCE', itemKeys: [] } });
    expectRejected(odd, 'INVALID_ARGUMENT', 'batch operation type');
    expect(h.events('BATCH_OPERATION', 'CREATED')).toHaveLength(0);
    await expectReplayable(h);
  });
});
