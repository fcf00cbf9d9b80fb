/**
 * One partition's page of a search, run on its history tables. Items carry their sort values
 * (the key last) so pages of several partitions can be merged (merge.ts) and a cursor can say
 * where a page ended: the next page is "after these values", which each partition answers
 * with an index range, however deep the page.
 */
import type Database from 'better-sqlite3';
import { compileFilter, SearchError } from './filter.js';
import { sortExpression, type Field } from './fields.js';
import { RESOURCES, type ResourceName } from './resources.js';

export interface SortKey {
  readonly field: string;
  readonly order: 'ASC' | 'DESC';
}

/** A search as one partition runs it; plain data (it crosses threads and the private port). */
export interface PartitionSearch {
  readonly resource: ResourceName;
  readonly filter?: unknown;
  readonly sort: readonly SortKey[];
  readonly limit: number;
  /** Skip this many (page.from); with a cursor, 0. */
  readonly offset?: number;
  /** Sort values (the key last) the page starts after, or ends before. */
  readonly after?: readonly unknown[];
  readonly before?: readonly unknown[];
}

export interface PartitionPage {
  readonly items: ReadonlyArray<{ readonly sortValues: readonly unknown[]; readonly item: Record<string, unknown> }>;
  readonly total: number;
}

/** The sort keys with the resource's key appended as the final tie-breaker. */
export function fullSort(resourceName: ResourceName, sort: readonly SortKey[]): SortKey[] {
  const resource = RESOURCES[resourceName];
  for (const key of sort) {
    const field = resource.fields[key.field];
    if (!field) throw new SearchError(`Unknown sort field '${key.field}' for ${resource.name}; known: ${Object.keys(resource.fields).join(', ')}`);
    if (field.unsortable) throw new SearchError(`Field '${key.field}' of ${resource.name} cannot be sorted by`);
  }
  const ties = [resource.keyField, ...(resource.tieBreakers ?? [])].filter((field) => !sort.some((key) => key.field === field));
  return [...sort, ...ties.map((field): SortKey => ({ field, order: 'ASC' }))];
}

export function searchPartition(db: Database.Database, search: PartitionSearch): PartitionPage {
  const resource = RESOURCES[search.resource];
  const filter = compileFilter(resource, search.filter);
  const sort = fullSort(search.resource, search.sort);
  const fields: Field[] = sort.map((key) => resource.fields[key.field]!);
  const expressions = fields.map(sortExpression);
  const backwards = search.before !== undefined;
  const order = sort.map((key, i) => `${expressions[i]} ${(key.order === 'DESC') !== backwards ? 'DESC' : 'ASC'}`).join(', ');

  const bare = resource.countWithoutJoin;
  const countTable = bare && !filter.where.some((condition) => new RegExp(`\\b${bare.joinedAlias}\\.`).test(condition)) ? bare.table : resource.table;
  const countSql = `SELECT COUNT(*) AS n FROM ${countTable}${filter.where.length ? ` WHERE ${filter.where.join(' AND ')}` : ''}`;
  const total = Number((db.prepare(countSql).get(...filter.params) as { n: bigint }).n);

  const where = [...filter.where];
  const params = [...filter.params];
  const cursor = search.after ?? search.before;
  if (cursor !== undefined) {
    if (!Array.isArray(cursor) || cursor.length !== sort.length) throw new SearchError('The cursor does not belong to this search (its sort differs)');
    const alternatives: string[] = [];
    for (let i = 0; i < sort.length; i++) {
      const parts: string[] = [];
      for (let j = 0; j < i; j++) {
        parts.push(`${expressions[j]} = ?`);
        params.push(cursor[j]);
      }
      const ascending = (sort[i]!.order === 'ASC') !== backwards;
      parts.push(`${expressions[i]} ${ascending ? '>' : '<'} ?`);
      params.push(cursor[i]);
      alternatives.push(`(${parts.join(' AND ')})`);
    }
    where.push(`(${alternatives.join(' OR ')})`);
  }
  const sortColumns = expressions.map((e, i) => `${e} AS s${i}`).join(', ');
  const sql =
    `SELECT ${resource.select ?? '*'}, ${sortColumns} FROM ${resource.table}` +
    `${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY ${order} LIMIT ? OFFSET ?`;
  const rows = db.prepare(sql).all(...params, search.limit, search.offset ?? 0) as Array<Record<string, unknown>>;
  if (backwards) rows.reverse();
  return {
    total,
    items: rows.map((row) => ({ sortValues: sort.map((_, i) => row[`s${i}`]), item: resource.toItem(row) })),
  };
}
