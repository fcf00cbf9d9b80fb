/**
 * The private port with mutual TLS, on real sockets: nodes holding certificates from the
 * cluster CA talk (internal gRPC and snapshot transfer alike); a plain connection, one without
 * a certificate, or one with a certificate from another CA gets nothing from it — and a node
 * will not talk to a server whose certificate the cluster CA did not sign.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect as connectTcp } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as connectTls, createServer as createTlsServer } from 'node:tls';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { ClientPool } from '../../../src/cluster/private/client-pool.js';
import { createPrivateServer } from '../../../src/cluster/private/internal-service.js';
import { fetchSnapshot } from '../../../src/cluster/private/snapshot-transfer.js';
import { ZenError } from '../../../src/errors.js';
import { loadTlsMaterial, type TlsMaterial } from '../../../src/tls/material.js';
import { TlsFileWatcher, type TlsSource } from '../../../src/tls/watcher.js';
import { RecordingLogger } from '../../support/recording-logger.js';
import { opensslAvailable, TestCa } from '../../support/certificates.js';
import { describeRequiring } from '../../support/requires.js';
import { FakeNode, silent } from './support.js';

let ca: TestCa;
let other: TestCa;
let dir: string;
const cleanup: Array<() => Promise<void> | void> = [];

afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

/** A node's certificate source, fixed: rotation is the watcher's test. */
function peerSource(issuer: TestCa, name: string, trust: TestCa = ca): TlsSource {
  const issued = issuer.issue(name);
  const material: TlsMaterial = loadTlsMaterial({
    cert: { option: 'privateTlsCertFile', path: issued.certPath },
    key: { option: 'privateTlsKeyFile', path: issued.keyPath },
    ca: { option: 'privateTlsCaFile', path: trust.certPath },
    // A stranger's certificate is checked against the CA that signed it: the point is what the port does with it.
    use: 'peer',
  });
  return { current: material, onChange: () => () => {} };
}

async function tlsNode(source: TlsSource, node = new FakeNode()) {
  const server = createPrivateServer({ handlers: node, logger: silent, nodeId: 3, tls: source });
  const port = await server.listen('127.0.0.1', 0);
  cleanup.push(() => server.close());
  return { node, port, address: `127.0.0.1:${port}` };
}

function pool(tls?: TlsSource): ClientPool {
  const created = new ClientPool({ logger: silent, callTimeoutMs: 3000, tls });
  cleanup.push(() => created.closeAll());
  return created;
}

async function refusal(call: Promise<unknown>): Promise<ZenError> {
  try {
    await call;
  } catch (err) {
    expect(err).toBeInstanceOf(ZenError);
    return err as ZenError;
  }
  return expect.fail('expected the call to be refused');
}

/** Bytes the server sent before the connection ended, and how it ended. */
function rawExchange(open: () => import('node:net').Socket, bytes: Buffer): Promise<{ received: Buffer; error: string | null }> {
  return new Promise((resolve) => {
    const socket = open();
    const chunks: Buffer[] = [];
    let error: string | null = null;
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', (err: NodeJS.ErrnoException) => (error = err.code ?? err.message));
    socket.on('close', () => resolve({ received: Buffer.concat(chunks), error }));
    socket.write(bytes);
    setTimeout(() => socket.destroy(), 3000).unref();
  });
}

