/**
 * A small OpenID provider for tests, on loopback: an RS256 key pair made at start, a discovery
 * document, a key set (JWKS) and a client-credentials token endpoint that accepts what the
 * Camunda SDKs send (form body with client_id, client_secret, audience and optional scope; or
 * the client in an HTTP Basic header). Tests also mint tokens directly: expired, for another
 * audience or issuer, signed by a key the issuer never published, unsigned, users with groups.
 *
 *   const idp = await startTestOAuthServer({ clients: [{ clientId: 'worker', clientSecret: 's3cret' }] });
 *   // node: --oidc-issuer idp.issuer --oidc-audience zeebe-api
 *   // SDK:  CAMUNDA_OAUTH_URL=idp.tokenUrl ZEEBE_CLIENT_ID=worker ZEEBE_CLIENT_SECRET=s3cret ZEEBE_TOKEN_AUDIENCE=zeebe-api
 *
 * For a browser's sign-in (Zen Console): `publicClients` may use the authorization code flow
 * with PKCE (S256 only). /authorize approves at once as `signInAs` (no login form), redirecting
 * to a registered redirect URI with a code; the token endpoint checks the verifier and
 * redirect URI and issues that user's token, with a refresh token as Keycloak does for the code
 * flow (no `offline_access` needed). A refresh token is good once: the `refresh_token` grant
 * answers a new access token and a new refresh token (rotation, as Auth0 and Keycloak can).
 * Discovery and token answer CORS, as providers do.
 */
import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, UnsecuredJWT, type CryptoKey, type JWK } from 'jose';

export interface TestOAuthClient {
  readonly clientId: string;
  readonly clientSecret: string;
  /** Audiences the client may ask for; any when not given. */
  readonly audiences?: readonly string[];
  /** Further claims put on this client's tokens (e.g. `groups`). */
  readonly claims?: Readonly<Record<string, unknown>>;
}

export interface TestPublicClient {
  readonly clientId: string;
  readonly redirectUris: readonly string[];
}

export interface TestOAuthServerOptions {
  readonly clients?: readonly TestOAuthClient[];
  /** Clients without a secret that sign people in with the authorization code flow and PKCE. */
  readonly publicClients?: readonly TestPublicClient[];
  /** Who /authorize signs in, without asking (default `alice`); changeable through `signInAs`. */
  readonly signInAs?: { readonly username: string; readonly name?: string; readonly groups?: readonly string[] };
  /** The `aud` of a token whose request names no audience (default `zeebe-api`). */
  readonly defaultAudience?: string;
  /** Lifetime of tokens from the token endpoint, in seconds (default 3600). */
  readonly tokenLifetimeSeconds?: number;
  /** Path of the issuer under the server's origin (default `/realms/zen`, Keycloak-like). */
  readonly issuerPath?: string;
  /** Lifetime of refresh tokens, in seconds (default 1800). */
  readonly refreshTokenLifetimeSeconds?: number;
}

export interface MintOptions {
  /** Claims of the token; `iss`, `aud`, `iat`, `exp` and `jti` are filled in unless given here. */
  readonly claims?: Readonly<Record<string, unknown>>;
  readonly issuer?: string;
  readonly audience?: string | string[];
  /** Seconds from now; negative for a token that has expired (default 300). */
  readonly expiresIn?: number;
  /** Seconds from now for `nbf` (a token not valid yet when positive). */
  readonly notBefore?: number;
  /** Which key signs: the current published one (default), one the issuer never published, or a published one by kid. */
  readonly key?: 'current' | 'unpublished' | { readonly kid: string };
  /** Leave the `kid` out of the header. */
  readonly omitKid?: boolean;
}

interface SigningKey {
  readonly kid: string;
  readonly privateKey: CryptoKey;
  readonly publicJwk: JWK;
}

