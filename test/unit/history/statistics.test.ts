/**
 * What a diagram needs from the history, on record streams of engine scenarios over three
 * partitions: element statistics of a definition (summed over partitions) and of one instance,
 * the flows an instance took, its call hierarchy across partitions, the definition's XML. The
 * node's reads (HistoryDiagramReads) run over a directory that answers from projected databases.
 */
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { runRead } from '../../../src/engine/read-views.js';
import { partitionOfKey } from '../../../src/engine/state/engine-state.js';
import { HistoryProjector } from '../../../src/history/projector.js';
import type { PartitionRead } from '../../../src/history/read.js';
import { searchPartition } from '../../../src/history/search/run.js';
import { runAggregate } from '../../../src/history/statistics/run.js';
import type { ProcessInstanceValue } from '../../../src/engine/records.js';
import { HistoryDiagramReads } from '../../../src/node/history-diagram.js';
import type { PartitionDirectory } from '../../../src/node/local-directory.js';
import { callActivity, chain, end, flowId, model, serviceTask, start, subProcess } from '../../fixtures/bpmn-builder.js';
import { EngineHarness, expectReplayable } from '../../support/engine-harness.js';

/** The node's diagram reads over the harness's partitions, each projected into its own database. */
function diagrams(h: EngineHarness): HistoryDiagramReads {
  const dbs = h.partitions.map((p) => {
    const db = new Database(':memory:');
    db.defaultSafeIntegers(true);
    new HistoryProjector(db).project(h.records(p.id));
    return db;
  });
  const directory = {
    partitionCount: dbs.length,
    async read(partitionId: number, query: PartitionRead) {
      const db = dbs[partitionId - 1]!;
      const servedBy = { nodeId: partitionId * 10, role: 'FOLLOWER' as const };
      if (query.kind === 'history') return { value: searchPartition(db, query.search), servedBy };
      if (query.kind === 'historyAggregate') return { value: runAggregate(db, query.aggregate), servedBy };
      return { value: runRead(h.partition(partitionId).state, query), servedBy };
    },
  } as unknown as PartitionDirectory;
  return new HistoryDiagramReads(directory, dbs.length);
}

const ORDER = model(
  'order',
  start(),
  serviceTask('check', 'check'),
  subProcess('ship', [start('s_start'), serviceTask('pack', 'pack'), end('s_end'), ...chain('s_start', 'pack', 's_end')]),
  end(),
  ...chain('start', 'check', 'ship', 'end'),
);

const byId = (items: ReadonlyArray<{ elementId: string }>) => Object.fromEntries(items.map(({ elementId, ...counts }) => [elementId, counts]));

