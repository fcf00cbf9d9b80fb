/**
 * `POST /v2/tenants/search` and the member searches (`/v2/tenants/{id}/users/search` …) over
 * this node's copy of the tenants: exact-value filters (Camunda's TenantFilter: tenantId, name),
 * sorted by the fields Camunda names, then by a field that is unique, with the history searches'
 * opaque cursors. The tables are small and in memory: filtered and sorted whole.
 */
import { SearchError } from '../../history/search/filter.js';
import { compareSortValues, decodeCursor, encodeCursor, type PageRequest, type SearchPage } from '../../history/search/merge.js';
import type { SortKey } from '../../history/search/run.js';
import type { TenantRow } from '../../engine/state/tenant-rows.js';

export interface TenantSearchRequest {
  readonly filter: unknown;
  readonly sort: readonly SortKey[];
  readonly page: PageRequest;
}

type Item = Readonly<Record<string, string>>;

interface Shape {
  readonly what: string;
  readonly filterFields: readonly string[];
  /** What a sort field names in the item (Camunda's tenant sort says `key` for the tenant key). */
  readonly sortFields: Readonly<Record<string, (item: Item) => string | bigint>>;
  readonly unique: (item: Item) => string | bigint;
}

export interface TenantItem {
  readonly tenantId: string;
  readonly name: string;
  readonly description: string;
}

export function tenantItem(row: TenantRow): TenantItem {
  return { tenantId: row.tenantId, name: row.name, description: row.description };
}

function exactFilters(shape: Shape, filter: unknown): Array<(item: Item) => boolean> {
  if (filter === undefined || filter === null) return [];
  if (typeof filter !== 'object' || Array.isArray(filter)) throw new SearchError(`The filter of a ${shape.what} search must be an object`);
  const out: Array<(item: Item) => boolean> = [];
  for (const [name, value] of Object.entries(filter as Record<string, unknown>)) {
    if (value === undefined || value === null) continue;
    if (!shape.filterFields.includes(name)) {
      throw new SearchError(`Unknown filter field '${name}' for ${shape.what}${shape.filterFields.length > 0 ? `; known: ${shape.filterFields.join(', ')}` : ': it takes no filter'}`);
    }
    if (typeof value !== 'string') throw new SearchError(`Filter field '${name}' expects a string, got ${JSON.stringify(value)}`);
    out.push((item) => item[name] === value);
  }
  return out;
}

function search(items: readonly Item[], shape: Shape, request: TenantSearchRequest): SearchPage {
  for (const key of request.sort) {
    if (!Object.hasOwn(shape.sortFields, key.field)) {
      throw new SearchError(`Unknown sort field '${key.field}' for ${shape.what}; known: ${Object.keys(shape.sortFields).join(', ')}`);
    }
  }
  const { page } = request;
  if (!Number.isInteger(page.limit) || page.limit < 0 || page.limit > 10_000) throw new SearchError('page.limit must be an integer from 0 to 10000');
  const sort: SortKey[] = [...request.sort, { field: '', order: 'ASC' }];
  const valueOf = (item: Item, field: string) => (field === '' ? shape.unique(item) : shape.sortFields[field]!(item));
  const filters = exactFilters(shape, request.filter);
  const all = items
    .filter((item) => filters.every((p) => p(item)))
    .map((item) => ({ item, sortValues: sort.map((k) => valueOf(item, k.field)) }))
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

export function searchTenants(rows: readonly TenantRow[], request: TenantSearchRequest): SearchPage {
  const keys = new Map(rows.map((r) => [r.tenantId, r.tenantKey] as const));
  const shape: Shape = {
    what: 'tenant',
    filterFields: ['tenantId', 'name'],
    sortFields: { key: (t) => keys.get(t.tenantId!) ?? -1n, name: (t) => t.name!, tenantId: (t) => t.tenantId! },
    unique: (t) => t.tenantId!,
  };
  return search(rows.map((r) => ({ ...tenantItem(r) })), shape, request);
}

/** Members of one type, each as `{ [idField]: id }` (Camunda's TenantUserResult, TenantClientResult …). */
export function searchMembers(ids: readonly string[], idField: string, what: string, request: TenantSearchRequest): SearchPage {
  const shape: Shape = { what, filterFields: [], sortFields: { [idField]: (m) => m[idField]! }, unique: (m) => m[idField]! };
  return search(ids.map((id) => ({ [idField]: id })), shape, request);
}
