/**
 * The real `bin/zen.js` against secured `zen start` processes: `--auth basic` with and without
 * credentials (flags and the SDK's variables), `--auth oidc` with client credentials from a real
 * OAuth server on loopback (zbctl's variables), and a TLS node trusted through `--ca-cert`.
 * No password or secret appears in what the CLI prints.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { opensslAvailable, TestCa } from '../support/certificates.js';
import { startTestOAuthServer, type TestOAuthServer } from '../support/oauth-server.js';
import { describeRequiring } from '../support/requires.js';
import { REPO_ROOT, showServerOutputOnFailure, ZenServer } from '../support/server-process.js';

const BIN = join(REPO_ROOT, 'bin', 'zen.js');
const FIXTURE = join(REPO_ROOT, 'test', 'fixtures', 'bpmn', 'server-one-task.bpmn');
const ADMIN = { username: 'admin', password: 'admin-Secret-c3d9' };
const CLIENT = { clientId: 'cli-client', clientSecret: 'cli-Secret-8e21' };

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** The CLI with an environment holding none of the user's zen, zbctl or SDK settings. */
function zen(args: readonly string[], env: Record<string, string> = {}): Promise<Run> {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(ZEN|ZEEBE|CAMUNDA)_/.test(k)));
  const child = spawn(process.execPath, [BIN, ...args], { env: { ...base, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => void (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => void (stderr += chunk.toString('utf8')));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('zen CLI against --auth basic', () => {
  let server: ZenServer;
  let address: string;

  beforeAll(async () => {
    server = await ZenServer.start({ args: ['--auth', 'basic', '--admin-user', ADMIN.username], env: { ZEN_ADMIN_PASSWORD: ADMIN.password } });
    address = `http://127.0.0.1:${server.restPort}`;
  });

  afterAll(async () => {
    const exit = await server?.dispose();
    expect(exit?.code).toBe(0);
  });

  showServerOutputOnFailure(() => [server]);

  it('without credentials: a 401 explained on stderr, exit 1', async () => {
    const run = await zen(['status', '--address', address]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(new RegExp(`^zen: ${address} requires authentication \\(UNAUTHENTICATED: .*\\); give --username and --password, --token, or --client-id`));
  });

  it('with --username/--password: deploys, and whoami names the administrator', async () => {
    const creds = ['--address', address, '--username', ADMIN.username, '--password', ADMIN.password];
    const deployed = await zen(['deploy', FIXTURE, ...creds]);
    expect(deployed.stderr).toBe('');
    expect(deployed.code).toBe(0);
    expect(deployed.stdout).toMatch(/processDefinition +server-one-task +1/);

    const me = await zen(['whoami', ...creds]);
    expect(me.code).toBe(0);
    expect(me.stdout).toMatch(/^username: admin\n/);
    expect(me.stdout).toMatch(/\nroles: +admin\n/);
  });

  it("with the SDK's CAMUNDA_BASIC_AUTH_* variables: whoami --json is the node's answer", async () => {
    const run = await zen(['whoami', '--json'], { ZEN_ADDRESS: address, CAMUNDA_BASIC_AUTH_USERNAME: ADMIN.username, CAMUNDA_BASIC_AUTH_PASSWORD: ADMIN.password });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ username: 'admin', roles: ['admin'] });
  });

  it('with a wrong password: names the user, never the password, exit 1', async () => {
    const wrong = 'wrong-Pass-0a1b';
    const run = await zen(['status', '--address', address], { ZEN_USERNAME: ADMIN.username, ZEN_PASSWORD: wrong });
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(`zen: ${address} refused user 'admin' (basic) (UNAUTHENTICATED: Invalid username or password)\n`);
    expect(run.stderr + run.stdout).not.toContain(wrong);
  });
});

describe('zen CLI against --auth oidc', () => {
  let idp: TestOAuthServer;
  let server: ZenServer;
  let address: string;

  beforeAll(async () => {
    idp = await startTestOAuthServer({ clients: [CLIENT] });
    server = await ZenServer.start({ args: ['--auth', 'oidc', '--oidc-issuer', idp.issuer, '--oidc-audience', 'zeebe-api'] });
    address = `http://127.0.0.1:${server.restPort}`;
  });

  afterAll(async () => {
    const exit = await server?.dispose();
    await idp?.stop();
    expect(exit?.code).toBe(0);
  });

  showServerOutputOnFailure(() => [server]);

  it("with zbctl's variables: gets a token from the token endpoint and is the client", async () => {
    const before = idp.hits.token;
    const env = {
      ZEN_ADDRESS: address,
      ZEEBE_CLIENT_ID: CLIENT.clientId,
      ZEEBE_CLIENT_SECRET: CLIENT.clientSecret,
      ZEEBE_AUTHORIZATION_SERVER_URL: idp.tokenUrl,
      ZEEBE_TOKEN_AUDIENCE: 'zeebe-api',
    };
    const me = await zen(['whoami'], env);
    expect(me.stderr).toBe('');
    expect(me.code).toBe(0);
    expect(me.stdout).toMatch(/^username: cli-client\n/);
    expect(idp.hits.token - before).toBe(1);
    expect(idp.tokenRequests.at(-1)).toMatchObject({ form: { grant_type: 'client_credentials', client_id: CLIENT.clientId, audience: 'zeebe-api' } });

    const status = await zen(['status'], env);
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/^cluster size: 1, partitions: 1/);
    expect(status.stdout).toMatch(/leader/i);
  });

  it('with flags for another audience: the node refuses the token, once renewed, exit 1', async () => {
    const before = idp.hits.token;
    const run = await zen(['status', '--address', address, '--client-id', CLIENT.clientId, '--client-secret', CLIENT.clientSecret, '--authz-url', idp.tokenUrl, '--audience', 'operate-api']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(new RegExp(`^zen: ${address} refused client '${CLIENT.clientId}' \\(OAuth\\) \\(UNAUTHENTICATED: .*audience.*\\)\n$`));
    expect(run.stderr).not.toContain(CLIENT.clientSecret);
    expect(idp.hits.token - before).toBe(2);
  });

  it('with a wrong secret: the token endpoint refuses, exit 1, the secret is not printed', async () => {
    const run = await zen(['status', '--address', address, '--client-id', CLIENT.clientId, '--client-secret', 'bad-Secret-4f', '--authz-url', idp.tokenUrl]);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(`zen: the token endpoint ${idp.tokenUrl} refused client '${CLIENT.clientId}': invalid_client: unknown client or wrong secret\n`);
  });
});

describeRequiring(opensslAvailable(), 'the openssl command line', 'zen CLI against a TLS node', () => {
  let ca: TestCa;
  let server: ZenServer;
  let address: string;

  beforeAll(async () => {
    ca = TestCa.create('cli-auth-ca');
    const cert = ca.issue('cli-auth-gateway');
    server = await ZenServer.start({ args: ['--tls-cert-file', cert.certPath, '--tls-key-file', cert.keyPath] });
    address = `https://localhost:${server.restPort}`;
  });

  afterAll(async () => {
    const exit = await server?.dispose();
    ca?.dispose();
    expect(exit?.code).toBe(0);
  });

  showServerOutputOnFailure(() => [server]);

  it('without --ca-cert: the certificate is not trusted, exit 1', async () => {
    const run = await zen(['status', '--address', address]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(new RegExp(`^zen: cannot reach ${address}: .*(certificate|UNABLE_TO_VERIFY)`, 'i'));
  });

  it('with --ca-cert: deploys and whoami (anonymous) over https', async () => {
    const deployed = await zen(['deploy', FIXTURE, '--address', address, '--ca-cert', ca.certPath]);
    expect(deployed.stderr).toBe('');
    expect(deployed.code).toBe(0);
    expect(deployed.stdout).toMatch(/processDefinition +server-one-task +1/);

    const me = await zen(['whoami'], { ZEN_ADDRESS: address, CAMUNDA_CUSTOM_ROOT_CERT_PATH: ca.certPath });
    expect(me.code).toBe(0);
    expect(me.stdout).toBe('anonymous (the node does not authenticate callers)\n');
  });
});
