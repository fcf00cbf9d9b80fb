/**
 * Users on a real cluster (docs/adr/012): 1 etcd member, 2 `zen start` nodes with 2 partitions at
 * replication factor 1 (so one node holds partition 1 and the other does not), and a third node
 * that holds no partition at all (`--controller-only`), every node `--auth basic`. A user created
 * through one node logs in through every node within about a second; deleted through another,
 * it is refused everywhere as fast. The administrator is created once for the whole cluster.
 */
import { Camunda8 } from '@camunda8/sdk';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type ClusterTopology, rolesOf, showClusterOutputOnFailure, ZenCluster } from '../support/cluster-process.js';
import { describeWithEtcd } from '../support/etcd.js';
import { muteSdkStreamCancellations, sleep } from '../support/server-client.js';

const ADMIN = { username: 'admin', password: 'cluster-Admin-4e1d' };
const ERIN = { username: 'erin', password: 'erin-Pass-77aa', name: 'Erin', email: 'erin@example.com' };

const basic = (username: string, password: string) => `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;

describeWithEtcd('cluster of real processes: users replicated from partition 1 to every node', () => {
  let cluster: ZenCluster | undefined;
  const c = () => cluster!;

  beforeAll(async () => {
    cluster = await ZenCluster.start({
      nodes: 2,
      etcdMembers: 1,
      partitions: 2,
      replicationFactor: 1,
      args: ['--auth', 'basic', '--admin-user', ADMIN.username, '--admin-password', ADMIN.password],
    });
    // Joins later: it holds no partition, so it can only ever read the users from another node.
    await cluster.addNode(2, { controllerOnly: true });
  }, 120_000);
  afterAll(async () => {
    await cluster?.dispose();
  }, 60_000);
  showClusterOutputOnFailure(() => cluster);
  muteSdkStreamCancellations();

  async function rest(nodeId: number, path: string, init: { method?: string; auth?: string; body?: unknown } = {}) {
    const response = await fetch(`http://127.0.0.1:${c().node(nodeId).server.restPort}/v2${path}`, {
      method: init.method ?? 'GET',
      headers: { ...(init.auth ? { authorization: init.auth } : {}), ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
    });
    return { status: response.status, json: (await response.json().catch(() => null)) as Record<string, unknown> | null };
  }

  /** Polls `nodeId` with erin's credentials until it answers `status`; the milliseconds that took. */
  async function timeUntil(nodeId: number, status: number, timeoutMs = 10_000): Promise<number> {
    const started = performance.now();
    for (;;) {
      if ((await rest(nodeId, '/topology', { auth: basic(ERIN.username, ERIN.password) })).status === status) return performance.now() - started;
      if (performance.now() - started > timeoutMs) throw new Error(`node ${nodeId} did not answer ${status} to erin within ${timeoutMs} ms`);
      await sleep(20);
    }
  }

  it('creates the administrator once, and every node lets it in over gRPC and REST', async () => {
    const created = [0, 1, 2].flatMap((id) => c().node(id).server.logs().filter((l) => l.msg === 'administrator created'));
    expect(created).toHaveLength(1);
    for (const nodeId of [0, 1, 2]) {
      const server = c().node(nodeId).server;
      const zeebe = new Camunda8({
        ZEEBE_GRPC_ADDRESS: `grpc://${server.grpcAddress}`,
        CAMUNDA_AUTH_STRATEGY: 'BASIC',
        CAMUNDA_BASIC_AUTH_USERNAME: ADMIN.username,
        CAMUNDA_BASIC_AUTH_PASSWORD: ADMIN.password,
        CAMUNDA_LOG_LEVEL: 'none',
        zeebeGrpcSettings: { ZEEBE_CLIENT_LOG_LEVEL: 'NONE', ZEEBE_GRPC_CLIENT_RETRY: false },
      }).getZeebeGrpcApiClient();
      try {
        const topology = (await zeebe.topology()) as unknown as ClusterTopology;
        expect(rolesOf(topology).get(1)!.leaders).toHaveLength(1);
      } finally {
        await zeebe.close();
      }
      expect((await rest(nodeId, '/authentication/me', { auth: basic(ADMIN.username, ADMIN.password) })).json).toMatchObject({ username: 'admin' });
    }
  });

  it('a user created on one node logs in on the others within about a second; deleted on another, it is refused everywhere', async () => {
    const admin = basic(ADMIN.username, ADMIN.password);
    const topology = (await rest(0, '/topology', { auth: admin })).json as { brokers: Array<{ nodeId: number; partitions: Array<{ partitionId: number; role: string }> }> };
    const holder = topology.brokers.find((b) => b.partitions.some((p) => p.partitionId === 1 && p.role.toUpperCase() === 'LEADER'))!.nodeId;
    expect([0, 1]).toContain(holder);
    const other = holder === 0 ? 1 : 0;

    // Created through the node without partition 1: the command goes to partition 1 on the other.
    expect((await rest(other, '/users', { method: 'POST', auth: admin, body: ERIN })).status).toBe(201);
    expect((await rest(other, '/topology', { auth: basic(ERIN.username, ERIN.password) })).status).toBe(200);
    const toHolder = await timeUntil(holder, 200);
    const toController = await timeUntil(2, 200);

    // Deleted through the node with no partition at all.
    expect((await rest(2, `/users/${ERIN.username}`, { method: 'DELETE', auth: admin })).status).toBe(204);
    expect((await rest(2, '/topology', { auth: basic(ERIN.username, ERIN.password) })).status).toBe(401);
    const goneOnHolder = await timeUntil(holder, 401);
    const goneOnOther = await timeUntil(other, 401);
    console.info(
      `erin reached node ${holder} (partition 1) in ${Math.round(toHolder)} ms and the controller-only node in ${Math.round(toController)} ms; ` +
        `her deletion in ${Math.round(goneOnHolder)} and ${Math.round(goneOnOther)} ms`,
    );
    for (const ms of [toHolder, toController, goneOnHolder, goneOnOther]) expect(ms).toBeLessThan(1_500);
  });

  it('every node finds the same users', async () => {
    const admin = basic(ADMIN.username, ADMIN.password);
    for (const nodeId of [0, 1, 2]) {
      const found = await rest(nodeId, '/users/search', { method: 'POST', auth: admin, body: {} });
      expect(found.json).toMatchObject({ items: [{ username: 'admin' }], page: { totalItems: 1 } });
    }
  });
});
