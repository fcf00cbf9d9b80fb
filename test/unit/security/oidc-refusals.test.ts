import { errors } from 'jose';
import { describe, expect, it } from 'vitest';
import { ZenError } from '../../../src/errors.js';
import { refusal } from '../../../src/security/oidc/refusals.js';

const ctx = { issuer: 'https://idp.example/realms/zen', audience: 'zeebe-api' };

describe('refusal', () => {
  it('jose verdicts on the token are UNAUTHENTICATED with the reason', () => {
    const cases: [unknown, RegExp][] = [
      [new errors.JWTExpired('x', {}, 'exp', 'check_failed'), /^Token has expired$/],
      [new errors.JWTClaimValidationFailed('x', {}, 'nbf', 'check_failed'), /not valid yet/],
      [new errors.JWTClaimValidationFailed('x', {}, 'aud', 'check_failed'), /another audience; expected zeebe-api$/],
      [new errors.JWTClaimValidationFailed('x', {}, 'iss', 'check_failed'), /another issuer; expected https:\/\/idp.example\/realms\/zen$/],
      [new errors.JWTClaimValidationFailed('x', {}, 'iss', 'missing'), /no issuer/],
      [new errors.JWSSignatureVerificationFailed(), /signature is not valid/],
      [new errors.JWKSNoMatchingKey(), /not among the issuer's signing keys/],
      [new errors.JOSEAlgNotAllowed('x'), /allowed algorithm/],
      [new errors.JWSInvalid('x'), /malformed/],
    ];
    for (const [err, message] of cases) {
      const z = refusal(err, ctx);
      expect([z.code, z.message]).toEqual(['UNAUTHENTICATED', expect.stringMatching(message)]);
    }
  });

  it('a ZenError passes through; anything else is INTERNAL, not a refusal', () => {
    const unavailable = new ZenError('UNAVAILABLE', 'issuer down');
    expect(refusal(unavailable, ctx)).toBe(unavailable);
    expect(refusal(new TypeError('boom'), ctx).code).toBe('INTERNAL');
    expect(refusal(undefined, ctx).code).toBe('INTERNAL');
  });
});
