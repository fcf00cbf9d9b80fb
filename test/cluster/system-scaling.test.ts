/**
 * Scaling a cluster of real processes (ADR 017): 3 etcd members, 3 `zen start` nodes (ids 0–2),
 * 3 partitions with replication factor 2, load running with the books of cluster-load.ts. One
 * cluster for the file; the tests run in order:
 * 1. a fourth node starts (it gets nothing: the groups are full) and is added through
 *    POST /actuator/cluster/brokers/3 → it gets a membership and leads that partition, the
 *    books are clean and no client call failed;
 * 2. a node of the first three (the one holding the most) is drained through
 *    DELETE /actuator/cluster/brokers/{id} while clients keep calling it → it holds no
 *    membership and is LEFT, the books are clean and no client call failed;
 * 3. the replication factor goes to 3 (PATCH /actuator/cluster) and the controller is killed
 *    (-9) in the middle of the change, then restarted → the change completes under the next
 *    controller and every group has 3 members;
 *    Nodes carry zones (node id mod 3: zone-0, zone-1, zone-2, so that any two of the first
 *    three are in different zones, whatever order they register in): after every change each
 *    group spans at least two zones, however the members moved.
 * 4. a fifth node (id 4) is added while it is frozen, so its first join cannot finish (the step
 *    would wait up to 60 s for it); the change is cancelled through
 *    DELETE /actuator/cluster/changes/{id} → every node shows it CANCELLED, and once the node
 *    runs again a new change adding it is accepted and completes.
 */
import { afterAll, expect, it } from 'vitest';
import { ClusterLoad } from '../support/cluster-load.js';
import { showClusterOutputOnFailure, ZenCluster } from '../support/cluster-process.js';
import { describeWithEtcd } from '../support/etcd.js';
import { deployFixtures, muteSdkStreamCancellations, sleep, waitFor } from '../support/server-client.js';

const PROCESS = 'server-one-task';
const TYPE = 'server-work';

interface Broker {
  id: number;
  state: string;
  zone: string;
  partitions: { id: number; state: string; role: string }[];
}
interface Topology {
  version: number;
  replicationFactor: number;
  brokers: Broker[];
  pendingChange?: { id: number; status: string; completed: unknown[]; pending: unknown[] };
  lastChange?: { id: number; status: string; reason?: string };
}

