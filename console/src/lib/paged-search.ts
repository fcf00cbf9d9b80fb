/**
 * Reading a search further than one page: pages of `pageSize` followed through the search's
 * cursor (`page.after` = the previous page's `endCursor`) until `want` rows are read or the
 * search runs out. A list grows by raising `want` ("Show more") rather than by a bigger page, so
 * no request asks for more than one page and nothing is cut off without the page saying so.
 */
import { post } from './api';

export interface Paged<T> {
  readonly items: readonly T[];
  /** What the search counts in all; unknown for a list merged from several searches. */
  readonly total?: number;
  /** Rows exist beyond `items`. */
  readonly more: boolean;
}

/** The most rows one request asks for (the API's own maximum is 10,000). */
export const MAX_PAGE_SIZE = 1000;

export interface SearchBody {
  readonly filter?: unknown;
  readonly sort?: readonly { readonly field: string; readonly order: 'ASC' | 'DESC' }[];
}

type SearchAnswer<T> = { items: T[]; page: { totalItems: number; endCursor?: string } };

export async function searchPages<T>(path: string, body: SearchBody, want: number, pageSize: number, signal?: AbortSignal): Promise<Paged<T>> {
  const items: T[] = [];
  let total = 0;
  let after: string | undefined;
  for (;;) {
    const page: Record<string, unknown> = { limit: pageSize };
    if (after) page.after = after;
    const answer = await post<SearchAnswer<T>>(path, { ...body, page }, signal);
    items.push(...answer.items);
    total = answer.page.totalItems;
    after = answer.page.endCursor;
    const exhausted = answer.items.length < pageSize || !after;
    if (exhausted) return { items, total, more: false };
    if (items.length >= want) return { items, total, more: items.length < total };
  }
}

/**
 * The page size a list uses: `?rows=N` in the address (1 to 1,000), else `fallback`. Lets a
 * user (or a test) page through a long list in small steps.
 */
export function pageSizeFrom(search: string, fallback: number): number {
  const rows = Number(new URLSearchParams(search).get('rows'));
  return Number.isInteger(rows) && rows >= 1 && rows <= MAX_PAGE_SIZE ? rows : fallback;
}
