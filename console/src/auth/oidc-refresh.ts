/**
 * Keeping an OIDC session without sending the user back through the provider: when the provider
 * hands out a refresh token with the code (Keycloak does for any client; Auth0, Okta and Entra
 * only with the `offline_access` scope, which the console does not ask for), a new access token
 * is fetched shortly before the current one expires, and at once when the node refuses one.
 * Without a refresh token, or when the provider refuses it, the old way stays: a refused token
 * ends the session and the app goes to the provider. The refresh token lives where the access
 * token does (sessionStorage: this tab only); the provider's rotation makes each good once.
 */
import { storeAuthorization } from './session';

const KEY = 'zen.oidc.refresh';
/** How long before expiry to renew: a fifth of the lifetime, at most a minute. */
const MARGIN_MS = 60_000;
const MARGIN_SHARE = 0.2;
/** Never sooner than this after the last renewal, whatever the lifetime says (no hot loop). */
const MIN_DELAY_MS = 1000;
/** Timers wait at most this long (longer ones fire at once in browsers): a later one is planned then. */
const MAX_DELAY_MS = 24 * 60 * 60 * 1000;

interface Kept {
  readonly tokenEndpoint: string;
  readonly clientId: string;
  readonly refreshToken: string;
  /** Epoch ms the access token was issued at and expires at (from expires_in); 0 when not told. */
  readonly issuedAt: number;
  readonly expiresAt: number;
}

export interface TokenAnswer {
  readonly access_token?: string;
  readonly refresh_token?: string;
  readonly id_token?: string;
  readonly expires_in?: number;
  readonly error?: string;
  readonly error_description?: string;
}

let timer: ReturnType<typeof setTimeout> | undefined;
let running: Promise<boolean> | null = null;
/** Told of a new ID token (for the provider's logout). */
let onIdToken: (idToken: string) => void = () => {};

function read(): Kept | null {
  try {
    const raw = sessionStorage.getItem(KEY);
    return raw ? (JSON.parse(raw) as Kept) : null;
  } catch {
    return null;
  }
}

function write(kept: Kept | null): void {
  try {
    if (kept) sessionStorage.setItem(KEY, JSON.stringify(kept));
    else sessionStorage.removeItem(KEY);
  } catch {
    // Storage refused: no refresh; a refused token then goes through the provider.
  }
}

/** After the code was traded (or a refresh): keeps what renews the session, and plans the renewal. */
export function keepTokens(tokens: TokenAnswer, provider: { readonly tokenEndpoint: string; readonly clientId: string }, previousRefreshToken?: string): void {
  // A provider without rotation answers no new refresh token: the old one stays good.
  const refreshToken = tokens.refresh_token ?? previousRefreshToken;
  if (!refreshToken) {
    stopRefreshing();
    return;
  }
  const now = Date.now();
  const lifetime = typeof tokens.expires_in === 'number' ? tokens.expires_in * 1000 : 0;
  write({ tokenEndpoint: provider.tokenEndpoint, clientId: provider.clientId, refreshToken, issuedAt: now, expiresAt: lifetime > 0 ? now + lifetime : 0 });
  scheduleRefresh();
}

export const setIdTokenListener = (listener: (idToken: string) => void) => {
  onIdToken = listener;
};

/** Plans the next renewal from what is kept (after a page load too); none without an expiry. */
export function scheduleRefresh(): void {
  clearTimeout(timer);
  timer = undefined;
  const kept = read();
  if (!kept || kept.expiresAt === 0) return;
  const lifetime = kept.expiresAt - kept.issuedAt;
  const due = kept.expiresAt - Math.min(MARGIN_MS, lifetime * MARGIN_SHARE);
  const wait = due - Date.now();
  if (wait > MAX_DELAY_MS) {
    timer = setTimeout(scheduleRefresh, MAX_DELAY_MS);
    return;
  }
  timer = setTimeout(() => void refreshSession(), Math.max(MIN_DELAY_MS, wait));
}

export function stopRefreshing(): void {
  clearTimeout(timer);
  timer = undefined;
  write(null);
}

export const canRefresh = (): boolean => read() !== null;

/**
 * Trades the refresh token for a new access token, which becomes the session's header. Once at a
 * time: callers at the same moment (a timer, several refused requests) share one trade, as a
 * rotated refresh token is good only once. False when there is none or the provider refused it.
 */
export function refreshSession(): Promise<boolean> {
  running ??= trade().finally(() => {
    running = null;
  });
  return running;
}

async function trade(): Promise<boolean> {
  const kept = read();
  if (!kept) return false;
  let tokens: TokenAnswer;
  try {
    const response = await fetch(kept.tokenEndpoint, {
      method: 'POST',
      credentials: 'omit',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: kept.refreshToken, client_id: kept.clientId }),
    });
    tokens = (await response.json().catch(() => ({}))) as TokenAnswer;
    if (!response.ok || !tokens.access_token) throw new Error(tokens.error_description ?? tokens.error ?? `HTTP ${response.status}`);
  } catch {
    // Refused (revoked, expired, the provider's session ended) or unreachable: the provider decides next time.
    stopRefreshing();
    return false;
  }
  storeAuthorization(`Bearer ${tokens.access_token}`);
  if (tokens.id_token) onIdToken(tokens.id_token);
  keepTokens(tokens, kept, kept.refreshToken);
  return true;
}
