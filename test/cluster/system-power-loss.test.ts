/**
 * A power loss on a one-node cluster (replication factor 1, one partition, real etcd): the
 * node runs under the power-loss shim, which keeps of its data directory only what it
 * fsynced. The replica runs SQLite at synchronous=NORMAL because etcd holds the log; the node
 * reports its checkpoint index to etcd (`p/1/applied/0`) and, as leader, compacts etcd's log
 * below it. With no other member to send a snapshot, what it reported must be on its disk:
 * 1. instances are created (a light load) until several checkpoints were reported and etcd's
 *    log was compacted below the reported index, past what SQLite happened to sync on its own;
 * 2. kill -9, then the power loss: the data directory becomes what was durable, and its
 *    checkpoint must be at least the one reported to etcd;
 * 3. restarted on that directory, the node still has every acknowledged instance (each has
 *    its one open job, so activating all jobs of the task's type finds them all).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { cp, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Etcd3 } from 'etcd3';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createEtcdClient } from '../../src/cluster/etcd/client.js';
import { SqliteStore } from '../../src/storage/sqlite-store.js';
import { EtcdCluster, describeWithEtcd } from '../support/etcd.js';
import { describeWithPowerLossShim } from '../support/power-loss/build-shim.js';
import { PowerLossDisk } from '../support/power-loss/power-loss-disk.js';
import { deployFixtures, muteSdkStreamCancellations, sleep, waitFor, zeebeClient } from '../support/server-client.js';
import { showServerOutputOnFailure, ZenServer } from '../support/server-process.js';

const PROCESS = 'server-one-task';
const TYPE = 'server-work';
const CREATORS = 1;
/**
 * Between one creator's calls: a light load (see step 1). Light enough that SQLite's own WAL
 * checkpoints (every ~1000 pages; the history tables write several pages per entry) come less
 * often than etcd's compaction (every 5 s), or compaction may never get past the last of them.
 */
const PAUSE_MS = 150;
/** Distinct checkpoint indexes seen reported before the kill ("several checkpoints"). */
const REPORTS = 3;
const PREFIX = '/zen/p/1/';

