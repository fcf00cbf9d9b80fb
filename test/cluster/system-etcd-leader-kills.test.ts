/**
 * The etcd raft leader killed again and again under create load, on a real cluster (3 etcd
 * members, 3 `zen start` nodes, 3 partitions, RF 3). Each kill drops replies of transactions
 * that etcd may or may not have committed, and etcd3 re-sends some of them; every create
 * carries a unique tag, so a command committed twice shows up as a tag with two instances.
 * Nothing acknowledged may be lost either: every acknowledged instance's job is completed.
 */
import { expect, it } from 'vitest';
import { ClusterLoad } from '../support/cluster-load.js';
import { clusterForFile, etcdLeaderIndex } from '../support/cluster-process.js';
import { describeWithEtcd } from '../support/etcd.js';
import { sleep, waitFor } from '../support/server-client.js';

const KILLS = 5;

describeWithEtcd('cluster of real processes: the etcd raft leader killed again and again', () => {

  const cluster = clusterForFile({ nodes: 3, etcdMembers: 3, partitions: 3, replicationFactor: 3, leaseTtl: 2 }, ['server-one-task.bpmn']);

  it('commits no command twice and loses no acknowledged one', async () => {
    const c = cluster();
    const all = [0, 1, 2];
    const load = new ClusterLoad(c, { bpmnProcessId: 'server-one-task', jobType: 'server-work', creators: 8, createVia: () => all, workVia: () => all, callTimeoutMs: 6_000 });
    load.startCreating();
    load.startWorking();
    await waitFor('load under way', () => (load.acked.size >= 50 ? true : undefined), 30_000);
    const kills: Array<{ member: number; ackedBefore: number }> = [];
    for (let round = 0; round < KILLS; round++) {
      const member = await etcdLeaderIndex(c.etcd, 3);
      kills.push({ member, ackedBefore: load.acked.size });
      c.etcd.kill9(member);
      await sleep(2_500);
      await c.etcd.restart(member);
      await sleep(2_500);
    }
    const ackedBeforeEnd = load.acked.size;
    await waitFor('creates succeed after the last kill', () => (load.acked.size >= ackedBeforeEnd + 30 ? true : undefined), 30_000);
    await load.stopCreating();
    await load.drain(60_000);
    await load.stopWorking();

    expect(load.violations(), load.summary()).toEqual([]);
    expect(await load.instancesNotCompleted(0), load.summary()).toEqual([]);
    const uncertain = load.attempted.size - load.acked.size;
    console.info(`${KILLS} kills of the etcd raft leader (${JSON.stringify(kills)}): ${load.acked.size} creates acknowledged, ${uncertain} not; ${load.summary()}`);
    expect(load.acked.size).toBeGreaterThan(100);
  }, 240_000);
});
