/**
 * The searches of groups, roles, mapping rules and their members, over this node's identity
 * copy (small, in memory): Camunda's `{filter, sort, page}` where each filter field is a string
 * or the string operators ($eq, $neq, $in, $notIn, $like, $exists), sorted by the fields asked
 * for and then by the unique id, with the history searches' opaque cursors.
 */
import { SearchError } from '../../history/search/filter.js';
import { compareSortValues, decodeCursor, encodeCursor, type PageRequest, type SearchPage } from '../../history/search/merge.js';
import type { SortKey } from '../../history/search/run.js';

export type Item = Readonly<Record<string, string>>;

export interface SearchRequest {
  readonly filter?: unknown;
  readonly sort: readonly SortKey[];
  readonly page: PageRequest;
}

export interface SearchShape {
  /** What the messages call it: 'group', 'role', … */
  readonly entity: string;
  readonly filterFields: readonly string[];
  readonly sortFields: readonly string[];
  /** The unique field every sort ends with. */
  readonly idField: string;
}

type Predicate = (item: Item) => boolean;

function text(name: string, value: unknown): string {
  if (typeof value !== 'string') throw new SearchError(`Filter field '${name}' expects a string, got ${JSON.stringify(value)}`);
  return value;
}

function escape(c: string): string {
  return c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** Camunda's wildcards: `*` any run of characters, `?` one; `\` escapes them. */
function likeRegExp(pattern: string): RegExp {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\' && i + 1 < pattern.length) out += escape(pattern[++i]!);
    else if (c === '*') out += '[\\s\\S]*';
    else if (c === '?') out += '[\\s\\S]';
    else out += escape(c);
  }
  return new RegExp(`^${out}$`, 'i');
}

function conditions(field: string, condition: unknown): Predicate[] {
  const value = (item: Item): string => item[field] ?? '';
  if (condition === null || typeof condition !== 'object' || Array.isArray(condition)) {
    const wanted = text(field, condition);
    return [(item) => value(item) === wanted];
  }
  return Object.entries(condition as Record<string, unknown>).map(([op, operand]): Predicate => {
    switch (op) {
      case '$eq': {
        const wanted = text(field, operand);
        return (item) => value(item) === wanted;
      }
      case '$neq': {
        const unwanted = text(field, operand);
        return (item) => value(item) !== unwanted;
      }
      case '$exists':
        if (typeof operand !== 'boolean') throw new SearchError(`'$exists' of filter field '${field}' must be true or false`);
        return (item) => (value(item) !== '') === operand;
      case '$in':
      case '$notIn': {
        if (!Array.isArray(operand)) throw new SearchError(`'${op}' of filter field '${field}' must be a list`);
        const set = new Set(operand.map((v) => text(field, v)));
        return op === '$in' ? (item) => set.has(value(item)) : (item) => !set.has(value(item));
      }
      case '$like': {
        const re = likeRegExp(text(field, operand));
        return (item) => re.test(value(item));
      }
      default:
        throw new SearchError(`Unknown operator '${op}' for filter field '${field}'`);
    }
  });
}

function compile(filter: unknown, shape: SearchShape): Predicate[] {
  if (filter === undefined || filter === null) return [];
  if (typeof filter !== 'object' || Array.isArray(filter)) throw new SearchError(`The filter of a ${shape.entity} search must be an object`);
  const out: Predicate[] = [];
  for (const [name, condition] of Object.entries(filter as Record<string, unknown>)) {
    if (condition === undefined || condition === null) continue;
    if (!shape.filterFields.includes(name)) {
      throw new SearchError(`Unknown filter field '${name}' for ${shape.entity}; known: ${shape.filterFields.join(', ') || 'none'}`);
    }
    out.push(...conditions(name, condition));
  }
  return out;
}

export function searchItems(items: readonly Item[], request: SearchRequest, shape: SearchShape): SearchPage {
  for (const key of request.sort) {
    if (!shape.sortFields.includes(key.field)) throw new SearchError(`Unknown sort field '${key.field}' for ${shape.entity}; known: ${shape.sortFields.join(', ')}`);
  }
  const sort: SortKey[] = request.sort.some((k) => k.field === shape.idField) ? [...request.sort] : [...request.sort, { field: shape.idField, order: 'ASC' }];
  const { page } = request;
  if (!Number.isInteger(page.limit) || page.limit < 0 || page.limit > 10_000) throw new SearchError('page.limit must be an integer from 0 to 10000');
  const predicates = compile(request.filter, shape);
  const rows = items
    .filter((item) => predicates.every((p) => p(item)))
    .map((item) => ({ item, sortValues: sort.map((k) => item[k.field] ?? '') }))
    .sort((a, b) => compareSortValues(a.sortValues, b.sortValues, sort));
  let chosen: typeof rows;
  if (page.after !== undefined) {
    const cursor = decodeCursor(page.after);
    chosen = rows.filter((r) => compareSortValues(r.sortValues, cursor, sort) > 0).slice(0, page.limit);
  } else if (page.before !== undefined) {
    const cursor = decodeCursor(page.before);
    const before = rows.filter((r) => compareSortValues(r.sortValues, cursor, sort) < 0);
    chosen = before.slice(Math.max(0, before.length - page.limit));
  } else {
    const from = page.from ?? 0;
    chosen = rows.slice(from, from + page.limit);
  }
  const first = chosen[0];
  const last = chosen[chosen.length - 1];
  return {
    items: chosen.map((r) => ({ ...r.item })),
    page: {
      totalItems: rows.length,
      ...(first ? { startCursor: encodeCursor(first.sortValues) } : {}),
      ...(last ? { endCursor: encodeCursor(last.sortValues) } : {}),
    },
  };
}
