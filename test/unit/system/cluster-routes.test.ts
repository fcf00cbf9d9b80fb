/** /actuator/cluster on the system port, over ChangeRequests with a fake cluster (no etcd). */
import { afterEach, describe, expect, it } from 'vitest';
import { createSystemServer, type SystemServer } from '../../../src/api/system/index.js';
import { ChangeRequests, type ChangeSource } from '../../../src/cluster/main/change-requests.js';
import type { ClusterCommand, ClusterState } from '../../../src/cluster/main/types.js';
import { ZenMetrics } from '../../../src/metrics/index.js';
import { config, fold, member, node } from '../cluster/fixtures.js';

const servers: SystemServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** A cluster log in memory: appends fold at once. */
class FakeCluster implements ChangeSource {
  appended: ClusterCommand[] = [];
  constructor(
    public state: ClusterState,
    public live: Set<number>,
  ) {}
  async freshState() {
    return this.state;
  }
  async liveNodeIds() {
    return this.live;
  }
  async append(command: ClusterCommand) {
    this.appended.push(command);
    this.state = fold([command], this.state);
    return this.state.version;
  }
}

function threeNodes(): ClusterState {
  return fold([
    config(3, 2),
    node(1, 'a'),
    node(2, 'b'),
    node(3, 'c'),
    node(4, 'a'),
    member(1, 1, { state: 'ACTIVE', role: 'LEADER', term: 5 }),
    member(1, 2, { state: 'ACTIVE', role: 'FOLLOWER' }),
    member(2, 2, { state: 'ACTIVE', role: 'LEADER', term: 6 }),
    member(2, 3, { state: 'ACTIVE', role: 'FOLLOWER' }),
    member(3, 3, { state: 'ACTIVE', role: 'LEADER', term: 7 }),
    member(3, 1, { state: 'ACTIVE', role: 'FOLLOWER' }),
  ]);
}

function server(cluster: FakeCluster | null) {
  const s = createSystemServer({ metrics: new ZenMetrics(), readiness: () => true, cluster: new ChangeRequests(() => cluster, () => 1_700_000_000_000) });
  servers.push(s);
  return s.app;
}

