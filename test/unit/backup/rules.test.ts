import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { createSystemServer } from '../../../src/api/system/index.js';
import { BackupService, type BackupHost } from '../../../src/backup/backup-service.js';
import { FsBackupStore } from '../../../src/backup/fs-store.js';
import { overallState, parseBackupId, type PartitionManifest } from '../../../src/backup/manifest.js';
import { decodeClusterCommand, decodeClusterSnapshot, encodeClusterCommand, encodeClusterSnapshot } from '../../../src/cluster/main/codec.js';
import { reduceAll } from '../../../src/cluster/main/reducer.js';
import { EMPTY_CLUSTER_STATE, type ClusterCommand } from '../../../src/cluster/main/types.js';
import { ZenMetrics } from '../../../src/metrics/index.js';
import { writeFileSync } from 'node:fs';

const logger = pino({ level: 'silent' });
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'zen-backup-rules-'));
  dirs.push(dir);
  return dir;
}

const part = (partitionId: number, state: PartitionManifest['state']): PartitionManifest => ({
  backupId: 1,
  partitionId,
  state,
  logIndex: 1,
  position: 1,
  nodeId: 0,
  zenVersion: 'v',
  partitionCount: 3,
  createdAt: '',
  lastUpdatedAt: '',
  files: [],
});

describe('backup state rules', () => {
  it('is COMPLETED only when every partition is', () => {
    expect(overallState(3, [part(1, 'COMPLETED'), part(2, 'COMPLETED'), part(3, 'COMPLETED')])).toBe('COMPLETED');
    expect(overallState(3, [part(1, 'COMPLETED'), part(3, 'COMPLETED')])).toBe('INCOMPLETE');
  });
  it('is FAILED when any partition failed, IN_PROGRESS while one is taken and none failed', () => {
    expect(overallState(3, [part(1, 'COMPLETED'), part(2, 'FAILED'), part(3, 'IN_PROGRESS')])).toBe('FAILED');
    expect(overallState(3, [part(1, 'COMPLETED'), part(2, 'IN_PROGRESS')])).toBe('IN_PROGRESS');
  });
  it('takes positive integers as backup ids and refuses anything else', () => {
    expect(parseBackupId(7)).toBe(7);
    expect(parseBackupId('12')).toBe(12);
    for (const bad of [0, -1, 1.5, '1e3', 'abc', null, undefined, Number.MAX_SAFE_INTEGER + 1]) {
      expect(() => parseBackupId(bad)).toThrow('A backup id must be a positive integer');
    }
  });
});

describe('ClusterBackupRequest in the cluster log', () => {
  it('folds to the highest id ever requested; a lower one changes nothing but the version', () => {
    const commands: ClusterCommand[] = [
      { type: 'ClusterBackupRequest', backupId: 5 },
      { type: 'ClusterBackupRequest', backupId: 9 },
      { type: 'ClusterBackupRequest', backupId: 7 },
    ];
    const state = reduceAll(EMPTY_CLUSTER_STATE, commands, 1);
    expect(state.lastBackupId).toBe(9);
    expect(state.version).toBe(3);
  });
  it('survives the protobuf round trip as a command and in the snapshot', () => {
    const command: ClusterCommand = { type: 'ClusterBackupRequest', backupId: 2 ** 40 };
    expect(decodeClusterCommand(encodeClusterCommand(command))).toEqual(command);
    const state = reduceAll(EMPTY_CLUSTER_STATE, [command], 1);
    expect(decodeClusterSnapshot(encodeClusterSnapshot(state)).lastBackupId).toBe(2 ** 40);
    expect(decodeClusterSnapshot(encodeClusterSnapshot(EMPTY_CLUSTER_STATE)).lastBackupId).toBeUndefined();
  });
});

function fakeHost(led: Map<number, { snapshot(path: string): Promise<{ index: number; position: number }> }>): BackupHost & { last: number } {
  const host = {
    nodeId: 4,
    zenVersion: 'test-version',
    partitionCount: 2,
    tempDir: tempDir(),
    last: 0,
    replicationFactor: () => 1,
    clusterState: () => null,
    settings: () => ({}),
    lastRequested: () => host.last,
    record: async (id: number) => {
      host.last = Math.max(host.last, id);
    },
    ledPartitions: () => led,
  };
  return host;
}

const snapshotOf = (index: number) => ({
  snapshot: async (path: string) => {
    writeFileSync(path, `database at ${index}`);
    return { index, position: index * 10 };
  },
});

