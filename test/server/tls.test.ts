/**
 * TLS on the gRPC and REST ports of a real `zen start`, with a certificate from a CA made for
 * the test: the Camunda 8 SDK (CAMUNDA_SECURE_CONNECTION + CAMUNDA_CUSTOM_ROOT_CERT_PATH) and
 * zbctl (--certPath) connect, plaintext clients are refused, the system port stays plain HTTP,
 * and renewed certificate files are served without a restart.
 */
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { join } from 'node:path';
import { connect as connectTls } from 'node:tls';
import { Camunda8 } from '@camunda8/sdk';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { opensslAvailable, TestCa, type IssuedCertificate } from '../support/certificates.js';
import { eventually } from '../support/eventually.js';
import { describeRequiring } from '../support/requires.js';
import { Code, fixturePath, grpcFailure, zeebeClient, type ZeebeClient } from '../support/server-client.js';
import { REPO_ROOT, showServerOutputOnFailure, ZenServer } from '../support/server-process.js';

const ZBCTL = join(REPO_ROOT, 'node_modules', 'zbctl', 'bin', 'zbctl-cli.linux');
const canRunZbctl = process.platform === 'linux' && process.arch === 'x64' && existsSync(ZBCTL);

let ca: TestCa;
/** The files the node is started with; renewals are copied over them. */
let live: IssuedCertificate;
let server: ZenServer;

/** A client as an application configures one for a TLS gateway with a private CA. */
function secureClient(): ZeebeClient {
  return new Camunda8({
    ZEEBE_ADDRESS: `localhost:${server.grpcPort}`,
    CAMUNDA_SECURE_CONNECTION: true,
    CAMUNDA_CUSTOM_ROOT_CERT_PATH: ca.certPath,
    CAMUNDA_AUTH_STRATEGY: 'NONE',
    CAMUNDA_OAUTH_DISABLED: true,
    CAMUNDA_LOG_LEVEL: 'none',
    zeebeGrpcSettings: { ZEEBE_CLIENT_LOG_LEVEL: 'NONE', ZEEBE_GRPC_CLIENT_RETRY: false, ZEEBE_GRPC_CLIENT_INITIAL_CONNECTION_TOLERANCE_MS: 0 },
  }).getZeebeGrpcApiClient();
}

/** The fingerprint of the certificate a new TLS connection to `port` is served. */
function servedFingerprint(port: number, alpn: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connectTls({ host: '127.0.0.1', port, ca: readFileSync(ca.certPath), ALPNProtocols: alpn, servername: 'localhost' }, () => {
      resolve(socket.getPeerCertificate().fingerprint256);
      socket.destroy();
    });
    socket.on('error', reject);
  });
}

function httpsGet(path: string, options: { ca?: Buffer } = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest({ host: '127.0.0.1', servername: 'localhost', port: server.restPort, path, ca: options.ca, timeout: 5000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

function zbctl(...args: string[]): Promise<string> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('ZEEBE_') && !name.startsWith('CAMUNDA_')));
  return new Promise((resolve, reject) => {
    execFile(ZBCTL, [...args, '--address', `127.0.0.1:${server.grpcPort}`], { timeout: 20_000, env }, (err, stdout, stderr) =>
      err ? reject(new Error(`zbctl ${args.join(' ')} failed: ${stderr || err.message}`)) : resolve(stdout),
    );
  });
}

/**
 * SDK 8.8 prefers `grpcs://` in ZEEBE_GRPC_ADDRESS and warns on every client built with
 * CAMUNDA_SECURE_CONNECTION, which these tests use on purpose; the warning alone is dropped.
 */
function muteSecureConnectionDeprecation(): void {
  let original: typeof console.warn | undefined;
  beforeAll(() => {
    original = console.warn;
    const print = original;
    console.warn = (...args: unknown[]) => {
      if (!(typeof args[0] === 'string' && args[0].includes('CAMUNDA_SECURE_CONNECTION is deprecated'))) print(...args);
    };
  });
  afterAll(() => {
    if (original) console.warn = original;
  });
}

function startWith(dir: string, ...args: string[]) {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('ZEN_')));
  return spawnSync(
    process.execPath,
    [join(REPO_ROOT, 'bin/zen.js'), 'start', '--data-dir', join(dir, 'refused-data'), '--host', '127.0.0.1', '--grpc-port', '0', '--rest-port', '0', '--system-port', '0', ...args],
    { env, encoding: 'utf8', timeout: 20_000 },
  );
}

