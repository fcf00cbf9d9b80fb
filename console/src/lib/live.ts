/**
 * Live data for a page: loads, then loads again when the node's change feed says something
 * moved (change-stream.ts, one connection for the whole page), and polls as a safety net: every
 * 30 s while the feed is open, every few seconds while it is down. Only while the tab is visible
 * (at once when it becomes visible again). A new value is handed out only when the answer
 * changed, so nothing re-renders, and nothing flickers, while the data stands still.
 */
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { streamStatus, subscribeChanges } from './change-stream';

/** Polling while the change feed is down (or for a caller that asks for a faster pace). */
export const LIVE_INTERVAL_MS = 3000;
/** Polling while the change feed is open: only for what the feed cannot see. */
export const SAFETY_INTERVAL_MS = 30_000;
/** A notice is acted on after this: the notices of one burst of work become one load. */
const CHANGE_DELAY_MS = 150;
/**
 * Under steady load the feed speaks several times a second: a view loads at most this often for
 * it, so a busy node is not read harder than the 3-s polling this replaced read it.
 */
const MIN_CHANGE_GAP_MS = 2000;
/**
 * A load for a notice is checked once more after this: in a cluster a search may be served by a
 * follower a few milliseconds behind the replica whose move the notice told of.
 */
const SETTLE_MS = 2000;

export interface Live<T> {
  readonly data: T | undefined;
  readonly error: Error | undefined;
  /** Loads again now (after an action whose effect the page should show at once). */
  readonly refresh: () => void;
}

export interface LiveOptions {
  /**
   * The change feed does not see this data move (backups: the store changes, not a partition's
   * log), so it is polled every intervalMs whether the feed is open or not.
   */
  readonly unseenByFeed?: boolean;
}

/** intervalMs 0: load once (per change of deps), no polling, no change notices. */
export function useLive<T>(load: (signal: AbortSignal) => Promise<T>, deps: readonly unknown[], intervalMs = LIVE_INTERVAL_MS, options: LiveOptions = {}): Live<T> {
  const [state, setState] = useState<{ data?: T; error?: Error }>({});
  const refreshRef = useRef<() => void>(() => {});

  useEffect(() => {
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    let last = '';
    let running = false;
    /** A load was asked for (refresh, visibility) while one ran: it runs once that one is done. */
    let again = false;
    let startedAt = 0;
    /** The next load is for a change notice. */
    let forChange = false;
    const visible = () => document.visibilityState === 'visible';
    const pollEvery = () => (streamStatus() === 'open' && !options.unseenByFeed ? Math.max(intervalMs, SAFETY_INTERVAL_MS) : intervalMs);
    const changeDelay = () => Math.max(CHANGE_DELAY_MS, startedAt + MIN_CHANGE_GAP_MS - Date.now());

    const schedule = (delayMs: number) => {
      clearTimeout(timer);
      if (intervalMs > 0 && visible() && !controller.signal.aborted) timer = setTimeout(run, delayMs);
    };

    const run = async () => {
      clearTimeout(timer);
      if (controller.signal.aborted) return;
      if (running) {
        again = true;
        return;
      }
      running = true;
      startedAt = Date.now();
      const settle = forChange;
      forChange = false;
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
      if (again) {
        again = false;
        schedule(0);
      } else if (forChange) schedule(changeDelay());
      else schedule(settle ? Math.min(SETTLE_MS, pollEvery()) : pollEvery());
    };

    const onChange = () => {
      // A hidden tab loads when it is shown again.
      if (!visible()) return;
      forChange = true;
      // While a load runs, the notice is taken up when it ends (it may have read too early).
      if (!running) schedule(changeDelay());
    };
    // The pace follows the feed: slower once it is open, faster when it drops.
    const onStatus = () => {
      if (!running) schedule(pollEvery());
    };
    const onVisibility = () => {
      if (intervalMs <= 0) return;
      if (visible()) void run();
      else clearTimeout(timer);
    };
    refreshRef.current = () => void run();
    setState({});
    void run();
    const unsubscribe = intervalMs > 0 ? subscribeChanges(onChange, onStatus) : () => {};
    document.addEventListener('visibilitychange', onVisibility);
    return () => {
      controller.abort();
      clearTimeout(timer);
      unsubscribe();
      document.removeEventListener('visibilitychange', onVisibility);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);

  const refresh = useCallback(() => refreshRef.current(), []);
  return { data: state.data, error: state.error, refresh };
}
