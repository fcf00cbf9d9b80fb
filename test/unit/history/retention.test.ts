import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { HistoryProjector } from '../../../src/history/projector.js';
import { hasExpiredInstances, STANDALONE_DECISIONS } from '../../../src/history/projectors/history-cleanup.js';
import { HISTORY_TABLES, PROCESS_INSTANCE_COLUMN } from '../../../src/history/schema.js';
import { camundaUserTask, chain, decisionTask, end, message, messageCatch, model, serviceTask, start } from '../../fixtures/bpmn-builder.js';
import { discountDmn } from '../../fixtures/dmn-builder.js';
import { EngineHarness, expectReplayable } from '../../support/engine-harness.js';

const DAY = 86_400_000;
const TWO_TASKS = model('p', start(), serviceTask('a', 'a'), serviceTask('b', 'b'), end(), ...chain('start', 'a', 'b', 'end'));
/** Rows in the tables of user tasks (and their scopes) and messages. */
const HUMAN = model(
  'h', start(), messageCatch('wait', 'go'), camundaUserTask('task'), end(), message('go', 'go', '=id'), ...chain('start', 'wait', 'task', 'end'),
);

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

/** Every row of these instances, per table. */
function rowsOf(db: Database.Database, keys: bigint[]): Record<string, number> {
  const out: Record<string, number> = {};
  const list = keys.map(() => '?').join(', ');
  for (const table of HISTORY_TABLES) {
    const rows = PROCESS_INSTANCE_COLUMN[table];
    if (rows === null) continue;
    const where =
      typeof rows === 'string'
        ? `${rows} IN (${list})`
        : `${rows.column} IN (SELECT key FROM ${rows.parent} WHERE ${PROCESS_INSTANCE_COLUMN[rows.parent] as string} IN (${list}))`;
    const count = db.prepare(`SELECT count(*) AS n FROM ${table} WHERE ${where}`).get(...keys) as { n: bigint };
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
    await h.deployProcess(HUMAN, 'human.bpmn');
    const running = h.createInstance('p', { order: 'running' });
    const old = complete(h, { order: 'old' });
    const human = h.createInstance('h', { id: 'x' });
    h.publishMessage('go', 'x');
    h.userTaskCommand('COMPLETE', h.userTaskKeyOf('task', human));
    // Ended with an incident on it: terminated, the job failed without retries.
    const failed = h.createInstance('p', { order: 'failed' });
    h.failJob(h.jobKeyOf('a', failed), 0, { errorMessage: 'boom' });
    h.cancelInstance(failed);
    h.advanceTime(2 * DAY);
    const recent = complete(h, { order: 'recent' });

    const before = project(h);
    const ended = [old, failed, human];
    expect(h.elementStreamOf(human).at(-1)).toBe('h:ELEMENT_COMPLETED');
    const had = rowsOf(before, ended);
    expect(had).toMatchObject({ h_process_instance: 3, h_element_instance: 13, h_variable: 4, h_incident: 1, h_job: 3, h_user_task: 1, h_message_subscription: 1, h_correlated_message: 1 });
    expect(had.h_user_task_scope).toBeGreaterThan(0);
    const kept = rowsOf(before, [running, recent]);

    const response = cleanUp(h, h.now - DAY, 100);
    expect(response).toMatchObject({ ok: true, value: { cutoff: h.now - DAY, limit: 100 } });
    expect(h.events('HISTORY', 'CLEANED_UP').map((r) => [r.key, r.value])).toEqual([[-1n, { cutoff: h.now - DAY, limit: 100 }]]);

    const after = project(h);
    expect(Object.entries(rowsOf(after, ended)).filter(([, n]) => n > 0)).toEqual([]);
    expect(rowsOf(after, [running, recent])).toEqual(kept);
    expect(instanceKeys(after)).toEqual([running, recent].sort((a, b) => (a < b ? -1 : 1)));
    expect(after.prepare('SELECT count(*) AS n FROM h_process_definition').get()).toEqual({ n: 2n });
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
    const dump = (db: Database.Database) =>
      HISTORY_TABLES.map((table) => db.prepare(`SELECT * FROM ${table}`).all().map((row) => JSON.stringify(row, (_, v) => (typeof v === 'bigint' ? String(v) : v))).sort());
    const [a, b] = [project(h), project(h)];
    expect(dump(a)).toEqual(dump(b));
    // Two of the four ended at the same instant: the tie goes by key, so one of them is left.
    expect(instanceKeys(a)).toHaveLength(2);
  });

  it('deletes decisions evaluated outside any instance once evaluated before the cutoff, whole evaluations, the oldest first', async () => {
    const h = new EngineHarness();
    await h.deploy(
      { name: 'pricing.dmn', xml: discountDmn() },
      { name: 'priced.bpmn', xml: model('priced', start(), decisionTask('rule', 'message', 'result'), serviceTask('ship', 'ship'), end(), ...chain('start', 'rule', 'ship', 'end')) },
    );
    const evaluate = (customer: string): bigint => {
      const response = h.process(1, { valueType: 'DECISION_EVALUATION', intent: 'EVALUATE', key: -1n, value: { decisionKey: -1n, decisionId: 'message', tenantId: '<default>', variables: { customer, orderSize: 12 } } });
      if (!response?.ok) throw new Error(`evaluation rejected: ${JSON.stringify(response)}`);
      return response.key;
    };
    const evaluations: bigint[] = [];
    for (const customer of ['a', 'b', 'c']) {
      evaluations.push(evaluate(customer));
      h.advanceTime(1000);
    }
    // Evaluated by a running instance's business rule task: it stays with the instance.
    const running = h.createInstance('priced', { customer: 'gold', orderSize: 12 });
    h.advanceTime(2 * DAY);
    const recent = evaluate('d');
    const cutoff = h.now - DAY;
    const decisions = (db: Database.Database) =>
      (db.prepare('SELECT id, process_instance_key AS pi FROM h_decision_instance ORDER BY evaluation_key, id').all() as Array<{ id: string; pi: bigint | null }>).map(
        (r) => (r.pi === null ? r.id : `${r.id}@instance`),
      );
    const ids = (...keys: bigint[]) => keys.flatMap((k) => [`${k}-1`, `${k}-2`]);

    let db = project(h);
    expect(decisions(db)).toHaveLength(10);
    expect(hasExpiredInstances(db, cutoff)).toBe(true);

    // Two evaluations of two decisions each: four rows, never half an evaluation.
    cleanUp(h, cutoff, 2);
    db = project(h);
    const instanceRows = decisions(db).filter((d) => d.endsWith('@instance'));
    expect(instanceRows).toHaveLength(2);
    expect(decisions(db).filter((d) => !d.endsWith('@instance'))).toEqual(ids(evaluations[2]!, recent));
    expect(hasExpiredInstances(db, cutoff)).toBe(true);

    cleanUp(h, cutoff, 2);
    db = project(h);
    expect(decisions(db)).toEqual([...instanceRows, ...ids(recent)].sort((a, b) => (BigInt(a.split('-')[0]!) < BigInt(b.split('-')[0]!) ? -1 : 1)));
    expect(hasExpiredInstances(db, cutoff)).toBe(false);
    expect(h.isActive(running)).toBe(true);

    const plan = (db.prepare(`EXPLAIN QUERY PLAN ${STANDALONE_DECISIONS}`).all(cutoff, 2) as Array<{ detail: string }>).map((r) => r.detail);
    // Read in the index's order: no sort of every expired evaluation before the limit.
    expect(plan.filter((step) => /TEMP B-TREE/.test(step))).toEqual([]);
    expect(plan.filter((step) => /\bh_decision_instance\b/.test(step))).toEqual([
      expect.stringMatching(/^SEARCH h_decision_instance USING INDEX h_decision_instance_standalone \(evaluation_date=\? AND evaluation_key=\?\)/),
      expect.stringMatching(/^SEARCH h_decision_instance USING (COVERING )?INDEX h_decision_instance_standalone \(evaluation_date<\?\)/),
    ]);
    await expectReplayable(h);
  });

  it('has an index led by the instance column of every table the cleanup deletes from', () => {
    const db = new Database(':memory:');
    new HistoryProjector(db);
    for (const table of HISTORY_TABLES) {
      const rows = PROCESS_INSTANCE_COLUMN[table];
      const column = rows === null || typeof rows === 'string' ? rows : rows.column;
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
