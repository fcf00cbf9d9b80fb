/**
 * An identity list read by the API's cursor: the first page, and one more with each "Show more"
 * (no cap; `?rows=N` sets the page size). While the user filters, every row is read (in large
 * pages), since the filter matches any column and the API's filters cannot say "any of these
 * fields". Polling re-reads what is shown, so rows created elsewhere appear; the rows shown stay
 * while more load instead of blanking.
 */
import { useMemo, useRef, useState } from 'preact/hooks';
import type { Paged } from '../../lib/paged-search';
import { pageSizeFrom } from '../../lib/page-size';
import { useLive } from '../../lib/live';
import { searchEvery, searchSome } from './data';
import { IDENTITY_PAGE_SIZE } from './page-size';

export function usePagedRows<T>(path: string, reload: unknown, filtering: boolean) {
  const pageSize = useMemo(() => pageSizeFrom(location.search, IDENTITY_PAGE_SIZE), []);
  const [want, setWant] = useState(pageSize);
  const list = useLive((signal) => (filtering ? searchEvery<T>(path, signal) : searchSome<T>(path, want, pageSize, signal)), [path, want, reload, filtering]);
  const last = useRef<Paged<T> | undefined>(undefined);
  if (list.data) last.current = list.data;
  return { data: list.data ?? last.current, error: list.error, refresh: list.refresh, pageSize, more: () => setWant((n) => n + pageSize) };
}
