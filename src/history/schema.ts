/**
 * The history tables of a partition database (ADR 010): what searches read. Written from the
 * records of each log entry in the transaction that appends it, so they are exactly as fresh
 * as the log. Keys and times are integers (epoch ms); JSON stays text.
 */
import { moreHistorySchema, MORE_HISTORY_TABLES } from './more-schema.js';

/** The tables in the database attached as `db` (an index names its table unqualified, in its own schema). */
export function historySchema(db = 'main'): string {
  return `
  CREATE TABLE IF NOT EXISTS ${db}.h_process_definition (
    key INTEGER PRIMARY KEY, bpmn_process_id TEXT NOT NULL, name TEXT, version INTEGER NOT NULL,
    version_tag TEXT, resource_name TEXT NOT NULL, tenant_id TEXT NOT NULL
  );
  CREATE INDEX IF NOT EXISTS ${db}.h_process_definition_id ON h_process_definition (bpmn_process_id, version);

  CREATE TABLE IF NOT EXISTS ${db}.h_process_instance (
    key INTEGER PRIMARY KEY, bpmn_process_id TEXT NOT NULL, process_definition_key INTEGER NOT NULL,
    version INTEGER NOT NULL, state TEXT NOT NULL, start_date INTEGER NOT NULL, end_date INTEGER,
    parent_process_instance_key INTEGER, parent_element_instance_key INTEGER,
    has_incident INTEGER NOT NULL DEFAULT 0, tenant_id TEXT NOT NULL
  );
  CREATE INDEX IF NOT EXISTS ${db}.h_process_instance_state ON h_process_instance (state, start_date);
  CREATE INDEX IF NOT EXISTS ${db}.h_process_instance_definition ON h_process_instance (process_definition_key);
  -- A process's instances in one state, newest first (the usual search, and its count read from
  -- the index alone); it replaces an index on bpmn_process_id, its prefix.
  DROP INDEX IF EXISTS ${db}.h_process_instance_process_id;
  CREATE INDEX IF NOT EXISTS ${db}.h_process_instance_process_state ON h_process_instance (bpmn_process_id, state, start_date);
  CREATE INDEX IF NOT EXISTS ${db}.h_process_instance_parent ON h_process_instance (parent_process_instance_key);
  CREATE INDEX IF NOT EXISTS ${db}.h_process_instance_end ON h_process_instance (end_date) WHERE end_date IS NOT NULL;
  -- Every instance, newest first: the console's unfiltered list reads a page from here instead
  -- of sorting the whole table (75 ms at 100,000 instances, 0.3 ms with it).
  CREATE INDEX IF NOT EXISTS ${db}.h_process_instance_start ON h_process_instance (start_date);

  CREATE TABLE IF NOT EXISTS ${db}.h_element_instance (
    key INTEGER PRIMARY KEY, process_instance_key INTEGER NOT NULL, process_definition_key INTEGER NOT NULL,
    bpmn_process_id TEXT NOT NULL, element_id TEXT NOT NULL, element_type TEXT NOT NULL, state TEXT NOT NULL,
    start_date INTEGER NOT NULL, end_date INTEGER, flow_scope_key INTEGER, incident_key INTEGER,
    tenant_id TEXT NOT NULL
  );
  CREATE INDEX IF NOT EXISTS ${db}.h_element_instance_instance ON h_element_instance (process_instance_key);

  CREATE TABLE IF NOT EXISTS ${db}.h_variable (
    key INTEGER PRIMARY KEY, name TEXT NOT NULL, value TEXT NOT NULL, scope_key INTEGER NOT NULL,
    process_instance_key INTEGER NOT NULL, tenant_id TEXT NOT NULL
  );
  CREATE INDEX IF NOT EXISTS ${db}.h_variable_instance ON h_variable (process_instance_key);
  CREATE INDEX IF NOT EXISTS ${db}.h_variable_scope ON h_variable (scope_key, name);

  CREATE TABLE IF NOT EXISTS ${db}.h_incident (
    key INTEGER PRIMARY KEY, process_instance_key INTEGER NOT NULL, process_definition_key INTEGER NOT NULL,
    bpmn_process_id TEXT NOT NULL, element_id TEXT NOT NULL, element_instance_key INTEGER NOT NULL,
    job_key INTEGER, error_type TEXT NOT NULL, error_message TEXT NOT NULL, state TEXT NOT NULL,
    creation_time INTEGER NOT NULL, tenant_id TEXT NOT NULL
  );
  CREATE INDEX IF NOT EXISTS ${db}.h_incident_instance ON h_incident (process_instance_key, state);
  CREATE INDEX IF NOT EXISTS ${db}.h_incident_element ON h_incident (element_instance_key, state);
  CREATE INDEX IF NOT EXISTS ${db}.h_incident_state ON h_incident (state, creation_time);

  CREATE TABLE IF NOT EXISTS ${db}.h_job (
    key INTEGER PRIMARY KEY, type TEXT NOT NULL, worker TEXT NOT NULL, state TEXT NOT NULL, kind TEXT NOT NULL,
    listener_event_type TEXT NOT NULL, retries INTEGER NOT NULL, error_message TEXT NOT NULL,
    error_code TEXT NOT NULL, deadline INTEGER, custom_headers TEXT NOT NULL,
    process_instance_key INTEGER NOT NULL, process_definition_key INTEGER NOT NULL, bpmn_process_id TEXT NOT NULL,
    element_id TEXT NOT NULL, element_instance_key INTEGER NOT NULL, tenant_id TEXT NOT NULL,
    creation_time INTEGER NOT NULL, end_time INTEGER
  );
  CREATE INDEX IF NOT EXISTS ${db}.h_job_instance ON h_job (process_instance_key);
  CREATE INDEX IF NOT EXISTS ${db}.h_job_type_state ON h_job (type, state);

  CREATE TABLE IF NOT EXISTS ${db}.h_sequence_flow (
    process_instance_key INTEGER NOT NULL, element_id TEXT NOT NULL, process_definition_key INTEGER NOT NULL,
    bpmn_process_id TEXT NOT NULL, tenant_id TEXT NOT NULL, PRIMARY KEY (process_instance_key, element_id)
  ) WITHOUT ROWID;
${moreHistorySchema(db)}`;
}

