/**
 * An identity list read by the API's cursor: the first page, and one more with each "Show more"
 * (no cap). Polling re-reads what is shown, so rows created elsewhere appear; the rows shown stay
 * while more load instead of blanking.
 */
import { useRef, useState } from 'preact/hooks';
import type { Collected } from '../../lib/paging';
import { useLive } from '../../lib/live';
import { searchSome } from './data';
import { IDENTITY_PAGE_SIZE } from './page-size';

export function usePagedRows<T>(path: string, reload: unknown = null) {
  const [wanted, setWanted] = useState(IDENTITY_PAGE_SIZE);
  const list = useLive((signal) => searchSome<T>(path, wanted, signal), [path, wanted, reload]);
  const last = useRef<Collected<T> | undefined>(undefined);
  if (list.data) last.current = list.data;
  return { data: list.data ?? last.current, error: list.error, refresh: list.refresh, more: () => setWanted((n) => n + IDENTITY_PAGE_SIZE) };
}

export function MoreRows({ shown, total, noun, filtered, onMore }: { readonly shown: number; readonly total: number; readonly noun: string; readonly filtered: boolean; readonly onMore: () => void }) {
  if (total <= shown) return null;
  return (
    <div class="more-rows">
      <p role="status">
        {shown} of {total} {noun} are loaded{filtered ? '; the filter looks at these only' : ''}.
      </p>
      <button type="button" onClick={onMore}>
        Show more {noun}
      </button>
    </div>
  );
}
