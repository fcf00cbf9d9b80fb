/**
 * Reading a search further than one page: pages of `pageSize` followed through the search's
 * cursor (`page.after` = the previous page's `endCursor`) until `want` rows are read or the
 * search runs out. A list grows by raising `want` ("Show more") rather than by a bigger page, so
 * no request asks for more than one page and nothing is cut off without the page saying so.
 */
import { post } from './api';
import { collectPages, type SearchAnswer } from './cursor-pages';

export interface Paged<T> {
  readonly items: readonly T[];
  /** What the search counts in all; unknown for a list merged from several searches. */
  readonly total?: number;
  /** Rows exist beyond `items`. */
  readonly more: boolean;
}

export interface SearchBody {
  readonly filter?: unknown;
  readonly sort?: readonly { readonly field: string; readonly order: 'ASC' | 'DESC' }[];
}

export async function searchPages<T>(path: string, body: SearchBody, want: number, pageSize: number, signal?: AbortSignal): Promise<Paged<T>> {
  return collectPages((page) => post<SearchAnswer<T>>(path, { ...body, page }, signal), pageSize, want);
}