/** The history tables, for snapshots (copied whole) and rebuilds. */
export const HISTORY_TABLES = ['h_process_definition', 'h_process_instance', 'h_element_instance', 'h_variable', 'h_incident', 'h_job', 'h_sequence_flow', ...MORE_HISTORY_TABLES] as const;
export type HistoryTable = (typeof HISTORY_TABLES)[number];

/**
 * How history retention finds a process instance's rows in a table (`projectors/history-cleanup.ts`):
 * a column holding the process instance key; `{ column, parent }` when the column holds the key
 * of a row of `parent`, which names its instance itself; null for rows of no instance
 * (definitions). A table added above does not compile until it says here. The column needs an
 * index (the cleanup looks rows up by it).
 */
export type InstanceRows = string | { readonly column: string; readonly parent: HistoryTable } | null;

export const PROCESS_INSTANCE_COLUMN: { readonly [T in HistoryTable]: InstanceRows } = {
  h_process_definition: null,
  h_process_instance: 'key',
  h_element_instance: 'process_instance_key',
  h_variable: 'process_instance_key',
  h_incident: 'process_instance_key',
  h_job: 'process_instance_key',
  h_sequence_flow: 'process_instance_key',
  h_user_task: 'process_instance_key',
  h_user_task_scope: { column: 'user_task_key', parent: 'h_user_task' },
  h_element_name: null,
  h_message_subscription: 'process_instance_key',
  h_correlated_message: 'process_instance_key',
  h_decision_requirements: null,
  h_decision_definition: null,
  // Decisions evaluated by EvaluateDecision (no instance) go by their evaluation date (projectors/history-cleanup.ts).
  h_decision_instance: 'process_instance_key',
  // A batch operation spans many instances: it and its items are kept (on partition 1) as long as the history is.
  h_batch_operation: null,
  h_batch_operation_item: null,
};
