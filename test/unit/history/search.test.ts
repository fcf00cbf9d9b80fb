import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { HistoryProjector } from '../../../src/history/projector.js';
import { mergePages, partitionSearch, type PageRequest } from '../../../src/history/search/merge.js';
import { fullSort, searchPartition, type SortKey } from '../../../src/history/search/run.js';
import type { ResourceName } from '../../../src/history/search/resources.js';
import { chain, end, model, serviceTask, start } from '../../fixtures/bpmn-builder.js';
import { EngineHarness } from '../../support/engine-harness.js';

/** The harness's partitions' records projected into one SQLite database per partition. */
function project(h: EngineHarness, partitions: number): Database.Database[] {
  return Array.from({ length: partitions }, (_, i) => {
    const db = new Database(':memory:');
    db.defaultSafeIntegers(true);
    new HistoryProjector(db).project(h.records(i + 1));
    return db;
  });
}

function search(dbs: Database.Database[], resource: ResourceName, filter: unknown, sort: SortKey[] = [], page: PageRequest = { limit: 100 }) {
  const request = partitionSearch({ resource, filter, sort }, page);
  return mergePages(dbs.map((db) => searchPartition(db, request)), fullSort(resource, sort), page);
}

const TWO_TASKS = model('p', start(), serviceTask('a', 'a'), serviceTask('b', 'b'), end(), ...chain('start', 'a', 'b', 'end'));

