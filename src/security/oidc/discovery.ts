import { ZenError } from '../../errors.js';
import { displayUrl, fetchFailureReason, requestSignal } from './http.js';
import { WarnThrottle, type WarnLogger } from './warn-throttle.js';

/** What is wrong with a document that did arrive, worded to follow "its discovery document". */
class DocumentProblem extends Error {}

/** After a failed attempt, calls fail at once with its message for this long before the next attempt. */
export const DISCOVERY_RETRY_MS = 1_000;

/** The issuer without a trailing slash: Keycloak names issuers without one, Auth0 with one. */
export function issuerBase(issuer: string): string {
  return issuer.endsWith('/') ? issuer.slice(0, -1) : issuer;
}

/**
 * The issuer's key set address, read from its discovery document the first time a token needs
 * it (an issuer that is down when the node starts does not stop the node). While the document
 * cannot be had, calls fail UNAVAILABLE — the token may be fine, and clients retry UNAVAILABLE
 * where they would give up on UNAUTHENTICATED — and a new attempt is made at most once a second.
 */
export class Discovery {
  readonly documentUrl: string;
  private found: URL | undefined;
  private pending: Promise<URL> | undefined;
  private lastFailure: { readonly at: number; readonly error: ZenError } | undefined;
  private readonly warnings: WarnThrottle;

  constructor(
    private readonly issuer: string,
    private readonly closed: AbortSignal,
    logger: WarnLogger | undefined,
    private readonly now: () => number = Date.now,
  ) {
    this.warnings = new WarnThrottle(logger, now);
    this.documentUrl = `${issuerBase(issuer)}/.well-known/openid-configuration`;
  }

  jwksUri(): Promise<URL> {
    if (this.found !== undefined) return Promise.resolve(this.found);
    if (this.pending !== undefined) return this.pending;
    if (this.lastFailure !== undefined && this.now() - this.lastFailure.at < DISCOVERY_RETRY_MS) {
      return Promise.reject(this.lastFailure.error);
    }
    this.pending = this.fetchDocument().then(
      (uri) => {
        this.found = uri;
        this.lastFailure = undefined;
        this.pending = undefined;
        return uri;
      },
      (err: unknown) => {
        const reason = err instanceof DocumentProblem ? err.message : `could not be fetched: ${fetchFailureReason(err)}`;
        const error = new ZenError(
          'UNAVAILABLE',
          `OIDC issuer ${displayUrl(this.issuer)} cannot be used yet: its discovery document ${displayUrl(this.documentUrl)} ${reason}; tokens cannot be checked until it can be read`,
        );
        this.lastFailure = { at: this.now(), error };
        this.pending = undefined;
        if (!this.closed.aborted) {
          this.warnings.warn({ issuer: displayUrl(this.issuer), url: displayUrl(this.documentUrl), reason }, 'OIDC discovery failed', reason);
        }
        throw error;
      },
    );
    return this.pending;
  }

  /** Resolves to the jwks_uri; rejects with a DocumentProblem, or the fetch's own error. */
  private async fetchDocument(): Promise<URL> {
    let body: unknown;
    try {
      const response = await fetch(this.documentUrl, {
        headers: { accept: 'application/json' },
        redirect: 'manual',
        signal: requestSignal(this.closed),
      });
      if (response.status !== 200) {
        await response.body?.cancel();
        throw new DocumentProblem(`answered HTTP ${response.status}`);
      }
      body = await response.json();
    } catch (err) {
      if (err instanceof SyntaxError) throw new DocumentProblem('is not JSON');
      throw err;
    }
    if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new DocumentProblem('is not a JSON object');
    const { issuer, jwks_uri: jwksUri } = body as Record<string, unknown>;
    // OpenID Connect Discovery §4.3: the document must name the issuer it was asked for, or an
    // attacker who controls the document could point at keys of their choosing.
    if (typeof issuer !== 'string' || issuerBase(issuer) !== issuerBase(this.issuer)) {
      throw new DocumentProblem(`names issuer ${typeof issuer === 'string' ? displayUrl(issuer) : '(none)'}, not the configured one`);
    }
    if (typeof jwksUri !== 'string') throw new DocumentProblem('has no jwks_uri');
    let url: URL;
    try {
      url = new URL(jwksUri);
    } catch {
      throw new DocumentProblem('has a jwks_uri that is not a URL');
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new DocumentProblem('has a jwks_uri that is not http(s)');
    return url;
  }
}