export interface TestOAuthServer {
  readonly issuer: string;
  readonly discoveryUrl: string;
  readonly jwksUrl: string;
  readonly tokenUrl: string;
  readonly port: number;
  /** Requests served per endpoint since start. */
  readonly hits: { discovery: number; jwks: number; token: number; authorize: number };
  readonly authorizeUrl: string;
  /** The person /authorize signs in next. */
  signInAs: { username: string; name?: string; groups?: readonly string[] };
  /** Lifetime of tokens the token endpoint issues from now on, in seconds (negative: already expired). */
  tokenLifetimeSeconds: number;
  /** Forgets every refresh token issued so far (the provider's session ended): refreshing then fails with invalid_grant. */
  revokeRefreshTokens(): void;
  /** Registers one more redirect URI for a public client (a node's console URL is known only once it listens). */
  addRedirectUri(clientId: string, uri: string): void;
  /** Form fields of every token request (client_secret replaced by `***`), with the content type and whether Basic auth was used. */
  readonly tokenRequests: { readonly contentType: string | undefined; readonly basicAuth: boolean; readonly form: Record<string, string> }[];
  /** Make an endpoint answer 503 until set back to false. */
  readonly failing: { discovery: boolean; jwks: boolean; token: boolean };
  /** Misbehaviour on purpose: a discovery document that names another issuer. */
  readonly tamper: { discoveryIssuer: string | undefined };
  /** Kid of the key new tokens are signed with. */
  currentKid(): string;
  mint(options?: MintOptions): Promise<string>;
  /** A token from the client-credentials grant, as the token endpoint would issue it. */
  clientToken(clientId: string, options?: Omit<MintOptions, 'claims'> & { readonly claims?: Readonly<Record<string, unknown>> }): Promise<string>;
  /** A person's token: `sub` and `preferred_username` are the username, `azp` the app they signed in through. */
  userToken(username: string, options?: Omit<MintOptions, 'claims'> & { readonly groups?: readonly string[]; readonly claims?: Readonly<Record<string, unknown>> }): Promise<string>;
  /** An `alg: none` token with these claims (standard ones filled in). */
  unsignedToken(options?: Omit<MintOptions, 'key' | 'omitKid'>): string;
  /** Publish a new key and sign with it from now on; the old one stays published unless retired. */
  rotateKey(options?: { readonly retireOld?: boolean }): Promise<string>;
  /** Stop listening (calls to the issuer then fail to connect); `start` brings it back on the same port. */
  stop(): Promise<void>;
  start(): Promise<void>;
}

async function newKey(): Promise<SigningKey> {
  const { publicKey, privateKey } = await generateKeyPair('RS256', { extractable: true });
  const kid = randomUUID();
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
  return { kid, privateKey, publicJwk };
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers });
  res.end(JSON.stringify(body));
}

