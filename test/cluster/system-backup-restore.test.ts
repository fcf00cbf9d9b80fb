/**
 * Backup and restore of a loaded cluster of real processes (docs/adr/015): 3 nodes, 3
 * partitions at replication factor 3, instances created through every node while the backup is
 * taken (it does not pause processing). The backup goes to a directory in one run and to an S3
 * server (s3rver) in the other; the cluster is then thrown away — nodes and etcd — and three
 * fresh data directories are filled with `zen restore` for new nodes with other ids on a fresh
 * etcd. Every instance acknowledged before the backup was requested continues there: its job is
 * activated and completed, and none is there twice; timers set and message subscriptions opened
 * before the backup fire and correlate there; every one of those instances ends COMPLETED in the
 * restored history, beside one that had finished before; the setting changed at run time and
 * the user created before the backup are back; new work appends after the restored logs.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ClusterLoad } from '../support/cluster-load.js';
import { ZenCluster } from '../support/cluster-process.js';
import { describeWithEtcd } from '../support/etcd.js';
import { startLocalS3, type LocalS3 } from '../support/local-s3.js';
import { deployFixtures, waitFor } from '../support/server-client.js';
import { REPO_ROOT } from '../support/server-process.js';

const run = promisify(execFile);
const OLD_NODES = [0, 1, 2];
/** The restored cluster's nodes have other ids: a backup is not tied to node ids. */
const NEW_NODES = [3, 4, 5];

