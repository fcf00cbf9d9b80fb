/**
 * Camunda's searches page by cursor: each answer carries `page.endCursor`, and `page.after` with
 * it asks for the next page. Offsets would skip or repeat rows when rows come and go between
 * two requests; cursors do not.
 */

export interface SearchAnswer<T> {
  readonly items: readonly T[];
  readonly page: { readonly totalItems: number; readonly endCursor?: string };
}

export interface Collected<T> {
  readonly items: T[];
  /** What the node counts in all (may exceed `items` when `wanted` stopped early). */
  readonly total: number;
}

/**
 * Asks `fetchPage` for pages of `pageSize`, each after the last one's end, until the node has no
 * more or `wanted` rows are in (every row when `wanted` is absent).
 */
export async function collectPages<T>(fetchPage: (page: { limit: number; after?: string }) => Promise<SearchAnswer<T>>, pageSize: number, wanted = Infinity): Promise<Collected<T>> {
  const items: T[] = [];
  let after: string | undefined;
  for (;;) {
    const limit = Math.max(1, Math.min(pageSize, wanted - items.length));
    const answer = await fetchPage(after === undefined ? { limit } : { limit, after });
    items.push(...answer.items);
    after = answer.page.endCursor;
    if (answer.items.length < limit || after === undefined || items.length >= wanted) return { items, total: Math.max(answer.page.totalItems, items.length) };
  }
}
