import { Etcd3 } from 'etcd3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeWithEtcd, EtcdCluster } from '../support/etcd.js';

// Cluster tests need etcd (Debian's etcd-server); .ci/run installs it.
describeWithEtcd('etcd test support', () => {
  let etcd: EtcdCluster;
  beforeAll(async () => {
    etcd = await EtcdCluster.start(3);
  });
  afterAll(async () => {
    await etcd?.stop();
  });

  it('keeps serving writes with one of three members killed', async () => {
    const client = new Etcd3({ hosts: etcd.endpoints });
    await client.put('k').value('v1');
    etcd.kill9(0);
    const other = new Etcd3({ hosts: [etcd.memberEndpoint(1), etcd.memberEndpoint(2)] });
    await other.put('k').value('v2');
    expect(await other.get('k').string()).toBe('v2');
    await etcd.restart(0);
    expect(await client.get('k').string()).toBe('v2');
    client.close();
    other.close();
  });
});
