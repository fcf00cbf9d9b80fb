/**
 * The test OAuth server's token endpoint, driven by the Camunda clients' own OAuth code: the
 * token request they send is what it accepts, and what it issues the verifier takes.
 *
 * `@camunda8/sdk` 8.8.13 (OAuthProvider, used by its gRPC and REST clients) posts
 *   content-type: application/x-www-form-urlencoded
 *   audience=<CAMUNDA_ZEEBE_OAUTH_AUDIENCE ?? ZEEBE_TOKEN_AUDIENCE (default zeebe.camunda.io)>
 *   &client_id=<ZEEBE_CLIENT_ID>&client_secret=<ZEEBE_CLIENT_SECRET>&grant_type=client_credentials
 *   [&scope=<CAMUNDA_TOKEN_SCOPE>]
 * to CAMUNDA_OAUTH_URL, and reads access_token (and the JWT's exp) from the JSON answer.
 * `@camunda8/orchestration-cluster-api` 8.8 sends the same fields (CAMUNDA_CLIENT_ID,
 * CAMUNDA_CLIENT_SECRET, CAMUNDA_TOKEN_AUDIENCE, CAMUNDA_OAUTH_SCOPE) and needs expires_in.
 */
import { Auth } from '@camunda8/sdk';
import { createCamundaClient } from '@camunda8/orchestration-cluster-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOidcVerifier } from '../../../src/security/oidc/verifier.js';
import { startTestOAuthServer, type TestOAuthServer } from '../../support/oauth-server.js';

let idp: TestOAuthServer;

beforeAll(async () => {
  idp = await startTestOAuthServer({
    clients: [
      { clientId: 'worker', clientSecret: 'worker-secret' },
      { clientId: 'narrow', clientSecret: 'narrow-secret', audiences: ['operate-api'] },
      { clientId: 'grouped', clientSecret: 'grouped-secret', claims: { groups: ['ops'] } },
    ],
  });
});
afterAll(async () => {
  await idp.stop();
});

function sdkProvider(clientId: string, clientSecret: string, extra: Record<string, unknown> = {}) {
  return new Auth.OAuthProvider({
    config: {
      CAMUNDA_OAUTH_URL: idp.tokenUrl,
      ZEEBE_CLIENT_ID: clientId,
      ZEEBE_CLIENT_SECRET: clientSecret,
      ZEEBE_TOKEN_AUDIENCE: 'zeebe-api',
      CAMUNDA_TOKEN_DISK_CACHE_DISABLE: true,
      CAMUNDA_LOG_LEVEL: 'none',
      ...extra,
    },
  });
}