async function until<T>(read: () => Promise<T>, ok: (v: T) => boolean): Promise<T> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const v = await read();
    if (ok(v) || Date.now() > deadline) return v;
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('BackupService', () => {
  it('takes every led partition, reports Zeebe status shapes, and refuses ids not above the last', async () => {
    const store = new FsBackupStore(tempDir());
    const service = new BackupService(store, fakeHost(new Map([[1, snapshotOf(11)], [2, snapshotOf(22)]])), logger);
    await service.create(3);
    const status = await until(() => service.status(3), (s) => s.state === 'COMPLETED');
    expect(status).toMatchObject({
      backupId: 3,
      state: 'COMPLETED',
      details: [
        { partitionId: 1, state: 'COMPLETED', checkpointPosition: 110, brokerId: 4, brokerVersion: 'test-version' },
        { partitionId: 2, state: 'COMPLETED', checkpointPosition: 220, brokerId: 4, brokerVersion: 'test-version' },
      ],
    });
    await expect(service.create(3)).rejects.toMatchObject({ code: 'FAILED_PRECONDITION', message: 'Backup id 3 must be greater than the last requested backup id 3' });
    await expect(service.create(2)).rejects.toThrow('last requested backup id 3');
    await expect(service.status(99)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await service.stop();
  });

  it('also refuses ids at or below those already in the store (a restored cluster starts with an empty log)', async () => {
    const root = tempDir();
    const first = new BackupService(new FsBackupStore(root), fakeHost(new Map([[1, snapshotOf(1)]])), logger);
    await first.create(8);
    await first.stop();
    const fresh = new BackupService(new FsBackupStore(root), fakeHost(new Map()), logger);
    await expect(fresh.create(8)).rejects.toThrow('last requested backup id 8');
  });

  it('marks a partition FAILED with the reason, and the backup FAILED', async () => {
    const store = new FsBackupStore(tempDir());
    const broken = { snapshot: async () => Promise.reject(new Error('disk full')) };
    const service = new BackupService(store, fakeHost(new Map([[1, snapshotOf(5)], [2, broken]])), logger);
    await service.create(1);
    const status = await until(() => service.status(1), (s) => s.state === 'FAILED');
    expect(status.state).toBe('FAILED');
    expect(status.failureReason).toBe('partition 2: disk full');
    expect(status.details[1]).toMatchObject({ partitionId: 2, state: 'FAILED', failureReason: 'disk full' });
    await service.stop();
  });

  it('waits for partitions without a leader; a newer request leaves the older backup INCOMPLETE; a later leader takes its part', async () => {
    const store = new FsBackupStore(tempDir());
    const led = new Map([[1, snapshotOf(5)]]);
    const service = new BackupService(store, fakeHost(led), logger);
    await service.create(2);
    const waiting = await until(() => service.status(2), (s) => s.details[0]?.state === 'COMPLETED');
    expect(waiting).toMatchObject({ state: 'IN_PROGRESS', details: [{ partitionId: 1, state: 'COMPLETED' }] });
    await service.create(3);
    const old = await service.status(2);
    expect(old.state).toBe('INCOMPLETE');
    expect(old.failureReason).toBe('Backup of partitions 2 is missing');
    // This node becomes leader of partition 2 (a failover): it finds no manifest and takes it.
    led.set(2, snapshotOf(9));
    service.poke();
    expect((await until(() => service.status(3), (s) => s.state === 'COMPLETED')).state).toBe('COMPLETED');
    await service.stop();
  });
});

describe('/actuator/backups on the system port', () => {
  const system = (backups: BackupService | null) => createSystemServer({ metrics: new ZenMetrics(), readiness: () => true, backups });

  it('without a store answers 400 naming the option that enables backups', async () => {
    const s = system(null);
    for (const [method, url] of [['POST', '/actuator/backups'], ['GET', '/actuator/backups'], ['GET', '/actuator/backups/1'], ['DELETE', '/actuator/backups/1']] as const) {
      const res = await s.app.inject({ method, url, payload: method === 'POST' ? { backupId: 1 } : undefined });
      expect(res.statusCode).toBe(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.json().detail).toContain('--backup-store fs --backup-dir');
    }
    await s.close();
  });

  it('creates (202), reports, lists newest first, refuses an old id (409) and a bad one (400), deletes (204, then 404)', async () => {
    const service = new BackupService(new FsBackupStore(tempDir()), fakeHost(new Map([[1, snapshotOf(1)], [2, snapshotOf(2)]])), logger);
    const s = system(service);
    expect((await s.app.inject({ method: 'POST', url: '/actuator/backups', payload: { backupId: 1 } })).statusCode).toBe(202);
    const created = await s.app.inject({ method: 'POST', url: '/actuator/backupRuntime', payload: { backupId: 2 } });
    expect(created.statusCode).toBe(202);
    expect(created.json().message).toContain('A backup with id 2 has been scheduled');
    const old = await s.app.inject({ method: 'POST', url: '/actuator/backups', payload: { backupId: 2 } });
    expect(old.statusCode).toBe(409);
    expect(old.json().detail).toBe('Backup id 2 must be greater than the last requested backup id 2');
    expect((await s.app.inject({ method: 'POST', url: '/actuator/backups', payload: { backupId: 'x' } })).statusCode).toBe(400);
    await until(async () => (await s.app.inject({ method: 'GET', url: '/actuator/backups/2' })).json().state, (st) => st === 'COMPLETED');
    const one = await s.app.inject({ method: 'GET', url: '/actuator/backups/2' });
    expect(one.json()).toMatchObject({ backupId: 2, state: 'COMPLETED', details: [{ partitionId: 1 }, { partitionId: 2 }] });
    const list = await s.app.inject({ method: 'GET', url: '/actuator/backups' });
    expect(list.json().map((b: { backupId: number }) => b.backupId)).toEqual([2, 1]);
    expect((await s.app.inject({ method: 'DELETE', url: '/actuator/backups/1' })).statusCode).toBe(204);
    const gone = await s.app.inject({ method: 'GET', url: '/actuator/backups/1' });
    expect(gone.statusCode).toBe(404);
    expect((await s.app.inject({ method: 'GET', url: '/actuator/backups' })).json().map((b: { backupId: number }) => b.backupId)).toEqual([2]);
    // Its tombstone keeps the id used.
    expect((await s.app.inject({ method: 'POST', url: '/actuator/backups', payload: { backupId: 1 } })).statusCode).toBe(409);
    expect((await s.app.inject({ method: 'DELETE', url: '/actuator/backups/1' })).statusCode).toBe(404);
    await service.stop();
    await s.close();
  });
});

describe('S3 store description', () => {
  it('never shows credentials written into the endpoint URL', async () => {
    const { S3BackupStore } = await import('../../../src/backup/s3-store.js');
    const store = new S3BackupStore({ bucket: 'b', endpoint: 'http://key:secret@minio:9000/' });
    expect(store.description).toBe('S3 bucket b at http://minio:9000');
  });
});
