/**
 * An aggregate read on one partition's history tables. Element statistics follow Camunda:
 * neither the process nor multi-instance bodies are counted (the inner instances are); an
 * active element with an incident on it, or on an element inside it in the same instance,
 * counts under `incidents` and not under `active`; a terminated one is `canceled`.
 */
import type Database from 'better-sqlite3';
import { SearchError } from '../search/filter.js';
import { PROCESS_INSTANCES } from '../search/resources.js';
import type { AggregateResult, ElementStatistics, HistoryAggregate, SequenceFlowItem } from './aggregate.js';
import { compileStatisticsFilter } from './filter.js';

export function runAggregate(db: Database.Database, query: HistoryAggregate): AggregateResult {
  switch (query.kind) {
    case 'definitionElementStatistics':
      return definitionStatistics(db, key(query.processDefinitionKey, 'processDefinitionKey'), query.filter);
    case 'instanceElementStatistics':
      return instanceStatistics(db, key(query.processInstanceKey, 'processInstanceKey'));
    case 'sequenceFlows':
      return sequenceFlows(db, key(query.processInstanceKey, 'processInstanceKey'));
    default:
      throw new SearchError(`Unknown history aggregate '${(query as { kind?: unknown }).kind}'`);
  }
}

function key(value: unknown, name: string): bigint {
  if (typeof value !== 'bigint') throw new SearchError(`${name} must be a key`);
  return value;
}

const UP = `e.element_type != 'PROCESS' AND e.flow_scope_key IS NOT NULL`;

/**
 * `marked`: the element instances with an active incident below them in their instance, found
 * by walking up the flow scopes from the (few) active incidents of the instances counted. The
 * walk stops at the process: an instance a call activity started is another instance (and
 * may be on another partition). No null gets in, or `NOT IN marked` would never hold.
 */
const MARKED = `
  marked(key) AS (
    SELECT e.flow_scope_key FROM h_incident i JOIN h_element_instance e ON e.key = i.element_instance_key
      WHERE i.state = 'ACTIVE' AND i.process_instance_key IN instances AND ${UP}
    UNION SELECT e.flow_scope_key FROM marked JOIN h_element_instance e ON e.key = marked.key WHERE ${UP}
  )`;

const COUNTS = `
  SUM(e.state = 'ACTIVE' AND e.incident_key IS NULL AND e.key NOT IN marked) AS active,
  SUM(e.state = 'TERMINATED') AS canceled,
  SUM(e.state = 'ACTIVE' AND (e.incident_key IS NOT NULL OR e.key IN marked)) AS incidents,
  SUM(e.state = 'COMPLETED') AS completed`;

const COUNTED = `e.process_instance_key IN instances AND e.element_type NOT IN ('PROCESS', 'MULTI_INSTANCE_BODY')`;

/** Camunda counts instances per element: one instance with two active tokens at an element is one. */
function definitionStatistics(db: Database.Database, processDefinitionKey: bigint, filter: unknown): ElementStatistics[] {
  const sql = compileStatisticsFilter(filter);
  const where = ['h_process_instance.process_definition_key = ?', ...sql.where].join(' AND ');
  const rows = db
    .prepare(
      `WITH RECURSIVE instances(key) AS (SELECT h_process_instance.key FROM ${PROCESS_INSTANCES.table} WHERE ${where}),
       ${MARKED},
       per_instance AS (SELECT e.element_id, ${COUNTS} FROM h_element_instance e WHERE ${COUNTED} GROUP BY e.process_instance_key, e.element_id)
       SELECT element_id, SUM(active > 0) AS active, SUM(canceled > 0) AS canceled, SUM(incidents > 0) AS incidents,
         SUM(completed > 0) AS completed
       FROM per_instance GROUP BY element_id ORDER BY element_id`,
    )
    .all(processDefinitionKey, ...sql.params) as Array<Record<string, unknown>>;
  return rows.map(toStatistics);
}

function instanceStatistics(db: Database.Database, processInstanceKey: bigint): ElementStatistics[] {
  const rows = db
    .prepare(
      `WITH RECURSIVE instances(key) AS (SELECT ?), ${MARKED}
       SELECT e.element_id, ${COUNTS} FROM h_element_instance e WHERE ${COUNTED} GROUP BY e.element_id ORDER BY e.element_id`,
    )
    .all(processInstanceKey) as Array<Record<string, unknown>>;
  return rows.map(toStatistics);
}

function toStatistics(row: Record<string, unknown>): ElementStatistics {
  return {
    elementId: String(row.element_id),
    active: Number(row.active),
    canceled: Number(row.canceled),
    incidents: Number(row.incidents),
    completed: Number(row.completed),
  };
}

function sequenceFlows(db: Database.Database, processInstanceKey: bigint): SequenceFlowItem[] {
  const rows = db
    .prepare('SELECT * FROM h_sequence_flow WHERE process_instance_key = ? ORDER BY element_id')
    .all(processInstanceKey) as Array<Record<string, unknown>>;
  return rows.map((r) => ({
    sequenceFlowId: `${r.process_instance_key}_${r.element_id}`,
    processInstanceKey: String(r.process_instance_key),
    processDefinitionKey: String(r.process_definition_key),
    processDefinitionId: String(r.bpmn_process_id),
    elementId: String(r.element_id),
    tenantId: String(r.tenant_id),
  }));
}
