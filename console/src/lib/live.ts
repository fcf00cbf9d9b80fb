/**
 * Live data for a page: loads, then polls every few seconds while the tab is visible (at once
 * when it becomes visible again), and hands out a new value only when the answer changed, so
 * nothing re-renders, and nothing flickers, while the data stands still.
 */
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';

export const LIVE_INTERVAL_MS = 3000;

export interface Live<T> {
  readonly data: T | undefined;
  readonly error: Error | undefined;
  /** Loads again now (after an action whose effect the page should show at once). */
  readonly refresh: () => void;
}

/** intervalMs 0: load once (per change of deps), no polling. */
export function useLive<T>(load: (signal: AbortSignal) => Promise<T>, deps: readonly unknown[], intervalMs = LIVE_INTERVAL_MS): Live<T> {
  const [state, setState] = useState<{ data?: T; error?: Error }>({});
  const refreshRef = useRef<() => void>(() => {});

  useEffect(() => {
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    let last = '';
    let running = false;

    const run = async () => {
      clearTimeout(timer);
      if (running || controller.signal.aborted) return;
      running = true;
      let next: { data?: T; error?: Error; seen: string };
      try {
        const data = await load(controller.signal);
        next = { data, seen: `ok:${JSON.stringify(data)}` };
      } catch (err) {
        if (controller.signal.aborted) return;
        const error = err instanceof Error ? err : new Error(String(err));
        next = { error, seen: `error:${error.message}` };
      } finally {
        running = false;
      }
      if (controller.signal.aborted) return;
      if (next.seen !== last) {
        last = next.seen;
        // Keep the last good data on a failed poll: the page shows the error beside it.
        setState((prev) => (next.error ? { data: prev.data, error: next.error } : { data: next.data }));
      }
      if (intervalMs > 0 && document.visibilityState === 'visible') timer = setTimeout(run, intervalMs);
    };
    const onVisibility = () => {
      if (intervalMs <= 0) return;
      if (document.visibilityState === 'visible') void run();
      else clearTimeout(timer);
    };
    refreshRef.current = () => void run();
    setState({});
    void run();
    document.addEventListener('visibilitychange', onVisibility);
    return () => {
      controller.abort();
      clearTimeout(timer);
      document.removeEventListener('visibilitychange', onVisibility);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);

  const refresh = useCallback(() => refreshRef.current(), []);
  return { data: state.data, error: state.error, refresh };
}
