/**
 * Backup and restore of a loaded cluster of real processes (docs/adr/015): 3 nodes, 3
 * partitions at replication factor 3, instances created through every node while the backup is
 * taken (it does not pause processing). The backup goes to a directory in one run and to an S3
 * server (s3rver) in the other; the cluster is then thrown away — nodes and etcd — and three
 * fresh data directories are filled with `zen restore` for new nodes with other ids on a fresh
 * etcd. Every instance acknowledged before the backup was requested continues there: its job is
 * activated and completed, and none is there twice; new work appends after the restored logs.
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
    await deployFixtures(original.client(0), 'server-one-task.bpmn');
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

    // The restored cluster appends after the restored logs: new instances run to the end too.
    const fresh = new ClusterLoad(restored, { bpmnProcessId: 'server-one-task', jobType: 'server-work', createVia: () => NEW_NODES, workVia: () => NEW_NODES });
    for (const via of NEW_NODES) expect((await fresh.createOnce(via)).ok).toBe(true);
    await fresh.drain(30_000);
    expect(fresh.violations()).toEqual([]);

  }
});
