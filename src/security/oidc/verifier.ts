import { jwtVerify, type CryptoKey, type JWTPayload, type JWTVerifyGetKey, type JWTVerifyOptions } from 'jose';
import { ZenError } from '../../errors.js';
import type { Principal } from '../../node/principal.js';
import { Discovery, issuerBase } from './discovery.js';
import { IssuerKeys } from './key-set.js';
import { principalFromClaims } from './principal-claims.js';
import { malformed, refusal } from './refusals.js';
import { TokenCache } from './token-cache.js';

export interface OidcVerifierOptions {
  readonly issuer: string; // discovery at `${issuer}/.well-known/openid-configuration`
  readonly audience: string;
  readonly jwksUrl?: string; // skips discovery's jwks_uri when given
  readonly usernameClaim?: string; // default 'sub'
  readonly clientIdClaim?: string; // default 'azp', then 'client_id'
  readonly groupsClaim?: string; // optional; array of strings or a single string
  readonly clockToleranceSeconds?: number; // default 60
  readonly cacheSize?: number; // verified tokens kept (by SHA-256 of the token) until exp
  readonly logger?: { warn(obj: object, msg: string): void };
}

export interface OidcVerifier {
  /** The principal of a valid bearer token; ZenError UNAUTHENTICATED if refused, UNAVAILABLE if the issuer cannot be reached. */
  verify(token: string): Promise<Principal>;
  close(): void;
}

const DEFAULT_CLOCK_TOLERANCE_SECONDS = 60;
const DEFAULT_CACHE_SIZE = 10_000;
/** Larger than any token an IdP issues (Entra caps group lists to keep tokens small); bounds the work a junk header costs. */
const MAX_TOKEN_LENGTH = 16 * 1024;
/** Asymmetric algorithms only: a key set holds public keys, and `none` or HS* must never verify. */
const ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519'];
// The signature may be empty here so that an unsigned (`alg: none`) token is refused for its algorithm, by name.
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

export function createOidcVerifier(options: OidcVerifierOptions): OidcVerifier {
  const issuer = options.issuer;
  const clockTolerance = options.clockToleranceSeconds ?? DEFAULT_CLOCK_TOLERANCE_SECONDS;
  validate(options, clockTolerance);

  const lifetime = new AbortController();
  const cache = new TokenCache(options.cacheSize ?? DEFAULT_CACHE_SIZE);
  const inFlight = new Map<string, Promise<Principal>>();
  const discovery = options.jwksUrl === undefined ? new Discovery(issuer, lifetime.signal, options.logger) : undefined;
  // Made once: concurrent first calls share the discovery and then the one key set.
  let keys: Promise<IssuerKeys> | undefined =
    options.jwksUrl === undefined ? undefined : Promise.resolve(new IssuerKeys(new URL(options.jwksUrl), lifetime.signal, options.logger));

  // The `iss` must be the configured issuer; written with or without a trailing slash, it is the same one.
  const base = issuerBase(issuer);
  const verifyOptions: JWTVerifyOptions = {
    issuer: [base, `${base}/`],
    audience: options.audience,
    algorithms: ALGORITHMS,
    clockTolerance,
    requiredClaims: ['exp'],
  };
  const context = { issuer, audience: options.audience };

  const keyResolver = async (): Promise<JWTVerifyGetKey> => {
    if (keys === undefined) {
      const made = discovery!.jwksUri().then((url) => new IssuerKeys(url, lifetime.signal, options.logger));
      keys = made;
      // A failed discovery is not kept: the next call asks Discovery again (which paces the attempts).
      made.catch(() => {
        if (keys === made) keys = undefined;
      });
    }
    return (await keys).getKey;
  };

  const verifyUncached = async (token: string, key: string): Promise<Principal> => {
    let payload: JWTPayload;
    try {
      payload = await verifySignatureAndClaims(token, await keyResolver(), verifyOptions);
    } catch (err) {
      throw refusal(err, context);
    }
    const principal = principalFromClaims(payload, options);
    cache.set(key, principal, ((payload.exp as number) + clockTolerance) * 1000);
    return principal;
  };

  return {
    async verify(token: string): Promise<Principal> {
      if (lifetime.signal.aborted) throw new ZenError('UNAVAILABLE', 'OIDC token verifier is closed');
      if (typeof token !== 'string' || token.length === 0) throw malformed();
      if (token.length > MAX_TOKEN_LENGTH) throw new ZenError('UNAUTHENTICATED', `Token is longer than ${MAX_TOKEN_LENGTH} characters`);

      const key = TokenCache.keyOf(token);
      const cached = cache.get(key);
      if (cached !== undefined) return cached;
      if (!COMPACT_JWS.test(token)) throw malformed();
      // A worker's first calls come all at once with one new token: verify it once for all of them.
      let pending = inFlight.get(key);
      if (pending === undefined) {
        pending = verifyUncached(token, key).finally(() => inFlight.delete(key));
        inFlight.set(key, pending);
      }
      return pending;
    },
    close(): void {
      lifetime.abort();
      cache.clear();
      inFlight.clear();
    },
  };
}

/**
 * jwtVerify, plus the case jose leaves to its caller: a token without a key id while the issuer
 * publishes several keys of its kind. Each candidate is tried; the first that verifies wins.
 */
async function verifySignatureAndClaims(token: string, getKey: JWTVerifyGetKey, verifyOptions: JWTVerifyOptions): Promise<JWTPayload> {
  try {
    return (await jwtVerify(token, getKey, verifyOptions)).payload;
  } catch (err) {
    if ((err as { code?: unknown }).code !== 'ERR_JWKS_MULTIPLE_MATCHING_KEYS') throw err;
    for await (const candidate of err as AsyncIterable<CryptoKey>) {
      try {
        return (await jwtVerify(token, candidate, verifyOptions)).payload;
      } catch (inner) {
        if ((inner as { code?: unknown }).code !== 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED') throw inner;
      }
    }
    throw err;
  }
}

function validate(options: OidcVerifierOptions, clockTolerance: number): void {
  const url = (name: string, value: string) => {
    let parsed: URL;
    try {
      parsed = new URL(value);
    } catch {
      throw new ZenError('INVALID_ARGUMENT', `OIDC ${name} must be an absolute http(s) URL`);
    }
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
      throw new ZenError('INVALID_ARGUMENT', `OIDC ${name} must be an absolute http(s) URL`);
    }
  };
  url('issuer', options.issuer);
  if (options.jwksUrl !== undefined) url('JWKS URL', options.jwksUrl);
  if (options.audience.length === 0) throw new ZenError('INVALID_ARGUMENT', 'OIDC audience must not be empty');
  if (!Number.isFinite(clockTolerance) || clockTolerance < 0) {
    throw new ZenError('INVALID_ARGUMENT', 'OIDC clock tolerance must be a number of seconds, 0 or more');
  }
  if (options.cacheSize !== undefined && (!Number.isInteger(options.cacheSize) || options.cacheSize < 0)) {
    throw new ZenError('INVALID_ARGUMENT', 'OIDC token cache size must be a whole number, 0 or more');
  }
  for (const [name, value] of [
    ['username claim', options.usernameClaim],
    ['client id claim', options.clientIdClaim],
    ['groups claim', options.groupsClaim],
  ] as const) {
    if (value !== undefined && (value.length === 0 || value === '$.')) throw new ZenError('INVALID_ARGUMENT', `OIDC ${name} must not be empty`);
  }
}
