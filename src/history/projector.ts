/**
 * Writes the history tables from a log entry's records (ADR 010). Runs in the storage worker,
 * inside the transaction that appends the entry, on leader and followers alike.
 */
import type Database from 'better-sqlite3';
import type { ZenRecord } from '../engine/records.js';
import { projectHistoryCleanup } from './projectors/history-cleanup.js';
import { projectIncident } from './projectors/incidents.js';
import { projectJob, projectJobBatch } from './projectors/jobs.js';
import { projectProcess } from './projectors/process-definitions.js';
import { projectProcessInstance } from './projectors/process-instances.js';
import { Statements } from './projectors/statements.js';
import { projectVariable } from './projectors/variables.js';
import { historySchema } from './schema.js';
import { MORE_PROJECTORS } from './more-projectors.js';

type Projector = (record: ZenRecord, sql: Statements) => void;

const PROJECTORS: Partial<Record<ZenRecord['valueType'], Projector>> = {
  PROCESS: projectProcess,
  PROCESS_INSTANCE: projectProcessInstance,
  VARIABLE: projectVariable,
  INCIDENT: projectIncident,
  JOB: projectJob,
  JOB_BATCH: projectJobBatch,
  HISTORY: projectHistoryCleanup,
};

export class HistoryProjector {
  private readonly sql: Statements;

  constructor(db: Database.Database) {
    db.exec(historySchema());
    this.sql = new Statements(db);
  }

  /** Events only: commands and rejections change nothing a search shows. */
  project(records: readonly ZenRecord[]): void {
    for (const record of records) {
      if (record.recordType !== 'EVENT') continue;
      PROJECTORS[record.valueType]?.(record, this.sql);
      MORE_PROJECTORS[record.valueType]?.(record, this.sql);
    }
  }
}
