/**
 * Conditional GETs: the answer to each GET is kept in memory for the tab with the ETag the node
 * sent, and asked for again with If-None-Match; a 304 reads as the 200 it confirms, so the node
 * sends nothing and the page parses the same text. Not the browser's HTTP cache (`cache:
 * 'no-cache'` would revalidate the same way): that writes API answers — variables, user records —
 * to disk, where they outlast the tab the credentials are kept for.
 */

/** Enough for every live view of a page and the pages just left; the oldest used goes first. */
const MAX_KEPT = 200;

interface Kept {
  readonly etag: string;
  readonly body: string;
  readonly contentType: string;
}

const kept = new Map<string, Kept>();

/**
 * A GET through the kept copy; `auth` is part of the key, so no caller is answered from another's
 * copy. `init` should say `cache: 'no-store'`, keeping the browser's cache out of it.
 */
export async function conditionalGet(url: string, init: RequestInit, auth: string | null): Promise<Response> {
  const key = `${auth ?? ''}\u0000${url}`;
  const entry = kept.get(key);
  const headers = new Headers(init.headers);
  if (entry) headers.set('if-none-match', entry.etag);
  const response = await fetch(url, { ...init, method: 'GET', headers });
  kept.delete(key);
  if (response.status === 304 && entry) {
    kept.set(key, entry);
    return new Response(entry.body, { status: 200, headers: { 'content-type': entry.contentType, etag: entry.etag } });
  }
  const etag = response.headers.get('etag');
  if (response.status === 200 && etag) {
    kept.set(key, { etag, body: await response.clone().text(), contentType: response.headers.get('content-type') ?? '' });
    for (const oldest of kept.keys()) {
      if (kept.size <= MAX_KEPT) break;
      kept.delete(oldest);
    }
  }
  return response;
}

/** Drops every kept answer (the session ended: they belong to its user). */
export function forgetKept(): void {
  kept.clear();
}