export async function startTestOAuthServer(options: TestOAuthServerOptions = {}): Promise<TestOAuthServer> {
  const clients = new Map((options.clients ?? []).map((c) => [c.clientId, c]));
  const defaultAudience = options.defaultAudience ?? 'zeebe-api';
  let lifetime = options.tokenLifetimeSeconds ?? 3600;
  const issuerPath = options.issuerPath ?? '/realms/zen';

  let published: SigningKey[] = [await newKey()];
  let current = published[0]!;
  const unpublished = await newKey();

  const hits = { discovery: 0, jwks: 0, token: 0, authorize: 0 };
  const publicClients = new Map((options.publicClients ?? []).map((c) => [c.clientId, { clientId: c.clientId, redirectUris: [...c.redirectUris] }]));
  const person = { signInAs: { ...(options.signInAs ?? { username: 'alice' }) } as { username: string; name?: string; groups?: readonly string[] } };
  /** Codes issued and not yet used: one use each, a minute at most. */
  const codes = new Map<string, { clientId: string; redirectUri: string; challenge: string; username: string; name?: string; groups?: readonly string[]; scope: string; audience: string; expires: number }>();
  /** Refresh tokens issued and not yet used, with whom and what they renew. */
  const refreshTokens = new Map<string, { clientId: string; claims: Record<string, unknown>; scope: string; audience: string; expires: number }>();
  const refreshLifetime = options.refreshTokenLifetimeSeconds ?? 1800;
  const failing = { discovery: false, jwks: false, token: false };
  const tamper: { discoveryIssuer: string | undefined } = { discoveryIssuer: undefined };
  const tokenRequests: TestOAuthServer['tokenRequests'] = [];
  let issuer = '';
  let port = 0;

  const paths = {
    discovery: `${issuerPath}/.well-known/openid-configuration`,
    jwks: `${issuerPath}/protocol/openid-connect/certs`,
    token: `${issuerPath}/protocol/openid-connect/token`,
    authorize: `${issuerPath}/protocol/openid-connect/auth`,
  };
  const CORS = { 'access-control-allow-origin': '*' };

  const sign = async (opts: MintOptions, defaults: Record<string, unknown>): Promise<string> => {
    const key = opts.key === 'unpublished' ? unpublished : opts.key === undefined || opts.key === 'current' ? current : published.find((k) => k.kid === (opts.key as { kid: string }).kid);
    if (key === undefined) throw new Error('no published key with that kid');
    const now = Math.floor(Date.now() / 1000);
    const claims = {
      iss: opts.issuer ?? issuer,
      aud: opts.audience ?? defaultAudience,
      iat: now,
      exp: now + (opts.expiresIn ?? 300),
      jti: randomUUID(),
      ...(opts.notBefore === undefined ? {} : { nbf: now + opts.notBefore }),
      ...defaults,
      ...opts.claims,
    };
    const header = opts.omitKid ? { alg: 'RS256', typ: 'JWT' } : { alg: 'RS256', typ: 'JWT', kid: key.kid };
    return new SignJWT(claims).setProtectedHeader(header).sign(key.privateKey);
  };

  const handleToken = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (req.method !== 'POST') return json(res, 405, { error: 'invalid_request', error_description: 'POST only' });
    const contentType = req.headers['content-type'];
    const body = await readBody(req);
    const form = Object.fromEntries(new URLSearchParams(body));
    let clientId = form.client_id;
    let clientSecret = form.client_secret;
    const authorization = req.headers.authorization;
    const basicAuth = authorization?.startsWith('Basic ') ?? false;
    if (basicAuth) {
      const decoded = Buffer.from(authorization!.slice(6), 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      clientId = decodeURIComponent(decoded.slice(0, colon));
      clientSecret = decodeURIComponent(decoded.slice(colon + 1));
    }
    tokenRequests.push({ contentType, basicAuth, form: { ...form, ...(form.client_secret === undefined ? {} : { client_secret: '***' }) } });

    if (!contentType?.startsWith('application/x-www-form-urlencoded')) {
      return json(res, 400, { error: 'invalid_request', error_description: 'expected a form body' });
    }
    if (form.grant_type === 'authorization_code') return handleCodeGrant(form, res);
    if (form.grant_type === 'refresh_token') return handleRefreshGrant(form, res);
    if (form.grant_type !== 'client_credentials') {
      return json(res, 400, { error: 'unsupported_grant_type', error_description: 'only client_credentials, authorization_code and refresh_token' });
    }
    const client = clientId === undefined ? undefined : clients.get(clientId);
    if (client === undefined || clientSecret === undefined || !sameSecret(clientSecret, client.clientSecret)) {
      return json(res, 401, { error: 'invalid_client', error_description: 'unknown client or wrong secret' }, basicAuth ? { 'www-authenticate': 'Basic realm="test"' } : {});
    }
    const audience = form.audience === undefined || form.audience === '' ? defaultAudience : form.audience;
    if (client.audiences !== undefined && !client.audiences.includes(audience)) {
      return json(res, 400, { error: 'invalid_target', error_description: 'audience not allowed for this client' });
    }
    const accessToken = await sign(
      { audience, expiresIn: lifetime },
      { sub: client.clientId, azp: client.clientId, client_id: client.clientId, ...(form.scope ? { scope: form.scope } : {}), ...client.claims },
    );
    json(res, 200, { access_token: accessToken, token_type: 'Bearer', expires_in: lifetime, ...(form.scope ? { scope: form.scope } : {}) });
  };

  const handleCodeGrant = async (form: Record<string, string>, res: ServerResponse): Promise<void> => {
    const code = form.code === undefined ? undefined : codes.get(form.code);
    if (form.code !== undefined) codes.delete(form.code);
    if (code === undefined || code.expires < Date.now()) return json(res, 400, { error: 'invalid_grant', error_description: 'unknown, used or expired code' }, CORS);
    if (form.client_id !== code.clientId) return json(res, 400, { error: 'invalid_grant', error_description: 'code issued to another client' }, CORS);
    if (form.redirect_uri !== code.redirectUri) return json(res, 400, { error: 'invalid_grant', error_description: 'redirect_uri differs from the authorization request' }, CORS);
    const challenge = form.code_verifier === undefined ? '' : createHash('sha256').update(form.code_verifier).digest('base64url');
    if (challenge !== code.challenge) return json(res, 400, { error: 'invalid_grant', error_description: 'PKCE verifier does not match the challenge' }, CORS);
    const claims = {
      sub: code.username,
      preferred_username: code.username,
      azp: code.clientId,
      scope: code.scope,
      ...(code.name === undefined ? {} : { name: code.name }),
      ...(code.groups === undefined ? {} : { groups: code.groups }),
    };
    await issuePersonTokens(res, { clientId: code.clientId, claims, scope: code.scope, audience: code.audience });
  };

  /** An access token, an ID token and a refresh token that renews them. */
  const issuePersonTokens = async (res: ServerResponse, grant: { clientId: string; claims: Record<string, unknown>; scope: string; audience: string }): Promise<void> => {
    const accessToken = await sign({ audience: grant.audience, expiresIn: lifetime }, grant.claims);
    const idToken = await sign({ audience: grant.clientId, expiresIn: lifetime }, grant.claims);
    const refreshToken = randomUUID();
    refreshTokens.set(refreshToken, { ...grant, expires: Date.now() + refreshLifetime * 1000 });
    json(res, 200, { access_token: accessToken, id_token: idToken, refresh_token: refreshToken, token_type: 'Bearer', expires_in: lifetime, refresh_expires_in: refreshLifetime, scope: grant.scope }, CORS);
  };

  const handleRefreshGrant = async (form: Record<string, string>, res: ServerResponse): Promise<void> => {
    const grant = form.refresh_token === undefined ? undefined : refreshTokens.get(form.refresh_token);
    // Good once: a second use of the same token is refused, as rotation does.
    if (form.refresh_token !== undefined) refreshTokens.delete(form.refresh_token);
    if (grant === undefined || grant.expires < Date.now()) return json(res, 400, { error: 'invalid_grant', error_description: 'unknown, used, revoked or expired refresh token' }, CORS);
    if (form.client_id !== grant.clientId) return json(res, 400, { error: 'invalid_grant', error_description: 'refresh token issued to another client' }, CORS);
    await issuePersonTokens(res, grant);
  };

  const handleAuthorize = (url: URL, res: ServerResponse): void => {
    const q = Object.fromEntries(url.searchParams);
    const client = q.client_id === undefined ? undefined : publicClients.get(q.client_id);
    // A redirect URI not registered gets no redirect: the error is shown here, as providers do.
    if (client === undefined || q.redirect_uri === undefined || !client.redirectUris.includes(q.redirect_uri)) {
      res.writeHead(400, { 'content-type': 'text/plain' });
      res.end('unknown client or redirect_uri');
      return;
    }
    const back = new URL(q.redirect_uri);
    if (q.state !== undefined) back.searchParams.set('state', q.state);
    if (q.response_type !== 'code' || q.code_challenge_method !== 'S256' || !q.code_challenge) {
      back.searchParams.set('error', 'invalid_request');
      back.searchParams.set('error_description', 'response_type code with an S256 code_challenge is required');
    } else {
      const code = randomUUID();
      const who = person.signInAs;
      codes.set(code, { clientId: client.clientId, redirectUri: q.redirect_uri, challenge: q.code_challenge, ...who, scope: q.scope ?? 'openid', audience: q.audience || defaultAudience, expires: Date.now() + 60_000 });
      back.searchParams.set('code', code);
    }
    res.writeHead(302, { location: back.toString(), 'cache-control': 'no-store' });
    res.end();
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname;
    if (req.method === 'OPTIONS') {
      res.writeHead(204, { ...CORS, 'access-control-allow-methods': 'GET, POST', 'access-control-allow-headers': 'content-type, accept, authorization' });
      res.end();
      return;
    }
    if (path === paths.authorize) {
      hits.authorize++;
      return handleAuthorize(url, res);
    }
    if (path === paths.discovery) {
      hits.discovery++;
      if (failing.discovery) return json(res, 503, { error: 'temporarily_unavailable' });
      return json(res, 200, {
        issuer: tamper.discoveryIssuer ?? issuer,
        jwks_uri: `${origin()}${paths.jwks}`,
        token_endpoint: `${origin()}${paths.token}`,
        authorization_endpoint: `${origin()}${paths.authorize}`,
        grant_types_supported: ['client_credentials', 'authorization_code', 'refresh_token'],
        token_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic', 'none'],
        code_challenge_methods_supported: ['S256'],
        response_types_supported: ['code', 'token'],
        subject_types_supported: ['public'],
        id_token_signing_alg_values_supported: ['RS256'],
      }, CORS);
    }
    if (path === paths.jwks) {
      hits.jwks++;
      if (failing.jwks) return json(res, 503, { error: 'temporarily_unavailable' });
      return json(res, 200, { keys: published.map((k) => k.publicJwk) }, { 'content-type': 'application/jwk-set+json' });
    }
    if (path === paths.token) {
      hits.token++;
      if (failing.token) return json(res, 503, { error: 'temporarily_unavailable' });
      return handleToken(req, res);
    }
    json(res, 404, { error: 'not_found' });
  };

  let server: Server | undefined;
  const origin = () => `http://127.0.0.1:${port}`;
  const listen = async (): Promise<void> => {
    const s = createServer((req, res) => {
      handle(req, res).catch((err: unknown) => json(res, 500, { error: 'server_error', error_description: String(err) }));
    });
    await new Promise<void>((resolve, reject) => {
      s.once('error', reject);
      s.listen(port, '127.0.0.1', () => resolve());
    });
    server = s;
    port = (s.address() as AddressInfo).port;
    issuer = `${origin()}${issuerPath}`;
  };
  await listen();

  return {
    get issuer() {
      return issuer;
    },
    get discoveryUrl() {
      return `${origin()}${paths.discovery}`;
    },
    get jwksUrl() {
      return `${origin()}${paths.jwks}`;
    },
    get tokenUrl() {
      return `${origin()}${paths.token}`;
    },
    get port() {
      return port;
    },
    get authorizeUrl() {
      return `${origin()}${paths.authorize}`;
    },
    get signInAs() {
      return person.signInAs;
    },
    set signInAs(who) {
      person.signInAs = { ...who };
    },
    get tokenLifetimeSeconds() {
      return lifetime;
    },
    set tokenLifetimeSeconds(seconds) {
      lifetime = seconds;
    },
    revokeRefreshTokens: () => refreshTokens.clear(),
    addRedirectUri: (clientId, uri) => {
      const client = publicClients.get(clientId);
      if (client === undefined) throw new Error(`no public client ${clientId}`);
      client.redirectUris.push(uri);
    },
    hits,
    tokenRequests,
    failing,
    tamper,
    currentKid: () => current.kid,
    mint: (opts = {}) => sign(opts, {}),
    clientToken: (clientId, opts = {}) => sign(opts, { sub: clientId, azp: clientId, client_id: clientId }),
    userToken: (username, opts = {}) =>
      sign(opts, { sub: username, preferred_username: username, azp: 'web-app', ...(opts.groups === undefined ? {} : { groups: opts.groups }) }),
    unsignedToken: (opts = {}) => {
      const now = Math.floor(Date.now() / 1000);
      return new UnsecuredJWT({ iss: opts.issuer ?? issuer, aud: opts.audience ?? defaultAudience, iat: now, exp: now + (opts.expiresIn ?? 300), ...opts.claims }).encode();
    },
    rotateKey: async ({ retireOld = false } = {}) => {
      const next = await newKey();
      published = retireOld ? [next] : [...published, next];
      current = next;
      return next.kid;
    },
    stop: async () => {
      const s = server;
      server = undefined;
      if (s === undefined) return;
      await new Promise<void>((resolve) => {
        s.close(() => resolve());
        s.closeAllConnections();
      });
    },
    start: async () => {
      if (server === undefined) await listen();
    },
  };
}
