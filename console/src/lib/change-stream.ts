/**
 * One connection to the node's change feed (`GET /v2/changes`) for the whole page, however many
 * views listen: it opens with the first listener, stays a few seconds after the last leaves (a
 * page change re-subscribes at once), and reconnects with a growing delay when it drops. Views
 * keep polling slowly meanwhile (live.ts), so nothing depends on it.
 *
 * A hidden tab lets its stream go: over HTTP/1.1 a browser opens about six connections to a host
 * for all its tabs together, and a stream held by each background tab would leave none for the
 * requests of the one in front.
 *
 * `<html data-live-stream>` says the state (connecting, open, down) and `data-live-changes` how
 * many notices arrived: for tests and for anyone debugging why a page is or is not live.
 */
import { authorization } from '../auth/session';
import { API_BASE } from './api';
import { readServerEvents } from './event-stream';

export type StreamStatus = 'off' | 'connecting' | 'open' | 'down';

interface Listener {
  readonly onChange: () => void;
  readonly onStatus: (status: StreamStatus) => void;
}

const CLOSE_AFTER_MS = 5_000;
const MAX_RETRY_MS = 30_000;

const listeners = new Set<Listener>();
let status: StreamStatus = 'off';
let connection: AbortController | null = null;
let openedAs: string | null = null;
let retryMs = 2_000;
let failures = 0;
let retryTimer: ReturnType<typeof setTimeout> | undefined;
let closeTimer: ReturnType<typeof setTimeout> | undefined;
let changes = 0;

export function streamStatus(): StreamStatus {
  return status;
}

/** Listens to change notices; returns the unsubscribe. onStatus hears the stream open and drop. */
export function subscribeChanges(onChange: () => void, onStatus: (status: StreamStatus) => void = () => {}): () => void {
  const listener = { onChange, onStatus };
  listeners.add(listener);
  if (listeners.size === 1) document.addEventListener('visibilitychange', followVisibility);
  clearTimeout(closeTimer);
  // Signed in (or as someone else) since it was tried: read the feed with the new credentials,
  // now rather than after a retry delay that a refusal of the old ones may have grown.
  if ((connection || retryTimer !== undefined) && openedAs !== authorization()) disconnect();
  connectIfWanted();
  return () => {
    listeners.delete(listener);
    if (listeners.size > 0) return;
    document.removeEventListener('visibilitychange', followVisibility);
    closeTimer = setTimeout(disconnect, CLOSE_AFTER_MS);
  };
}

function connectIfWanted(): void {
  if (!connection && retryTimer === undefined && listeners.size > 0 && document.visibilityState === 'visible') void connect();
}

function followVisibility(): void {
  clearTimeout(closeTimer);
  if (document.visibilityState === 'visible') connectIfWanted();
  else closeTimer = setTimeout(disconnect, CLOSE_AFTER_MS);
}

function setStatus(next: StreamStatus): void {
  if (next === status) return;
  status = next;
  document.documentElement.dataset.liveStream = next;
  for (const l of [...listeners]) l.onStatus(next);
}

function notify(): void {
  changes++;
  document.documentElement.dataset.liveChanges = String(changes);
  for (const l of [...listeners]) l.onChange();
}

async function connect(): Promise<void> {
  retryTimer = undefined;
  const controller = new AbortController();
  connection = controller;
  openedAs = authorization();
  setStatus('connecting');
  try {
    const headers: Record<string, string> = { accept: 'text/event-stream' };
    if (openedAs) headers.authorization = openedAs;
    const response = await fetch(`${API_BASE}/changes`, { headers, signal: controller.signal, credentials: 'omit', cache: 'no-store' });
    if (!response.ok || !response.body) throw new Error(`HTTP ${response.status}`);
    await readServerEvents(response.body, (event) => {
      if (event.retry !== undefined) retryMs = event.retry;
      if (event.event !== 'change') return;
      failures = 0;
      setStatus('open');
      // The open event too: the views loaded before the stream was there (or while it was
      // down), and what changed in between would otherwise wait for the next notice or poll.
      notify();
    });
  } catch {
    // Refused, unreachable or cut: handled below like a stream the node ended.
  }
  if (controller.signal.aborted || connection !== controller) return;
  connection = null;
  setStatus('down');
  // Doubling from the node's hint, with jitter so that many consoles do not come back at once.
  const delay = Math.min(MAX_RETRY_MS, retryMs * 2 ** failures++) * (0.75 + Math.random() / 2);
  retryTimer = setTimeout(() => {
    retryTimer = undefined;
    connectIfWanted();
  }, delay);
}

function disconnect(): void {
  clearTimeout(retryTimer);
  retryTimer = undefined;
  connection?.abort();
  connection = null;
  failures = 0;
  setStatus('off');
}
