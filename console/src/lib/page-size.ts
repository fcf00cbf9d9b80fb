/** How many rows a list read page by page (paged-search.ts) asks for at once. */

/** The most rows one request asks for (the API's own maximum is 10,000). */
export const MAX_PAGE_SIZE = 1000;

/**
 * The page size a list uses: `?rows=N` in the address (1 to 1,000), else `fallback`. Lets a
 * user (or a test) page through a long list in small steps.
 */
export function pageSizeFrom(search: string, fallback: number): number {
  const rows = Number(new URLSearchParams(search).get('rows'));
  return Number.isInteger(rows) && rows >= 1 && rows <= MAX_PAGE_SIZE ? rows : fallback;
}
