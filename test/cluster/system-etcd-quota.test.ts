/**
 * etcd with a 64 MiB space quota under a load of 32 KB variables, on a real cluster (3 etcd
 * members, 3 `zen start` nodes, 2 partitions with RF 3: one node follows both), with the
 * follower-only node frozen (SIGSTOP) for a minute. A lagging member used to hold the
 * compaction of the partition logs back until etcd filled up and raised its NOSPACE alarm, and
 * every partition stopped until an operator disarmed it. Now:
 * - the cluster keeps serving, or refuses new work cleanly with RESOURCE_EXHAUSTED;
 * - etcd never raises the alarm, and no member's database reaches the quota;
 * - thawed, the follower catches up (from a snapshot: the log went on without it).
 */
import { Etcd3 } from 'etcd3';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ClusterLoad } from '../support/cluster-load.js';
import { clusterForFile } from '../support/cluster-process.js';
import { describeWithEtcd } from '../support/etcd.js';
import { Code, sleep, waitFor } from '../support/server-client.js';

const QUOTA = 64 * 1024 * 1024;
const FREEZE_MS = 60_000;

async function dbSizes(endpoints: readonly string[]): Promise<number[]> {
  return Promise.all(
    endpoints.map(async (endpoint) => {
      try {
        const text = await (await fetch(`${endpoint}/metrics`)).text();
        const line = text.split('\n').find((l) => l.startsWith('etcd_mvcc_db_total_size_in_bytes '));
        return line ? Number(line.split(' ')[1]) : 0;
      } catch {
        return 0;
      }
    }),
  );
}

describeWithEtcd('cluster of real processes: etcd with a 64 MiB quota', () => {
  const cluster = clusterForFile(
    { nodes: 3, etcdMembers: 3, partitions: 2, replicationFactor: 3, leaseTtl: 2, etcdArgs: ['--quota-backend-bytes', String(QUOTA)] },
    ['server-one-task.bpmn'],
  );
  let etcd: Etcd3 | undefined;

  beforeAll(() => {
    etcd = new Etcd3({ hosts: cluster().etcd.endpoints });
  });

  afterAll(() => {
    etcd?.close();
  });

  it('never trips the NOSPACE alarm with a follower frozen for a minute, and catches it up after', async () => {
    const c = cluster();
    const { leaders } = await c.waitForLeaders({ members: [0, 1, 2] });
    const leading = new Set(leaders.values());
    const follower = [0, 1, 2].find((n) => !leading.has(n))!;
    expect(follower, `a node that leads no partition (leaders: ${JSON.stringify([...leaders])})`).toBeDefined();
    const serving = [0, 1, 2].filter((n) => n !== follower);

    // Watch the alarm and the database sizes throughout.
    const alarms: string[] = [];
    let largest = 0;
    let watching = true;
    const watcher = (async () => {
      while (watching) {
        try {
          const response = await etcd!.maintenance.alarm({ action: 'Get', memberID: 0, alarm: 'None' });
          for (const a of response.alarms ?? []) alarms.push(`${String(a.alarm)} on ${String(a.memberID)}`);
        } catch {
          // etcd busy: the sizes below still tell
        }
        largest = Math.max(largest, ...(await dbSizes(c.etcd.endpoints)));
        await sleep(250);
      }
    })();

    const payload = () => ({ payload: randomBytes(24 * 1024).toString('base64') }); // 32 KB of text
    let createVia = [0, 1, 2];
    const load = new ClusterLoad(c, { bpmnProcessId: 'server-one-task', jobType: 'server-work', creators: 6, workers: 2, variables: payload, createVia: () => createVia, workVia: () => serving, callTimeoutMs: 10_000 });
    load.startCreating();
    load.startWorking();
    await waitFor('load under way', () => (load.acked.size >= 50 ? true : undefined), 30_000);

    createVia = serving;
    c.freeze(follower);
    const frozenAt = Date.now();
    await sleep(FREEZE_MS);
    const ackedWhileFrozen = load.countSince(load.createdAt, frozenAt);
    c.thaw(follower);
    createVia = [0, 1, 2];

    await waitFor('the thawed follower is ready again', async () => ((await c.node(follower).server.get('/ready')).status === 200 ? true : undefined), 60_000);
    await load.stopCreating();
    await load.drain(90_000);
    await load.stopWorking();
    watching = false;
    await watcher;
    // Once the load is over, compaction and defragmentation give the space back by themselves.
    const settled = await waitFor('every etcd database back under 70% of the quota', async () => {
      const sizes = await dbSizes(c.etcd.endpoints);
      return Math.max(...sizes) < QUOTA * 0.7 ? sizes : undefined;
    }, 60_000);

    const refusals = load.failures.filter((f) => f.code === Code.RESOURCE_EXHAUSTED).length;
    // Creates sent to the follower just before it froze wait in its sockets and time out: not a refusal.
    const otherFailures = load.failures.filter((f) => f.code !== Code.RESOURCE_EXHAUSTED && f.what.startsWith('create') && f.via !== follower);
    const summary = `${ackedWhileFrozen} creates acknowledged while frozen, ${refusals} refused with RESOURCE_EXHAUSTED, largest etcd database ${(largest / 2 ** 20).toFixed(1)} MiB, after the load ${settled.map((b) => (b / 2 ** 20).toFixed(1)).join('/')} MiB: ${load.summary()}`;
    console.info(summary);
    expect(alarms, summary).toEqual([]);
    expect(largest, summary).toBeLessThan(QUOTA);
    expect(ackedWhileFrozen, `the cluster kept serving while the follower was frozen: ${summary}`).toBeGreaterThan(100);
    expect(otherFailures.filter((f) => f.at >= frozenAt), `creates either succeed or are refused cleanly: ${summary}`).toEqual([]);
    expect(load.violations(), summary).toEqual([]);
    expect(await load.instancesNotCompleted(serving[0]!), summary).toEqual([]);
    expect(c.node(follower).server.logs().some((line) => line.msg === 'snapshot installed'), 'the follower caught up from a snapshot').toBe(true);
  }, 300_000);
});
