/**
 * Token fetching against a real OAuth server on loopback (test/support/oauth-server.ts), and the
 * whole CLI in the process: the header each kind of credentials puts on a request to a stand-in
 * node, one fresh token and retry on a 401, and the messages of refusals, which never hold a
 * password, secret or token.
 */
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authorizationFor, fetchClientToken } from '../../../src/cli/authorization.js';
import { runCli, type CliDeps } from '../../../src/cli/main.js';
import { RequestError } from '../../../src/cli/rest-client.js';
import { trustingFetch } from '../../../src/cli/trusting-fetch.js';
import { opensslAvailable, TestCa } from '../../support/certificates.js';
import { startTestOAuthServer, type TestOAuthServer } from '../../support/oauth-server.js';
import { describeRequiring } from '../../support/requires.js';

const CLIENT = { clientId: 'worker', clientSecret: 'worker-Secret-d41c' };
const NODE = 'http://node.invalid:8080';
const realFetch = (url: string, init: RequestInit) => fetch(url, init);

let idp: TestOAuthServer;

beforeAll(async () => {
  idp = await startTestOAuthServer({ clients: [CLIENT] });
});

afterAll(async () => {
  await idp?.stop();
});

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function failure(promise: Promise<unknown>): Promise<RequestError> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(RequestError);
    return err as RequestError;
  }
  throw new Error('expected a RequestError');
}

describe('fetchClientToken', () => {
  it('posts the client credentials grant as a form, as the SDK does, and returns the access token', async () => {
    const before = idp.tokenRequests.length;
    const token = await fetchClientToken(realFetch, { kind: 'oauth', ...CLIENT, tokenUrl: idp.tokenUrl, audience: 'zeebe-api', scope: 'read' });
    expect(token.split('.')).toHaveLength(3);
    expect(JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString())).toMatchObject({ sub: 'worker', aud: 'zeebe-api', scope: 'read' });
    expect(idp.tokenRequests.slice(before)).toEqual([
      {
        contentType: 'application/x-www-form-urlencoded',
        basicAuth: false,
        form: { grant_type: 'client_credentials', client_id: 'worker', client_secret: '***', audience: 'zeebe-api', scope: 'read' },
      },
    ]);
  });

  it("reports the provider's refusal without the secret", async () => {
    const err = await failure(fetchClientToken(realFetch, { kind: 'oauth', clientId: 'worker', clientSecret: 'wrong-Secret-77', tokenUrl: `${idp.tokenUrl}?x=1` }));
    expect(err.message).toBe(`the token endpoint ${idp.tokenUrl} refused client 'worker': invalid_client: unknown client or wrong secret`);
    expect(err.status).toBe(401);
  });

  it('reports an unreachable endpoint and an answer without a token', async () => {
    const port = await closedPort();
    const unreachable = await failure(fetchClientToken(realFetch, { kind: 'oauth', ...CLIENT, tokenUrl: `http://127.0.0.1:${port}/token` }));
    expect(unreachable.message).toMatch(new RegExp(`^cannot reach the token endpoint http://127\\.0\\.0\\.1:${port}/token: .*ECONNREFUSED`));
    const empty = await failure(fetchClientToken(async () => new Response('{}', { status: 200 }), { kind: 'oauth', ...CLIENT, tokenUrl: idp.tokenUrl }));
    expect(empty.message).toBe(`the token endpoint ${idp.tokenUrl} answered without an access_token`);
  });

  it('fetches once per command and once more after renew, only once', async () => {
    const before = idp.hits.token;
    const auth = authorizationFor({ kind: 'oauth', ...CLIENT, tokenUrl: idp.tokenUrl }, realFetch);
    const first = await auth.header();
    expect(await auth.header()).toBe(first);
    expect(idp.hits.token - before).toBe(1);
    expect(auth.renew()).toBe(true);
    expect(await auth.header()).toMatch(/^Bearer ey/);
    expect(idp.hits.token - before).toBe(2);
    expect(auth.renew()).toBe(false);
  });
});

