/**
 * A standalone node killed (-9) while it takes a backup: the request is in its data directory
 * (backup-request.json), so the node started again takes the part it had not finished, the
 * backup reaches COMPLETED, and `zen restore` of it gives a node holding every instance.
 *
 * The window is real, not injected: the partition holds instances with large variables (a few
 * hundred MB of database), so copying and uploading it takes seconds, and the node is killed as
 * soon as the store shows the part IN_PROGRESS.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { deployFixtures, sleep, waitFor, zeebeClient } from '../support/server-client.js';
import { REPO_ROOT, showServerOutputOnFailure, ZenServer } from '../support/server-process.js';

const run = promisify(execFile);
const BIN = join(REPO_ROOT, 'bin', 'zen.js');
const LARGE_INSTANCES = 12;
const BLOB_BYTES = 10 * 1024 * 1024;

const work = mkdtempSync(join(tmpdir(), 'zen-backup-interrupted-'));
const dataDir = join(work, 'data');
const backupDir = join(work, 'backups');
const restoredDir = join(work, 'restored');
const storeArgs = ['--backup-store', 'fs', '--backup-dir', backupDir];
const nodeArgs = ['--partitions', '1', '--max-message-size', '16MB', ...storeArgs];

let node: ZenServer | undefined;
let restored: ZenServer | undefined;
showServerOutputOnFailure(() => [node, restored].filter((s): s is ZenServer => s !== undefined));
afterAll(async () => {
  await node?.dispose();
  await restored?.dispose();
  rmSync(work, { recursive: true, force: true });
});

async function zen(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('ZEN_')));
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { cwd: REPO_ROOT, env, maxBuffer: 16 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

async function createInstance(server: ZenServer, variables: Record<string, unknown>): Promise<string> {
  const res = await fetch(`http://127.0.0.1:${server.restPort}/v2/process-instances`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ processDefinitionId: 'server-one-task', variables }),
  });
  const body = (await res.json()) as { processInstanceKey?: string };
  if (res.status !== 200 || !body.processInstanceKey) throw new Error(`create answered ${res.status}: ${JSON.stringify(body).slice(0, 300)}`);
  return body.processInstanceKey;
}

function partitionManifest(): { state: string; nodeId: number } | null {
  const path = join(backupDir, '1', 'partition-1.json');
  if (!existsSync(path)) return null;
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as { state: string; nodeId: number };
  } catch {
    return null;
  }
}

describe('a standalone node killed in the middle of a backup', () => {
  it('finishes the backup after it is started again, and the backup restores', async () => {
    node = await ZenServer.start({ dataDir, args: nodeArgs });
    const zeebe = zeebeClient(node);
    await deployFixtures(zeebe, 'server-one-task.bpmn');
    await zeebe.close();
    const keys: string[] = [];
    const blob = 'z'.repeat(BLOB_BYTES);
    for (let i = 0; i < LARGE_INSTANCES; i++) keys.push(await createInstance(node, { n: i, blob }));
    for (let i = 0; i < 5; i++) keys.push(await createInstance(node, { n: `small-${i}` }));

    const created = await fetch(node.systemUrl('/actuator/backups'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ backupId: 1 }) });
    expect(created.status).toBe(202);
    expect(JSON.parse(readFileSync(join(dataDir, 'backup-request.json'), 'utf8'))).toEqual({ lastBackupId: 1 });
    await waitFor('the part to be IN_PROGRESS in the store', () => (partitionManifest()?.state === 'IN_PROGRESS' ? true : undefined), 20_000);
    await node.kill9();
    const left = partitionManifest();
    expect(left?.state, 'the take finished before the kill: the database is too small for the window').toBe('IN_PROGRESS');
    expect(node.logs().some((l) => l.msg === 'partition backup taken')).toBe(false);
    // Nothing changes in the store while the node is down.
    await sleep(500);
    expect(partitionManifest()?.state).toBe('IN_PROGRESS');

    await node.restart();
    const status = await waitFor(
      'backup 1 to complete after the restart',
      async () => {
        const body = (await (await fetch(node!.systemUrl('/actuator/backups/1'))).json()) as { state: string; details: Array<{ state: string }> };
        return body.state === 'COMPLETED' ? body : undefined;
      },
      120_000,
    );
    expect(status.details).toEqual([expect.objectContaining({ partitionId: 1, state: 'COMPLETED' })]);
    const taken = node.logs().filter((l) => l.msg === 'partition backup taken');
    expect(taken).toHaveLength(1);
    console.log(`partition backup after the restart: ${taken[0]!.bytes} bytes, snapshot ${taken[0]!.snapshotMs} ms`);
    // The id stays used: a new request must go above it.
    const again = await fetch(node.systemUrl('/actuator/backups'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ backupId: 1 }) });
    expect(again.status).toBe(409);
    await node.stop();

    const restoredRun = await zen(['restore', '--backup-id', '1', '--data-dir', restoredDir, ...storeArgs]);
    expect(restoredRun.stderr).toBe('');
    expect(restoredRun.code).toBe(0);
    restored = await ZenServer.start({ dataDir: restoredDir, args: nodeArgs });
    const res = await fetch(`http://127.0.0.1:${restored.restPort}/v2/process-instances/search`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ filter: { processDefinitionId: 'server-one-task' }, page: { limit: 100 } }),
    });
    const found = (await res.json()) as { items: Array<{ processInstanceKey: string; state: string }> };
    expect(found.items.map((i) => i.processInstanceKey).sort()).toEqual([...keys].sort());
    expect(found.items.every((i) => i.state === 'ACTIVE')).toBe(true);
    // The instances go on: a small one's job is there to complete.
    const client = zeebeClient(restored);
    try {
      const jobs = await waitFor('a job of a small instance', async () => {
        const got = await client.activateJobs({ type: 'server-work', worker: 'after', maxJobsToActivate: 50, timeout: 30_000, requestTimeout: 1_000, fetchVariable: ['n'] });
        return got.length > 0 ? got : undefined;
      });
      await client.completeJob({ jobKey: jobs[0]!.key, variables: {} });
    } finally {
      await client.close();
    }
  }, 300_000);
});