describe('element statistics', () => {
  it("count a definition's instances per element over every partition: active, completed, canceled, incidents", async () => {
    const h = new EngineHarness(3);
    const definitionKey = await h.deployProcess(ORDER);
    const failed = h.createInstance('order', {}, 1);
    h.completeJob(h.jobKeyOf('check', failed));
    h.failJob(h.jobKeyOf('pack', failed), 0, { errorMessage: 'no box' });
    const done = h.createInstance('order', {}, 2);
    h.completeJob(h.jobKeyOf('check', done));
    h.completeJob(h.jobKeyOf('pack', done));
    const canceled = h.createInstance('order', {}, 3);
    h.cancelInstance(canceled);
    const waiting = h.createInstance('order', {}, 3);
    expect(new Set([failed, done, canceled, waiting].map(partitionOfKey))).toEqual(new Set([1, 2, 3]));
    const reads = diagrams(h);

    const all = await reads.processDefinitionStatistics(definitionKey, {});
    expect(all.servedBy.map((s) => s.partitionId)).toEqual([1, 2, 3]);
    // The process itself is not an element of the diagram; the subprocess shows its inner incident.
    expect(all.items.map((s) => s.elementId)).toEqual(['check', 'end', 'pack', 's_end', 's_start', 'ship', 'start']);
    expect(byId(all.items)).toEqual({
      start: { active: 0, canceled: 0, incidents: 0, completed: 4 },
      check: { active: 1, canceled: 1, incidents: 0, completed: 2 },
      ship: { active: 0, canceled: 0, incidents: 1, completed: 1 },
      s_start: { active: 0, canceled: 0, incidents: 0, completed: 2 },
      pack: { active: 0, canceled: 0, incidents: 1, completed: 1 },
      s_end: { active: 0, canceled: 0, incidents: 0, completed: 1 },
      end: { active: 0, canceled: 0, incidents: 0, completed: 1 },
    });

    const mine = await reads.processInstanceStatistics(failed);
    expect(mine.servedBy).toEqual([{ partitionId: 1, nodeId: 10, role: 'FOLLOWER' }]);
    expect(byId(mine.items)).toEqual({
      start: { active: 0, canceled: 0, incidents: 0, completed: 1 },
      check: { active: 0, canceled: 0, incidents: 0, completed: 1 },
      ship: { active: 0, canceled: 0, incidents: 1, completed: 0 },
      s_start: { active: 0, canceled: 0, incidents: 0, completed: 1 },
      pack: { active: 0, canceled: 0, incidents: 1, completed: 0 },
    });
    expect(byId((await reads.processInstanceStatistics(canceled)).items)).toEqual({
      start: { active: 0, canceled: 0, incidents: 0, completed: 1 },
      check: { active: 0, canceled: 1, incidents: 0, completed: 0 },
    });

    // Once resolved, the incident's element is active again, and so is its subprocess.
    h.updateJobRetries(h.jobKeyOf('pack', failed), 1);
    const [incident] = h.events('INCIDENT', 'CREATED');
    h.resolveIncident(incident!.key);
    expect(byId((await diagrams(h).processInstanceStatistics(failed)).items)).toMatchObject({
      ship: { active: 1, incidents: 0 },
      pack: { active: 1, incidents: 0 },
    });
    await expectReplayable(h);
  });

  it("filter the definition's instances as Camunda's process instance filter does, and refuse what they cannot", async () => {
    const h = new EngineHarness(2);
    const definitionKey = await h.deployProcess(ORDER);
    const failed = h.createInstance('order', {}, 1);
    h.failJob(h.jobKeyOf('check', failed), 0);
    const done = h.createInstance('order', {}, 2);
    h.completeJob(h.jobKeyOf('check', done));
    h.completeJob(h.jobKeyOf('pack', done));
    h.createInstance('order', {}, 2);
    const reads = diagrams(h);

    const check = async (filter: unknown) => byId((await reads.processDefinitionStatistics(definitionKey, filter)).items).check;
    expect(await check({ state: 'ACTIVE' })).toEqual({ active: 1, canceled: 0, incidents: 1, completed: 0 });
    expect(await check({ hasIncident: true })).toEqual({ active: 0, canceled: 0, incidents: 1, completed: 0 });
    expect(await check({ processInstanceKey: { $in: [String(done)] } })).toEqual({ active: 0, canceled: 0, incidents: 0, completed: 1 });
    expect(await check({ state: 'ACTIVE', $or: [{ hasIncident: true }, { processInstanceKey: String(done) }] })).toEqual({ active: 0, canceled: 0, incidents: 1, completed: 0 });
    expect(await check({ startDate: { $lt: '1970-01-02T00:00:00Z' } })).toBeUndefined();
    expect((await reads.processDefinitionStatistics(123n, {})).items).toEqual([]);

    await expect(reads.processDefinitionStatistics(definitionKey, { processDefinitionId: 'order' })).rejects.toThrow(/Unknown filter field 'processDefinitionId'/);
    await expect(reads.processDefinitionStatistics(definitionKey, { elementId: 'check' })).rejects.toThrow(/'elementId' of process definition statistics is not supported/);
    await expect(reads.processDefinitionStatistics(definitionKey, { $or: { state: 'ACTIVE' } })).rejects.toThrow(/'\$or'.* must be a list/);
    await expectReplayable(h);
  });

  it('count the element instances of one instance, but a definition counts that instance once', async () => {
    const h = new EngineHarness();
    const definitionKey = await h.deployProcess(
      model('fan', start(), serviceTask('each', 'each', { loop: { inputCollection: '=items', inputElement: 'item' } }), end(), ...chain('start', 'each', 'end')),
    );
    const pi = h.createInstance('fan', { items: [1, 2, 3] });
    const reads = diagrams(h);
    // The multi-instance body is not counted, its inner instances are.
    expect(byId((await reads.processInstanceStatistics(pi)).items).each).toEqual({ active: 3, canceled: 0, incidents: 0, completed: 0 });
    expect(byId((await reads.processDefinitionStatistics(definitionKey, {})).items).each).toEqual({ active: 1, canceled: 0, incidents: 0, completed: 0 });
    await expectReplayable(h);
  });
});

