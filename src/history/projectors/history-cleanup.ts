/**
 * HISTORY CLEANED_UP → the rows of up to `limit` process instances that ended before `cutoff`
 * deleted, from every table that names its instance (`PROCESS_INSTANCE_COLUMN`), and up to
 * `limit` evaluations of decisions outside any instance (EvaluateDecision) made before it. The
 * oldest go first, ties by key, so every replica picks the same rows from the same projection.
 */
import type Database from 'better-sqlite3';
import type { HistoryCleanupValue, ZenRecord } from '../../engine/records.js';
import { HISTORY_TABLES, PROCESS_INSTANCE_COLUMN } from '../schema.js';
import type { Statements } from './statements.js';

const EXPIRED = 'SELECT key FROM h_process_instance WHERE end_date < ? ORDER BY end_date, key LIMIT ?';

/**
 * Whole evaluations (every decision of a requirements graph one EvaluateDecision evaluated shares
 * its key and date), found and deleted through h_decision_instance_standalone: named, because
 * SQLite would rather look `process_instance_key IS NULL` up in the instance index, and then read
 * every standalone evaluation, however recent, at each round.
 */
const STANDALONE = 'h_decision_instance INDEXED BY h_decision_instance_standalone';
export const STANDALONE_DECISIONS = `DELETE FROM ${STANDALONE} WHERE process_instance_key IS NULL AND (evaluation_date, evaluation_key) IN (
  SELECT DISTINCT evaluation_date, evaluation_key FROM ${STANDALONE} WHERE process_instance_key IS NULL AND evaluation_date < ?
  ORDER BY evaluation_date, evaluation_key LIMIT ?)`;

/**
 * Rows found through a parent row go first, while the parent is still there; the instances'
 * own rows go last: the other deletes select by them.
 */
const CLEANUPS: readonly string[] = (() => {
  const throughParent: string[] = [];
  const direct: string[] = [];
  for (const table of HISTORY_TABLES) {
    const rows = PROCESS_INSTANCE_COLUMN[table];
    if (rows === null || table === 'h_process_instance') continue;
    if (typeof rows === 'string') {
      direct.push(`DELETE FROM ${table} WHERE ${rows} IN (${EXPIRED})`);
      continue;
    }
    const parentColumn = PROCESS_INSTANCE_COLUMN[rows.parent];
    if (typeof parentColumn !== 'string') throw new Error(`${table}: its parent ${rows.parent} must name its process instance by a column`);
    throughParent.push(`DELETE FROM ${table} WHERE ${rows.column} IN (SELECT key FROM ${rows.parent} WHERE ${parentColumn} IN (${EXPIRED}))`);
  }
  return [STANDALONE_DECISIONS, ...throughParent, ...direct, `DELETE FROM h_process_instance WHERE key IN (${EXPIRED})`];
})();

export function projectHistoryCleanup(record: ZenRecord, sql: Statements): void {
  if (record.intent !== 'CLEANED_UP') return;
  const { cutoff, limit } = record.value as HistoryCleanupValue;
  for (const statement of CLEANUPS) sql.run(statement, cutoff, limit);
}

/**
 * Whether an instance that ended before `cutoff`, or a decision evaluated outside any instance
 * before it, is still in the history: the leader cleans up again at once.
 */
export function hasExpiredInstances(db: Database.Database, cutoff: number): boolean {
  return (
    db.prepare('SELECT 1 FROM h_process_instance WHERE end_date < ? LIMIT 1').get(cutoff) !== undefined ||
    db.prepare(`SELECT 1 FROM ${STANDALONE} WHERE process_instance_key IS NULL AND evaluation_date < ? LIMIT 1`).get(cutoff) !== undefined
  );
}
