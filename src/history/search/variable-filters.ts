/**
 * Camunda's user task filters `processInstanceVariables` and `localVariables`: a list of
 * `{name, value}`, every one of which a variable of one scope of the task must match (its
 * process instance's, or its own element instance's). `value` is the variable's JSON text, or a
 * string filter on it ($eq $neq $exists $in $notIn $like). Each entry is an EXISTS on h_variable
 * by (scope_key, name), the index the task's variables are read by anyway.
 */
import { addCondition, SearchError, type Sql } from './filter.js';
import type { Field } from './fields.js';

/** Camunda's StringFilterProperty: no ordering of JSON texts. */
const VALUE_OPERATORS = new Set(['$eq', '$neq', '$exists', '$in', '$notIn', '$like']);
const VALUE: Field = { column: 'v.value', type: 'string' };

/** A filter field matching the variables whose scope is the row's `scopeColumn`. */
export function variablesOfScope(scopeColumn: string): Field {
  return { column: scopeColumn, type: 'string', unsortable: true, compile: (name, condition) => compileVariables(name, condition, scopeColumn) };
}

function compileVariables(name: string, condition: unknown, scopeColumn: string): { where: string; params: unknown[] } {
  if (!Array.isArray(condition)) throw new SearchError(`Filter field '${name}' expects a list of {name, value}, got ${JSON.stringify(condition)}`);
  const sql: Sql = { where: [], params: [] };
  condition.forEach((entry: unknown, i) => {
    const at = `${name}[${i}]`;
    if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) throw new SearchError(`Filter field '${at}' expects {name, value}, got ${JSON.stringify(entry)}`);
    const { name: variable, value, ...rest } = entry as Record<string, unknown>;
    const unknown = Object.keys(rest);
    if (unknown.length > 0) throw new SearchError(`Unknown property '${unknown[0]}' in filter field '${at}'; known: name, value`);
    if (typeof variable !== 'string' || variable === '') throw new SearchError(`Filter field '${at}.name' expects a variable name, got ${JSON.stringify(variable)}`);
    if (value === undefined || value === null) throw new SearchError(`Filter field '${at}.value' is required`);

    const operators: Record<string, unknown> = typeof value === 'object' && !Array.isArray(value) ? { ...(value as Record<string, unknown>) } : { $eq: value };
    for (const op of Object.keys(operators)) {
      if (!VALUE_OPERATORS.has(op)) throw new SearchError(`Operator '${op}' does not apply to filter field '${at}.value'; known: ${[...VALUE_OPERATORS].join(', ')}`);
    }
    const scoped = `FROM h_variable v WHERE v.scope_key = ${scopeColumn} AND v.name = ?`;
    // "No such variable" is the only way a variable's value can be absent.
    const exists = operators.$exists;
    delete operators.$exists;
    if (exists !== undefined && typeof exists !== 'boolean') throw new SearchError(`'$exists' of filter field '${at}.value' must be true or false`);
    if (exists === false) {
      sql.where.push(`NOT EXISTS (SELECT 1 ${scoped})`);
      sql.params.push(variable);
      if (Object.keys(operators).length === 0) return;
    }
    const values: Sql = { where: [], params: [] };
    if (Object.keys(operators).length > 0) addCondition(values, `${at}.value`, VALUE, normalized(operators));
    sql.where.push(`EXISTS (SELECT 1 ${scoped}${values.where.map((w) => ` AND ${w}`).join('')})`);
    sql.params.push(variable, ...values.params);
  });
  return { where: sql.where.length > 0 ? sql.where.join(' AND ') : '1', params: sql.params };
}

/**
 * Values compared as the history holds them: compact JSON. A value that is JSON is written so
 * (`{ "a": 1 }` matches `{"a":1}`); one that is not is taken as a string (`ok` matches `"ok"`).
 * `$like` patterns are left as given: they match the JSON text.
 */
function normalized(operators: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [op, operand] of Object.entries(operators)) {
    if (op === '$like') out[op] = operand;
    else if (Array.isArray(operand)) out[op] = operand.map(jsonText);
    else out[op] = jsonText(operand);
  }
  return out;
}

function jsonText(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.stringify(JSON.parse(value));
  } catch {
    return JSON.stringify(value);
  }
}