describe('system API: /actuator/cluster', () => {
  it('GET shows the brokers with their partitions, version and replication factor', async () => {
    const res = await server(new FakeCluster(threeNodes(), new Set([1, 2, 3, 4]))).inject({ method: 'GET', url: '/actuator/cluster' });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ partitionCount: 3, replicationFactor: 2 });
    expect(body.brokers[0]).toEqual({
      id: 1,
      state: 'ACTIVE',
      version: expect.any(Number),
      lastUpdatedAt: null,
      zone: 'a',
      partitions: [
        { id: 1, state: 'ACTIVE', role: 'LEADER' },
        { id: 3, state: 'ACTIVE', role: 'FOLLOWER' },
      ],
    });
    expect(body.pendingChange).toBeUndefined();
  });

  it('POST /brokers/4 answers 202 with the plan and records it; GET then shows it pending; a second request is 409 naming it', async () => {
    const cluster = new FakeCluster(threeNodes(), new Set([1, 2, 3, 4]));
    const app = server(cluster);
    const res = await app.inject({ method: 'POST', url: '/actuator/cluster/brokers/4' });
    expect(res.statusCode).toBe(202);
    const body = res.json();
    expect(body.changeId).toBe(cluster.state.pendingChange!.id);
    expect(body.plannedChanges[0]).toEqual({ operation: 'PARTITION_JOIN', brokerId: 4, partitionId: expect.any(Number) });
    expect(body.currentTopology.find((b: { id: number }) => b.id === 4).partitions).toEqual([]);
    expect(body.expectedTopology.find((b: { id: number }) => b.id === 4).partitions.length).toBeGreaterThan(0);
    expect(cluster.appended).toHaveLength(1);

    const status = (await app.inject({ method: 'GET', url: '/actuator/cluster' })).json();
    expect(status.pendingChange).toMatchObject({ id: body.changeId, status: 'IN_PROGRESS', startedAt: '2023-11-14T22:13:20.000Z', completed: [] });
    expect(status.pendingChange.pending).toEqual(body.plannedChanges);

    const second = await app.inject({ method: 'DELETE', url: '/actuator/cluster/brokers/3' });
    expect(second.statusCode).toBe(409);
    expect(second.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(second.json()).toMatchObject({ title: 'INVALID_STATE', status: 409, detail: `Cluster change ${body.changeId} is in progress; request the next change once it has completed` });
  });

  it('?dryRun=true plans without recording', async () => {
    const cluster = new FakeCluster(threeNodes(), new Set([1, 2, 3, 4]));
    const res = await server(cluster).inject({ method: 'DELETE', url: '/actuator/cluster/brokers/1?dryRun=true' });
    expect(res.statusCode).toBe(202);
    expect(res.json().plannedChanges.at(-1)).toEqual({ operation: 'BROKER_REMOVE', brokerId: 1 });
    expect(res.json().expectedTopology.find((b: { id: number }) => b.id === 1)).toMatchObject({ state: 'LEFT', partitions: [] });
    expect(cluster.appended).toEqual([]);
  });

  it('refusals: an unregistered node 400, a drain the others cannot absorb 409, bad ids and bodies 400', async () => {
    const app = server(new FakeCluster(threeNodes(), new Set([1, 2])));
    const unregistered = await app.inject({ method: 'POST', url: '/actuator/cluster/brokers/4' });
    expect(unregistered.statusCode).toBe(400);
    expect(unregistered.json().detail).toContain('Node 4 is not registered');
    const drain = await app.inject({ method: 'DELETE', url: '/actuator/cluster/brokers/1' });
    expect(drain.statusCode).toBe(409);
    expect(drain.json().detail).toContain('fewer than the replication factor 2');
    expect((await app.inject({ method: 'POST', url: '/actuator/cluster/brokers/-1' })).statusCode).toBe(400);
    expect((await app.inject({ method: 'POST', url: '/actuator/cluster/brokers/1?dryRun=maybe' })).statusCode).toBe(400);
    for (const payload of [{}, { partitions: { replicationFactor: 0 } }, { partitions: { count: 5 } }, { brokers: { add: [4] } }]) {
      const res = await app.inject({ method: 'PATCH', url: '/actuator/cluster', payload });
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(res.json().title).toBe('INVALID_ARGUMENT');
    }
  });

  it('PATCH with Zeebe shape changes the replication factor', async () => {
    const cluster = new FakeCluster(threeNodes(), new Set([1, 2, 3, 4]));
    const res = await server(cluster).inject({ method: 'PATCH', url: '/actuator/cluster', payload: { partitions: { replicationFactor: 3 } } });
    expect(res.statusCode).toBe(202);
    expect(res.json().plannedChanges.filter((op: { operation: string }) => op.operation === 'PARTITION_JOIN')).toHaveLength(3);
    expect(cluster.state.pendingChange!.replicationFactor).toBe(3);
  });

  it('DELETE /changes/{id} cancels the pending change and answers the topology with it CANCELLED; a new change is accepted after', async () => {
    const cluster = new FakeCluster(threeNodes(), new Set([1, 2, 3, 4]));
    const app = server(cluster);
    const changeId = (await app.inject({ method: 'POST', url: '/actuator/cluster/brokers/4' })).json().changeId as number;

    const res = await app.inject({ method: 'DELETE', url: `/actuator/cluster/changes/${changeId}` });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.pendingChange).toBeUndefined();
    expect(body.lastChange).toEqual({ id: changeId, status: 'CANCELLED', startedAt: '2023-11-14T22:13:20.000Z', completedAt: '2023-11-14T22:13:20.000Z', reason: 'cancelled by an operator' });
    expect(body).toEqual((await app.inject({ method: 'GET', url: '/actuator/cluster' })).json());
    expect(cluster.appended.at(-1)).toEqual({ type: 'ClusterChangeCancelled', changeId, cancelledAt: 1_700_000_000_000, reason: 'cancelled by an operator' });
    // Nothing done so far is undone: the cancel is the only command appended after the plan.
    expect(cluster.appended).toHaveLength(2);

    const again = await app.inject({ method: 'DELETE', url: '/actuator/cluster/changes/1?dryRun=false' });
    expect(again.statusCode).toBe(404);
    expect(again.json()).toMatchObject({ status: 404, detail: 'Cluster change 1 is not pending (no change is pending); only the pending change can be cancelled' });
    expect((await app.inject({ method: 'POST', url: '/actuator/cluster/brokers/4' })).statusCode).toBe(202);
  });

  it('DELETE /changes/{id} refuses another id (404 naming the pending one), a non-number (400) and a dry run (400)', async () => {
    const cluster = new FakeCluster(threeNodes(), new Set([1, 2, 3, 4]));
    const app = server(cluster);
    const changeId = (await app.inject({ method: 'POST', url: '/actuator/cluster/brokers/4' })).json().changeId as number;
    const other = await app.inject({ method: 'DELETE', url: `/actuator/cluster/changes/${changeId + 1}` });
    expect(other.statusCode).toBe(404);
    expect(other.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(other.json().detail).toContain(`(the pending change is ${changeId})`);
    const bad = await app.inject({ method: 'DELETE', url: '/actuator/cluster/changes/abc' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ title: 'INVALID_ARGUMENT', detail: "Change id must be a number, got 'abc'" });
    const dry = await app.inject({ method: 'DELETE', url: `/actuator/cluster/changes/${changeId}?dryRun=true` });
    expect(dry.statusCode).toBe(400);
    expect(dry.json().detail).toBe('Cancelling a change has no dry run');
    expect(cluster.state.pendingChange?.id).toBe(changeId);
    expect(cluster.appended).toHaveLength(1);
  });

  it('a node without a cluster says so', async () => {
    const s = createSystemServer({ metrics: new ZenMetrics(), readiness: () => true });
    servers.push(s);
    const res = await s.app.inject({ method: 'GET', url: '/actuator/cluster' });
    expect(res.statusCode).toBe(409);
    expect(res.json().detail).toContain('no --etcd-endpoints');
  });
});