describe('history projection and search', () => {
  it('keeps finished instances with their states, dates, elements, variables and jobs', async () => {
    const h = new EngineHarness();
    await h.deployProcess(TWO_TASKS);
    const done = h.createInstance('p', { order: 'o-1' });
    h.completeJob(h.jobKeyOf('a', done), { total: 12 });
    h.completeJob(h.jobKeyOf('b', done));
    const running = h.createInstance('p', { order: 'o-2' });
    const [db] = project(h, 1);

    const completed = search([db!], 'processInstances', { state: 'COMPLETED' });
    expect(completed.items).toEqual([
      expect.objectContaining({ processInstanceKey: String(done), processDefinitionId: 'p', state: 'COMPLETED', hasIncident: false, endDate: expect.any(String) }),
    ]);
    expect(search([db!], 'processInstances', { state: 'ACTIVE' }).items.map((i) => i.processInstanceKey)).toEqual([String(running)]);
    expect(search([db!], 'processInstances', {}).page.totalItems).toBe(2);

    const elements = search([db!], 'elementInstances', { processInstanceKey: String(done) }, [{ field: 'startDate', order: 'ASC' }]);
    expect(elements.items.map((e) => `${e.elementId}:${e.state}`)).toEqual(['p:COMPLETED', 'start:COMPLETED', 'a:COMPLETED', 'b:COMPLETED', 'end:COMPLETED']);

    const variables = search([db!], 'variables', { processInstanceKey: String(done) }, [{ field: 'name', order: 'ASC' }]);
    expect(variables.items.map((v) => [v.name, v.value])).toEqual([['order', '"o-1"'], ['total', '12']]);

    const jobs = search([db!], 'jobs', { processInstanceKey: String(done) }, [{ field: 'elementId', order: 'ASC' }]);
    expect(jobs.items.map((j) => [j.elementId, j.state])).toEqual([['a', 'COMPLETED'], ['b', 'COMPLETED']]);
    expect(search([db!], 'processDefinitions', { processDefinitionId: 'p' }).items).toEqual([expect.objectContaining({ processDefinitionId: 'p', version: 1 })]);
  });

  it('tracks incidents and the hasIncident flag until resolved', async () => {
    const h = new EngineHarness();
    await h.deployProcess(TWO_TASKS);
    const pi = h.createInstance('p');
    h.failJob(h.jobKeyOf('a', pi), 0, { errorMessage: 'boom' });
    let [db] = project(h, 1);
    expect(search([db!], 'processInstances', { hasIncident: true }).items.map((i) => i.processInstanceKey)).toEqual([String(pi)]);
    const [incident] = search([db!], 'incidents', { processInstanceKey: String(pi) }).items;
    expect(incident).toMatchObject({ errorType: 'JOB_NO_RETRIES', errorMessage: 'boom', state: 'ACTIVE', elementId: 'a' });
    expect(search([db!], 'elementInstances', { hasIncident: true }).items.map((e) => e.elementId)).toEqual(['a']);

    h.updateJobRetries(h.jobKeyOf('a', pi), 3);
    h.resolveIncident(BigInt(incident!.incidentKey as string));
    [db] = project(h, 1);
    expect(search([db!], 'incidents', { state: 'RESOLVED' }).page.totalItems).toBe(1);
    expect(search([db!], 'processInstances', { hasIncident: true }).page.totalItems).toBe(0);
  });

  it("filters process instances by their own variables' values", async () => {
    const h = new EngineHarness();
    await h.deployProcess(TWO_TASKS);
    const berlin = h.createInstance('p', { city: 'Berlin', n: 1 });
    const paris = h.createInstance('p', { city: 'Paris', n: 2 });
    const [db] = project(h, 1);
    const keys = (filter: unknown) => search([db!], 'processInstances', filter).items.map((i) => i.processInstanceKey);
    expect(keys({ variables: [{ name: 'city', value: '"Berlin"' }] })).toEqual([String(berlin)]);
    // A bare word is taken as a string, as the console's filter field sends it.
    expect(keys({ variables: [{ name: 'city', value: 'Paris' }] })).toEqual([String(paris)]);
    expect(keys({ variables: [{ name: 'n', value: '2' }, { name: 'city', value: 'Berlin' }] })).toEqual([]);
    expect(search([db!], 'processInstances', { variables: [{ name: 'city', value: { $like: '*i*' } }] }).page.totalItems).toBe(2);
  });

  it('merges partitions in one order and pages through them with cursors, forwards and back', async () => {
    const h = new EngineHarness(3);
    await h.deployProcess(TWO_TASKS);
    const keys: bigint[] = [];
    for (let i = 0; i < 7; i++) keys.push(h.createInstance('p', { n: i }, (i % 3) + 1));
    const dbs = project(h, 3);
    const sort: SortKey[] = [{ field: 'processInstanceKey', order: 'DESC' }];
    const expected = keys.map(String).sort((a, b) => (BigInt(b) > BigInt(a) ? 1 : -1));

    const first = search(dbs, 'processInstances', {}, sort, { limit: 3 });
    expect(first.page.totalItems).toBe(7);
    expect(first.items.map((i) => i.processInstanceKey)).toEqual(expected.slice(0, 3));
    const second = search(dbs, 'processInstances', {}, sort, { limit: 3, after: first.page.endCursor! });
    expect(second.items.map((i) => i.processInstanceKey)).toEqual(expected.slice(3, 6));
    const third = search(dbs, 'processInstances', {}, sort, { limit: 3, after: second.page.endCursor! });
    expect(third.items.map((i) => i.processInstanceKey)).toEqual(expected.slice(6));
    const back = search(dbs, 'processInstances', {}, sort, { limit: 3, before: third.page.startCursor! });
    expect(back.items.map((i) => i.processInstanceKey)).toEqual(expected.slice(3, 6));
    expect(search(dbs, 'processInstances', {}, sort, { limit: 2, from: 5 }).items.map((i) => i.processInstanceKey)).toEqual(expected.slice(5, 7));
  });

  it('filters with Camunda operators', async () => {
    const h = new EngineHarness();
    await h.deployProcess(TWO_TASKS);
    const a = h.createInstance('p', { customer: 'Alice Smith' });
    const b = h.createInstance('p', { customer: 'Bob Jones' });
    const [db] = project(h, 1);
    expect(search([db!], 'processInstances', { processInstanceKey: { $in: [String(b)] } }).items.map((i) => i.processInstanceKey)).toEqual([String(b)]);
    expect(search([db!], 'processInstances', { processInstanceKey: { $notIn: [String(b)] } }).items.map((i) => i.processInstanceKey)).toEqual([String(a)]);
    expect(search([db!], 'processInstances', { endDate: { $exists: false } }).page.totalItems).toBe(2);
    expect(search([db!], 'processInstances', { startDate: { $gte: '1970-01-01T00:00:00Z' } }).page.totalItems).toBe(2);
    expect(search([db!], 'variables', { value: { $like: '*Smith*' } }).items.map((v) => v.processInstanceKey)).toEqual([String(a)]);
    expect(search([db!], 'variables', { name: { $neq: 'customer' } }).page.totalItems).toBe(0);
  });

  it("counts a process's instances in one state from an index, and joins only when the filter names the definition", async () => {
    const h = new EngineHarness();
    await h.deployProcess(TWO_TASKS);
    await h.deployProcess(model('q', start(), end(), ...chain('start', 'end')));
    const done = h.createInstance('p');
    h.completeJob(h.jobKeyOf('a', done));
    h.completeJob(h.jobKeyOf('b', done));
    h.createInstance('p');
    h.createInstance('q');
    const [db] = project(h, 1);
    const counts: string[] = [];
    const prepare = db!.prepare.bind(db!);
    db!.prepare = ((sql: string) => {
      if (sql.startsWith('SELECT COUNT')) counts.push(sql);
      return prepare(sql);
    }) as typeof db.prepare;

    expect(search([db!], 'processInstances', { state: 'COMPLETED', processDefinitionId: 'p' }, [{ field: 'startDate', order: 'DESC' }]).page.totalItems).toBe(1);
    const plan = prepare(`EXPLAIN QUERY PLAN ${counts[0]!}`).all(...['COMPLETED', 'p']) as Array<{ detail: string }>;
    expect(plan.map((row) => row.detail)).toEqual(['SEARCH h_process_instance USING COVERING INDEX h_process_instance_process_state (bpmn_process_id=? AND state=?)']);

    expect(search([db!], 'processInstances', { processDefinitionId: 'p', processDefinitionName: { $exists: false } }).page.totalItems).toBe(2);
    expect(counts[1]).toContain('LEFT JOIN h_process_definition d');
  });

  it('reads the unfiltered list newest first from the start date index, not by sorting every instance', async () => {
    const h = new EngineHarness();
    await h.deployProcess(TWO_TASKS);
    for (let i = 0; i < 3; i++) h.createInstance('p');
    const [db] = project(h, 1);
    const pages: string[] = [];
    const prepare = db!.prepare.bind(db!);
    db!.prepare = ((sql: string) => {
      if (sql.startsWith('SELECT h_process_instance.*')) pages.push(sql);
      return prepare(sql);
    }) as typeof db.prepare;
    expect(search([db!], 'processInstances', {}, [{ field: 'startDate', order: 'DESC' }], { limit: 2 }).items).toHaveLength(2);
    const plan = (prepare(`EXPLAIN QUERY PLAN ${pages[0]!}`).all(2, 0) as Array<{ detail: string }>).map((row) => row.detail);
    expect(plan[0]).toBe('SCAN h_process_instance USING INDEX h_process_instance_start');
    expect(plan.join(' | ')).not.toContain('TEMP B-TREE FOR ORDER BY');
  });

  it('names what it cannot do', async () => {
    const h = new EngineHarness();
    await h.deployProcess(TWO_TASKS);
    const [db] = project(h, 1);
    expect(() => search([db!], 'processInstances', { colour: 'red' })).toThrow(/Unknown filter field 'colour'/);
    expect(() => search([db!], 'processInstances', { state: { $between: 1 } })).toThrow(/Unknown operator '\$between'/);
    expect(() => search([db!], 'processInstances', { processInstanceKey: 'abc' })).toThrow(/expects a key/);
    expect(() => search([db!], 'processInstances', {}, [{ field: 'colour', order: 'ASC' }])).toThrow(/Unknown sort field 'colour'/);
    expect(() => search([db!], 'processInstances', {}, [], { limit: 1, after: 'not-a-cursor' })).toThrow(/cursor/);
  });
});

