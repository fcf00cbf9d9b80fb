import { toZenError, ZenError } from '../../errors.js';

export interface RefusalContext {
  readonly issuer: string;
  readonly audience: string;
}

/**
 * Why a token was refused, from jose's error, in words a client's developer can act on. The
 * messages name the expected issuer and audience (configuration, not secrets) but nothing taken
 * from the token itself: it is the caller's credential, and its claims may be personal data.
 */
export function refusal(err: unknown, ctx: RefusalContext): ZenError {
  if (err instanceof ZenError) return err;
  const { code, claim, reason } = (err ?? {}) as { code?: unknown; claim?: unknown; reason?: unknown };
  // Not jose's verdict on the token but a failure of our own: not the caller's fault, and not to be hidden as a refusal.
  if (typeof code !== 'string' || !code.startsWith('ERR_J')) return toZenError(err);
  switch (code) {
    case 'ERR_JWT_EXPIRED':
      return unauthenticated('Token has expired');
    case 'ERR_JWT_CLAIM_VALIDATION_FAILED':
      return claimRefusal(claim, reason, ctx);
    case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
      return unauthenticated('Token signature is not valid');
    case 'ERR_JWKS_NO_MATCHING_KEY':
      return unauthenticated("Token is signed with a key that is not among the issuer's signing keys");
    case 'ERR_JWKS_MULTIPLE_MATCHING_KEYS':
      return unauthenticated("Token names no key id, and none of the issuer's matching keys verifies it");
    case 'ERR_JOSE_ALG_NOT_ALLOWED':
    case 'ERR_JOSE_NOT_SUPPORTED':
      return unauthenticated('Token is not signed with an allowed algorithm (RS*, PS*, ES*, EdDSA)');
    case 'ERR_JWS_INVALID':
    case 'ERR_JWT_INVALID':
    case 'ERR_JWK_INVALID':
      return malformed();
    default:
      return unauthenticated('Token could not be verified');
  }
}

function claimRefusal(claim: unknown, reason: unknown, ctx: RefusalContext): ZenError {
  const missing = reason === 'missing';
  switch (claim) {
    case 'iss':
      return unauthenticated(missing ? 'Token has no issuer (iss)' : `Token is from another issuer; expected ${ctx.issuer}`);
    case 'aud':
      return unauthenticated(missing ? 'Token has no audience (aud)' : `Token is for another audience; expected ${ctx.audience}`);
    case 'exp':
      return unauthenticated(missing ? 'Token has no expiry (exp)' : 'Token expiry (exp) is not a number');
    case 'nbf':
      return unauthenticated(reason === 'invalid' ? 'Token not-before (nbf) is not a number' : 'Token is not valid yet (nbf)');
    case 'iat':
      return unauthenticated('Token issued-at (iat) is not a number');
    default:
      return unauthenticated('Token claims could not be verified');
  }
}

export function malformed(): ZenError {
  return unauthenticated('Token is malformed: expected a signed JWT (header.payload.signature)');
}

function unauthenticated(message: string): ZenError {
  return new ZenError('UNAUTHENTICATED', message);
}