async function post(body: string | URLSearchParams, headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' }) {
  const res = await fetch(idp.tokenUrl, { method: 'POST', headers, body });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('@camunda8/sdk OAuthProvider', () => {
  it('gets a token the verifier accepts as the client', async () => {
    const before = idp.tokenRequests.length;
    const headers = await sdkProvider('worker', 'worker-secret').getHeaders('ZEEBE');
    const token = String(headers.authorization).replace(/^Bearer /, '');

    const request = idp.tokenRequests[before]!;
    expect(request.contentType).toBe('application/x-www-form-urlencoded');
    expect(request.basicAuth).toBe(false);
    expect(request.form).toEqual({ audience: 'zeebe-api', client_id: 'worker', client_secret: '***', grant_type: 'client_credentials' });

    const verifier = createOidcVerifier({ issuer: idp.issuer, audience: 'zeebe-api' });
    try {
      expect(await verifier.verify(token)).toMatchObject({ kind: 'client', id: 'worker', claims: { aud: 'zeebe-api' } });
    } finally {
      verifier.close();
    }
  });

  it('sends the scope when one is set, and the server gives it back on the token', async () => {
    const before = idp.tokenRequests.length;
    const headers = await sdkProvider('grouped', 'grouped-secret', { CAMUNDA_TOKEN_SCOPE: 'zeebe' }).getHeaders('ZEEBE');
    expect(idp.tokenRequests[before]!.form.scope).toBe('zeebe');
    const verifier = createOidcVerifier({ issuer: idp.issuer, audience: 'zeebe-api', groupsClaim: 'groups' });
    try {
      const principal = await verifier.verify(String(headers.authorization).slice('Bearer '.length));
      expect(principal).toMatchObject({ kind: 'client', id: 'grouped', groups: ['ops'], claims: { scope: 'zeebe' } });
    } finally {
      verifier.close();
    }
  });

  it('a wrong secret gets no token', async () => {
    await expect(sdkProvider('worker', 'wrong', { CAMUNDA_OAUTH_FAIL_ON_ERROR: true }).getHeaders('ZEEBE')).rejects.toThrow(/401|invalid_client/);
  });
});

describe('@camunda8/orchestration-cluster-api', () => {
  it('gets a token the verifier accepts as the client', async () => {
    const before = idp.tokenRequests.length;
    const client = createCamundaClient({
      config: {
        CAMUNDA_REST_ADDRESS: 'http://127.0.0.1:9/v2',
        CAMUNDA_AUTH_STRATEGY: 'OAUTH',
        CAMUNDA_CLIENT_ID: 'worker',
        CAMUNDA_CLIENT_SECRET: 'worker-secret',
        CAMUNDA_OAUTH_URL: idp.tokenUrl,
        CAMUNDA_TOKEN_AUDIENCE: 'zeebe-api',
      } as never,
      env: {},
      log: { level: 'silent' as never },
    });
    const headers = await client.getAuthHeaders();
    const authorization = headers.Authorization ?? headers.authorization;
    expect(authorization).toMatch(/^Bearer /);
    expect(idp.tokenRequests[before]!.form).toEqual({ grant_type: 'client_credentials', client_id: 'worker', client_secret: '***', audience: 'zeebe-api' });
    const verifier = createOidcVerifier({ issuer: idp.issuer, audience: 'zeebe-api' });
    try {
      expect(await verifier.verify(authorization!.slice('Bearer '.length))).toMatchObject({ kind: 'client', id: 'worker' });
    } finally {
      verifier.close();
    }
  });
});

describe('token endpoint', () => {
  it('answers an OAuth token response', async () => {
    const { status, body } = await post(new URLSearchParams({ grant_type: 'client_credentials', client_id: 'worker', client_secret: 'worker-secret' }));
    expect(status).toBe(200);
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 3600, access_token: expect.stringMatching(/^ey[\w-]+\.ey[\w-]+\.[\w-]+$/) });
    const claims = JSON.parse(Buffer.from((body.access_token as string).split('.')[1]!, 'base64url').toString());
    expect(claims).toMatchObject({ iss: idp.issuer, aud: 'zeebe-api', sub: 'worker', azp: 'worker', client_id: 'worker' });
    expect(claims.exp - claims.iat).toBe(3600);
  });

  it('accepts the client in an HTTP Basic header', async () => {
    const { status } = await post(new URLSearchParams({ grant_type: 'client_credentials' }), {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from('worker:worker-secret').toString('base64')}`,
    });
    expect(status).toBe(200);
  });

  it('refuses what RFC 6749 says to refuse', async () => {
    const ok = { grant_type: 'client_credentials', client_id: 'worker', client_secret: 'worker-secret' };
    expect(await post(new URLSearchParams({ ...ok, client_secret: 'nope' }))).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
    expect(await post(new URLSearchParams({ ...ok, client_id: 'ghost' }))).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
    expect(await post(new URLSearchParams({ ...ok, grant_type: 'password' }))).toMatchObject({ status: 400, body: { error: 'unsupported_grant_type' } });
    expect(await post(JSON.stringify(ok), { 'content-type': 'application/json' })).toMatchObject({ status: 400, body: { error: 'invalid_request' } });
    const narrow = { grant_type: 'client_credentials', client_id: 'narrow', client_secret: 'narrow-secret' };
    expect(await post(new URLSearchParams({ ...narrow, audience: 'zeebe-api' }))).toMatchObject({ status: 400, body: { error: 'invalid_target' } });
    expect((await post(new URLSearchParams({ ...narrow, audience: 'operate-api' }))).status).toBe(200);
  });

  it('publishes a discovery document and a key set with the signing key', async () => {
    const doc = (await (await fetch(idp.discoveryUrl)).json()) as Record<string, unknown>;
    expect(doc).toMatchObject({ issuer: idp.issuer, jwks_uri: idp.jwksUrl, token_endpoint: idp.tokenUrl });
    const jwks = (await (await fetch(idp.jwksUrl)).json()) as { keys: Record<string, unknown>[] };
    expect(jwks.keys).toEqual([expect.objectContaining({ kty: 'RSA', kid: idp.currentKid(), alg: 'RS256', use: 'sig' })]);
    expect(jwks.keys[0]).not.toHaveProperty('d');
  });
});
