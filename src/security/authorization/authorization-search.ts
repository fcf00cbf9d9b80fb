/**
 * `POST /v2/authorizations/search` over this node's copy of the authorizations: Camunda's
 * AuthorizationFilter (ownerId, ownerType, resourceIds — any of them —, resourceType, each an
 * exact value), sorted by ownerId, ownerType, resourceId or resourceType, then the key.
 */
import { SearchError } from '../../history/search/filter.js';
import { compareSortValues, decodeCursor, encodeCursor, type PageRequest, type SearchPage } from '../../history/search/merge.js';
import type { SortKey } from '../../history/search/run.js';
import type { AuthorizationRow } from '../../engine/state/authorizations.js';

export interface AuthorizationItem {
  readonly authorizationKey: string;
  readonly ownerId: string;
  readonly ownerType: string;
  readonly resourceType: string;
  readonly resourceId: string;
  readonly permissionTypes: readonly string[];
}

export interface AuthorizationSearchRequest {
  readonly filter: unknown;
  readonly sort: readonly SortKey[];
  readonly page: PageRequest;
}

const SORT_FIELDS = ['ownerId', 'ownerType', 'resourceId', 'resourceType'] as const;
const FILTER_FIELDS = ['ownerId', 'ownerType', 'resourceIds', 'resourceType'] as const;

export function authorizationItem(row: AuthorizationRow): AuthorizationItem {
  return {
    authorizationKey: String(row.authorizationKey),
    ownerId: row.ownerId,
    ownerType: row.ownerType,
    resourceType: row.resourceType,
    resourceId: row.resourceId,
    permissionTypes: [...row.permissionTypes],
  };
}

function text(name: string, value: unknown): string {
  if (typeof value !== 'string') throw new SearchError(`Filter field '${name}' expects a string, got ${JSON.stringify(value)}`);
  return value;
}

function predicates(filter: unknown): Array<(a: AuthorizationItem) => boolean> {
  if (filter === undefined || filter === null) return [];
  if (typeof filter !== 'object' || Array.isArray(filter)) throw new SearchError('The filter of an authorization search must be an object');
  const out: Array<(a: AuthorizationItem) => boolean> = [];
  for (const [name, value] of Object.entries(filter as Record<string, unknown>)) {
    if (value === undefined || value === null) continue;
    if (!(FILTER_FIELDS as readonly string[]).includes(name)) {
      throw new SearchError(`Unknown filter field '${name}' for authorization; known: ${FILTER_FIELDS.join(', ')}`);
    }
    if (name === 'resourceIds') {
      if (!Array.isArray(value)) throw new SearchError("Filter field 'resourceIds' expects a list of strings");
      const ids = new Set(value.map((v) => text(name, v)));
      out.push((a) => ids.has(a.resourceId));
    } else {
      const wanted = text(name, value);
      const field = name as 'ownerId' | 'ownerType' | 'resourceType';
      out.push((a) => a[field] === wanted);
    }
  }
  return out;
}

export function searchAuthorizations(rows: readonly AuthorizationRow[], request: AuthorizationSearchRequest): SearchPage {
  for (const key of request.sort) {
    if (!(SORT_FIELDS as readonly string[]).includes(key.field)) {
      throw new SearchError(`Unknown sort field '${key.field}' for authorization; known: ${SORT_FIELDS.join(', ')}`);
    }
  }
  const sort: SortKey[] = [...request.sort, { field: 'authorizationKey', order: 'ASC' }];
  const { page } = request;
  if (!Number.isInteger(page.limit) || page.limit < 0 || page.limit > 10_000) throw new SearchError('page.limit must be an integer from 0 to 10000');
  const filters = predicates(request.filter);
  const sortValue = (a: AuthorizationItem, field: string): string | bigint => (field === 'authorizationKey' ? BigInt(a.authorizationKey) : a[field as (typeof SORT_FIELDS)[number]]);
  const all = rows
    .map(authorizationItem)
    .filter((a) => filters.every((p) => p(a)))
    .map((item) => ({ item, sortValues: sort.map((k) => sortValue(item, k.field)) }))
    .sort((a, b) => compareSortValues(a.sortValues, b.sortValues, sort));
  let chosen: typeof all;
  if (page.after !== undefined) {
    const cursor = decodeCursor(page.after);
    chosen = all.filter((r) => compareSortValues(r.sortValues, cursor, sort) > 0).slice(0, page.limit);
  } else if (page.before !== undefined) {
    const cursor = decodeCursor(page.before);
    const before = all.filter((r) => compareSortValues(r.sortValues, cursor, sort) < 0);
    chosen = before.slice(Math.max(0, before.length - page.limit));
  } else {
    const from = page.from ?? 0;
    chosen = all.slice(from, from + page.limit);
  }
  const first = chosen[0];
  const last = chosen[chosen.length - 1];
  return {
    items: chosen.map((r) => ({ ...r.item })),
    page: {
      totalItems: all.length,
      ...(first ? { startCursor: encodeCursor(first.sortValues) } : {}),
      ...(last ? { endCursor: encodeCursor(last.sortValues) } : {}),
    },
  };
}