describeRequiring(opensslAvailable(), 'the openssl command line', 'TLS on the gateway ports', () => {
  beforeAll(async () => {
    ca = TestCa.create('zen-test-ca');
    const first = ca.issue('gateway-v1');
    live = { certPath: join(ca.dir, 'gateway.pem'), keyPath: join(ca.dir, 'gateway.key') };
    TestCa.install(first, live);
    server = await ZenServer.start({ args: ['--tls-cert-file', live.certPath, '--tls-key-file', live.keyPath] });
  });

  afterAll(async () => {
    const exit = await server?.dispose();
    ca?.dispose();
    expect(exit?.code).toBe(0);
  });

  showServerOutputOnFailure(() => [server]);
  muteSecureConnectionDeprecation();

  it('serves gRPC to the SDK with CAMUNDA_SECURE_CONNECTION and CAMUNDA_CUSTOM_ROOT_CERT_PATH', async () => {
    const client = secureClient();
    try {
      const topology = await client.topology();
      expect(topology.brokers[0]?.partitions[0]?.role).toBe('LEADER');
      const deployed = await client.deployResource({ processFilename: fixturePath('server-one-task.bpmn') });
      expect(deployed.deployments[0]?.process?.bpmnProcessId).toBe('server-one-task');
      const created = await client.createProcessInstance({ bpmnProcessId: 'server-one-task', variables: { over: 'tls' } });
      expect(created.processInstanceKey).toMatch(/^\d+$/);
    } finally {
      await client.close();
    }
  });

  it('refuses a plaintext gRPC client', async () => {
    const plain = zeebeClient(server);
    try {
      const failure = await grpcFailure(plain.topology());
      expect(failure.code).toBe(Code.UNAVAILABLE);
    } finally {
      await plain.close();
    }
  });

  it('serves REST over HTTPS and refuses plain HTTP there, while the system port stays plain HTTP', async () => {
    const topology = await httpsGet('/v2/topology', { ca: readFileSync(ca.certPath) });
    expect(topology.status).toBe(200);
    expect(JSON.parse(topology.body)).toMatchObject({ clusterSize: 1, partitionsCount: 1 });
    // Without the CA the client does not trust the self-made certificate.
    await expect(httpsGet('/v2/topology')).rejects.toThrow(/self-signed|unable to verify|local issuer/i);
    await expect(fetch(`http://127.0.0.1:${server.restPort}/v2/topology`)).rejects.toThrow();

    expect((await server.get('/ready')).status).toBe(200);
    expect((await server.get('/health')).status).toBe(200);
  });

  it('answers the SDK REST client given the same root certificate', async () => {
    const c8 = new Camunda8({
      ZEEBE_REST_ADDRESS: `https://localhost:${server.restPort}`,
      CAMUNDA_CUSTOM_ROOT_CERT_PATH: ca.certPath,
      CAMUNDA_AUTH_STRATEGY: 'NONE',
      CAMUNDA_LOG_LEVEL: 'none',
    });
    const topology = await c8.getCamundaRestClient().getTopology();
    expect(topology.clusterSize).toBe(1);
  });

  describeRequiring(canRunZbctl, 'the zbctl binary (npm package zbctl, linux-x64)', 'zbctl', () => {
    it('connects with --certPath and is refused with --insecure', async () => {
      const out = await zbctl('--certPath', ca.certPath, 'status');
      expect(out).toMatch(/Partition 1\s*:\s*Leader, Healthy/);
      await expect(zbctl('--insecure', 'status')).rejects.toThrow(/failed/);
    });
  });

  it('serves a renewed certificate without a restart, and keeps it when the files are broken', async () => {
    const v1 = await servedFingerprint(server.grpcPort, ['h2']);
    const renewed = ca.issue('gateway-v2');
    TestCa.install(renewed, live);
    const v2 = await eventually('the renewed certificate on the gRPC port', async () => {
      const served = await servedFingerprint(server.grpcPort, ['h2']);
      return served !== v1 ? served : undefined;
    });
    expect(await servedFingerprint(server.restPort, ['http/1.1'])).toBe(v2);
    expect(server.logs().some((line) => line.msg === 'TLS certificate reloaded' && line.subject === 'CN=gateway-v2')).toBe(true);
    // Clients keep working on the new certificate.
    const client = secureClient();
    try {
      expect((await client.topology()).brokers).toHaveLength(1);
    } finally {
      await client.close();
    }

    writeFileSync(live.certPath, 'truncated by a failed renewal');
    await eventually('the warning about the broken files', () =>
      server.logs().some((line) => line.msg === 'the changed TLS files cannot be used; still serving the previous certificate'),
    );
    expect(await servedFingerprint(server.grpcPort, ['h2'])).toBe(v2);
  });
});

describeRequiring(opensslAvailable(), 'the openssl command line', 'zen start with unusable TLS files', () => {
  let refusals: TestCa;
  beforeAll(() => {
    refusals = TestCa.create('zen-refusal-ca');
  });
  afterAll(() => refusals?.dispose());

  it('refuses a certificate without its key, naming the missing option', () => {
    const only = refusals.issue('only-cert');
    const result = startWith(refusals.dir, '--tls-cert-file', only.certPath);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('tlsCertFile, tlsKeyFile go together');
    expect(result.stderr).toContain('--tls-key-file');
  });

  it('refuses a key that belongs to another certificate, without printing the key', () => {
    const a = refusals.issue('pair-a');
    const b = refusals.issue('pair-b');
    const result = startWith(refusals.dir, '--tls-cert-file', a.certPath, '--tls-key-file', b.keyPath);
    expect(result.status).toBe(1);
    const output = result.stdout + result.stderr;
    expect(output).toMatch(/startup failed: .*tlsKeyFile \(--tls-key-file \/ ZEN_TLS_KEY_FILE\): the private key in .*pair-b\.key does not belong to the certificate/);
    expect(output).not.toContain('PRIVATE KEY-----');
    expect(output).not.toContain(readFileSync(b.keyPath, 'utf8').split('\n')[1]!);
  });
});