describeWithEtcd('cluster of real processes: adding, draining and re-replicating under load', () => {
  let cluster: ZenCluster | undefined;
  const c = () => cluster!;
  showClusterOutputOnFailure(() => cluster);
  muteSdkStreamCancellations();
  afterAll(async () => {
    await cluster?.dispose();
  }, 60_000);

  const management = async (via: number, method: string, path: string, body?: unknown) => {
    const response = await fetch(c().node(via).server.systemUrl(path), {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, any> };
  };
  const topology = async (via: number) => (await management(via, 'GET', '/actuator/cluster')).body as Topology;
  const completed = (via: number, changeId: number, timeoutMs: number) =>
    waitFor(
      `change ${changeId} to complete`,
      async () => {
        const t = await topology(via).catch(() => undefined);
        if (t?.lastChange?.id === changeId) return t;
        return undefined;
      },
      timeoutMs,
    );
  const controllerId = async (among: number[]) => {
    for (const id of among) {
      const ready = await c().node(id).server.get('/ready').catch(() => null);
      if (ready && (JSON.parse(ready.body) as { details?: { controller?: boolean } }).details?.controller) return id;
    }
    return undefined;
  };

  /** Zone rules hold: every partition group has members in at least two zones. */
  const expectZonesSpread = (t: Topology) => {
    for (let p = 1; p <= 3; p++) {
      const members = t.brokers.filter((b) => b.partitions.some((m) => m.id === p));
      const zones = new Set(members.map((b) => b.zone));
      expect(zones.size, `zones of partition ${p}'s group: ${members.map((b) => `${b.id}@${b.zone}`).join(', ')}`).toBeGreaterThanOrEqual(2);
    }
  };

  it('starts 3 nodes with 3 partitions at replication factor 2', async () => {
    cluster = await ZenCluster.start({ nodes: 3, partitions: 3, replicationFactor: 2, nodeArgs: (id) => ['--zone', `zone-${id % 3}`] });
    await c().waitForLeaders({ timeoutMs: 30_000 });
    await deployFixtures(c().client(0), 'server-one-task.bpmn');
    const t = await topology(0);
    expect(t.brokers.map((b) => b.partitions.length).reduce((a, b) => a + b)).toBe(6);
    expect(t.brokers.map((b) => b.zone)).toEqual(['zone-0', 'zone-1', 'zone-2']);
    expectZonesSpread(t);
  }, 120_000);

  it('adds a fourth node under load: it gets a membership and leads it, and no client call fails', async () => {
    const via = [0, 1, 2];
    const load = new ClusterLoad(c(), { bpmnProcessId: PROCESS, jobType: TYPE, createVia: () => via, workVia: () => via });
    load.startCreating();
    load.startWorking();
    await waitFor('load under way', () => (load.acked.size >= 40 && load.completedJobs.size >= 10 ? true : undefined), 30_000);

    await c().addNode(3);
    // A node joining a full cluster gets nothing by itself.
    await sleep(1_500);
    expect((await topology(0)).brokers.find((b) => b.id === 3)).toMatchObject({ state: 'ACTIVE', partitions: [] });

    const dry = await management(1, 'POST', '/actuator/cluster/brokers/3?dryRun=true');
    expect(dry.status).toBe(202);
    expect(dry.body.plannedChanges.length).toBeGreaterThan(0);
    expect((await topology(0)).pendingChange).toBeUndefined();

    const unknown = await management(1, 'POST', '/actuator/cluster/brokers/9');
    expect(unknown.status).toBe(400);
    expect(unknown.body.detail).toContain('Node 9 is not registered');

    const accepted = await management(1, 'POST', '/actuator/cluster/brokers/3');
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(202);
    expect(accepted.body.plannedChanges).toEqual(dry.body.plannedChanges);
    const changeId = accepted.body.changeId as number;
    via.push(3);

    const done = await completed(0, changeId, 60_000);
    expect(done.lastChange!.status, JSON.stringify(done.lastChange)).toBe('COMPLETED');
    const node3 = done.brokers.find((b) => b.id === 3)!;
    expect(node3.partitions.length).toBeGreaterThan(0);
    expect(node3.partitions.every((p) => p.state === 'ACTIVE')).toBe(true);
    for (let p = 1; p <= 3; p++) expect(done.brokers.filter((b) => b.partitions.some((m) => m.id === p)).length).toBe(2);
    expectZonesSpread(done);
    await waitFor('node 3 to lead a partition', async () => ((await topology(0)).brokers.find((b) => b.id === 3)!.partitions.some((p) => p.role === 'LEADER') ? true : undefined), 20_000);

    await waitFor('load through node 3', () => (load.acked.size >= 40 && [...load.acked.values()].some((a) => a.via === 3) ? true : undefined), 20_000);
    await load.stopCreating();
    await load.drain();
    await load.stopWorking();
    expect(load.failures, load.summary()).toEqual([]);
    expect(load.violations(), load.summary()).toEqual([]);
    expect(await load.instancesNotCompleted(0), load.summary()).toEqual([]);
    console.info(`node 3 added (change ${changeId}): ${load.summary()}`);
  }, 180_000);

  // The node to drain: the one of the first three holding the most memberships (leading one if it can), so
  // that the drain has groups to move and a leadership to hand over.
  let drained = 1;

  it('drains a node under load while its clients keep calling it: it is LEFT, holds nothing, and no client call fails', async () => {
    const before = await topology(0);
    const candidates = before.brokers.filter((b) => b.id !== 3);
    const score = (b: Broker) => b.partitions.length * 10 + (b.partitions.some((p) => p.role === 'LEADER') ? 1 : 0);
    drained = candidates.reduce((best, b) => (score(b) > score(best) ? b : best)).id;
    expect(before.brokers.find((b) => b.id === drained)!.partitions.length).toBeGreaterThan(0);
    const keep = [0, 1, 2, 3].filter((n) => n !== drained);

    const via = [0, 1, 2, 3];
    const load = new ClusterLoad(c(), { bpmnProcessId: PROCESS, jobType: TYPE, createVia: () => via, workVia: () => via });
    load.startCreating();
    load.startWorking();
    await waitFor('load under way', () => (load.acked.size >= 40 && load.completedJobs.size >= 10 ? true : undefined), 30_000);

    const accepted = await management(keep[0]!, 'DELETE', `/actuator/cluster/brokers/${drained}`);
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(202);
    const changeId = accepted.body.changeId as number;
    expect(accepted.body.plannedChanges.at(-1)).toEqual({ operation: 'BROKER_REMOVE', brokerId: drained });
    expect(accepted.body.plannedChanges.filter((op: { operation: string }) => op.operation === 'PARTITION_LEAVE').length).toBeGreaterThan(0);
    // One change at a time: a second request names the pending one (the drain's joins take a while).
    const second = await management(keep[1]!, 'PATCH', '/actuator/cluster', { partitions: { replicationFactor: 3 } });
    expect(second.status, JSON.stringify(second.body)).toBe(409);
    expect(second.body.detail).toContain(`Cluster change ${changeId} is in progress`);

    const done = await completed(keep[0]!, changeId, 90_000);
    expect(done.lastChange!.status, JSON.stringify(done.lastChange)).toBe('COMPLETED');
    expect(done.brokers.find((b) => b.id === drained)).toMatchObject({ state: 'LEFT', partitions: [] });
    for (let p = 1; p <= 3; p++) expect(done.brokers.filter((b) => b.partitions.some((m) => m.id === p)).length).toBe(2);
    expectZonesSpread(done);

    // The drained node still serves its clients after it left (through the other nodes' leaders).
    const count = load.acked.size;
    await waitFor('creates after the drain', () => (load.acked.size >= count + 20 ? true : undefined), 20_000);
    await load.stopCreating();
    await load.drain();
    await load.stopWorking();
    expect(load.failures, load.summary()).toEqual([]);
    expect([...load.acked.values()].filter((a) => a.via === drained).length).toBeGreaterThan(0);
    expect(load.violations(), load.summary()).toEqual([]);
    expect(await load.instancesNotCompleted(keep[0]!), load.summary()).toEqual([]);
    // Running on, it has not recorded itself ACTIVE again.
    expect((await topology(keep[0]!)).brokers.find((b) => b.id === drained)).toMatchObject({ state: 'LEFT', partitions: [] });
    console.info(`node ${drained} drained (change ${changeId}): ${load.summary()}`);
    // The operator stops the drained node; nothing depends on it any more.
    await c().node(drained).server.stop(30_000);
  }, 180_000);

  it('raises the replication factor to 3 and completes the change although the controller is killed in the middle', async () => {
    const nodes = [0, 1, 2, 3].filter((n) => n !== drained);
    const controller = await waitFor('a controller', () => controllerId(nodes), 20_000);
    const others = nodes.filter((n) => n !== controller);
    const via = others[0]!;
    // Clients of the node about to be killed would see its failure: the load goes through the others.
    const load = new ClusterLoad(c(), { bpmnProcessId: PROCESS, jobType: TYPE, createVia: () => others, workVia: () => others, callTimeoutMs: 6_000 });
    load.startCreating();
    load.startWorking();
    await waitFor('load under way', () => (load.acked.size >= 30 ? true : undefined), 30_000);

    const accepted = await management(via, 'PATCH', '/actuator/cluster', { partitions: { replicationFactor: 3 } });
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(202);
    const changeId = accepted.body.changeId as number;
    expect(accepted.body.plannedChanges.every((op: { operation: string }) => op.operation === 'PARTITION_JOIN')).toBe(true);

    await waitFor('a first step done', async () => ((await topology(via)).pendingChange?.completed.length ?? 0) >= 1 || (await topology(via)).lastChange?.id === changeId ? true : undefined, 60_000);
    await c().kill9(controller);
    const next = await waitFor('another controller', () => controllerId(others), 20_000);
    expect(next).not.toBe(controller);
    // The killed node may be one of the joining members: it comes back on its data dir.
    await c().restart(controller);

    const done = await completed(via, changeId, 90_000);
    expect(done.lastChange!.status, JSON.stringify(done.lastChange)).toBe('COMPLETED');
    expect(done.replicationFactor).toBe(3);
    for (let p = 1; p <= 3; p++) expect(done.brokers.filter((b) => b.partitions.some((m) => m.id === p)).map((b) => b.id).sort()).toEqual(nodes);
    expectZonesSpread(done);

    await load.stopCreating();
    await load.drain(60_000);
    await load.stopWorking();
    // Calls through the killed node fail while it is down; what was acknowledged is all there.
    expect(load.violations(), load.summary()).toEqual([]);
    expect(await load.instancesNotCompleted(via), load.summary()).toEqual([]);
    console.info(`replication factor 3 (change ${changeId}) with controller ${controller} killed: ${load.summary()}`);
  }, 240_000);

  it('cancels a change that cannot finish (its joining node is frozen), and accepts a new one afterwards', async () => {
    const nodes = [0, 1, 2, 3].filter((n) => n !== drained);
    await c().addNode(4);
    await waitFor('node 4 registered', async () => ((await topology(nodes[0]!)).brokers.find((b) => b.id === 4)?.state === 'ACTIVE' ? true : undefined), 20_000);
    // Frozen, node 4 never reports its joins ACTIVE; its registration lapses after the lease TTL,
    // and the join step then waits (up to 60 s) for it to come back.
    c().freeze(4);
    const accepted = await management(nodes[0]!, 'POST', '/actuator/cluster/brokers/4');
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(202);
    const changeId = accepted.body.changeId as number;
    expect(accepted.body.plannedChanges[0]).toMatchObject({ operation: 'PARTITION_JOIN', brokerId: 4 });
    await waitFor('the join to wait for node 4', async () => ((await topology(nodes[1]!)).brokers.find((b) => b.id === 4)?.state === 'DOWN' ? true : undefined), 20_000);
    expect((await topology(nodes[1]!)).pendingChange).toMatchObject({ id: changeId, status: 'IN_PROGRESS' });

    const wrong = await management(nodes[1]!, 'DELETE', `/actuator/cluster/changes/${changeId + 1000}`);
    expect(wrong.status).toBe(404);
    expect(wrong.body.detail).toContain(`the pending change is ${changeId}`);
    const cancelled = await management(nodes[1]!, 'DELETE', `/actuator/cluster/changes/${changeId}`);
    expect(cancelled.status, JSON.stringify(cancelled.body)).toBe(200);
    expect(cancelled.body.pendingChange).toBeUndefined();
    expect(cancelled.body.lastChange).toMatchObject({ id: changeId, status: 'CANCELLED', reason: 'cancelled by an operator' });
    // Another node folds the same cluster log.
    const seen = await completed(nodes[2]!, changeId, 10_000);
    expect(seen.lastChange).toMatchObject({ id: changeId, status: 'CANCELLED', reason: 'cancelled by an operator' });
    expect(seen.pendingChange).toBeUndefined();

    // Node 4 comes back; a new change adding it is accepted and carried out.
    await c().kill9(4);
    await c().restart(4);
    const again = await waitFor(
      'a new change adding node 4 to be accepted',
      async () => {
        const res = await management(nodes[2]!, 'POST', '/actuator/cluster/brokers/4');
        return res.status === 202 ? res : undefined;
      },
      30_000,
    );
    const next = again.body.changeId as number;
    expect(next).toBeGreaterThan(changeId);
    const done = await completed(nodes[0]!, next, 90_000);
    expect(done.lastChange!.status, JSON.stringify(done.lastChange)).toBe('COMPLETED');
    expect(done.brokers.find((b) => b.id === 4)!.partitions.length).toBeGreaterThan(0);
    expectZonesSpread(done);
    console.info(`change ${changeId} cancelled; change ${next} added node 4`);
  }, 180_000);

  it('stops', async () => {
    await cluster?.dispose();
    cluster = undefined;
  }, 60_000);
});