async function zen(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('ZEN_')));
  try {
    const { stdout, stderr } = await run(process.execPath, [join(REPO_ROOT, 'bin', 'zen.js'), ...args], { cwd: REPO_ROOT, env });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

describeWithEtcd('cluster of real processes: backup and restore onto new nodes', () => {
  const work = mkdtempSync(join(tmpdir(), 'zen-cluster-backup-'));
  let s3: LocalS3;
  let original: ZenCluster | undefined;
  let restored: ZenCluster | undefined;
  const savedEnv = { ...process.env };

  beforeAll(async () => {
    s3 = await startLocalS3();
    // The nodes and `zen restore` inherit these: the AWS SDK's default credential chain.
    Object.assign(process.env, s3.env);
  });
  afterAll(async () => {
    await original?.dispose();
    await restored?.dispose();
    await s3?.close();
    process.env = savedEnv;
    rmSync(work, { recursive: true, force: true });
  }, 60_000);

  const stores: Array<[string, () => string[]]> = [
    ['fs', () => ['--backup-store', 'fs', '--backup-dir', join(work, 'fs-backups')]],
    ['s3', () => ['--backup-store', 's3', '--backup-s3-bucket', s3.bucket, '--backup-s3-endpoint', s3.endpoint, '--backup-s3-region', 'us-east-1']],
  ];

  it.each(stores)('to the %s store: every instance acknowledged before the backup continues on the restored cluster', async (kind, storeArgs) => {
    try {
      await backupAndRestore(kind, storeArgs);
    } catch (err) {
      // The nodes' own account of what went wrong, before they are gone.
      for (const cluster of [original, restored]) if (cluster) console.error(cluster.output());
      throw err;
    } finally {
      // Each case leaves nothing running, whatever happened.
      await original?.dispose();
      await restored?.dispose();
      original = undefined;
      restored = undefined;
    }
  }, 300_000);

  async function backupAndRestore(kind: string, storeArgs: () => string[]): Promise<void> {
    const backupId = kind === 'fs' ? 10 : 20;
    original = await ZenCluster.start({ nodes: 3, etcdMembers: 1, partitions: 3, replicationFactor: 3, leaseTtl: 4, args: storeArgs() });
    await original.waitForLeaders({ members: OLD_NODES, timeoutMs: 30_000 });
    await deployFixtures(original.client(0), 'server-one-task.bpmn', 'server-timer-then-task.bpmn', 'server-message-then-task.bpmn');
    const before = await waitingWork(original, backupId);
    const load = new ClusterLoad(original, { bpmnProcessId: 'server-one-task', jobType: 'server-work', createVia: () => OLD_NODES, workVia: () => OLD_NODES });
    load.startCreating();
    await waitFor('30 acknowledged instances', () => (load.acked.size >= 30 ? true : undefined), 60_000);

    // Requested while instances keep coming: processing does not pause for it.
    const requestedAt = Date.now();
    const created = await fetch(original.node(1).server.systemUrl('/actuator/backups'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ backupId }),
    });
    expect(created.status).toBe(202);
    const status = await waitFor(
      `backup ${backupId} to complete`,
      async () => {
        // Any node answers from the store.
        const res = await fetch(original!.node(2).server.systemUrl(`/actuator/backups/${backupId}`));
        const body = (await res.json()) as { state: string; details: Array<{ partitionId: number; brokerId: number }> };
        if (body.state === 'FAILED') throw new Error(`backup failed: ${JSON.stringify(body)}`);
        return body.state === 'COMPLETED' ? body : undefined;
      },
      60_000,
    );
    const createdDuringBackup = load.countSince(load.createdAt, requestedAt);
    await load.stopCreating();
    expect(status.details.map((d) => d.partitionId)).toEqual([1, 2, 3]);
    expect(createdDuringBackup).toBeGreaterThan(0);
    const expected = [...load.acked].filter(([, a]) => a.at < requestedAt).map(([tag]) => tag);
    expect(expected.length).toBeGreaterThanOrEqual(30);

    await original.dispose();
    original = undefined;

    restored = await ZenCluster.start({ nodes: 0, etcdMembers: 1, partitions: 3, replicationFactor: 3, leaseTtl: 4, args: storeArgs() });
    for (const nodeId of NEW_NODES) {
      const out = await zen(['restore', '--backup-id', String(backupId), '--data-dir', restored.dataDirOf(nodeId), ...storeArgs()]);
      expect(out.stderr).toBe('');
      expect(out.code).toBe(0);
    }
    await Promise.all(NEW_NODES.map((nodeId) => restored!.addNode(nodeId)));
    await restored.waitForLeaders({ members: NEW_NODES, timeoutMs: 60_000 });
    const seeded = NEW_NODES.flatMap((id) => restored!.logsOf(id, 'partition log starts where the restored backup ends'));
    expect(new Set(seeded.map((l) => l.partition))).toEqual(new Set([1, 2, 3]));

    // The cluster's own state came back: the runtime setting and the user.
    for (const nodeId of NEW_NODES) {
      await waitFor(`node ${nodeId} to show the restored setting`, async () => {
        const response = await fetch(restored!.node(nodeId).server.systemUrl('/actuator/cluster/configuration'));
        const { settings } = (await response.json()) as { settings: Array<{ key: string; value: string; source: string }> };
        return settings.find((s) => s.key === 'backpressureLimit' && s.value === '321' && s.source === 'cluster');
      });
    }
    expect(NEW_NODES.flatMap((id) => restored!.logsOf(id, 'settings of the restored backup put back in force'))).toHaveLength(1);
    const user = await waitFor('the user created before the backup', async () => {
      const response = await rest(restored!, NEW_NODES[1]!, `/users/${before.username}`);
      return response.status === 200 ? ((await response.json()) as { username: string; name: string }) : undefined;
    });
    expect(user).toMatchObject({ username: before.username, name: 'Restored Rita' });

    // Timers and message subscriptions from before the backup carry on.
    for (let i = 0; i < before.messages.length; i++) {
      await restored.client(NEW_NODES[i % 3]!).publishMessage({ name: 'order-paid', correlationKey: `${backupId}-order-${i}`, variables: {}, timeToLive: 60_000 });
    }
    await drainJobs(restored, 'ship-order', before.messages);
    await drainJobs(restored, 'after-timer', before.timers);

    // Every acknowledged instance from before the request has its job, exactly once.
    const jobsByTag = new Map<string, string[]>();
    const strangers: unknown[] = [];
    await waitFor(
      'the jobs of every instance acknowledged before the backup',
      async () => {
        for (const via of NEW_NODES) {
          const jobs = await restored!.client(via).activateJobs({ type: 'server-work', worker: `restored-${via}`, maxJobsToActivate: 100, timeout: 60_000, requestTimeout: 1_000 });
          for (const job of jobs) {
            const tag = (job.variables as { tag?: string }).tag;
            if (typeof tag !== 'string' || !load.attempted.has(tag)) strangers.push(job.variables);
            else jobsByTag.set(tag, [...(jobsByTag.get(tag) ?? []), job.key]);
            await restored!.client(via).completeJob({ jobKey: job.key, variables: { restored: true } });
          }
        }
        return expected.every((tag) => jobsByTag.has(tag)) ? true : undefined;
      },
      60_000,
    );
    expect(strangers).toEqual([]);
    expect([...jobsByTag].filter(([, keys]) => keys.length > 1)).toEqual([]);

    // The history: the instance finished before the backup is there as finished, and every
    // instance from before the backup ends COMPLETED on the restored cluster.
    const finishedBefore = [before.finished, ...before.timers, ...before.messages, ...expected.map((tag) => load.acked.get(tag)!.instanceKey)];
    for (const key of finishedBefore) {
      await waitFor(`instance ${key} COMPLETED in the restored history`, async () => ((await searchInstance(restored!, key))?.state === 'COMPLETED' ? true : undefined), 30_000);
    }

    // The restored cluster appends after the restored logs: new instances run to the end too.
    const fresh = new ClusterLoad(restored, { bpmnProcessId: 'server-one-task', jobType: 'server-work', createVia: () => NEW_NODES, workVia: () => NEW_NODES });
    for (const via of NEW_NODES) expect((await fresh.createOnce(via)).ok).toBe(true);
    await fresh.drain(30_000);
    expect(fresh.violations()).toEqual([]);

  }
});

