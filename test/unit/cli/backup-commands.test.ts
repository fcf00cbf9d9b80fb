/** `zen backup …` against a fake system port, and `zen restore`'s refusals without a node. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, type CliDeps } from '../../../src/cli/main.js';

interface Sent {
  readonly method: string;
  readonly url: string;
  readonly body: unknown;
}

function harness(answer: (sent: Sent) => { status?: number; body?: unknown }, env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const sent: Sent[] = [];
  const deps: CliDeps = {
    env,
    startNode: async () => {
      throw new Error('no node in these tests');
    },
    createLogger: () => {
      throw new Error('no logger in these tests');
    },
    exit: () => {},
    onSignal: () => {},
    stdout: (t) => void out.push(t),
    stderr: (t) => void err.push(t),
    fetch: async (url, init) => {
      const request = { method: init.method ?? 'GET', url, body: init.body === undefined ? undefined : JSON.parse(String(init.body)) };
      sent.push(request);
      const a = answer(request);
      const status = a.status ?? 200;
      return new Response(status === 204 ? null : JSON.stringify(a.body), { status, headers: { 'content-type': 'application/json' } });
    },
  };
  return { run: (...args: string[]) => runCli(['node', 'zen', ...args], deps), sent, stdout: () => out.join(''), stderr: () => err.join('') };
}

const STATUS = {
  backupId: 7,
  state: 'COMPLETED',
  details: [
    { partitionId: 1, state: 'COMPLETED', checkpointPosition: 120, brokerId: 0, brokerVersion: '0.1.0', createdAt: 'a', lastUpdatedAt: 'b' },
    { partitionId: 2, state: 'COMPLETED', checkpointPosition: 88, brokerId: 1, brokerVersion: '0.1.0', createdAt: 'a', lastUpdatedAt: 'b' },
  ],
};

describe('zen backup', () => {
  it('create posts the id to the management URL (default localhost:9600, env ZEN_MANAGEMENT_URL)', async () => {
    const h = harness(() => ({ status: 202, body: { message: 'A backup with id 7 has been scheduled.' } }));
    expect(await h.run('backup', 'create', '7')).toBe(0);
    expect(h.sent).toEqual([{ method: 'POST', url: 'http://localhost:9600/actuator/backups', body: { backupId: 7 } }]);
    expect(h.stdout()).toBe('A backup with id 7 has been scheduled.\n');
    const e = harness(() => ({ status: 202, body: {} }), { ZEN_MANAGEMENT_URL: 'zen-1:9601' });
    await e.run('backup', 'create', '8');
    expect(e.sent[0]!.url).toBe('http://zen-1:9601/actuator/backups');
  });

  it('status prints the state and a row per partition; --json the answer as it came', async () => {
    const h = harness(() => ({ body: STATUS }));
    expect(await h.run('backup', 'status', '7', '--management-url', 'http://n:1')).toBe(0);
    expect(h.sent[0]).toMatchObject({ method: 'GET', url: 'http://n:1/actuator/backups/7' });
    expect(h.stdout()).toMatch(/^backup 7: COMPLETED\npartitionId\s+state\s+checkpointPosition\s+brokerId/);
    expect(h.stdout()).toMatch(/\n2\s+COMPLETED\s+88\s+1/);
    const j = harness(() => ({ body: STATUS }));
    await j.run('backup', 'status', '7', '--json');
    expect(JSON.parse(j.stdout())).toEqual(STATUS);
  });

  it('list and delete', async () => {
    const h = harness((s) => (s.method === 'DELETE' ? { status: 204 } : { body: [STATUS] }));
    expect(await h.run('backup', 'list')).toBe(0);
    expect(h.stdout()).toMatch(/^backupId\s+state\s+partitions/);
    expect(h.stdout()).toMatch(/\n7\s+COMPLETED\s+2/);
    expect(await h.run('backup', 'delete', '7')).toBe(0);
    expect(h.sent[1]).toMatchObject({ method: 'DELETE', url: 'http://localhost:9600/actuator/backups/7' });
  });

  it("prints the problem's detail and exits 1 when the node refuses or the id is not a positive integer", async () => {
    const h = harness(() => ({ status: 409, body: { title: 'INVALID_STATE', status: 409, detail: 'Backup id 3 must be greater than the last requested backup id 7' } }));
    expect(await h.run('backup', 'create', '3')).toBe(1);
    expect(h.stderr()).toBe('zen: Backup id 3 must be greater than the last requested backup id 7\n');
    const bad = harness(() => ({ body: {} }));
    expect(await bad.run('backup', 'create', 'seven')).toBe(1);
    expect(bad.stderr()).toBe("zen: the backup id must be a positive integer, got 'seven'\n");
    expect(bad.sent).toEqual([]);
  });
});

describe('zen restore', () => {
  const dir = mkdtempSync(join(tmpdir(), 'zen-restore-cli-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('needs a store, names a missing directory option, and refuses a non-empty data directory', async () => {
    const h = harness(() => ({}));
    expect(await h.run('restore', '--backup-id', '1', '--data-dir', join(dir, 'd'))).toBe(1);
    expect(h.stderr()).toContain('restore needs a backup store');
    const f = harness(() => ({}));
    expect(await f.run('restore', '--backup-id', '1', '--backup-store', 'fs')).toBe(1);
    expect(f.stderr()).toContain('backupStore fs (flag --backup-store) needs backupDir');
    const full = join(dir, 'full');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(full);
    writeFileSync(join(full, 'zen.db'), 'x');
    const n = harness(() => ({}));
    expect(await n.run('restore', '--backup-id', '1', '--data-dir', full, '--backup-store', 'fs', '--backup-dir', join(dir, 'b'))).toBe(1);
    expect(n.stderr()).toContain(`The data directory ${full} is not empty (it holds zen.db)`);
  });

  it('refuses a backup id that is not a positive integer', async () => {
    const h = harness(() => ({}));
    expect(await h.run('restore', '--backup-id', '0', '--backup-store', 'fs', '--backup-dir', dir)).toBe(1);
    expect(h.stderr()).toContain('A backup id must be a positive integer');
  });
});
