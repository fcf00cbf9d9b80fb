/**
 * Authorizations on a real cluster (docs/adr/013): 1 etcd member, 3 `zen start` nodes
 * (2 partitions at replication factor 1, so at least one node holds no replica of partition 1),
 * every node `--auth basic --authorizations`. A user without CREATE_PROCESS_INSTANCE is refused
 * on every node (SDK over gRPC, and REST); one `POST /v2/authorizations` later, every node lets
 * it start the process within about a second.
 */
import { Camunda8 } from '@camunda8/sdk';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { showClusterOutputOnFailure, ZenCluster } from '../support/cluster-process.js';
import { describeWithEtcd } from '../support/etcd.js';
import { fixturePath, grpcFailure, muteSdkStreamCancellations, sleep } from '../support/server-client.js';

const ADMIN = { username: 'admin', password: 'cluster-Admin-4e1d' };
const FRANK = { username: 'frank', password: 'frank-Pass-3c9d' };
const NODES = [0, 1, 2];

const basic = (who: { username: string; password: string }) => `Basic ${Buffer.from(`${who.username}:${who.password}`).toString('base64')}`;

describeWithEtcd('cluster of real processes: authorizations enforced alike on every node', () => {
  let cluster: ZenCluster | undefined;
  const c = () => cluster!;

  beforeAll(async () => {
    cluster = await ZenCluster.start({
      nodes: 3,
      etcdMembers: 1,
      partitions: 2,
      replicationFactor: 1,
      args: ['--auth', 'basic', '--authorizations', '--admin-user', ADMIN.username, '--admin-password', ADMIN.password],
    });
  }, 120_000);
  afterAll(async () => {
    await cluster?.dispose();
  }, 60_000);
  showClusterOutputOnFailure(() => cluster);
  muteSdkStreamCancellations();

  function zeebe(nodeId: number, who: { username: string; password: string }) {
    return new Camunda8({
      ZEEBE_GRPC_ADDRESS: `grpc://${c().node(nodeId).server.grpcAddress}`,
      CAMUNDA_AUTH_STRATEGY: 'BASIC',
      CAMUNDA_BASIC_AUTH_USERNAME: who.username,
      CAMUNDA_BASIC_AUTH_PASSWORD: who.password,
      CAMUNDA_LOG_LEVEL: 'none',
      zeebeGrpcSettings: { ZEEBE_CLIENT_LOG_LEVEL: 'NONE', ZEEBE_GRPC_CLIENT_RETRY: false },
    }).getZeebeGrpcApiClient();
  }

  async function rest(nodeId: number, path: string, who: { username: string; password: string }, init: { method?: string; body?: unknown } = {}) {
    const response = await fetch(`http://127.0.0.1:${c().node(nodeId).server.restPort}/v2${path}`, {
      method: init.method ?? 'GET',
      headers: { authorization: basic(who), ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
    });
    return { status: response.status, json: (await response.json().catch(() => null)) as Record<string, any> | null };
  }

  async function timeUntil(nodeId: number, probe: () => Promise<boolean>, timeoutMs = 10_000): Promise<number> {
    const started = performance.now();
    for (;;) {
      if (await probe()) return performance.now() - started;
      if (performance.now() - started > timeoutMs) throw new Error(`node ${nodeId}: condition not met within ${timeoutMs} ms`);
      await sleep(20);
    }
  }

  const startInstance = (nodeId: number) => rest(nodeId, '/process-instances', FRANK, { method: 'POST', body: { processDefinitionId: 'server-one-task' } });

  it('refuses a user without CREATE_PROCESS_INSTANCE on every node, then allows it on every node within a second of the REST call', async () => {
    // Ready means the node's copy holds the administrator, even on a node that lost the race to create it.
    for (const nodeId of NODES) expect((await rest(nodeId, '/topology', ADMIN)).status, `node ${nodeId}`).toBe(200);
    const admin = zeebe(0, ADMIN);
    try {
      await admin.deployResource({ processFilename: fixturePath('server-one-task.bpmn') });
    } finally {
      await admin.close();
    }
    expect((await rest(0, '/users', ADMIN, { method: 'POST', body: FRANK })).status).toBe(201);
    for (const nodeId of NODES) await timeUntil(nodeId, async () => (await rest(nodeId, '/topology', FRANK)).status === 200);

    for (const nodeId of NODES) {
      const client = zeebe(nodeId, FRANK);
      try {
        const refused = await grpcFailure(client.createProcessInstance({ bpmnProcessId: 'server-one-task', variables: {} }));
        expect(refused.code).toBe(7);
        expect(refused.details).toContain("'CREATE_PROCESS_INSTANCE' on resource 'PROCESS_DEFINITION'");
      } finally {
        await client.close();
      }
      const restRefused = await startInstance(nodeId);
      expect(restRefused.status).toBe(403);
    }

    const granted = await rest(1, '/authorizations', ADMIN, {
      method: 'POST',
      body: { ownerId: FRANK.username, ownerType: 'USER', resourceType: 'PROCESS_DEFINITION', resourceId: 'server-one-task', permissionTypes: ['CREATE_PROCESS_INSTANCE'] },
    });
    expect(granted.status).toBe(201);
    const delays = await Promise.all(NODES.map((nodeId) => timeUntil(nodeId, async () => (await startInstance(nodeId)).status === 200)));
    console.info(`the authorization was enforced on nodes 0, 1, 2 after ${delays.map((ms) => Math.round(ms)).join(', ')} ms`);
    for (const ms of delays) expect(ms).toBeLessThan(1_000);

    for (const nodeId of NODES) {
      const client = zeebe(nodeId, FRANK);
      try {
        const created = await client.createProcessInstance({ bpmnProcessId: 'server-one-task', variables: {} });
        expect(created.processInstanceKey).toMatch(/^\d+$/);
      } finally {
        await client.close();
      }
    }
  });
});
