/**
 * Mutual TLS on the private port, with real processes: a real etcd, 3 `zen start` nodes, each
 * with its own certificate from one cluster CA (--private-tls-*) and the cluster secret beside
 * it, one partition replicated on all three. Commands sent to nodes that do not lead the
 * partition are proxied to its leader over TLS and succeed; the port gives nothing to a plain
 * TCP connection, a plaintext gRPC client or a node holding a certificate from another CA, and
 * a TLS peer from the right CA still needs the secret's proof.
 */
import { connect as connectTcp } from 'node:net';
import pino from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { clusterAuth } from '../../src/cluster/private/auth.js';
import { ClientPool } from '../../src/cluster/private/client-pool.js';
import { ZenError } from '../../src/errors.js';
import { loadTlsMaterial } from '../../src/tls/material.js';
import type { TlsSource } from '../../src/tls/watcher.js';
import { opensslAvailable, TestCa } from '../support/certificates.js';
import { showClusterOutputOnFailure, ZenCluster } from '../support/cluster-process.js';
import { waitFor } from '../support/server-client.js';
import { describeWithEtcd } from '../support/etcd.js';
import { describeRequiring } from '../support/requires.js';
import { deployFixtures, muteSdkStreamCancellations } from '../support/server-client.js';

const NODES = [0, 1, 2];
const SECRET = 'private-tls-test-secret';
const silent = pino({ level: 'silent' });

/** A certificate source for an in-test client, as a node would hold it. */
function source(issuer: TestCa, name: string, trust: TestCa): TlsSource {
  const issued = issuer.issue(name);
  const material = loadTlsMaterial({
    cert: { option: 'privateTlsCertFile', path: issued.certPath },
    key: { option: 'privateTlsKeyFile', path: issued.keyPath },
    ca: { option: 'privateTlsCaFile', path: trust.certPath },
    use: 'peer',
  });
  return { current: material, onChange: () => () => {} };
}

async function refusal(call: Promise<unknown>): Promise<ZenError> {
  try {
    await call;
  } catch (err) {
    expect(err).toBeInstanceOf(ZenError);
    return err as ZenError;
  }
  return expect.fail('expected the private port to refuse the call');
}

/** What a raw TCP client that speaks HTTP/2 right away gets back before the port closes on it. */
function rawPreface(port: number): Promise<Buffer> {
  return new Promise((resolve) => {
    const socket = connectTcp({ host: '127.0.0.1', port }, () => socket.write('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n'));
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', () => {});
    socket.on('close', () => resolve(Buffer.concat(chunks)));
    setTimeout(() => socket.destroy(), 5000).unref();
  });
}

describeRequiring(opensslAvailable(), 'the openssl command line', 'private port TLS', () => {
  describeWithEtcd('cluster of real processes: mutual TLS on the private port', () => {
    let ca: TestCa | undefined;
    let other: TestCa | undefined;
    let cluster: ZenCluster | undefined;
    const pools: ClientPool[] = [];

    beforeAll(async () => {
      ca = TestCa.create('cluster-ca');
      other = TestCa.create('other-ca');
      const clusterCa = ca;
      cluster = await ZenCluster.start({
        nodes: 3,
        etcdMembers: 1,
        partitions: 1,
        replicationFactor: 3,
        args: ['--cluster-secret', SECRET, '--private-tls-ca-file', clusterCa.certPath],
        nodeArgs: (nodeId) => {
          const own = clusterCa.issue(`node${nodeId}`);
          return ['--private-tls-cert-file', own.certPath, '--private-tls-key-file', own.keyPath];
        },
      });
      await cluster.waitForLeaders({ members: NODES, timeoutMs: 30_000 });
    }, 90_000);

    afterAll(async () => {
      for (const pool of pools) pool.closeAll();
      await cluster?.dispose();
      ca?.dispose();
      other?.dispose();
    }, 60_000);

    showClusterOutputOnFailure(() => cluster);
    muteSdkStreamCancellations();

    function privatePortOf(nodeId: number): number {
      const started = cluster!.logsOf(nodeId, 'zen node started').at(-1);
      expect(started?.privateTls).toBe(true);
      return Number(started!.privatePort);
    }

    function pool(tls?: TlsSource, withProof = false): ClientPool {
      const created = new ClientPool({ logger: silent, callTimeoutMs: 3000, tls, auth: withProof ? clusterAuth(SECRET, 99) : null });
      pools.push(created);
      return created;
    }

    it('proxies commands from nodes that do not lead the partition to its leader', async () => {
      const { leaders } = await cluster!.waitForLeaders({ members: NODES });
      const leader = leaders.get(1)!;
      const [a, b] = NODES.filter((n) => n !== leader) as [number, number];
      for (const nodeId of NODES) expect(cluster!.logsOf(nodeId, 'private port listening').at(-1)?.mutualTls).toBe(true);

      await deployFixtures(cluster!.client(a), 'server-one-task.bpmn');
      const created = await cluster!.client(b).createProcessInstance({ bpmnProcessId: 'server-one-task', variables: { hop: 'tls' } });
      const activated = await cluster!.client(a).activateJobs({ type: 'server-work', worker: 'tls', maxJobsToActivate: 5, timeout: 30_000, requestTimeout: 5_000 });
      expect(activated.map((job) => job.processInstanceKey)).toEqual([created.processInstanceKey]);
      await cluster!.client(b).completeJob({ jobKey: activated[0]!.key, variables: { done: true } });
      // The leader itself was never addressed: everything above crossed the private port.
      expect(cluster!.logsOf(a, 'private port refused a connection')).toEqual([]);
      expect(cluster!.logsOf(b, 'private port refused a connection')).toEqual([]);
    });

    it('refuses a plain TCP connection and a plaintext gRPC client', async () => {
      const port = privatePortOf(0);
      const answer = await rawPreface(port);
      // At most a TLS alert record (content type 21); never an HTTP/2 frame.
      expect(answer.length === 0 || answer[0] === 21).toBe(true);
      const plain = await refusal(pool(undefined, true).ping(`127.0.0.1:${port}`));
      expect(plain.code).toBe('UNAVAILABLE');
    });

    it('refuses a peer whose certificate another CA signed, even one holding the secret', async () => {
      const port = privatePortOf(1);
      // It trusts the cluster CA, so it would accept the node; the node does not accept it.
      const stranger = source(other!, 'stranger', other!);
      const withClusterTrust: TlsSource = { current: { ...stranger.current, ca: source(ca!, 'trust-probe', ca!).current.ca }, onChange: () => () => {} };
      const refused = await refusal(pool(withClusterTrust, true).ping(`127.0.0.1:${port}`));
      expect(refused.code).toBe('UNAVAILABLE');
      // The node's log line comes through its stdout: it may arrive after the client saw the refusal.
      await waitFor('the refusal in node 1\'s log', () => (cluster!.logsOf(1, 'private port refused a connection').length > 0 ? true : undefined), 5_000);
    });

    it('still asks a peer from the cluster CA for the secret\'s proof', async () => {
      const port = privatePortOf(2);
      const member = source(ca!, 'tool', ca!);
      const withoutProof = await refusal(pool(member).ping(`127.0.0.1:${port}`));
      expect(withoutProof.code).toBe('UNAUTHENTICATED');
      expect(await pool(member, true).ping(`127.0.0.1:${port}`)).toEqual({ nodeId: 2 });
    });
  });
});
