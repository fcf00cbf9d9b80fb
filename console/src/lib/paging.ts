/** `POST {path}/search` by cursor through the one API client (see cursor-pages.ts). */
import { post } from './api';
import { collectPages, type SearchAnswer } from './cursor-pages';

export type { Collected } from './cursor-pages';

/** `POST {path}/search` page after page (see collectPages), with an optional filter or sort. */
export const searchPages = <T>(path: string, pageSize: number, options: { readonly wanted?: number; readonly body?: Record<string, unknown>; readonly signal?: AbortSignal } = {}) =>
  collectPages<T>((page) => post<SearchAnswer<T>>(`${path}/search`, { ...options.body, page }, options.signal), pageSize, options.wanted);
