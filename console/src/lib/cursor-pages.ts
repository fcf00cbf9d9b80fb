/**
 * Camunda's searches page by cursor: each answer carries `page.endCursor`, and `page.after` with
 * it asks for the next page. Offsets would skip or repeat rows when rows come and go between
 * two requests; cursors do not. No imports: the permissions loader passes its own page reader,
 * and the tests use it against a real node as it is.
 */

export interface SearchAnswer<T> {
  readonly items: readonly T[];
  readonly page: { readonly totalItems: number; readonly endCursor?: string };
}

export interface Collected<T> {
  readonly items: T[];
  /** What the search counts in all. */
  readonly total: number;
  /** Rows exist beyond `items` (reading stopped at `want`). */
  readonly more: boolean;
}

/**
 * Asks `fetchPage` for pages of `pageSize`, each after the last one's end, until the search runs
 * out or `want` rows are in (every row when `want` is absent). No request asks for more than one
 * page.
 */
export async function collectPages<T>(fetchPage: (page: { limit: number; after?: string }) => Promise<SearchAnswer<T>>, pageSize: number, want = Infinity): Promise<Collected<T>> {
  const items: T[] = [];
  let after: string | undefined;
  for (;;) {
    const answer = await fetchPage(after === undefined ? { limit: pageSize } : { limit: pageSize, after });
    items.push(...answer.items);
    const total = answer.page.totalItems;
    after = answer.page.endCursor;
    if (answer.items.length < pageSize || !after) return { items, total, more: false };
    if (items.length >= want) return { items, total, more: items.length < total };
  }
}