describe('sequence flows', () => {
  it('lists the flows an instance took, in and out of subprocesses, from its own partition', async () => {
    const h = new EngineHarness(2);
    await h.deployProcess(ORDER);
    const pi = h.createInstance('order', {}, 2);
    h.completeJob(h.jobKeyOf('check', pi));
    const other = h.createInstance('order', {}, 1);
    const reads = diagrams(h);

    const partway = await reads.processInstanceSequenceFlows(pi);
    expect(partway.items.map((f) => f.elementId)).toEqual([flowId('check', 'ship'), flowId('s_start', 'pack'), flowId('start', 'check')].sort());
    expect(partway.servedBy.map((s) => s.partitionId)).toEqual([2]);
    h.completeJob(h.jobKeyOf('pack', pi));
    const all = await diagrams(h).processInstanceSequenceFlows(pi);
    expect(all.items).toHaveLength(5);
    expect(all.items).toContainEqual({
      sequenceFlowId: `${pi}_${flowId('ship', 'end')}`,
      processInstanceKey: String(pi),
      processDefinitionKey: expect.any(String),
      processDefinitionId: 'order',
      elementId: flowId('ship', 'end'),
      tenantId: '<default>',
    });
    expect((await reads.processInstanceSequenceFlows(other)).items.map((f) => f.elementId)).toEqual([flowId('start', 'check')]);
    await expectReplayable(h);
  });
});

describe('call hierarchy', () => {
  const LEAF = model('leaf', start('l_start'), serviceTask('l_task', 'leaf'), end('l_end'), ...chain('l_start', 'l_task', 'l_end'));
  const MID = model('mid', start('m_start'), callActivity('m_call', 'leaf'), end('m_end'), ...chain('m_start', 'm_call', 'm_end'));
  const TOP = model('top', start(), callActivity('call', 'mid'), end(), ...chain('start', 'call', 'end'));

  function instanceOf(h: EngineHarness, processId: string): bigint {
    const activation = h
      .records()
      .find((r) => r.recordType === 'EVENT' && r.intent === 'ELEMENT_ACTIVATING' && (r.value as ProcessInstanceValue).bpmnElementType === 'PROCESS' && (r.value as ProcessInstanceValue).bpmnProcessId === processId);
    return activation!.key;
  }

  it('walks from an instance up to its root, partition by partition, root first', async () => {
    const h = new EngineHarness(3);
    await h.deployProcess(LEAF, 'leaf.bpmn');
    await h.deployProcess(MID, 'mid.bpmn');
    await h.deployProcess(TOP, 'top.bpmn');
    const top = h.createInstance('top');
    const mid = instanceOf(h, 'mid');
    const leaf = instanceOf(h, 'leaf');
    const reads = diagrams(h);

    const hierarchy = await reads.processInstanceCallHierarchy(leaf);
    expect(hierarchy.items.map((e) => e.processInstanceKey)).toEqual([String(top), String(mid), String(leaf)]);
    expect(hierarchy.items.map((e) => e.processDefinitionName)).toEqual(['top', 'mid', 'leaf']);
    expect(hierarchy.servedBy.map((s) => s.partitionId)).toEqual([leaf, mid, top].map(partitionOfKey));
    expect((await reads.processInstanceCallHierarchy(mid)).items.map((e) => e.processInstanceKey)).toEqual([String(top), String(mid)]);
    expect((await reads.processInstanceCallHierarchy(top)).items).toEqual([]);
    await expect(reads.processInstanceCallHierarchy(top + 1000n)).rejects.toThrow(/Expected to find the process instance with key/);
    await expectReplayable(h);
  });
});

describe('definition XML', () => {
  it('is the document as deployed, read from partition 1; an unknown key is not found', async () => {
    const h = new EngineHarness(2);
    const key = await h.deployProcess(ORDER);
    const reads = diagrams(h);
    const answer = await reads.processDefinitionXml(key);
    expect(answer.value).toBe(ORDER);
    expect(answer.servedBy.nodeId).toBe(10);
    await expect(reads.processDefinitionXml(key + 1000n)).rejects.toThrow(/Expected to find the process definition with key/);
    await expectReplayable(h);
  });
});
