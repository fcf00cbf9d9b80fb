/** How long one request to the issuer (discovery document, key set) may take. */
export const FETCH_TIMEOUT_MS = 5_000;

/** A URL as it may appear in a message or log line: without user info, query or fragment. */
export function displayUrl(url: string | URL): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return '(invalid URL)';
  }
}

/** Why a fetch failed, in a few words: undici hides the useful part (ECONNREFUSED…) in `cause`. */
export function fetchFailureReason(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  if (err.name === 'TimeoutError' || err.name === 'JWKSTimeout') return `no answer within ${FETCH_TIMEOUT_MS} ms`;
  const cause = (err as { cause?: unknown }).cause;
  const code = cause !== null && typeof cause === 'object' ? (cause as { code?: unknown }).code : undefined;
  return typeof code === 'string' ? `${err.message} (${code})` : err.message;
}

/** One signal that fires on either the per-request timeout or the verifier's close. */
export function requestSignal(closed: AbortSignal, timeoutMs = FETCH_TIMEOUT_MS): AbortSignal {
  return AbortSignal.any([closed, AbortSignal.timeout(timeoutMs)]);
}
