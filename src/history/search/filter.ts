/**
 * Camunda's search filters as SQL: `{field: value}` or `{field: {$eq, $neq, $exists, $in,
 * $notIn, $like, $gt, $gte, $lt, $lte}}`, every condition ANDed. Values become parameters, never
 * SQL text; an unknown field or operator, or a value of the wrong kind, is a `SearchError`
 * naming it (the REST layer answers 400).
 */
import { ZenError } from '../../errors.js';
import type { Field, Resource } from './fields.js';

/** A search the client got wrong: 400 over REST (a ZenError, so it crosses the worker intact). */
export class SearchError extends ZenError {
  constructor(message: string) {
    super('INVALID_ARGUMENT', message);
  }
}

export interface Sql {
  readonly where: string[];
  readonly params: unknown[];
}

const OPERATORS: Readonly<Record<string, string>> = { $eq: '=', $neq: '!=', $gt: '>', $gte: '>=', $lt: '<', $lte: '<=' };

export function compileFilter(resource: Resource, filter: unknown): Sql {
  const sql: Sql = { where: [], params: [] };
  if (filter === undefined || filter === null) return sql;
  if (typeof filter !== 'object' || Array.isArray(filter)) throw new SearchError(`The filter of a ${resource.name} search must be an object`);
  for (const [name, condition] of Object.entries(filter as Record<string, unknown>)) {
    if (condition === undefined) continue;
    const field = resource.fields[name];
    if (!field) throw new SearchError(`Unknown filter field '${name}' for ${resource.name}; known: ${Object.keys(resource.fields).join(', ')}`);
    addCondition(sql, name, field, condition);
  }
  return sql;
}

export function addCondition(sql: Sql, name: string, field: Field, condition: unknown): void {
  if (field.compile) {
    const compiled = field.compile(name, condition);
    sql.where.push(compiled.where);
    sql.params.push(...compiled.params);
    return;
  }
  if (field.list) {
    const element: Sql = { where: [], params: [] };
    addCondition(element, name, { column: 'value', type: field.type }, condition);
    sql.where.push(`EXISTS (SELECT 1 FROM json_each(${field.column}) WHERE ${element.where.join(' AND ') || '1'})`);
    sql.params.push(...element.params);
    return;
  }
  if (condition === null || typeof condition !== 'object' || Array.isArray(condition)) {
    sql.where.push(`${field.column} = ?`);
    sql.params.push(toSql(name, field, condition));
    return;
  }
  for (const [op, operand] of Object.entries(condition as Record<string, unknown>)) {
    const comparison = OPERATORS[op];
    if (comparison !== undefined) {
      if (comparison !== '=' && comparison !== '!=' && (field.type === 'bool' || field.type === 'key')) throw new SearchError(`Operator '${op}' does not apply to filter field '${name}'`);
      // `!=` in SQL drops nulls; Camunda's $neq keeps values that are absent.
      sql.where.push(comparison === '!=' ? `${field.column} IS NOT ?` : `${field.column} ${comparison} ?`);
      sql.params.push(toSql(name, field, operand));
    } else if (op === '$exists') {
      if (typeof operand !== 'boolean') throw new SearchError(`'$exists' of filter field '${name}' must be true or false`);
      sql.where.push(`${field.column} IS ${operand ? 'NOT ' : ''}NULL`);
    } else if (op === '$in' || op === '$notIn') {
      if (!Array.isArray(operand)) throw new SearchError(`'${op}' of filter field '${name}' must be a list`);
      if (operand.length === 0) {
        sql.where.push(op === '$in' ? '0' : '1');
        continue;
      }
      sql.where.push(`${field.column} ${op === '$in' ? 'IN' : 'NOT IN'} (${operand.map(() => '?').join(', ')})`);
      for (const item of operand) sql.params.push(toSql(name, field, item));
    } else if (op === '$like') {
      if (field.type !== 'string') throw new SearchError(`Operator '$like' does not apply to filter field '${name}'`);
      if (typeof operand !== 'string') throw new SearchError(`'$like' of filter field '${name}' must be a string`);
      sql.where.push(`${field.column} LIKE ? ESCAPE '\\'`);
      sql.params.push(likePattern(operand));
    } else {
      throw new SearchError(`Unknown operator '${op}' for filter field '${name}'`);
    }
  }
}

/** Camunda's wildcards: `*` any run of characters, `?` one; `\` escapes them. */
export function likePattern(pattern: string): string {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\' && i + 1 < pattern.length) {
      const next = pattern[++i]!;
      out += next === '%' || next === '_' || next === '\\' ? `\\${next}` : next;
    } else if (c === '*') out += '%';
    else if (c === '?') out += '_';
    else if (c === '%' || c === '_') out += `\\${c}`;
    else out += c;
  }
  return out;
}

/** An API value of a field as the SQL parameter. */
export function toSql(name: string, field: Field, value: unknown): unknown {
  const wrong = (what: string) => new SearchError(`Filter field '${name}' expects ${what}, got ${JSON.stringify(value)}`);
  switch (field.type) {
    case 'key':
      if (typeof value === 'string' && /^-?\d{1,19}$/.test(value)) return BigInt(value);
      if (typeof value === 'number' && Number.isSafeInteger(value)) return BigInt(value);
      throw wrong('a key (a string of digits)');
    case 'string':
      if (typeof value !== 'string') throw wrong('a string');
      return value;
    case 'int':
      if (typeof value !== 'number' || !Number.isInteger(value)) throw wrong('an integer');
      return value;
    case 'bool':
      if (typeof value !== 'boolean') throw wrong('true or false');
      return value ? 1 : 0;
    case 'date': {
      const ms = typeof value === 'string' ? Date.parse(value) : NaN;
      if (!Number.isFinite(ms)) throw wrong('a date-time (ISO 8601)');
      return ms;
    }
  }
}