/** The CLI in the process; requests to NODE go to `node`, everything else to the network. */
function cli(node: (authorization: string | undefined) => { status: number; body: unknown }, env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const seen: (string | undefined)[] = [];
  const deps: CliDeps = {
    env,
    startNode: async () => {
      throw new Error('no node in these tests');
    },
    createLogger: () => {
      throw new Error('no logger in these tests');
    },
    exit: () => {},
    onSignal: () => {},
    stdout: (t) => void out.push(t),
    stderr: (t) => void err.push(t),
    fetch: async (url, init) => {
      if (!url.startsWith(NODE)) return fetch(url, init);
      const authorization = (init.headers as Record<string, string>).authorization;
      seen.push(authorization);
      const answer = node(authorization);
      return new Response(JSON.stringify(answer.body), { status: answer.status, headers: { 'content-type': 'application/json' } });
    },
  };
  return { run: (...args: string[]) => runCli(['node', 'zen', ...args, '--address', NODE], deps), seen, stdout: () => out.join(''), stderr: () => err.join('') };
}

const REFUSED = { status: 401, body: { type: 'about:blank', title: 'UNAUTHENTICATED', status: 401, detail: 'Invalid username or password' } };
const ME = { username: 'ann', displayName: 'Ann', email: 'ann@example.com', groups: ['ops'], roles: ['admin'], tenants: [{ tenantId: '<default>', name: 'Default' }] };

