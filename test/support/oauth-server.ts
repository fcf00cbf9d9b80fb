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
 */
import { randomUUID, timingSafeEqual } from 'node:crypto';
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

export interface TestOAuthServerOptions {
  readonly clients?: readonly TestOAuthClient[];
  /** The `aud` of a token whose request names no audience (default `zeebe-api`). */
  readonly defaultAudience?: string;
  /** Lifetime of tokens from the token endpoint, in seconds (default 3600). */
  readonly tokenLifetimeSeconds?: number;
  /** Path of the issuer under the server's origin (default `/realms/zen`, Keycloak-like). */
  readonly issuerPath?: string;
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
  readonly hits: { discovery: number; jwks: number; token: number };
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
  const lifetime = options.tokenLifetimeSeconds ?? 3600;
  const issuerPath = options.issuerPath ?? '/realms/zen';

  let published: SigningKey[] = [await newKey()];
  let current = published[0]!;
  const unpublished = await newKey();

  const hits = { discovery: 0, jwks: 0, token: 0 };
  const failing = { discovery: false, jwks: false, token: false };
  const tamper: { discoveryIssuer: string | undefined } = { discoveryIssuer: undefined };
  const tokenRequests: TestOAuthServer['tokenRequests'] = [];
  let issuer = '';
  let port = 0;

  const paths = {
    discovery: `${issuerPath}/.well-known/openid-configuration`,
    jwks: `${issuerPath}/protocol/openid-connect/certs`,
    token: `${issuerPath}/protocol/openid-connect/token`,
  };

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
    if (form.grant_type !== 'client_credentials') {
      return json(res, 400, { error: 'unsupported_grant_type', error_description: 'only client_credentials' });
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

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path === paths.discovery) {
      hits.discovery++;
      if (failing.discovery) return json(res, 503, { error: 'temporarily_unavailable' });
      return json(res, 200, {
        issuer: tamper.discoveryIssuer ?? issuer,
        jwks_uri: `${origin()}${paths.jwks}`,
        token_endpoint: `${origin()}${paths.token}`,
        grant_types_supported: ['client_credentials'],
        token_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic'],
        response_types_supported: ['token'],
        subject_types_supported: ['public'],
        id_token_signing_alg_values_supported: ['RS256'],
      });
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
