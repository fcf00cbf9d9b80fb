/**
 * What a restored cluster writes into its fresh etcd, on a real etcd: each partition's head is
 * seeded once, and exactly one node puts the backup's runtime settings back — also when
 * partition 1 was empty at the backup, so no seed of it ever happens.
 */
import type { Etcd3 } from 'etcd3';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RestoreMarker } from '../../src/backup/restore-marker.js';
import { claimSettingsRestore, markSettingsRestored, seedRestoredHead } from '../../src/backup/seed-head.js';
import { createEtcdClient } from '../../src/cluster/etcd/client.js';
import { describeWithEtcd, EtcdCluster } from '../support/etcd.js';

const marker: RestoreMarker = {
  backupId: 7,
  partitionCount: 2,
  replicationFactor: 3,
  zenVersion: 'test',
  restoredAt: '2026-12-07T00:00:00.000Z',
  partitions: [
    { partitionId: 1, logIndex: 0, position: 0 },
    { partitionId: 2, logIndex: 12, position: 340 },
  ],
  settings: { backpressureLimit: '321' },
};

describeWithEtcd('seeding a restored cluster in a fresh etcd', () => {
  let etcd: EtcdCluster;
  let client: Etcd3;

  beforeAll(async () => {
    etcd = await EtcdCluster.start(1);
    client = createEtcdClient({ endpoints: etcd.endpoints });
  });

  afterAll(async () => {
    client?.close();
    await etcd?.stop();
  });

  it('seeds only partitions that had entries, and each once', async () => {
    expect(await seedRestoredHead(client, 'seed', 1, marker)).toBe(false);
    expect(await seedRestoredHead(client, 'seed', 2, marker)).toBe(true);
    expect(await seedRestoredHead(client, 'seed', 2, marker)).toBe(false);
    expect(await client.get('/seed/p/1/head').string()).toBeNull();
    expect(await client.get('/seed/p/2/head').string()).toContain('12');
  });

  it('lets one node claim the settings, again after its own crash, and no one once they are done', async () => {
    expect(await claimSettingsRestore(client, 'claim', marker, '1')).toBe(true);
    expect(await claimSettingsRestore(client, 'claim', marker, '2')).toBe(false);
    // Node 1 died between claiming and marking: it appends again when it comes back.
    expect(await claimSettingsRestore(client, 'claim', marker, '1')).toBe(true);
    await markSettingsRestored(client, 'claim', marker);
    expect(await claimSettingsRestore(client, 'claim', marker, '1')).toBe(false);
    expect(await claimSettingsRestore(client, 'claim', marker, '3')).toBe(false);
    // Another backup restored into the same etcd namespace is claimed afresh.
    expect(await claimSettingsRestore(client, 'claim', { ...marker, backupId: 8 }, '3')).toBe(true);
  });
});