describeWithPowerLossShim('cluster of one node, replication factor 1: power loss', () => {
  describeWithEtcd('on real etcd', () => {
    let etcd: EtcdCluster | undefined;
    let client: Etcd3 | undefined;
    let disk: PowerLossDisk | undefined;
    let server: ZenServer | undefined;
    const root = mkdtempSync(join(tmpdir(), 'zen-power-loss-cluster-'));
    const dataDir = join(root, 'node0');

    beforeAll(async () => {
      etcd = await EtcdCluster.start(1);
      client = createEtcdClient({ endpoints: etcd.endpoints });
      disk = PowerLossDisk.watch(dataDir);
      const args = [
        '--node-id', '0',
        '--zone', 'z0',
        '--etcd-endpoints', etcd.endpoints.join(','),
        '--partitions', '1',
        '--replication-factor', '1',
        '--lease-ttl', '2',
        '--private-port', '0',
        '--advertise-host', '127.0.0.1',
      ];
      server = await ZenServer.start({ args, dataDir, env: disk.env, startTimeoutMs: 60_000 });
    }, 120_000);

    afterAll(async () => {
      await server?.dispose().catch(() => {});
      client?.close();
      await etcd?.stop();
      disk?.dispose();
      rmSync(root, { recursive: true, force: true });
    }, 60_000);

    showServerOutputOnFailure(() => [server]);
    muteSdkStreamCancellations();

    /** The checkpoint index the node last reported, and the lowest and highest log index etcd holds. */
    async function etcdMarks(): Promise<{ reported: number; firstKept: number | null; lastKept: number | null }> {
      const reported = Number((await client!.get(`${PREFIX}applied/0`).string()) ?? 0);
      const edge = async (order: 'Ascend' | 'Descend') => {
        const [key] = await client!.getAll().prefix(`${PREFIX}log/`).sort('Key', order).limit(1).keys();
        // `log/<index>`, or `log/<index>/…` for parts of an entry
        return key === undefined ? null : Number(key.slice(`${PREFIX}log/`.length).split('/')[0]);
      };
      return { reported, firstKept: await edge('Ascend'), lastKept: await edge('Descend') };
    }

    it('keeps every acknowledged instance through a power loss after etcd compacted its log', async () => {
      const started = Date.now();
      const zeebe = zeebeClient(server!);
      await deployFixtures(zeebe, 'server-one-task.bpmn');

      // 1. Load until several checkpoints were reported and etcd dropped entries below them —
      // entries appended after SQLite last synced on its own: its WAL checkpoints (every ~1000
      // pages) sync the WAL and then the database file, and make everything before durable
      // whatever the sync mode. A light load keeps them rare.
      const dbPath = join(dataDir, 'partitions', '1', 'zen.db');
      const dbSyncs = () => disk!.events().filter((e) => e.op !== 'dirsync' && e.op !== 'retire' && e.path === dbPath).length;
      let dbSyncsSeen = dbSyncs();
      /** The etcd log head seen right after SQLite last synced the database file. */
      let headAtDbSync = 0;
      const acked = new Set<string>();
      const failures: string[] = [];
      const reports = new Set<number>();
      let creating = true;
      const creators = Array.from({ length: CREATORS }, async () => {
        while (creating) {
          try {
            const created = await zeebe.createProcessInstance({ bpmnProcessId: PROCESS, variables: {} });
            acked.add(String(created.processInstanceKey));
          } catch (err) {
            failures.push(String(err));
          }
          await sleep(PAUSE_MS);
        }
      });
      await waitFor(
        `${REPORTS} checkpoints reported and etcd's log compacted past SQLite's last own sync`,
        async () => {
          await sleep(200);
          const syncs = dbSyncs();
          const marks = await etcdMarks();
          if (syncs !== dbSyncsSeen) [dbSyncsSeen, headAtDbSync] = [syncs, marks.lastKept ?? 0];
          if (marks.reported > 0) reports.add(marks.reported);
          return reports.size >= REPORTS && marks.firstKept !== null && marks.firstKept - 1 > headAtDbSync ? true : undefined;
        },
        90_000,
      );
      creating = false;
      await Promise.all(creators);
      await zeebe.close();
      expect(failures, 'no create fails before the fault').toEqual([]);

      // 2. kill -9 and the power loss.
      await server!.kill9();
      const atKill = await etcdMarks();
      expect(atKill.firstKept, `etcd compacted its log below the reported checkpoint (${atKill.reported})`).toBeGreaterThan(headAtDbSync + 1);
      expect(atKill.firstKept! - 1).toBeLessThanOrEqual(atKill.reported);
      disk!.simulatePowerLoss();
      const durable = await durableInfo(join(dataDir, 'partitions', '1'), root);
      expect
        .soft(durable.checkpointIndex, `the checkpoint on disk after the power loss (log ${durable.lastIndex}) is the one reported to etcd or later`)
        .toBeGreaterThanOrEqual(atKill.reported);

      // 3. Restarted on what survived: every acknowledged instance is there.
      await server!.restart();
      const after = zeebeClient(server!);
      const found = new Set<string>();
      const missing = () => [...acked].filter((key) => !found.has(key));
      try {
        // Until all are found; a lost one keeps this polling until the deadline (an empty
        // activation right after the restart proves nothing).
        await waitFor(
          'every acknowledged instance with its open job',
          async () => {
            const jobs = await after.activateJobs({ type: TYPE, worker: 'after-power-loss', maxJobsToActivate: 1_000, timeout: 300_000, requestTimeout: 1_000 });
            for (const job of jobs) found.add(String(job.processInstanceKey));
            return missing().length === 0 ? true : undefined;
          },
          30_000,
        ).catch(() => {});
      } finally {
        await after.close();
      }
      const lost = missing();
      expect(lost.length, `acknowledged instances lost (of ${acked.size}; first lost: ${lost.slice(0, 5).join(', ')})`).toBe(0);
      console.info(
        `power loss after ${acked.size} acknowledged instances: etcd log ${atKill.firstKept}..${atKill.lastKept}, SQLite's last own sync at ~${headAtDbSync}, ` +
          `reported checkpoint ${atKill.reported}; on disk after the power loss: checkpoint ${durable.checkpointIndex}, ` +
          `log up to ${durable.lastIndex}; all ${acked.size} found after the restart; ${Math.round((Date.now() - started) / 1000)} s`,
      );
    }, 180_000);
  });
});

/** The store's info on a copy of a partition directory (opening a database can write to it). */
async function durableInfo(partitionDir: string, scratchRoot: string): Promise<{ checkpointIndex: number; lastIndex: number }> {
  const copy = join(scratchRoot, 'inspect');
  await mkdir(copy);
  try {
    // Missing after the power loss: nothing of the database was durable.
    if (existsSync(partitionDir)) await cp(partitionDir, copy, { recursive: true });
    const store = new SqliteStore({ path: join(copy, 'zen.db'), partitionId: 1, partitionCount: 1, syncMode: 'normal' });
    try {
      return store.info();
    } finally {
      store.close();
    }
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
}
