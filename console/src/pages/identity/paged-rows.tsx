/**
 * An identity list read by the API's cursor: the first page, and one more with each "Show more"
 * (no cap). While the user filters, every row is read (in large pages), since the filter matches
 * any column and the API's filters cannot say "any of these fields". Polling re-reads what is
 * shown, so rows created elsewhere appear; the rows shown stay while more load instead of blanking.
 */
import { useRef, useState } from 'preact/hooks';
import type { Collected } from '../../lib/paging';
import { useLive } from '../../lib/live';
import { searchEvery, searchSome } from './data';
import { IDENTITY_PAGE_SIZE } from './page-size';

export function usePagedRows<T>(path: string, reload: unknown, filtering: boolean) {
  const [wanted, setWanted] = useState(IDENTITY_PAGE_SIZE);
  const list = useLive((signal) => (filtering ? searchEvery<T>(path, signal) : searchSome<T>(path, wanted, signal)), [path, wanted, reload, filtering]);
  const last = useRef<Collected<T> | undefined>(undefined);
  if (list.data) last.current = list.data;
  return { data: list.data ?? last.current, error: list.error, refresh: list.refresh, more: () => setWanted((n) => n + IDENTITY_PAGE_SIZE) };
}

export function MoreRows({ shown, total, noun, onMore }: { readonly shown: number; readonly total: number; readonly noun: string; readonly onMore: () => void }) {
  if (total <= shown) return null;
  return (
    <div class="more-rows">
      <p role="status">
        {shown} of {total} {noun} are loaded.
      </p>
      <button type="button" onClick={onMore}>
        Show more {noun}
      </button>
    </div>
  );
}
