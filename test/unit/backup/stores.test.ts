import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FsBackupStore } from '../../../src/backup/fs-store.js';
import { S3BackupStore } from '../../../src/backup/s3-store.js';
import type { BackupStore } from '../../../src/backup/store.js';
import { restoreBackup } from '../../../src/backup/restore.js';
import { CLUSTER_MANIFEST, partitionFileName, partitionManifestName, type ClusterManifest, type PartitionManifest } from '../../../src/backup/manifest.js';
import { startLocalS3, type LocalS3 } from '../../support/local-s3.js';
import { deleteBackup, isDeleted, TOMBSTONE } from '../../../src/backup/tombstone.js';
import { BackupService, type BackupHost } from '../../../src/backup/backup-service.js';
import pino from 'pino';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'zen-backup-test-'));
  dirs.push(dir);
  return dir;
}

let s3: LocalS3;
const savedEnv = { ...process.env };
beforeAll(async () => {
  s3 = await startLocalS3();
  Object.assign(process.env, s3.env);
});
afterAll(async () => {
  await s3.close();
  process.env = savedEnv;
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const stores: Array<[string, () => { store: BackupStore; corrupt: (backupId: number, name: string) => Promise<void> }]> = [
  [
    'fs',
    () => {
      const root = tempDir();
      return {
        store: new FsBackupStore(root),
        corrupt: async (backupId, name) => {
          const path = join(root, String(backupId), ...name.split('/'));
          const bytes = readFileSync(path);
          bytes[bytes.length - 1] ^= 0xff;
          writeFileSync(path, bytes);
        },
      };
    },
  ],
  [
    's3',
    () => {
      // A bucket prefix per test through distinct backup ids is enough; each test uses its own ids.
      const store = new S3BackupStore({ bucket: s3.bucket, endpoint: s3.endpoint, region: 'us-east-1' });
      return {
        store,
        corrupt: async (backupId, name) => {
          const { S3Client, PutObjectCommand } = await import('@aws-sdk/client-s3');
          const client = new S3Client({ endpoint: s3.endpoint, forcePathStyle: true, region: 'us-east-1' });
          await client.send(new PutObjectCommand({ Bucket: s3.bucket, Key: `${backupId}/${name}`, Body: 'not the database' }));
        },
      };
    },
  ],
];

let nextId = 100;

function fakeDatabase(content: string): { path: string; sha256: string } {
  const path = join(tempDir(), 'zen.db');
  writeFileSync(path, content);
  return { path, sha256: createHash('sha256').update(content).digest('hex') };
}

async function writeBackup(store: BackupStore, backupId: number, partitionCount: number, extra: Partial<ClusterManifest> = {}): Promise<void> {
  const cluster: ClusterManifest = { backupId, zenVersion: 'test', partitionCount, replicationFactor: 1, clusterState: null, createdAt: new Date().toISOString(), nodeId: 0, ...extra };
  await store.writeManifest(backupId, CLUSTER_MANIFEST, cluster);
  for (let p = 1; p <= partitionCount; p++) {
    const db = fakeDatabase(`partition ${p} of backup ${backupId} `.repeat(1000));
    const file = await store.putFile(backupId, partitionFileName(p), db.path);
    const now = new Date().toISOString();
    const manifest: PartitionManifest = { backupId, partitionId: p, state: 'COMPLETED', logIndex: 10 * p, position: 100 * p, nodeId: 0, zenVersion: 'test', partitionCount, createdAt: now, lastUpdatedAt: now, files: [file] };
    await store.writeManifest(backupId, partitionManifestName(p), manifest);
  }
}

describe.each(stores)('%s backup store', (_name, make) => {
  it('stores a file with its size and SHA-256 and gives back exactly those bytes', async () => {
    const { store } = make();
    const id = nextId++;
    const db = fakeDatabase('some database bytes'.repeat(5000));
    const entry = await store.putFile(id, partitionFileName(1), db.path);
    expect(entry).toEqual({ name: partitionFileName(1), size: 19 * 5000, sha256: db.sha256 });
    const out = join(tempDir(), 'copy.db');
    await store.getFile(id, entry, out);
    expect(createHash('sha256').update(readFileSync(out)).digest('hex')).toBe(db.sha256);
  });

  it('refuses a corrupted file, names it, and leaves nothing where it was to go', async () => {
    const { store, corrupt } = make();
    const id = nextId++;
    const db = fakeDatabase('x'.repeat(4096));
    const entry = await store.putFile(id, partitionFileName(2), db.path);
    await corrupt(id, partitionFileName(2));
    const out = join(tempDir(), 'copy.db');
    await expect(store.getFile(id, entry, out)).rejects.toThrow(`File ${partitionFileName(2)} of backup ${id} is corrupt`);
    expect(existsSync(out)).toBe(false);
  });

  it('writes, replaces and reads manifests; a missing one is null', async () => {
    const { store } = make();
    const id = nextId++;
    expect(await store.readManifest(id, 'cluster.json')).toBeNull();
    await store.writeManifest(id, 'cluster.json', { a: 1 });
    await store.writeManifest(id, 'cluster.json', { a: 2 });
    expect(await store.readManifest(id, 'cluster.json')).toEqual({ a: 2 });
  });

  it('lists backup ids and names, and deletes a backup, leaving its tombstone', async () => {
    const { store } = make();
    const a = nextId++;
    const b = nextId++;
    await writeBackup(store, a, 2);
    await writeBackup(store, b, 1);
    const ids = await store.listBackupIds();
    expect(ids).toEqual(expect.arrayContaining([a, b]));
    expect(ids).toEqual([...ids].sort((x, y) => x - y));
    expect(await store.listNames(a)).toEqual(['cluster.json', 'partition-1.json', 'partition-1/zen.db', 'partition-2.json', 'partition-2/zen.db']);
    expect(await deleteBackup(store, a, new Date())).toBe(true);
    expect(await store.listNames(a)).toEqual([TOMBSTONE]);
    expect(await isDeleted(store, a)).toBe(true);
    expect(await isDeleted(store, b)).toBe(false);
    // The id stays listed: new ids must grow past it.
    expect(await store.listBackupIds()).toContain(a);
    expect(await deleteBackup(store, a, new Date())).toBe(false);
    expect(await deleteBackup(store, nextId++, new Date())).toBe(false);
    await expect(restoreBackup({ store, backupId: a, dataDir: join(tempDir(), 'd') })).rejects.toMatchObject({ code: 'NOT_FOUND', message: `Backup ${a} was deleted from the ${store.description}` });
  });

  it('restores into an empty data directory: every partition where zen start looks, and the marker', async () => {
    const { store } = make();
    const id = nextId++;
    await writeBackup(store, id, 3);
    const dataDir = join(tempDir(), 'data');
    const marker = await restoreBackup({ store, backupId: id, dataDir });
    expect(marker.partitions).toEqual([
      { partitionId: 1, logIndex: 10, position: 100 },
      { partitionId: 2, logIndex: 20, position: 200 },
      { partitionId: 3, logIndex: 30, position: 300 },
    ]);
    for (let p = 1; p <= 3; p++) expect(readFileSync(join(dataDir, 'partitions', String(p), 'zen.db'), 'utf8')).toContain(`partition ${p} of backup ${id}`);
    expect(JSON.parse(readFileSync(join(dataDir, 'restored-from-backup.json'), 'utf8'))).toMatchObject({ backupId: id, partitionCount: 3 });
  });

  it('brings back the settings changed at run time: settings.json for a standalone node, the marker for a cluster', async () => {
    const { store } = make();
    const settings = { backpressureLimit: '321', logLevel: 'debug' };
    const standalone = nextId++;
    await writeBackup(store, standalone, 1, { settings });
    const standaloneDir = join(tempDir(), 'standalone');
    const lines: string[] = [];
    expect((await restoreBackup({ store, backupId: standalone, dataDir: standaloneDir, progress: (l) => lines.push(l) })).settings).toEqual(settings);
    expect(JSON.parse(readFileSync(join(standaloneDir, 'settings.json'), 'utf8'))).toEqual({ settings });
    expect(lines).toContain('settings changed at run time: backpressureLimit=321, logLevel=debug');

    const clustered = nextId++;
    await writeBackup(store, clustered, 1, { settings, clusterState: { version: 3, nodes: [] } });
    const clusterDir = join(tempDir(), 'cluster');
    expect((await restoreBackup({ store, backupId: clustered, dataDir: clusterDir })).settings).toEqual(settings);
    // A cluster node reads its overrides from the cluster log, never from a file.
    expect(existsSync(join(clusterDir, 'settings.json'))).toBe(false);
    expect(JSON.parse(readFileSync(join(clusterDir, 'restored-from-backup.json'), 'utf8'))).toMatchObject({ settings });

    // A manifest whose settings are not text is refused rather than trusted.
    const broken = nextId++;
    await writeBackup(store, broken, 1, { settings: { backpressureLimit: 321 } as unknown as Record<string, string> });
    await expect(restoreBackup({ store, backupId: broken, dataDir: join(tempDir(), 'broken') })).rejects.toThrow(`The backup manifest ${broken}/cluster.json is malformed`);
  });

  it('restore refuses a corrupted backup and leaves the data directory as it was', async () => {
    const { store, corrupt } = make();
    const id = nextId++;
    await writeBackup(store, id, 2);
    await corrupt(id, partitionFileName(2));
    const parent = tempDir();
    const dataDir = join(parent, 'data');
    await expect(restoreBackup({ store, backupId: id, dataDir })).rejects.toThrow(`File ${partitionFileName(2)} of backup ${id} is corrupt`);
    expect(readdirSync(parent)).toEqual([]);
  });

  it('restore refuses a non-empty data directory, naming what it found', async () => {
    const { store } = make();
    const id = nextId++;
    await writeBackup(store, id, 1);
    const dataDir = tempDir();
    mkdirSync(join(dataDir, 'partitions'));
    await expect(restoreBackup({ store, backupId: id, dataDir })).rejects.toThrow(/is not empty \(it holds partitions\)/);
  });

  it('restore refuses a backup that is not complete, naming the partition', async () => {
    const { store } = make();
    const id = nextId++;
    await writeBackup(store, id, 1);
    await store.writeManifest(id, CLUSTER_MANIFEST, { backupId: id, zenVersion: 'test', partitionCount: 2, replicationFactor: 1, clusterState: null, createdAt: '', nodeId: 0 });
    await expect(restoreBackup({ store, backupId: id, dataDir: join(tempDir(), 'd') })).rejects.toThrow('partition 2 is missing');
  });

  it('a backup deleted while a partition is being taken stays deleted: the take removes what it wrote, no node takes it again, and its id stays used', async () => {
    const { store } = make();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let snapshots = 0;
    const slow = {
      snapshot: async (path: string) => {
        snapshots++;
        await gate;
        writeFileSync(path, 'the partition, copied while the backup was deleted');
        return { index: 7, position: 70 };
      },
    };
    const host = serviceHost(new Map([[1, slow], [2, snapshotOf(9)]]));
    const service = new BackupService(store, host, silent);
    const id = nextId++;
    await service.create(id);
    // Partition 2 completes, partition 1 waits in its snapshot.
    await until(async () => (await store.readManifest(id, partitionManifestName(2))) as PartitionManifest | null, (m) => m?.state === 'COMPLETED');
    expect(((await store.readManifest(id, partitionManifestName(1))) as PartitionManifest).state).toBe('IN_PROGRESS');

    await service.delete(id);
    await expect(service.status(id)).rejects.toMatchObject({ code: 'NOT_FOUND', message: `Backup ${id} was deleted from the ${store.description}` });
    await expect(service.delete(id)).rejects.toMatchObject({ code: 'NOT_FOUND' });

    release();
    await service.settled();
    expect(await store.listNames(id)).toEqual([TOMBSTONE]);
    await expect(service.status(id)).rejects.toMatchObject({ code: 'NOT_FOUND' });

    // A leader elected later (here: a node that now leads both) does not take it again.
    const later = new BackupService(store, serviceHost(new Map([[1, slow], [2, slow]]), id), silent);
    later.poke();
    await later.settled();
    expect(snapshots).toBe(1);
    expect(await store.listNames(id)).toEqual([TOMBSTONE]);

    // Ids must still grow past the deleted one, also for a node that never saw it requested.
    await expect(later.create(id)).rejects.toThrow(`last requested backup id ${id}`);
    await expect(new BackupService(store, serviceHost(new Map()), silent).create(id)).rejects.toThrow(`last requested backup id ${id}`);
    await service.stop();
    await later.stop();
  });

  it('a delete that lands between a take\'s last check and its last write is still honoured: the take removes the manifest it wrote', async () => {
    const { store } = make();
    const id = nextId++;
    // The delete runs inside the take's final write, just before the write reaches the store.
    const racing: BackupStore = Object.create(store) as BackupStore;
    racing.writeManifest = async (backupId, name, manifest) => {
      if (name === partitionManifestName(1) && (manifest as PartitionManifest).state === 'COMPLETED') await deleteBackup(store, backupId, new Date());
      return store.writeManifest(backupId, name, manifest);
    };
    const service = new BackupService(racing, serviceHost(new Map([[1, snapshotOf(3)]])), silent);
    await service.create(id);
    await until(() => service.settled().then(() => store.listNames(id)), (names) => names.includes(TOMBSTONE));
    await service.settled();
    expect(await store.listNames(id)).toEqual([TOMBSTONE]);
    await service.stop();
  });
});

const silent = pino({ level: 'silent' });

function serviceHost(led: Map<number, { snapshot(path: string): Promise<{ index: number; position: number }> }>, last = 0): BackupHost {
  return {
    nodeId: 1,
    zenVersion: 'test',
    partitionCount: 2,
    tempDir: tempDir(),
    replicationFactor: () => 1,
    clusterState: () => null,
    settings: () => ({}),
    lastRequested: () => last,
    record: async (id: number) => {
      last = Math.max(last, id);
    },
    ledPartitions: () => led,
  };
}

const snapshotOf = (index: number) => ({
  snapshot: async (path: string) => {
    writeFileSync(path, `database at ${index}`);
    return { index, position: index * 10 };
  },
});

async function until<T>(read: () => Promise<T>, ok: (v: T) => boolean): Promise<T> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const v = await read();
    if (ok(v) || Date.now() > deadline) return v;
    await new Promise((r) => setTimeout(r, 20));
  }
}
