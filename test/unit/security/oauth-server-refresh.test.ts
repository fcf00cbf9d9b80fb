/**
 * The test provider's refresh tokens (test/support/oauth-server.ts), which Zen Console's OIDC
 * session renews itself with: issued with the code, good once (each refresh hands out a new
 * one), only to the client they were issued to, and gone when revoked.
 */
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOidcVerifier } from '../../../src/security/oidc/verifier.js';
import { startTestOAuthServer, type TestOAuthServer } from '../../support/oauth-server.js';

const CLIENT = 'console';
const REDIRECT = 'http://127.0.0.1:1/ui/callback';
let idp: TestOAuthServer;

beforeAll(async () => {
  idp = await startTestOAuthServer({ publicClients: [{ clientId: CLIENT, redirectUris: [REDIRECT] }, { clientId: 'other', redirectUris: [REDIRECT] }], signInAs: { username: 'alice' } });
});
afterAll(async () => {
  await idp.stop();
});

async function token(form: Record<string, string>): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(idp.tokenUrl, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form) });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** The code flow with PKCE, as the console runs it. */
async function signIn(): Promise<Record<string, unknown>> {
  const verifier = randomBytes(32).toString('base64url');
  const url = new URL(idp.authorizeUrl);
  url.search = new URLSearchParams({ response_type: 'code', client_id: CLIENT, redirect_uri: REDIRECT, scope: 'openid profile', state: 's', code_challenge: createHash('sha256').update(verifier).digest('base64url'), code_challenge_method: 'S256' }).toString();
  const redirect = await fetch(url, { redirect: 'manual' });
  const code = new URL(redirect.headers.get('location')!).searchParams.get('code')!;
  const answer = await token({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT, client_id: CLIENT, code_verifier: verifier });
  expect(answer.status).toBe(200);
  return answer.body;
}

describe('refresh tokens of the test provider', () => {
  it('come with the code, and renew the user\'s token once each', async () => {
    const first = await signIn();
    expect(first.refresh_token).toEqual(expect.any(String));
    const renewed = await token({ grant_type: 'refresh_token', refresh_token: first.refresh_token as string, client_id: CLIENT });
    expect(renewed.status).toBe(200);
    expect(renewed.body).toMatchObject({ token_type: 'Bearer', expires_in: 3600 });
    expect(renewed.body.refresh_token).not.toBe(first.refresh_token);
    const verifier = createOidcVerifier({ issuer: idp.issuer, audience: 'zeebe-api' });
    expect((await verifier.verify(renewed.body.access_token as string)).id).toBe('alice');
    // Used once already: refused.
    const again = await token({ grant_type: 'refresh_token', refresh_token: first.refresh_token as string, client_id: CLIENT });
    expect(again).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
  });

  it('renew only for the client they were issued to', async () => {
    const { refresh_token } = await signIn();
    expect(await token({ grant_type: 'refresh_token', refresh_token: refresh_token as string, client_id: 'other' })).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
  });

  it('stop working when revoked', async () => {
    const { refresh_token } = await signIn();
    idp.revokeRefreshTokens();
    expect(await token({ grant_type: 'refresh_token', refresh_token: refresh_token as string, client_id: CLIENT })).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
  });
});
