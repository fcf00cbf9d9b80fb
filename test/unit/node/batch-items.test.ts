/**
 * One batch operation item as the node runs it (`runBatchItem`), against an engine harness
 * whose records are projected into the history it searches: what commands the item sends.
 */
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { BatchOperationType } from '../../../src/engine/records.js';
import type { BatchOperationRow } from '../../../src/engine/state/batch-operations.js';
import { HistoryProjector } from '../../../src/history/projector.js';
import { mergePages, partitionSearch } from '../../../src/history/search/merge.js';
import { fullSort, searchPartition } from '../../../src/history/search/run.js';
import type { HistorySearchRequest, ModifyInstanceRequest } from '../../../src/node/api.js';
import type { ResourceName } from '../../../src/history/search/resources.js';
import { runBatchItem } from '../../../src/node/batch-operations.js';
import { chain, end, model, serviceTask, start, subProcess } from '../../fixtures/bpmn-builder.js';
import { EngineHarness, expectReplayable } from '../../support/engine-harness.js';

/** The node's side of an item: history searches and the instance commands, on the harness. */
function node(h: EngineHarness) {
  const modifications: ModifyInstanceRequest[] = [];
  const api = {
    async searchHistory(resource: ResourceName, request: HistorySearchRequest) {
      const db = new Database(':memory:');
      db.defaultSafeIntegers(true);
      new HistoryProjector(db).project(h.records(1));
      const page = partitionSearch({ resource, filter: request.filter, sort: request.sort }, request.page);
      return { ...mergePages([searchPartition(db, page)], fullSort(resource, request.sort), request.page), servedBy: [] };
    },
    async modifyProcessInstance(req: ModifyInstanceRequest) {
      modifications.push(req);
      const response = h.modifyInstance(
        req.processInstanceKey,
        req.activateInstructions.map((a) => ({ elementId: a.elementId, ...(a.ancestorElementInstanceKey !== null ? { ancestorScopeKey: a.ancestorElementInstanceKey } : {}) })),
        [...req.terminateInstructions],
      );
      if (!response?.ok) throw new Error(response?.reason ?? 'no response');
    },
  };
  return { api: api as unknown as Parameters<typeof runBatchItem>[0], modifications };
}

function batch(type: BatchOperationType, extra: Partial<BatchOperationRow> = {}): BatchOperationRow {
  return { key: 1n, batchOperationType: type, state: 'ACTIVE', operationsTotalCount: 1, operationsCompletedCount: 0, operationsFailedCount: 0, ...extra };
}

/** Three parallel instances of a subprocess, each with its own `first` task. */
const PARALLEL = model(
  'parallel',
  start(),
  subProcess('sub', [start('subStart'), serviceTask('first', 'first'), serviceTask('second', 'second'), end('subEnd'), ...chain('subStart', 'first', 'second', 'subEnd')], undefined, {
    inputCollection: '=items',
    inputElement: 'item',
  }),
  end(),
  ...chain('start', 'sub', 'end'),
);

describe('a modification batch item', () => {
  it('moves each active source instance within its own flow scope instance', async () => {
    const h = new EngineHarness();
    await h.deployProcess(PARALLEL);
    const pi = h.createInstance('parallel', { items: [1, 2, 3] });
    const { api, modifications } = node(h);

    await runBatchItem(api, batch('MODIFY_PROCESS_INSTANCE', { moveInstructions: [{ sourceElementId: 'first', targetElementId: 'second' }] }), pi);

    const sources = h.events('PROCESS_INSTANCE', 'ELEMENT_ACTIVATED').filter((r) => (r.value as { elementId: string }).elementId === 'first');
    expect(modifications).toHaveLength(1);
    expect(modifications[0]!.terminateInstructions).toEqual(sources.map((r) => r.key));
    expect(modifications[0]!.activateInstructions.map((a) => a.ancestorElementInstanceKey)).toEqual(sources.map((r) => (r.value as { flowScopeKey: bigint }).flowScopeKey));
    // Each subprocess instance runs `second` now, with its own job.
    const seconds = h.events('JOB', 'CREATED').filter((r) => (r.value as { type: string }).type === 'second');
    expect(seconds.map((r) => (r.value as { elementInstanceKey: bigint }).elementInstanceKey)).toHaveLength(3);
    expect(new Set(seconds.map((r) => h.partition().state.elementInstances.get((r.value as { elementInstanceKey: bigint }).elementInstanceKey)!.value.flowScopeKey)).size).toBe(3);
    for (const job of seconds) h.completeJob(job.key);
    expect(h.elementStreamOf(pi).at(-1)).toBe('parallel:ELEMENT_COMPLETED');
    await expectReplayable(h);
  });

  it('moves a source in the process scope into a subprocess it creates, and fails when no source is active', async () => {
    const h = new EngineHarness();
    const doc = model(
      'nested',
      start(),
      serviceTask('a', 'a'),
      subProcess('inner', [start('innerStart'), serviceTask('b', 'b'), end('innerEnd'), ...chain('innerStart', 'b', 'innerEnd')]),
      end(),
      ...chain('start', 'a', 'inner', 'end'),
    );
    await h.deployProcess(doc);
    const pi = h.createInstance('nested');
    const { api, modifications } = node(h);

    await runBatchItem(api, batch('MODIFY_PROCESS_INSTANCE', { moveInstructions: [{ sourceElementId: 'a', targetElementId: 'b' }] }), pi);
    expect(modifications[0]!.activateInstructions).toEqual([{ elementId: 'b', ancestorElementInstanceKey: pi, variableInstructions: [] }]);
    expect(h.elementStreamOf(pi)).toEqual(expect.arrayContaining(['a:ELEMENT_TERMINATED', 'inner:ELEMENT_ACTIVATED', 'b:ELEMENT_ACTIVATED']));

    await expect(runBatchItem(api, batch('MODIFY_PROCESS_INSTANCE', { moveInstructions: [{ sourceElementId: 'a', targetElementId: 'b' }] }), pi)).rejects.toThrow(
      `Expected process instance '${pi}' to have an active instance of 'a', but it has none`,
    );
    expect(modifications).toHaveLength(1);
    await expectReplayable(h);
  });
});
