/**
 * `POST /v2/users/search` over this node's copy of the user table: Camunda's `{filter, sort,
 * page}` with the history searches' operators for strings ($eq, $neq, $exists, $in, $notIn,
 * $like) and their opaque cursors (the sort values of the first and last item). The table is
 * small and in memory, so this filters and sorts it whole.
 */
import { SearchError } from '../../history/search/filter.js';
import { compareSortValues, decodeCursor, encodeCursor, type PageRequest, type SearchPage } from '../../history/search/merge.js';
import type { SortKey } from '../../history/search/run.js';

export interface UserItem {
  readonly username: string;
  readonly name: string;
  readonly email: string;
}

export interface UserSearchRequest {
  readonly filter: unknown;
  readonly sort: readonly SortKey[];
  readonly page: PageRequest;
}

const FIELDS = ['username', 'name', 'email'] as const;
type Field = (typeof FIELDS)[number];

function isField(name: string): name is Field {
  return (FIELDS as readonly string[]).includes(name);
}

type Predicate = (user: UserItem) => boolean;

function text(name: string, value: unknown): string {
  if (typeof value !== 'string') throw new SearchError(`Filter field '${name}' expects a string, got ${JSON.stringify(value)}`);
  return value;
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

function escape(c: string): string {
  return c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

function conditions(field: Field, condition: unknown): Predicate[] {
  const value = (u: UserItem): string => u[field];
  if (condition === null || typeof condition !== 'object' || Array.isArray(condition)) {
    const wanted = text(field, condition);
    return [(u) => value(u) === wanted];
  }
  const out: Predicate[] = [];
  for (const [op, operand] of Object.entries(condition as Record<string, unknown>)) {
    switch (op) {
      case '$eq': {
        const wanted = text(field, operand);
        out.push((u) => value(u) === wanted);
        break;
      }
      case '$neq': {
        const unwanted = text(field, operand);
        out.push((u) => value(u) !== unwanted);
        break;
      }
      case '$exists':
        if (typeof operand !== 'boolean') throw new SearchError(`'$exists' of filter field '${field}' must be true or false`);
        // An empty name or email is one that was never given.
        out.push((u) => (value(u) !== '') === operand);
        break;
      case '$in':
      case '$notIn': {
        if (!Array.isArray(operand)) throw new SearchError(`'${op}' of filter field '${field}' must be a list`);
        const set = new Set(operand.map((v) => text(field, v)));
        out.push(op === '$in' ? (u) => set.has(value(u)) : (u) => !set.has(value(u)));
        break;
      }
      case '$like': {
        const re = likeRegExp(text(field, operand));
        out.push((u) => re.test(value(u)));
        break;
      }
      default:
        throw new SearchError(`Unknown operator '${op}' for filter field '${field}'`);
    }
  }
  return out;
}

function compile(filter: unknown): Predicate[] {
  if (filter === undefined || filter === null) return [];
  if (typeof filter !== 'object' || Array.isArray(filter)) throw new SearchError('The filter of a user search must be an object');
  const out: Predicate[] = [];
  for (const [name, condition] of Object.entries(filter as Record<string, unknown>)) {
    if (condition === undefined) continue;
    if (!isField(name)) throw new SearchError(`Unknown filter field '${name}' for user; known: ${FIELDS.join(', ')}`);
    out.push(...conditions(name, condition));
  }
  return out;
}

/** The sort asked for, then username (unique) so that pages and cursors are stable. */
function fullSort(sort: readonly SortKey[]): SortKey[] {
  for (const key of sort) {
    if (!isField(key.field)) throw new SearchError(`Unknown sort field '${key.field}' for user; known: ${FIELDS.join(', ')}`);
  }
  return sort.some((k) => k.field === 'username') ? [...sort] : [...sort, { field: 'username', order: 'ASC' }];
}

export function searchUsers(users: readonly UserItem[], request: UserSearchRequest): SearchPage {
  const predicates = compile(request.filter);
  const sort = fullSort(request.sort);
  const { page } = request;
  if (!Number.isInteger(page.limit) || page.limit < 0 || page.limit > 10_000) throw new SearchError('page.limit must be an integer from 0 to 10000');
  const rows = users
    .filter((u) => predicates.every((p) => p(u)))
    .map((u) => ({ item: u, sortValues: sort.map((k) => u[k.field as Field]) }))
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
    items: chosen.map((r) => ({ username: r.item.username, name: r.item.name, email: r.item.email })),
    page: {
      totalItems: rows.length,
      ...(first ? { startCursor: encodeCursor(first.sortValues) } : {}),
      ...(last ? { endCursor: encodeCursor(last.sortValues) } : {}),
    },
  };
}
