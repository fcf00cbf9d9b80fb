/**
 * Backup and restore of a real standalone node (3 partitions) with a directory store: instances
 * waiting at jobs, timers and messages, and finished ones in the history, are backed up through
 * the system port and `zen backup`, restored with `zen restore` into a new data directory, and
 * every one of them continues on the node started there.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deployFixtures, waitFor, zeebeClient, type ZeebeClient } from '../support/server-client.js';
import { REPO_ROOT, showServerOutputOnFailure, ZenServer } from '../support/server-process.js';

const run = promisify(execFile);
const BIN = join(REPO_ROOT, 'bin', 'zen.js');

async function zen(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('ZEN_')));
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { cwd: REPO_ROOT, env });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

const work = mkdtempSync(join(tmpdir(), 'zen-backup-server-'));
const backupDir = join(work, 'backups');
const restoredDir = join(work, 'restored');
const storeArgs = ['--backup-store', 'fs', '--backup-dir', backupDir];

let original: ZenServer;
let restored: ZenServer | null = null;
const before = { tasks: [] as string[], timers: [] as string[], messages: [] as string[], finished: '' };
const TIMER_DELAY = 'PT20S';

beforeAll(async () => {
  original = await ZenServer.start({ args: ['--partitions', '3', ...storeArgs] });
  const zeebe = zeebeClient(original);
  await deployFixtures(zeebe, 'server-one-task.bpmn', 'server-timer-then-task.bpmn', 'server-message-then-task.bpmn');
  for (let i = 0; i < 9; i++) before.tasks.push((await zeebe.createProcessInstance({ bpmnProcessId: 'server-one-task', variables: { n: i } })).processInstanceKey);
  for (let i = 0; i < 3; i++) before.timers.push((await zeebe.createProcessInstance({ bpmnProcessId: 'server-timer-then-task', variables: { delay: TIMER_DELAY } })).processInstanceKey);
  for (let i = 0; i < 3; i++) before.messages.push((await zeebe.createProcessInstance({ bpmnProcessId: 'server-message-then-task', variables: { orderId: `order-${i}` } })).processInstanceKey);
  // One finished instance: its history must come back too.
  const done = await zeebe.createProcessInstance({ bpmnProcessId: 'server-one-task', variables: { n: 'finished' } });
  before.finished = done.processInstanceKey;
  const jobs = await waitFor('the finished instance job', async () => {
    const got = await zeebe.activateJobs({ type: 'server-work', worker: 'before', maxJobsToActivate: 50, timeout: 1_000, requestTimeout: 1_000 });
    return got.find((j) => j.processInstanceKey === done.processInstanceKey) ? got : undefined;
  });
  await zeebe.completeJob({ jobKey: jobs.find((j) => j.processInstanceKey === done.processInstanceKey)!.key, variables: {} });
  await zeebe.close();
}, 60_000);

afterAll(async () => {
  await original?.dispose();
  await restored?.dispose();
  rmSync(work, { recursive: true, force: true });
});

showServerOutputOnFailure(() => [original, ...(restored ? [restored] : [])]);

async function drain(zeebe: ZeebeClient, type: string, keys: readonly string[]): Promise<Set<string>> {
  const completed = new Set<string>();
  await waitFor(
    `jobs of type ${type} for ${keys.length} instances`,
    async () => {
      const jobs = await zeebe.activateJobs({ type, worker: 'after', maxJobsToActivate: 50, timeout: 30_000, requestTimeout: 1_000 });
      for (const job of jobs) {
        await zeebe.completeJob({ jobKey: job.key, variables: { continued: true } });
        completed.add(job.processInstanceKey);
      }
      return keys.every((k) => completed.has(k)) ? true : undefined;
    },
    40_000,
  );
  return completed;
}

describe('backup and restore of a standalone node', () => {
  it('backs up, restores into a new data directory, and every instance continues', async () => {
    // A setting changed at run time is part of the backup.
    const patched = await fetch(original.systemUrl('/actuator/cluster/configuration'), { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ backpressureLimit: 321 }) });
    expect(patched.status).toBe(200);

    // The system port: Zeebe's management API.
    const created = await fetch(original.systemUrl('/actuator/backups'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ backupId: 1 }) });
    expect(created.status).toBe(202);
    const status = await waitFor('backup 1 to complete', async () => {
      const res = await fetch(original.systemUrl('/actuator/backups/1'));
      const body = (await res.json()) as { state: string; details: Array<{ partitionId: number; state: string; checkpointPosition: number }> };
      return body.state === 'COMPLETED' ? body : undefined;
    });
    expect(status.details.map((d) => d.partitionId)).toEqual([1, 2, 3]);
    for (const d of status.details) expect(d.checkpointPosition).toBeGreaterThan(0);
    const again = await fetch(original.systemUrl('/actuator/backups'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ backupId: 1 }) });
    expect(again.status).toBe(409);

    // The CLI against the same port.
    const management = ['--management-url', `http://127.0.0.1:${original.systemPort}`];
    const listed = await zen(['backup', 'list', ...management]);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(/^1\s+COMPLETED\s+3/m);
    const shown = await zen(['backup', 'status', '1', ...management]);
    expect(shown.stdout).toContain('backup 1: COMPLETED');
    const refused = await zen(['backup', 'create', '1', ...management]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('must be greater than the last requested backup id 1');
    const snapshotTimes = original.logs().filter((l) => l.msg === 'partition backup taken').map((l) => l.snapshotMs);
    expect(snapshotTimes).toHaveLength(3);
    console.log(`snapshot time per partition (ms): ${snapshotTimes.join(', ')}`);

    // Work after the backup is not in it: the restored node continues from the backup.
    const zeebe = zeebeClient(original);
    const after = await zeebe.createProcessInstance({ bpmnProcessId: 'server-one-task', variables: { n: 'after-backup' } });
    await zeebe.close();
    await original.stop();

    // A non-empty directory is refused, naming what is in it.
    const occupied = join(work, 'occupied');
    mkdirSync(occupied);
    writeFileSync(join(occupied, 'something'), 'x');
    const refusedDir = await zen(['restore', '--backup-id', '1', '--data-dir', occupied, ...storeArgs]);
    expect(refusedDir.code).toBe(1);
    expect(refusedDir.stderr).toContain(`The data directory ${occupied} is not empty (it holds something)`);

    const restoredRun = await zen(['restore', '--backup-id', '1', '--data-dir', restoredDir, ...storeArgs]);
    expect(restoredRun.stderr).toBe('');
    expect(restoredRun.code).toBe(0);
    expect(restoredRun.stdout).toContain('restored backup 1 (3 partitions');

    // The partition count is the backup's.
    const wrongCount = await zen(['start', '--data-dir', restoredDir, '--partitions', '2', '--grpc-port', '0', '--rest-port', '0', '--system-port', '0', '--log-level', 'silent']);
    expect(wrongCount.code).toBe(1);
    expect(wrongCount.stderr).toContain('was restored from backup 1 of a cluster with 3 partitions');

    restored = await ZenServer.start({ dataDir: restoredDir, args: ['--partitions', '3', ...storeArgs] });
    const client = zeebeClient(restored);
    try {
      const configuration = await fetch(restored.systemUrl('/actuator/cluster/configuration'));
      const { settings } = (await configuration.json()) as { settings: Array<{ key: string; value: string; source: string }> };
      expect(settings.find((s) => s.key === 'backpressureLimit')).toMatchObject({ value: '321', source: 'api' });

      // Messages correlate to the instances waiting for them.
      for (let i = 0; i < 3; i++) await client.publishMessage({ name: 'order-paid', correlationKey: `order-${i}`, variables: {}, timeToLive: 60_000 });
      const tasks = await drain(client, 'server-work', before.tasks);
      expect(tasks.has(after.processInstanceKey)).toBe(false);
      await drain(client, 'ship-order', before.messages);
      // The timers set before the backup fire on the restored node.
      await drain(client, 'after-timer', before.timers);

      // The history holds the instances from before the backup, the finished one as finished.
      const search = async (key: string) => {
        const res = await fetch(`http://127.0.0.1:${restored!.restPort}/v2/process-instances/search`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ filter: { processInstanceKey: key } }),
        });
        return ((await res.json()) as { items: Array<{ state: string }> }).items;
      };
      expect(await search(before.finished)).toEqual([expect.objectContaining({ state: 'COMPLETED' })]);
      for (const key of [...before.tasks, ...before.messages, ...before.timers]) {
        await waitFor(`instance ${key} completed in the history`, async () => ((await search(key))[0]?.state === 'COMPLETED' ? true : undefined));
      }
      expect(await search(after.processInstanceKey)).toEqual([]);

      // New backups on the restored node must go above the ones in the store.
      const next = await fetch(restored.systemUrl('/actuator/backups'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ backupId: 1 }) });
      expect(next.status).toBe(409);
    } finally {
      await client.close();
    }
  }, 180_000);
});
