/**
 * Partition 1's batch operation driver across a leader change, on an engine harness: the old
 * leader runs items and loses reports, the new one reads what is still pending and goes on.
 * Each item is counted once, whatever was lost: a report is keyed by its item.
 */
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import type { CommandResponse, EngineCommand } from '../../src/engine/processing/types.js';
import type { BatchOperationItemValue, BatchOperationValue } from '../../src/engine/records.js';
import { BatchOperationDriver } from '../../src/partition/batch-operation-driver.js';
import { chain, end, model, serviceTask, start } from '../fixtures/bpmn-builder.js';
import { EngineHarness, expectReplayable } from '../support/engine-harness.js';

const logger = pino({ level: 'silent' });
const TASK = model('p', start(), serviceTask('a', 'a'), end(), ...chain('start', 'a', 'end'));

function driver(h: EngineHarness, options: { submit?: (command: Omit<EngineCommand, 'requestId'>) => Promise<CommandResponse>; ran?: bigint[] } = {}) {
  return new BatchOperationDriver({
    batches: h.partition().state.batchOperations,
    runItem: async (_batch, itemKey) => {
      options.ran?.push(itemKey);
      const response = h.cancelInstance(itemKey);
      if (!response?.ok) throw Object.assign(new Error(response?.reason ?? 'no response'), { code: response?.rejectionType });
    },
    submit: options.submit ?? (async (command) => h.process(1, command)!),
    logger,
  });
}

async function until(what: string, check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  if (!check()) throw new Error(`timed out waiting for ${what}`);
}

async function setUp(count: number) {
  const h = new EngineHarness();
  await h.deployProcess(TASK);
  const keys = Array.from({ length: count }, () => h.createInstance('p'));
  const created = h.process(1, { valueType: 'BATCH_OPERATION', intent: 'CREATE', key: -1n, value: { batchOperationType: 'CANCEL_PROCESS_INSTANCE', itemKeys: keys } });
  if (!created?.ok) throw new Error('batch not created');
  return { h, keys, batchKey: created.key };
}

const reports = (h: EngineHarness) => [...h.events<BatchOperationItemValue>('BATCH_OPERATION', 'ITEM_COMPLETED'), ...h.events<BatchOperationItemValue>('BATCH_OPERATION', 'ITEM_FAILED')];

describe('batch operation driver across a leader change', () => {
  it('counts an item once when its report was written but the old leader never heard back', async () => {
    const { h, keys, batchKey } = await setUp(3);
    // The old leader's reports reach the log, but every answer is lost.
    const old = driver(h, {
      submit: async (command) => {
        h.process(1, command);
        throw new Error('leadership lost');
      },
    });
    old.start();
    await until('every item reported once', () => reports(h).length === 3);
    old.stop();
    const ran: bigint[] = [];
    const next = driver(h, { ran });
    next.start();
    await new Promise((resolve) => setTimeout(resolve, 50));
    next.stop();

    expect(ran).toEqual([]);
    expect(reports(h).map((r) => r.value.itemKey).sort()).toEqual([...keys].sort());
    const [completed] = h.events<BatchOperationValue>('BATCH_OPERATION', 'COMPLETED');
    expect(completed).toMatchObject({ key: batchKey, value: { state: 'COMPLETED', operationsTotalCount: 3, operationsCompletedCount: 3, operationsFailedCount: 0 } });
    await expectReplayable(h);
  });

  it('runs again on the new leader an item whose report was lost, and counts it once', async () => {
    const { h, keys, batchKey } = await setUp(3);
    const [lost] = keys;
    // The old leader runs every item, but its report of the first never reaches the log.
    const old = driver(h, {
      submit: async (command) => {
        if ((command.value as BatchOperationItemValue).itemKey === lost) throw new Error('leadership lost');
        return h.process(1, command)!;
      },
    });
    old.start();
    await until('the other items reported', () => reports(h).length === 2);
    old.stop();
    expect(h.partition().state.batchOperations.pending(batchKey, 10)).toEqual([lost]);

    const ran: bigint[] = [];
    const next = driver(h, { ran });
    next.start();
    await until('the batch ended', () => h.events('BATCH_OPERATION', 'COMPLETED').length === 1);
    next.stop();

    expect(ran).toEqual([lost]);
    expect(reports(h).map((r) => r.value.itemKey).sort()).toEqual([...keys].sort());
    // Its instance was canceled by the old leader: the re-run is rejected, so the item counts as failed (ADR 010).
    const [completed] = h.events<BatchOperationValue>('BATCH_OPERATION', 'COMPLETED');
    expect(completed!.value).toMatchObject({ operationsTotalCount: 3, operationsCompletedCount: 2, operationsFailedCount: 1 });
    await expectReplayable(h);
  });
});
