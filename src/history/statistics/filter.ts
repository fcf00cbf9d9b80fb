/**
 * The filter of a definition's element statistics: Camunda's process instance filter without
 * the definition fields (the definition is the path's), plus `$or`. Fields Camunda has there
 * and the history's process instance search supports are compiled by the same filter compiler
 * (so they mean the same); the others are refused naming the field, never ignored.
 */
import { compileFilter, SearchError, type Sql } from '../search/filter.js';
import { PROCESS_INSTANCES } from '../search/resources.js';

/** Camunda 8.8's BaseProcessInstanceFilterFields. */
const CAMUNDA_FIELDS: ReadonlySet<string> = new Set([
  'startDate', 'endDate', 'state', 'hasIncident', 'tenantId', 'variables', 'processInstanceKey', 'parentProcessInstanceKey',
  'parentElementInstanceKey', 'batchOperationId', 'errorMessage', 'hasRetriesLeft', 'elementInstanceState', 'elementId',
  'hasElementInstanceIncident', 'incidentErrorHashCode', 'tags',
]);

const WHAT = 'process definition statistics';

/** The filter as SQL over PROCESS_INSTANCES.table; an empty `where` matches every instance. */
export function compileStatisticsFilter(filter: unknown): Sql {
  if (filter === undefined || filter === null) return { where: [], params: [] };
  if (typeof filter !== 'object' || Array.isArray(filter)) throw new SearchError(`The filter of the ${WHAT} must be an object`);
  const { $or: alternatives, ...fields } = filter as Record<string, unknown>;
  const sql = compileFields(fields);
  if (alternatives === undefined || alternatives === null) return sql;
  if (!Array.isArray(alternatives)) throw new SearchError(`'$or' of the ${WHAT} filter must be a list of filters`);
  if (alternatives.length === 0) return sql;
  const parts = alternatives.map((alternative) => {
    if (alternative === null || typeof alternative !== 'object' || Array.isArray(alternative)) throw new SearchError(`Each '$or' alternative of the ${WHAT} filter must be an object`);
    if ('$or' in alternative) throw new SearchError(`'$or' cannot be nested in the ${WHAT} filter`);
    return compileFields(alternative as Record<string, unknown>);
  });
  return {
    where: [...sql.where, `(${parts.map((p) => (p.where.length ? `(${p.where.join(' AND ')})` : '1')).join(' OR ')})`],
    params: [...sql.params, ...parts.flatMap((p) => p.params)],
  };
}

function compileFields(fields: Record<string, unknown>): Sql {
  for (const name of Object.keys(fields)) {
    if (fields[name] === undefined) continue;
    if (!CAMUNDA_FIELDS.has(name)) throw new SearchError(`Unknown filter field '${name}' for ${WHAT}; known: ${[...CAMUNDA_FIELDS].join(', ')}`);
    if (!PROCESS_INSTANCES.fields[name]) throw new SearchError(`Filter field '${name}' of ${WHAT} is not supported by Zen`);
  }
  return compileFilter(PROCESS_INSTANCES, fields);
}
