/**
 * The change feed (`GET /v2/changes`) on a real cluster: 1 etcd member, 3 `zen start` nodes, 2
 * partitions at replication factor 1, so no node holds every partition and one holds none. Each
 * node's stream reports the partitions it replicates by log index and lists the others as
 * unobserved; an instance started through any node is told of by the node that holds its
 * partition.
 */
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { showClusterOutputOnFailure, ZenCluster } from '../support/cluster-process.js';
import { describeWithEtcd } from '../support/etcd.js';
import { readEventStream, type EventStreamReader } from '../support/event-stream.js';
import { fixturePath } from '../support/server-client.js';

const NODES = [0, 1, 2];

interface Change {
  reason: string;
  partitions: number[];
  positions: Record<string, number>;
  unobserved: number[];
}

describeWithEtcd('cluster of real processes: the change feed', () => {
  let cluster: ZenCluster | undefined;
  const controllers: AbortController[] = [];
  const base = (nodeId: number) => `http://127.0.0.1:${cluster!.node(nodeId).server.restPort}/v2`;

  beforeAll(async () => {
    cluster = await ZenCluster.start({ nodes: 3, etcdMembers: 1, partitions: 2, replicationFactor: 1 });
    await cluster.waitForLeaders();
  }, 120_000);
  afterAll(async () => {
    for (const c of controllers) c.abort();
    await cluster?.dispose();
  }, 60_000);
  showClusterOutputOnFailure(() => cluster);

  const open = async (nodeId: number): Promise<{ stream: EventStreamReader; opened: Change }> => {
    const controller = new AbortController();
    controllers.push(controller);
    const response = await fetch(`${base(nodeId)}/changes`, { signal: controller.signal });
    expect(response.status).toBe(200);
    const stream = readEventStream(response);
    const opened = JSON.parse((await stream.next((e) => e.event === 'change')).data) as Change;
    return { stream, opened };
  };

  it('reports the partitions each node replicates, lists the others as unobserved, and tells of an instance on the node that holds it', async () => {
    const topology = (await (await fetch(`${base(0)}/topology`)).json()) as { brokers: { nodeId: number; partitions: { partitionId: number }[] }[] };
    const held = (nodeId: number) => (topology.brokers.find((b) => b.nodeId === nodeId)?.partitions ?? []).map((p) => p.partitionId).sort();
    // Replication factor 1 over 3 nodes: some node holds no partition at all.
    expect(NODES.some((nodeId) => held(nodeId).length === 0)).toBe(true);

    const form = new FormData();
    form.append('resources', new Blob([await readFile(fixturePath('server-one-task.bpmn'))]), 'server-one-task.bpmn');
    expect((await fetch(`${base(0)}/deployments`, { method: 'POST', body: form })).status).toBe(200);

    const streams = new Map<number, EventStreamReader>();
    for (const nodeId of NODES) {
      const { stream, opened } = await open(nodeId);
      streams.set(nodeId, stream);
      expect(Object.keys(opened.positions).map(Number).sort(), `node ${nodeId}`).toEqual(held(nodeId));
      expect(opened.unobserved, `node ${nodeId}`).toEqual([1, 2].filter((p) => !held(nodeId).includes(p)));
    }

    const seen = new Map(NODES.map((nodeId) => [nodeId, streams.get(nodeId)!.events.length]));
    const watcher = NODES.find((nodeId) => held(nodeId).length === 0)!;
    const created = await fetch(`${base(watcher)}/process-instances`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ processDefinitionId: 'server-one-task' }),
    });
    expect(created.status).toBe(200);
    const partition = Number(BigInt(((await created.json()) as { processInstanceKey: string }).processInstanceKey) >> 51n);
    const holder = NODES.find((nodeId) => held(nodeId).includes(partition))!;
    const stream = streams.get(holder)!;
    const told = JSON.parse((await stream.next((e) => (JSON.parse(e.data) as Change).partitions.includes(partition), 5_000, seen.get(holder))).data) as Change;
    expect(told.reason).toBe('advanced');
  });
});