describe('history in the partition database', () => {
  it('is written with each appended entry and travels inside snapshots', async () => {
    const { mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { SqliteStore } = await import('../../../src/storage/sqlite-store.js');
    const { encodeEntry } = await import('../../../src/storage/log-entry.js');
    const h = new EngineHarness();
    await h.deployProcess(TWO_TASKS);
    const pi = h.createInstance('p');
    const records = h.records(1);
    const dir = mkdtempSync(join(tmpdir(), 'zen-history-'));
    const store = new SqliteStore({ path: join(dir, 'zen.db'), partitionId: 1, partitionCount: 1, syncMode: 'normal' });
    store.appendEntries([encodeEntry({ index: 1, firstPosition: records[0]!.position, lastPosition: records.at(-1)!.position, keyCounter: 100n, records })]);
    const page = { resource: 'processInstances' as const, filter: {}, sort: [], limit: 10 };
    expect(store.searchHistory(page).items.map((i) => i.item.processInstanceKey)).toEqual([String(pi)]);
    store.writeCheckpoint(1, []);
    store.snapshotTo(join(dir, 'copy.db'));
    store.close();
    const copy = new SqliteStore({ path: join(dir, 'copy.db'), partitionId: 1, partitionCount: 1, syncMode: 'normal' });
    expect(copy.searchHistory(page).items.map((i) => i.item.processInstanceKey)).toEqual([String(pi)]);
    copy.close();
  });
});