describe('the CLI with credentials', () => {
  it('sends basic credentials and prints whoami', async () => {
    const c = cli(() => ({ status: 200, body: ME }), { ZEN_USERNAME: 'ann', ZEN_PASSWORD: 'ann-Pass-1' });
    expect(await c.run('whoami')).toBe(0);
    expect(c.seen).toEqual([`Basic ${Buffer.from('ann:ann-Pass-1').toString('base64')}`]);
    expect(c.stdout()).toBe('username: ann\nname:     Ann\nemail:    ann@example.com\ngroups:   ops\nroles:    admin\ntenants:  <default>\n');
  });

  it('says anonymous when the node does not authenticate', async () => {
    const c = cli(() => ({ status: 200, body: { username: null, displayName: null, email: null, groups: [], roles: [], tenants: [] } }));
    expect(await c.run('whoami')).toBe(0);
    expect(c.seen).toEqual([undefined]);
    expect(c.stdout()).toBe('anonymous (the node does not authenticate callers)\n');
  });

  it('explains a 401 without credentials and exits 1', async () => {
    const c = cli(() => REFUSED);
    expect(await c.run('status')).toBe(1);
    expect(c.stderr()).toBe(
      `zen: ${NODE} requires authentication (UNAUTHENTICATED: Invalid username or password); give --username and --password, --token, ` +
        'or --client-id, --client-secret and --authz-url (see zen <command> --help for their environment variables)\n',
    );
  });

  it('names the refused user, never the password, and does not retry basic credentials', async () => {
    const c = cli(() => REFUSED);
    expect(await c.run('status', '--username', 'ann', '--password', 'ann-Pass-1')).toBe(1);
    expect(c.seen).toHaveLength(1);
    expect(c.stderr()).toBe(`zen: ${NODE} refused user 'ann' (basic) (UNAUTHENTICATED: Invalid username or password)\n`);
    expect(c.stderr()).not.toContain('ann-Pass-1');
  });

  it('sends a given token as a bearer token', async () => {
    const c = cli(() => ({ status: 200, body: ME }));
    expect(await c.run('whoami', '--token', 'tok-123')).toBe(0);
    expect(c.seen).toEqual(['Bearer tok-123']);
  });

  it('gets a token with client credentials, and a fresh one once after a 401', async () => {
    const env = { ZEEBE_CLIENT_ID: CLIENT.clientId, ZEEBE_CLIENT_SECRET: CLIENT.clientSecret, CAMUNDA_OAUTH_URL: idp.tokenUrl, ZEEBE_TOKEN_AUDIENCE: 'zeebe-api' };
    let calls = 0;
    const c = cli(() => (++calls === 1 ? REFUSED : { status: 200, body: ME }), env);
    expect(await c.run('whoami')).toBe(0);
    expect(c.seen).toHaveLength(2);
    expect(c.seen[0]).toMatch(/^Bearer ey/);
    expect(c.seen[1]).toMatch(/^Bearer ey/);
    expect(c.seen[1]).not.toBe(c.seen[0]);

    const refused = cli(() => REFUSED, env);
    expect(await refused.run('status')).toBe(1);
    expect(refused.seen).toHaveLength(2);
    expect(refused.stderr()).toBe(`zen: ${NODE} refused client 'worker' (OAuth) (UNAUTHENTICATED: Invalid username or password)\n`);
  });

  it('exits 1 when the token endpoint refuses, without the secret', async () => {
    const c = cli(() => ({ status: 200, body: ME }));
    expect(await c.run('whoami', '--client-id', 'worker', '--client-secret', 'bad-Secret-5', '--authz-url', idp.tokenUrl)).toBe(1);
    expect(c.seen).toEqual([]);
    expect(c.stderr()).toBe(`zen: the token endpoint ${idp.tokenUrl} refused client 'worker': invalid_client: unknown client or wrong secret\n`);
  });

  it('exits 2 on half-given credentials, before any request', async () => {
    const c = cli(() => ({ status: 200, body: ME }));
    expect(await c.run('whoami', '--client-id', 'worker', '--client-secret', 'some-Secret-6')).toBe(2);
    expect(c.seen).toEqual([]);
    expect(c.stderr()).toMatch(/OAuth client credentials needs --authz-url or ZEEBE_AUTHORIZATION_SERVER_URL or CAMUNDA_OAUTH_URL/);
    expect(c.stderr()).not.toContain('some-Secret-6');
  });

  it('exits 1 on a CA file that cannot be read or holds no certificate', async () => {
    const c = cli(() => ({ status: 200, body: ME }));
    expect(await c.run('whoami', '--ca-cert', '/nonexistent/ca.pem')).toBe(1);
    expect(c.stderr()).toMatch(/^zen: cannot read the CA certificate \/nonexistent\/ca\.pem: ENOENT/);
    const d = cli(() => ({ status: 200, body: ME }));
    expect(await d.run('whoami', '--ca-cert', new URL(import.meta.url).pathname)).toBe(1);
    expect(d.stderr()).toMatch(/holds no PEM certificate/);
  });
});

describeRequiring(opensslAvailable(), 'the openssl command line', 'trustingFetch', () => {
  it('trusts the given CA for https, and fetch alone does not', async () => {
    const ca = TestCa.create('cli-unit-ca');
    const leaf = ca.issue('cli-unit-server');
    const server = createHttpsServer({ cert: readFileSync(leaf.certPath), key: readFileSync(leaf.keyPath) }, (req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ method: req.method, type: req.headers['content-type'], body }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/x`;
    try {
      const trusting = trustingFetch(readFileSync(ca.certPath), realFetch);
      const response = await trusting(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":1}' });
      expect(await response.json()).toEqual({ method: 'POST', type: 'application/json', body: '{"a":1}' });
      await expect(realFetch(url, { method: 'GET' })).rejects.toThrow(/fetch failed/);
      const other = TestCa.create('cli-unit-other-ca');
      try {
        const failed = await trustingFetch(readFileSync(other.certPath), realFetch)(url, { method: 'GET' }).catch((e: unknown) => e);
        expect((failed as { cause?: { code?: string } }).cause?.code).toMatch(/UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED|UNABLE_TO_GET_ISSUER_CERT/);
      } finally {
        other.dispose();
      }
    } finally {
      server.close();
      ca.dispose();
    }
  });
});
