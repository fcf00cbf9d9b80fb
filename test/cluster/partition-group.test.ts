/**
 * A partition group of three members in one process, on a real 3-member etcd: the leader
 * replicates every batch through etcd, followers apply the same entries to their own SQLite,
 * a new leader after a failover has every acknowledged command, a deposed leader cannot
 * append, and a member that fell behind the compacted log catches up from a snapshot.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import type { Etcd3 } from 'etcd3';
import { createEtcdClient } from '../../src/cluster/etcd/client.js';
import { NodeLease } from '../../src/cluster/partition/election.js';
import { PartitionMember } from '../../src/cluster/partition/partition-member.js';
import { FencedError } from '../../src/cluster/partition/replicated-log.js';
import type { Replica } from '../../src/partition/replica.js';
import type { CommandResponse } from '../../src/engine/processing/types.js';
import type { OutboundCommand } from '../../src/engine/processing/types.js';
import { chain, end, model, oneTask, start, timerCatch } from '../fixtures/bpmn-builder.js';
import { dumpState } from '../support/engine-harness.js';
import { describeWithEtcd, EtcdCluster } from '../support/etcd.js';
import { eventually } from '../support/eventually.js';
import { TcpProxy } from '../support/tcp-proxy.js';

const logger = pino({ level: process.env.ZEN_TEST_LOG ? 'debug' : 'silent' });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface TestNode {
  readonly nodeId: number;
  readonly dataDir: string;
  readonly etcd: Etcd3;
  lease: NodeLease;
  member: PartitionMember;
}

// Cluster tests need etcd (Debian's etcd-server); .ci/run installs it.
describeWithEtcd('partition group replication on etcd', () => {
  let etcd: EtcdCluster;
  const nodes: TestNode[] = [];
  const dirs: string[] = [];
  const proxies: TcpProxy[] = [];
  let prefix = '';

  beforeAll(async () => {
    etcd = await EtcdCluster.start(3);
  });

  afterAll(async () => {
    await etcd?.stop();
  });

  afterEach(async () => {
    for (const node of nodes.splice(0)) {
      await node.member.stop().catch(() => {});
      node.etcd.close();
    }
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
    for (const proxy of proxies.splice(0)) await proxy.stop();
  });

  async function startNode(
    nodeId: number,
    options: {
      maxRetainedEntries?: number;
      preferredLeaderId?: number;
      handoverAfterMs?: number;
      etcdEndpoints?: string[];
      announce?: (role: 'LEADER' | 'FOLLOWER', term: number) => Promise<void>;
      /** The leader pushes committed entries to the other members (in process) unless it returns false. */
      push?: () => boolean;
      /** Pushes arrive this long after the commit (a network's latency); default at once. */
      pushDelayMs?: () => number;
    } = {},
  ): Promise<TestNode> {
    const dataDir = mkdtempSync(join(tmpdir(), `zen-member-${nodeId}-`));
    dirs.push(dataDir);
    const client = createEtcdClient({ endpoints: options.etcdEndpoints ?? etcd.endpoints });
    const node = { nodeId, dataDir, etcd: client } as TestNode;
    node.lease = await NodeLease.grant(client, 2);
    node.member = new PartitionMember({
      partitionId: 1,
      partitionCount: 1,
      nodeId,
      dataDir,
      logger: logger.child({ node: nodeId }),
      metrics: null,
      etcd: client,
      clusterPrefix: prefix,
      lease: () => node.lease,
      host: { route: (command: OutboundCommand) => void nodes.find((n) => n.member.leader)?.member.leader?.deliver(command), jobsAvailable: () => {} },
      maxBatchSize: 100,
      announce: options.announce ?? (async () => {}),
      pushToFollowers: options.push
        ? (raw) => {
            if (!options.push!()) return;
            const deliver = () => {
              for (const other of nodes) if (other !== node) other.member.receivePushed([raw]);
            };
            const delay = options.pushDelayMs?.() ?? 0;
            if (delay > 0) setTimeout(deliver, delay);
            else deliver();
          }
        : undefined,
      fetchSnapshot: async (partitionId, path) => {
        const source = nodes.find((n) => n.member.leader) ?? nodes.find((n) => n !== node);
        return source!.member.snapshot(path);
      },
      members: () => nodes.map((n) => n.nodeId),
      maxRetainedEntries: options.maxRetainedEntries,
      preferredLeaderId: options.preferredLeaderId === undefined ? undefined : () => options.preferredLeaderId!,
      handoverAfterMs: options.handoverAfterMs,
    });
    nodes.push(node);
    await node.member.start();
    return node;
  }

  function leaderNode(): TestNode | undefined {
    return nodes.find((n) => n.member.leader !== null);
  }

  async function deploy(node: TestNode): Promise<void> {
    const response = await node.member.leader!.submit({
      valueType: 'DEPLOYMENT',
      intent: 'CREATE',
      key: -1n,
      value: { resources: [{ resourceName: 'p.bpmn', resource: oneTask('p', 'work') }], processesMetadata: [], tenantId: '<default>' },
    });
    expect(response.ok).toBe(true);
  }

  function create(node: TestNode, n: number): Promise<CommandResponse> {
    return node.member.leader!.submit({
      valueType: 'PROCESS_INSTANCE_CREATION',
      intent: 'CREATE',
      key: -1n,
      value: { bpmnProcessId: 'p', processDefinitionKey: -1n, version: -1, variables: { n }, processInstanceKey: -1n, fetchVariables: [], tenantId: '<default>' },
    });
  }

  function instanceKeys(node: TestNode): Set<string> {
    const keys = new Set<string>();
    for (const row of node.member.leader?.state.elementInstances.table.values() ?? []) {
      if (row.value.bpmnElementType === 'PROCESS') keys.add(String(row.key));
    }
    return keys;
  }

  it('replicates to followers, fails over with every acknowledged command, and fences the old leader', async () => {
    prefix = `test-${Date.now()}-a`;
    await startNode(1);
    await startNode(2);
    await startNode(3);
    const first = await eventually('a leader', () => leaderNode());
    await deploy(first);
    const acknowledged: string[] = [];
    for (let i = 0; i < 30; i++) {
      const response = await create(first, i);
      if (response.ok) acknowledged.push(String((response.value as { processInstanceKey: bigint }).processInstanceKey));
    }
    expect(acknowledged).toHaveLength(30);

    // Followers apply the same log and reach the same database state.
    const head = await first.member.log.head();
    for (const node of nodes) await eventually(`node ${node.nodeId} caught up`, () => node.member.appliedIndex === head);
    // The head carries the last record's position, so lag is measured in records.
    const mark = await first.member.log.headMark();
    expect(mark.position).toBe(first.member.leader!.localReplica!.lastPosition);
    for (const node of nodes) await eventually(`node ${node.nodeId} has no record lag`, () => node.member.lagRecords === 0);
    const leaderState = dumpState(first.member.leader!.state);
    for (const node of nodes.filter((n) => n !== first)) {
      await node.member.stop();
      const { Replica } = await import('../../src/partition/replica.js');
      const reopened = await Replica.open({ dataDir: node.dataDir, partitionId: 1, partitionCount: 1, syncMode: 'normal', logger });
      expect(dumpState(reopened.state)).toEqual(leaderState);
      await reopened.close();
      nodes.splice(nodes.indexOf(node), 1);
      node.etcd.close();
    }
    await startNode(2);
    await startNode(3);
    for (const node of nodes) await eventually(`node ${node.nodeId} caught up again`, () => node.member.appliedIndex === head);

    // The leader's lease is revoked (as if it died): another member takes over with everything.
    const oldLeader = first;
    await oldLeader.lease.revoke();
    const next = await eventually('a new leader', () => nodes.find((n) => n !== oldLeader && n.member.leader));
    const keys = instanceKeys(next);
    for (const key of acknowledged) expect(keys.has(key)).toBe(true);
    const after = await create(next, 100);
    expect(after.ok).toBe(true);

    // The old leader's fence no longer holds: it can never append.
    const headNow = await next.member.log.headMark();
    await expect(
      oldLeader.member.log.appendGroup(
        [{ index: headNow.index + 1, firstPosition: headNow.position + 1, lastPosition: headNow.position + 1, keyCounter: 0n, data: new Uint8Array(1) }],
        { key: `/${prefix}/p/1/election/${oldLeader.lease.id}`, createRevision: '1' },
        headNow,
        'deposed',
      ),
    ).rejects.toBeInstanceOf(FencedError);
  });

  it('brings a member that missed compacted entries back with a snapshot', async () => {
    prefix = `test-${Date.now()}-b`;
    const leader = await startNode(1, { maxRetainedEntries: 5 });
    await eventually('a leader', () => leaderNode());
    await deploy(leader);
    for (let i = 0; i < 40; i++) expect((await create(leader, i)).ok).toBe(true);
    // Force compaction: the only member reported its checkpoint; etcd keeps 5 entries.
    await leader.member.leader!.localReplica!.checkpoint();
    await leader.member.log.reportApplied(1, leader.member.appliedIndex);
    await eventually('the etcd log compacted', async () => (await leader.member.log.firstIndex()) > 2, 20_000);

    const late = await startNode(2);
    const head = await leader.member.log.head();
    await eventually('the late member caught up', () => late.member.appliedIndex >= head, 20_000);
    expect(late.member.lastSnapshotAt).not.toBeNull();
  });

  it('hands the leadership to the preferred leader once it is back and caught up, with every acknowledged command', async () => {
    prefix = `test-${Date.now()}-c`;
    const handover = { preferredLeaderId: 2, handoverAfterMs: 1000 };
    const first = await startNode(1, handover);
    await eventually('node 1 leads', () => first.member.leader);
    await deploy(first);
    const acknowledged: string[] = [];
    for (let i = 0; i < 20; i++) {
      const response = await create(first, i);
      if (response.ok) acknowledged.push(String((response.value as { processInstanceKey: bigint }).processInstanceKey));
    }
    await first.member.leader!.localReplica!.checkpoint();
    await startNode(3, handover);
    const preferred = await startNode(2, handover);
    // Node 2 reports its checkpoint every 2 s; after that and the delay, node 1 steps down for it.
    const leader = await eventually('the preferred node leads', () => (preferred.member.leader ? preferred : undefined), 20_000);
    expect(first.member.leader).toBeNull();
    const keys = instanceKeys(leader);
    for (const key of acknowledged) expect(keys.has(key)).toBe(true);
    expect((await create(leader, 100)).ok).toBe(true);
    // It stays there: nobody hands over from the preferred leader.
    await sleep(2500);
    expect(preferred.member.leader).not.toBeNull();
  });

  it('drives timers, job deadlines and message TTLs on the new leader after a failover', async () => {
    prefix = `test-${Date.now()}-d`;
    await startNode(1);
    await startNode(2);
    await startNode(3);
    const leader = await eventually('a leader', () => leaderNode());
    const submit = (command: Parameters<NonNullable<PartitionMember['leader']>['submit']>[0]) => leader.member.leader!.submit(command);
    const timerModel = model('timed', start(), timerCatch('wait', 'duration', 'PT2S'), end(), ...chain('start', 'wait', 'end'));
    expect(
      await submit({
        valueType: 'DEPLOYMENT',
        intent: 'CREATE',
        key: -1n,
        value: { resources: [{ resourceName: 't.bpmn', resource: timerModel }, { resourceName: 'p.bpmn', resource: oneTask('p', 'work') }], processesMetadata: [], tenantId: '<default>' },
      }),
    ).toMatchObject({ ok: true });
    const creation = (bpmnProcessId: string) => ({
      valueType: 'PROCESS_INSTANCE_CREATION' as const,
      intent: 'CREATE',
      key: -1n,
      value: { bpmnProcessId, processDefinitionKey: -1n, version: -1, variables: {}, processInstanceKey: -1n, fetchVariables: [], tenantId: '<default>' },
    });
    const timed = (await submit(creation('timed'))) as { ok: true; value: { processInstanceKey: bigint } };
    expect(timed.ok).toBe(true);
    expect((await submit(creation('p'))).ok).toBe(true);
    const activated = await submit({
      valueType: 'JOB_BATCH',
      intent: 'ACTIVATE',
      key: -1n,
      value: { type: 'work', worker: 'w', timeout: 1500, maxJobsToActivate: 1, fetchVariables: [], tenantIds: ['<default>'], jobKeys: [], jobs: [], truncated: false },
    });
    const [jobKey] = (activated as { ok: true; value: { jobKeys: bigint[] } }).value.jobKeys;
    expect(jobKey).toBeDefined();
    expect(
      await submit({
        valueType: 'MESSAGE',
        intent: 'PUBLISH',
        key: -1n,
        value: { name: 'm', correlationKey: 'k', timeToLive: 2000, messageId: '', variables: {}, deadline: -1, tenantId: '<default>' },
      }),
    ).toMatchObject({ ok: true });

    // Failover before anything is due: the old leader's lease is revoked (as if it died).
    const before = leader.member.leader!.state;
    expect([before.timers.table.size, before.jobs.get(jobKey!)?.state, before.messages.table.size]).toEqual([1, 'ACTIVATED', 1]);
    await leader.lease.revoke();
    const next = await eventually('a new leader', () => nodes.find((n) => n !== leader && n.member.leader));
    const state = () => next.member.leader!.state;
    await eventually('the timer fired and the instance completed', () => state().elementInstances.get(timed.value.processInstanceKey) === undefined, 15_000);
    await eventually('the job timed out and is activatable again', () => state().jobs.get(jobKey!)?.state === 'ACTIVATABLE', 15_000);
    await eventually('the message expired', () => state().messages.table.size === 0, 15_000);
  });

  it('stops serving reads from a follower cut off from etcd, and from a leader whose lease is no longer confirmed', async () => {
    prefix = `test-${Date.now()}-e`;
    // Each node reaches etcd through a proxy of its own, which can cut it off.
    const proxyOf = new Map<number, TcpProxy>();
    for (const nodeId of [1, 2, 3]) {
      const proxy = await TcpProxy.start('127.0.0.1', Number(new URL(etcd.memberEndpoint(nodeId - 1)).port));
      proxies.push(proxy);
      proxyOf.set(nodeId, proxy);
      await startNode(nodeId, { etcdEndpoints: [proxy.url] });
    }
    const leader = await eventually('a leader', () => leaderNode());
    await deploy(leader);
    for (let i = 0; i < 10; i++) expect((await create(leader, i)).ok).toBe(true);
    const [follower, other] = nodes.filter((n) => n !== leader);
    await eventually('the follower serves reads', () => follower!.member.readable?.role === 'FOLLOWER');

    // The follower is cut off; the group goes on without it.
    proxyOf.get(follower!.nodeId)!.block();
    const cutAt = Date.now();
    for (let i = 10; i < 30; i++) expect((await create(leader, i)).ok).toBe(true);
    await eventually('the cut-off follower stops serving reads', () => follower!.member.readable === null && !follower!.member.isServing, 10_000);
    expect(Date.now() - cutAt, 'within the staleness bound (3 s) and a poll').toBeLessThan(6000);
    expect(follower!.member.appliedIndex, 'it is behind: it would have served old state').toBeLessThan(leader.member.appliedIndex);

    // The leader is cut off: it stops serving reads before anyone else can have been elected.
    proxyOf.get(leader.nodeId)!.block();
    const leaderCutAt = Date.now();
    await eventually('the cut-off leader stops serving reads', () => leader.member.readable === null, 10_000);
    const stoppedAfter = Date.now() - leaderCutAt;
    const next = await eventually('a new leader', () => (other!.member.leader ? other : undefined), 20_000);
    const electedAfter = Date.now() - leaderCutAt;
    expect(stoppedAfter, `stopped serving after ${stoppedAfter} ms, the new leader came after ${electedAfter} ms`).toBeLessThan(electedAfter);
    for (let i = 30; i < 35; i++) {
      const response = await create(next!, i);
      if (!response.ok) expect(response).toMatchObject({ rejectionType: 'NOT_LEADER' });
    }
    expect(leader.member.readable).toBeNull();
  });

  it('keeps announcing a new leadership until the cluster log takes it', async () => {
    prefix = `test-${Date.now()}-f`;
    // More refusals than the cluster log's own compare-and-swap attempts (10).
    let refusals = 12;
    const announced: Array<[string, number]> = [];
    const node = await startNode(1, {
      announce: async (role, term) => {
        if (role === 'LEADER' && refusals-- > 0) throw new Error('cluster log append lost the race 10 times');
        announced.push([role, term]);
      },
    });
    await eventually('a leader', () => node.member.leader);
    await eventually('the leadership announced', () => announced.some(([role]) => role === 'LEADER'), 20_000);
    expect(refusals).toBeLessThan(0);
    const [, term] = announced.find(([role]) => role === 'LEADER')!;
    expect(term).toBeGreaterThan(0);
  });

  it('followers apply the entries the leader pushes, and read from etcd only what a push did not bring', async () => {
    prefix = `test-${Date.now()}-g`;
    let pushing = true;
    let pushDelayMs = 0;
    for (const nodeId of [1, 2, 3]) await startNode(nodeId, { push: () => pushing, pushDelayMs: () => pushDelayMs });
    const leader = await eventually('a leader', () => leaderNode());
    await deploy(leader);
    for (let i = 0; i < 40; i++) expect((await create(leader, i)).ok).toBe(true);
    const followers = nodes.filter((n) => n !== leader);
    for (const f of followers) await eventually(`node ${f.nodeId} caught up`, () => f.member.appliedIndex === leader.member.appliedIndex);
    for (const f of followers) {
      // Before the first push arrives a follower reads from etcd; after that, pushes carry it.
      // (The index moves as an entry is written; the count once the write is done.)
      await eventually(`node ${f.nodeId}: each entry applied once`, () => f.member.applied.pushed + f.member.applied.read === f.member.appliedIndex);
      expect(f.member.applied.read, `node ${f.nodeId} ${JSON.stringify(f.member.applied)}`).toBeLessThanOrEqual(3);
    }
    // Under concurrent load too: a head noticed while a follower waits for the previous one's
    // push used to be read from etcd at once, just before its own push arrived.
    const readBefore = followers.map((f) => f.member.applied.read);
    pushDelayMs = 30;
    for (let wave = 0; wave < 12; wave++) {
      const results = await Promise.all(Array.from({ length: 25 }, (_, i) => create(leader, 1000 + wave * 25 + i)));
      expect(results.every((r) => r.ok)).toBe(true);
    }
    for (const f of followers) await eventually(`node ${f.nodeId} caught up under load`, () => f.member.appliedIndex === leader.member.appliedIndex);
    followers.forEach((f, i) => expect(f.member.applied.read - readBefore[i]!, `node ${f.nodeId} under load ${JSON.stringify(f.member.applied)}`).toBeLessThanOrEqual(3));
    pushDelayMs = 0;
    // Pushes lost: the followers read the gap from etcd, then take pushes again.
    pushing = false;
    for (let i = 40; i < 50; i++) expect((await create(leader, i)).ok).toBe(true);
    pushing = true;
    for (let i = 50; i < 60; i++) expect((await create(leader, i)).ok).toBe(true);
    for (const f of followers) await eventually(`node ${f.nodeId} caught up again`, () => f.member.appliedIndex === leader.member.appliedIndex);
    for (const f of followers) {
      // The index moves as entries are written, the counts once their write is done.
      await eventually(`node ${f.nodeId}: the gap counted`, () => f.member.applied.pushed + f.member.applied.read === f.member.appliedIndex);
      expect(f.member.applied.read, `node ${f.nodeId} read the gap from etcd`).toBeGreaterThanOrEqual(10);
      expect(await f.member.readable!.dump()).toEqual(dumpState(leader.member.leader!.state));
    }
  });
  it('a member whose local write fails leaves the election, reopens its replica from disk and follows again; a leader resigns first', async () => {
    prefix = `test-${Date.now()}-diskfull`;
    await startNode(1, { push: () => true });
    await startNode(2, { push: () => true });
    await startNode(3, { push: () => true });
    const leader = await eventually('a leader', () => leaderNode());
    await deploy(leader);
    for (let i = 0; i < 5; i++) expect((await create(leader, i)).ok).toBe(true);
    const inner = (node: TestNode) => node.member as unknown as { replica: Replica; election: unknown; recovering: Promise<void> | null };

    // A follower's disk is full: its next append fails, it withdraws and later reopens.
    const follower = nodes.find((n) => n !== leader)!;
    await inner(follower).replica.store.injectFault('append');
    for (let i = 5; i < 10; i++) expect((await create(leader, i)).ok).toBe(true);
    await eventually('the follower recovering', () => inner(follower).recovering !== null);
    expect(inner(follower).election, 'no candidacy while the replica is broken').toBeNull();
    expect(follower.member.readable, 'no reads from a replica being rebuilt').toBeNull();
    for (let i = 10; i < 15; i++) expect((await create(leader, i)).ok).toBe(true);
    await eventually('the follower caught up after reopening', () => inner(follower).recovering === null && follower.member.appliedIndex === leader.member.appliedIndex, 10_000);
    await eventually('the follower a candidate again', () => inner(follower).election !== null);
    await eventually('the follower readable', () => follower.member.readable);
    expect(await follower.member.readable!.dump()).toEqual(dumpState(leader.member.leader!.state));

    // The leader's disk is full: the group log has the entry, so the command is answered;
    // the leader resigns, another member leads, and the old leader recovers and follows.
    await inner(leader).replica.store.injectFault('append');
    expect((await create(leader, 100)).ok).toBe(true);
    const next = await eventually('another leader', () => nodes.find((n) => n !== leader && n.member.leader));
    expect(instanceKeys(next).size).toBe(16);
    for (let i = 101; i < 105; i++) expect((await create(next, i)).ok).toBe(true);
    await eventually('the old leader caught up after reopening', () => inner(leader).recovering === null && leader.member.appliedIndex === next.member.appliedIndex, 10_000);
    await eventually('the old leader readable', () => leader.member.readable);
    expect(await leader.member.readable!.dump()).toEqual(dumpState(next.member.leader!.state));
  });
});
