/**
 * Groups on a real cluster (docs/adr/014): 1 etcd member, 3 `zen start` nodes (2 partitions at
 * replication factor 1, so at least one node holds no replica of partition 1), every node
 * `--auth basic --authorizations`. A group with CREATE_PROCESS_INSTANCE is made on one node, a
 * user added to it on another; every node lets the user start the process within a second and
 * shows the group and its member.
 */
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { showClusterOutputOnFailure, ZenCluster } from '../support/cluster-process.js';
import { describeWithEtcd } from '../support/etcd.js';
import { fixturePath, sleep } from '../support/server-client.js';

const ADMIN = { username: 'admin', password: 'cluster-Admin-4e1d' };
const GINA = { username: 'gina', password: 'gina-Pass-8b2e' };
const NODES = [0, 1, 2];

const basic = (who: { username: string; password: string }) => `Basic ${Buffer.from(`${who.username}:${who.password}`).toString('base64')}`;

describeWithEtcd('cluster of real processes: group membership enforced alike on every node', () => {
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

  async function rest(nodeId: number, path: string, who: { username: string; password: string }, init: { method?: string; body?: unknown; form?: FormData } = {}) {
    const response = await fetch(`http://127.0.0.1:${c().node(nodeId).server.restPort}/v2${path}`, {
      method: init.method ?? 'GET',
      headers: { authorization: basic(who), ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : init.form ? { body: init.form } : {}),
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

  const startInstance = (nodeId: number) => rest(nodeId, '/process-instances', GINA, { method: 'POST', body: { processDefinitionId: 'server-one-task' } });

  it('a user added to a group on one node is allowed what the group holds on every node within a second', async () => {
    for (const nodeId of NODES) await timeUntil(nodeId, async () => (await rest(nodeId, '/topology', ADMIN)).status === 200);
    const form = new FormData();
    form.append('resources', new Blob([await readFile(fixturePath('server-one-task.bpmn'))]), 'server-one-task.bpmn');
    expect((await rest(0, '/deployments', ADMIN, { method: 'POST', form })).status).toBe(200);
    expect((await rest(0, '/users', ADMIN, { method: 'POST', body: GINA })).status).toBe(201);
    expect((await rest(1, '/groups', ADMIN, { method: 'POST', body: { groupId: 'starters', name: 'Starters' } })).status).toBe(201);
    const granted = await rest(1, '/authorizations', ADMIN, {
      method: 'POST',
      body: { ownerId: 'starters', ownerType: 'GROUP', resourceType: 'PROCESS_DEFINITION', resourceId: 'server-one-task', permissionTypes: ['CREATE_PROCESS_INSTANCE'] },
    });
    expect(granted.status).toBe(201);
    for (const nodeId of NODES) {
      await timeUntil(nodeId, async () => (await rest(nodeId, '/topology', GINA)).status === 200);
      expect((await startInstance(nodeId)).status).toBe(403);
    }

    expect((await rest(2, '/groups/starters/users/gina', ADMIN, { method: 'PUT' })).status).toBe(204);
    const delays = await Promise.all(NODES.map((nodeId) => timeUntil(nodeId, async () => (await startInstance(nodeId)).status === 200)));
    console.info(`the group membership was enforced on nodes 0, 1, 2 after ${delays.map((ms) => Math.round(ms)).join(', ')} ms`);
    for (const ms of delays) expect(ms).toBeLessThan(1_000);
    for (const nodeId of NODES) {
      expect((await rest(nodeId, '/groups/starters', ADMIN)).json).toEqual({ groupId: 'starters', name: 'Starters', description: '' });
      expect((await rest(nodeId, '/groups/starters/users/search', ADMIN, { method: 'POST', body: {} })).json!.items).toEqual([{ username: 'gina' }]);
    }
  });
});