async function rest(cluster: ZenCluster, nodeId: number, path: string, init: { method?: string; body?: unknown } = {}): Promise<Response> {
  return fetch(`http://127.0.0.1:${cluster.node(nodeId).server.restPort}/v2${path}`, {
    method: init.method ?? 'GET',
    headers: init.body === undefined ? {} : { 'content-type': 'application/json' },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
}

async function searchInstance(cluster: ZenCluster, key: string): Promise<{ state: string } | undefined> {
  return searchInstanceOn(cluster, NEW_NODES, key);
}

/**
 * What waits in the cluster when the backup is taken, besides the load's jobs: timers, message
 * subscriptions, an instance already finished, a setting changed at run time and a user.
 */
async function waitingWork(cluster: ZenCluster, backupId: number) {
  const zeebe = cluster.client(0);
  const timers: string[] = [];
  const messages: string[] = [];
  for (let i = 0; i < 3; i++) timers.push((await zeebe.createProcessInstance({ bpmnProcessId: 'server-timer-then-task', variables: { delay: 'PT40S' } })).processInstanceKey);
  for (let i = 0; i < 3; i++) messages.push((await zeebe.createProcessInstance({ bpmnProcessId: 'server-message-then-task', variables: { orderId: `${backupId}-order-${i}` } })).processInstanceKey);
  const finished = (await zeebe.createProcessInstance({ bpmnProcessId: 'server-timer-then-task', variables: { delay: 'PT0S' } })).processInstanceKey;
  await drainJobs(cluster, 'after-timer', [finished], OLD_NODES);
  await waitFor('the finished instance in the history', async () => ((await searchInstanceOn(cluster, OLD_NODES, finished))?.state === 'COMPLETED' ? true : undefined));

  const patched = await fetch(cluster.node(0).server.systemUrl('/actuator/cluster/configuration'), { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ backpressureLimit: 321 }) });
  expect(patched.status).toBe(200);
  const username = `rita-${backupId}`;
  const created = await rest(cluster, 0, '/users', { method: 'POST', body: { username, password: 'restored-secret', name: 'Restored Rita', email: 'rita@example.com' } });
  expect(created.status, await created.clone().text()).toBeLessThan(300);
  return { timers, messages, finished, username };
}

async function searchInstanceOn(cluster: ZenCluster, via: readonly number[], key: string): Promise<{ state: string } | undefined> {
  for (const nodeId of via) {
    const response = await rest(cluster, nodeId, '/process-instances/search', { method: 'POST', body: { filter: { processInstanceKey: key } } });
    if (response.status !== 200) continue;
    const item = ((await response.json()) as { items: Array<{ state: string }> }).items[0];
    if (item) return item;
  }
  return undefined;
}

/** Activates and completes jobs of `type` through `via` until every instance in `keys` had one; each exactly once. */
async function drainJobs(cluster: ZenCluster, type: string, keys: readonly string[], via: readonly number[] = NEW_NODES): Promise<void> {
  const seen = new Map<string, number>();
  await waitFor(
    `jobs of type ${type} for ${keys.length} instances`,
    async () => {
      for (const nodeId of via) {
        const jobs = await cluster.client(nodeId).activateJobs({ type, worker: `drain-${nodeId}`, maxJobsToActivate: 50, timeout: 60_000, requestTimeout: 500 });
        for (const job of jobs) {
          await cluster.client(nodeId).completeJob({ jobKey: job.key, variables: {} });
          seen.set(job.processInstanceKey, (seen.get(job.processInstanceKey) ?? 0) + 1);
        }
      }
      return keys.every((k) => seen.has(k)) ? true : undefined;
    },
    90_000,
  );
  expect([...seen].filter(([, n]) => n > 1)).toEqual([]);
}
