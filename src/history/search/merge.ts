/**
 * A search over every partition: each answers a page in the same order, the pages are merged by
 * their sort values, and the result's cursors carry the sort values of its first and last item
 * (opaque base64url to clients). `totalItems` is the sum of the partitions' counts.
 */
import { SearchError } from './filter.js';
import type { PartitionPage, PartitionSearch, SortKey } from './run.js';

export interface SearchPage {
  readonly items: Record<string, unknown>[];
  readonly page: { readonly totalItems: number; readonly startCursor?: string; readonly endCursor?: string };
}

/** Camunda's `page`: `limit` with one of `from`, `after`, `before`. */
export interface PageRequest {
  readonly limit: number;
  readonly from?: number;
  readonly after?: string;
  readonly before?: string;
}

/** What each partition is asked for this page. */
export function partitionSearch(base: Omit<PartitionSearch, 'limit' | 'offset' | 'after' | 'before'>, page: PageRequest): PartitionSearch {
  if (page.after !== undefined) return { ...base, limit: page.limit, after: decodeCursor(page.after) };
  if (page.before !== undefined) return { ...base, limit: page.limit, before: decodeCursor(page.before) };
  // An offset over several partitions: each must return everything up to it; the merge skips.
  return { ...base, limit: (page.from ?? 0) + page.limit, offset: 0 };
}

export function mergePages(pages: readonly PartitionPage[], sort: readonly SortKey[], page: PageRequest): SearchPage {
  const all = pages.flatMap((p) => p.items);
  all.sort((a, b) => compareSortValues(a.sortValues, b.sortValues, sort));
  let chosen: typeof all;
  if (page.before !== undefined) chosen = all.slice(Math.max(0, all.length - page.limit));
  else if (page.after !== undefined) chosen = all.slice(0, page.limit);
  else chosen = all.slice(page.from ?? 0, (page.from ?? 0) + page.limit);
  const first = chosen[0];
  const last = chosen[chosen.length - 1];
  return {
    items: chosen.map((c) => c.item),
    page: {
      totalItems: pages.reduce((sum, p) => sum + p.total, 0),
      ...(first ? { startCursor: encodeCursor(first.sortValues) } : {}),
      ...(last ? { endCursor: encodeCursor(last.sortValues) } : {}),
    },
  };
}

/** SQLite's order: numbers (integers as bigint) before text; text by code unit. */
export function compareSortValues(a: readonly unknown[], b: readonly unknown[], sort: readonly SortKey[]): number {
  for (let i = 0; i < sort.length; i++) {
    const c = compareValue(a[i], b[i]);
    if (c !== 0) return sort[i]!.order === 'DESC' ? -c : c;
  }
  return 0;
}

function compareValue(a: unknown, b: unknown): number {
  const aText = typeof a === 'string';
  const bText = typeof b === 'string';
  if (aText !== bText) return aText ? 1 : -1;
  if (aText) return a < (b as string) ? -1 : a > (b as string) ? 1 : 0;
  const x = typeof a === 'bigint' ? a : BigInt(Math.trunc(Number(a)));
  const y = typeof b === 'bigint' ? b : BigInt(Math.trunc(Number(b)));
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Sort values as a cursor: integers tagged so they come back as integers. */
export function encodeCursor(values: readonly unknown[]): string {
  const tagged = values.map((v) => (typeof v === 'bigint' || typeof v === 'number' ? { i: String(v) } : v));
  return Buffer.from(JSON.stringify(tagged)).toString('base64url');
}

export function decodeCursor(cursor: string): unknown[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new SearchError(`The cursor '${cursor}' is not one this search returned`);
  }
  if (!Array.isArray(parsed)) throw new SearchError(`The cursor '${cursor}' is not one this search returned`);
  return parsed.map((v: unknown) => {
    if (v !== null && typeof v === 'object' && typeof (v as { i?: unknown }).i === 'string' && /^-?\d+$/.test((v as { i: string }).i)) return BigInt((v as { i: string }).i);
    if (typeof v === 'string') return v;
    throw new SearchError(`The cursor '${cursor}' is not one this search returned`);
  });
}
