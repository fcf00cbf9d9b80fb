import { createRemoteJWKSet, customFetch, type JWTVerifyGetKey, type RemoteJWKSet } from 'jose';
import { ZenError } from '../../errors.js';
import { displayUrl, fetchFailureReason, requestSignal } from './http.js';
import { WarnThrottle, type WarnLogger } from './warn-throttle.js';

/** Keys are fetched again in the background once they are this old (a removed key stops working). */
export const KEYS_REFRESH_MS = 10 * 60_000;
/** A token whose key id is unknown makes the key set be fetched again, but not more often than this. */
export const UNKNOWN_KEY_COOLDOWN_MS = 30_000;
/** Until the first key set arrives, a failed fetch is answered from memory for this long. */
const FIRST_FETCH_RETRY_MS = 1_000;

/** jose's errors that mean "this token's key is not in the set", not "the set could not be had". */
const TOKEN_KEY_ERRORS = new Set(['ERR_JWKS_NO_MATCHING_KEY', 'ERR_JWKS_MULTIPLE_MATCHING_KEYS', 'ERR_JOSE_NOT_SUPPORTED']);

/**
 * The issuer's signing keys, on top of jose's remote key set (which already fetches again, at
 * most every 30 s, when a token names an unknown key). What this adds: keys never expire on
 * their own, so an issuer that is down does not stop tokens signed with keys already known —
 * they are refreshed in the background instead, and a failed refresh keeps the old set; and a
 * failure to fetch becomes UNAVAILABLE with the reason, never a refusal of the token.
 */
export class IssuerKeys {
  private readonly remote: RemoteJWKSet;
  private loadedAt: number | undefined;
  private lastAttemptAt = 0;
  private lastStatus: number | undefined;
  private firstFailure: { readonly at: number; readonly error: ZenError } | undefined;
  private readonly warnings: WarnThrottle;

  constructor(
    readonly url: URL,
    private readonly closed: AbortSignal,
    logger: WarnLogger | undefined,
    private readonly now: () => number = Date.now,
  ) {
    this.warnings = new WarnThrottle(logger, now);
    this.remote = createRemoteJWKSet(url, {
      cacheMaxAge: Infinity,
      cooldownDuration: UNKNOWN_KEY_COOLDOWN_MS,
      [customFetch]: async (href, init) => {
        this.lastAttemptAt = this.now();
        this.lastStatus = undefined;
        const response = await fetch(href, { ...init, signal: AbortSignal.any([init.signal, requestSignal(closed)]) });
        this.lastStatus = response.status;
        if (response.status === 200) {
          this.loadedAt = this.now();
          return response;
        }
        // jose looks at the status only; an unread body would hold the connection.
        await response.body?.cancel();
        return new Response(null, { status: response.status });
      },
    });
  }

  readonly getKey: JWTVerifyGetKey = async (header, token) => {
    if (this.loadedAt === undefined && this.firstFailure !== undefined && this.now() - this.firstFailure.at < FIRST_FETCH_RETRY_MS) {
      throw this.firstFailure.error;
    }
    this.refreshInBackgroundWhenOld();
    try {
      const key = await this.remote(header, token);
      this.firstFailure = undefined;
      return key;
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      if (typeof code === 'string' && TOKEN_KEY_ERRORS.has(code)) throw err;
      const reason = this.reasonOf(err);
      const error = new ZenError(
        'UNAVAILABLE',
        `OIDC issuer's signing keys at ${displayUrl(this.url)} could not be fetched: ${reason}; tokens cannot be checked until they are`,
      );
      if (!this.closed.aborted) this.warnings.warn({ url: displayUrl(this.url), reason }, 'OIDC signing keys could not be fetched', reason);
      if (this.loadedAt === undefined) this.firstFailure = { at: this.now(), error };
      throw error;
    }
  };

  private reasonOf(err: unknown): string {
    return this.lastStatus !== undefined && this.lastStatus !== 200 ? `answered HTTP ${this.lastStatus}` : fetchFailureReason(err);
  }

  private refreshInBackgroundWhenOld(): void {
    if (this.loadedAt === undefined || this.remote.reloading) return;
    const now = this.now();
    if (now - this.loadedAt < KEYS_REFRESH_MS || now - this.lastAttemptAt < UNKNOWN_KEY_COOLDOWN_MS) return;
    this.remote.reload().catch((err: unknown) => {
      const reason = this.reasonOf(err);
      if (this.closed.aborted) return;
      this.warnings.warn({ url: displayUrl(this.url), reason }, 'OIDC signing keys could not be refreshed; the keys already known stay in use', reason);
    });
  }
}
