import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { HistoryProjector } from '../../../src/history/projector.js';
import { hasExpiredInstances } from '../../../src/history/projectors/history-cleanup.js';
import { HISTORY_TABLES, PROCESS_INSTANCE_COLUMN } from '../../../src/history/schema.js';
import { chain, end, model, serviceTask, start } from '../../fixtures/bpmn-builder.js';
import { EngineHarness, expectReplayable } from '../../support/engine-harness.js';

const DAY = 86_400_000;
const TWO_TASKS = model('p', start(), serviceTask('a', 'a'), serviceTask('b', 'b'), end(), ...chain('start', 'a', 'b', 'end'));

function project(h: EngineHarness): Database.Database {
  const db = new Database(':memory:');
  db.defaultSafeIntegers(true);
  new HistoryProjector(db).project(h.records(1));
  return db;
}

function cleanUp(h: EngineHarness, cutoff: number, limit: number) {
  return h.process(1, { valueType: 'HISTORY', intent: 'CLEAN_UP', key: -1n, value: { cutoff, limit } });
}

function complete(h: EngineHarness, variables: Record<string, unknown> = {}): bigint {
  const pi = h.createInstance('p', variables);
  h.completeJob(h.jobKeyOf('a', pi), { done: 'a' });
  h.completeJob(h.jobKeyOf('b', pi));
  return pi;
}

/** Every row that names one of these instances, per table. */
function rowsOf(db: Database.Database, keys: bigint[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const table of HISTORY_TABLES) {
    const column = PROCESS_INSTANCE_COLUMN[table];
    if (column === null) continue;
    const count = db.prepare(`SELECT count(*) AS n FROM ${table} WHERE ${column} IN (${keys.map(() => '?').join(', ')})`).get(...keys) as { n: bigint };
    out[table] = Number(count.n);
  }
  return out;
}

const instanceKeys = (db: Database.Database) =>
  (db.prepare('SELECT key FROM h_process_instance ORDER BY key').all() as Array<{ key: bigint }>).map((r) => r.key);

describe('history retention (HISTORY CLEANED_UP)', () => {
  it('deletes an instance that ended before the cutoff with all its rows; running and recently ended instances stay', async () => {
    const h = new EngineHarness();
    await h.deployProcess(TWO_TASKS);
    const running = h.createInstance('p', { order: 'running' });
    const old = complete(h, { order: 'old' });
    // Ended with an incident on it: terminated, the job failed without retries.
    const failed = h.createInstance('p', { order: 'failed' });
    h.failJob(h.jobKeyOf('a', failed), 0, { errorMessage: 'boom' });
    h.cancelInstance(failed);
    h.advanceTime(2 * DAY);
    const recent = complete(h, { order: 'recent' });

    const before = project(h);
    expect(rowsOf(before, [old, failed])).toEqual({ h_process_instance: 2, h_element_instance: 8, h_variable: 3, h_incident: 1, h_job: 3 });
    const kept = rowsOf(before, [running, recent]);

    const response = cleanUp(h, h.now - DAY, 100);
    expect(response).toMatchObject({ ok: true, value: { cutoff: h.now - DAY, limit: 100 } });
    expect(h.events('HISTORY', 'CLEANED_UP').map((r) => [r.key, r.value])).toEqual([[-1n, { cutoff: h.now - DAY, limit: 100 }]]);

    const after = project(h);
    expect(rowsOf(after, [old, failed])).toEqual({ h_process_instance: 0, h_element_instance: 0, h_variable: 0, h_incident: 0, h_job: 0 });
    expect(rowsOf(after, [running, recent])).toEqual(kept);
    expect(instanceKeys(after)).toEqual([running, recent].sort((a, b) => (a < b ? -1 : 1)));
    expect(after.prepare('SELECT count(*) AS n FROM h_process_definition').get()).toEqual({ n: 1n });
    expect(hasExpiredInstances(after, h.now - DAY)).toBe(false);
    expect(hasExpiredInstances(after, h.now + 1)).toBe(true);
    await expectReplayable(h);
  });

  it('deletes at most `limit` instances per command, the longest ended first; the next command goes on', async () => {
    const h = new EngineHarness();
    await h.deployProcess(TWO_TASKS);
    const ended: bigint[] = [];
    for (let i = 0; i < 3; i++) {
      ended.push(complete(h, { i }));
      h.advanceTime(1000);
    }
    const cutoff = h.now;

    cleanUp(h, cutoff, 2);
    let db = project(h);
    expect(instanceKeys(db)).toEqual([ended[2]]);
    expect(rowsOf(db, [ended[2]!]).h_element_instance).toBe(5);
    expect(hasExpiredInstances(db, cutoff)).toBe(true);

    cleanUp(h, cutoff, 2);
    db = project(h);
    expect(instanceKeys(db)).toEqual([]);
    expect(hasExpiredInstances(db, cutoff)).toBe(false);
    await expectReplayable(h);
  });

  it('deletes the same rows on every replica: the projection depends on the records only', async () => {
    const h = new EngineHarness();
    await h.deployProcess(TWO_TASKS);
    for (let i = 0; i < 4; i++) {
      complete(h, { i });
      h.advanceTime(i % 2 === 0 ? 0 : 500);
    }
    h.createInstance('p');
    cleanUp(h, h.now, 3);
    const dump = (db: Database.Database) => HISTORY_TABLES.map((table) => db.prepare(`SELECT * FROM ${table} ORDER BY key`).all());
    const [a, b] = [project(h), project(h)];
    expect(dump(a)).toEqual(dump(b));
    // Two of the four ended at the same instant: the tie goes by key, so one of them is left.
    expect(instanceKeys(a)).toHaveLength(2);
  });

  it('has an index led by the instance column of every table the cleanup deletes from', () => {
    const db = new Database(':memory:');
    new HistoryProjector(db);
    for (const table of HISTORY_TABLES) {
      const column = PROCESS_INSTANCE_COLUMN[table];
      if (column === null || column === 'key') continue;
      const leading = (db.prepare(`SELECT name FROM pragma_index_list('${table}')`).all() as Array<{ name: string }>).map(
        ({ name }) => (db.prepare(`SELECT name FROM pragma_index_info('${name}') WHERE seqno = 0`).get() as { name: string }).name,
      );
      expect(leading, table).toContain(column);
    }
    const plan = db.prepare(`EXPLAIN QUERY PLAN SELECT key FROM h_process_instance WHERE end_date < ? ORDER BY end_date, key LIMIT ?`).all(1, 1);
    expect(JSON.stringify(plan)).toContain('h_process_instance_end');
  });
});