describeRequiring(opensslAvailable(), 'the openssl command line', 'private port with mutual TLS', () => {
  beforeAll(() => {
    ca = TestCa.create('cluster-ca');
    other = TestCa.create('other-ca');
    dir = mkdtempSync(join(tmpdir(), 'zen-mtls-'));
  });
  afterAll(() => {
    ca?.dispose();
    other?.dispose();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('serves internal calls and snapshots to a node with a certificate from the cluster CA', async () => {
    const { node, address } = await tlsNode(peerSource(ca, 'server-node'));
    const source = join(dir, 'snapshot.db');
    writeFileSync(source, 'snapshot over tls');
    node.snapshot = async () => ({ path: source, index: 9, release: async () => {} });
    const client = peerSource(ca, 'client-node');

    expect(await pool(client).ping(address)).toEqual({ nodeId: 3 });
    expect(await fetchSnapshot(address, 1, join(dir, 'copy.db'), { tls: client })).toEqual({ index: 9, size: 17 });
    expect(readFileSync(join(dir, 'copy.db'), 'utf8')).toBe('snapshot over tls');
  });

  it('gives a plain gRPC client and a plain snapshot request nothing', async () => {
    const { address } = await tlsNode(peerSource(ca, 'server-plain'));
    const err = await refusal(pool().ping(address));
    expect(err.code).toBe('UNAVAILABLE');
    expect((await refusal(fetchSnapshot(address, 1, join(dir, 'never.db'), { headerTimeoutMs: 3000 }))).code).toBe('UNAVAILABLE');
  });

  it('closes a raw TCP connection that speaks a protocol instead of TLS, answering nothing', async () => {
    const { port } = await tlsNode(peerSource(ca, 'server-raw'));
    const preface = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n');
    const { received } = await rawExchange(() => connectTcp({ host: '127.0.0.1', port }), preface);
    // What comes back, if anything, is a TLS alert record (content type 21), never HTTP/2.
    expect(received.length === 0 || received[0] === 21).toBe(true);
  });

  it('refuses a TLS client without a certificate, and one whose certificate another CA signed', async () => {
    const { port, address } = await tlsNode(peerSource(ca, 'server-strict'));
    const caPem = readFileSync(ca.certPath);
    const anonymous = await rawExchange(
      () => connectTls({ host: '127.0.0.1', port, ca: caPem, ALPNProtocols: ['h2'], checkServerIdentity: () => undefined }),
      Buffer.from('S{"partitionId":1}\n'),
    );
    // Served, it would have answered the snapshot request (this node has none to give).
    expect(anonymous.received.length).toBe(0);

    // The stranger trusts the cluster CA (it would accept the server), but holds a certificate of its own CA.
    const stranger = peerSource(other, 'stranger', other);
    const strangerWithClusterTrust: TlsSource = { current: { ...stranger.current, ca: caPem }, onChange: () => () => {} };
    expect((await refusal(pool(strangerWithClusterTrust).ping(address))).code).toBe('UNAVAILABLE');
    const snapshot = await refusal(fetchSnapshot(address, 1, join(dir, 'stranger.db'), { tls: strangerWithClusterTrust, headerTimeoutMs: 3000 }));
    expect(snapshot.code).toBe('UNAVAILABLE');
  });

  it('serves a renewed node certificate to new connections, and presents a renewed one as a client', async () => {
    const watched = (name: string) => {
      const live = { certPath: join(dir, `${name}.pem`), keyPath: join(dir, `${name}.key`) };
      TestCa.install(ca.issue(`${name}-v1`), live);
      const watcher = TlsFileWatcher.open(name, {
        cert: { option: 'privateTlsCertFile', path: live.certPath },
        key: { option: 'privateTlsKeyFile', path: live.keyPath },
        ca: { option: 'privateTlsCaFile', path: ca.certPath },
        use: 'peer',
      }, new RecordingLogger(), { watchDirectories: false, pollIntervalMs: 60_000 });
      cleanup.push(() => watcher.close());
      return { live, watcher };
    };
    const server = watched('rotating-server');
    const client = watched('rotating-client');
    const { port, address } = await tlsNode(server.watcher);
    const served = () =>
      new Promise<string>((resolve, reject) => {
        const { cert, key, ca: trust } = client.watcher.current;
        const socket = connectTls({ host: '127.0.0.1', port, cert, key, ca: trust ?? undefined, ALPNProtocols: ['h2'], checkServerIdentity: () => undefined }, () => {
          resolve(socket.getPeerCertificate().subject.CN as string);
          socket.destroy();
        });
        socket.on('error', reject);
      });
    expect(await served()).toBe('rotating-server-v1');
    TestCa.install(ca.issue('rotating-server-v2'), server.live);
    expect(server.watcher.check()).toBe(true);
    expect(await served()).toBe('rotating-server-v2');

    expect(await pool(client.watcher).ping(address)).toEqual({ nodeId: 3 });

    // The client's channel presents its renewed certificate on the next connection it opens: a
    // bare TLS server stands in for a peer and notes whose certificate each connection brings.
    const presented: string[] = [];
    const { cert, key, ca: trust } = server.watcher.current;
    const probe = createTlsServer({ cert, key, ca: trust ?? undefined, requestCert: true, rejectUnauthorized: true, ALPNProtocols: ['h2'] }, (socket) => {
      presented.push(socket.getPeerCertificate().subject.CN as string);
      socket.destroy();
    });
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    cleanup.push(() => new Promise<void>((resolve) => probe.close(() => resolve())));
    const probeAddress = `127.0.0.1:${(probe.address() as { port: number }).port}`;
    const clients = pool(client.watcher);
    await refusal(clients.ping(probeAddress));
    TestCa.install(ca.issue('rotating-client-v2'), client.live);
    expect(client.watcher.check()).toBe(true);
    clients.close(probeAddress);
    await refusal(clients.ping(probeAddress));
    expect(presented[0]).toBe('rotating-client-v1');
    expect(presented.at(-1)).toBe('rotating-client-v2');
  });

  it('does not talk to a server whose certificate the cluster CA did not sign', async () => {
    // The impostor accepts anyone its own CA signed, and answers Ping if it gets the chance.
    const impostor = await tlsNode(peerSource(other, 'impostor', other));
    const err = await refusal(pool(peerSource(ca, 'careful-client')).ping(impostor.address));
    expect(err.code).toBe('UNAVAILABLE');
  });
});
