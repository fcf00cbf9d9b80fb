/**
 * The partition log in a real etcd: large entries beyond etcd's request limit, and an append
 * whose transaction committed but was reported as failed (etcd3 re-sent it after a lost reply).
 */
import { randomBytes } from 'node:crypto';
import type { Etcd3 } from 'etcd3';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEtcdClient } from '../../src/cluster/etcd/client.js';
import { type Fence, FencedError, ReplicatedLog } from '../../src/cluster/partition/replicated-log.js';
import type { RawLogEntry } from '../../src/storage/log-entry.js';
import { EtcdCluster, etcdAvailable } from '../support/etcd.js';

const logger = pino({ level: 'silent' });

function entry(index: number, firstPosition: number, bytes: Uint8Array, records = 1): RawLogEntry {
  return { index, firstPosition, lastPosition: firstPosition + records - 1, keyCounter: BigInt(index), data: bytes };
}

describe.skipIf(!etcdAvailable())('replicated partition log on etcd', () => {
  let etcd: EtcdCluster;
  let client: Etcd3;
  let prefixes = 0;

  beforeAll(async () => {
    etcd = await EtcdCluster.start(1);
    client = createEtcdClient({ endpoints: etcd.endpoints });
  });

  afterAll(async () => {
    client?.close();
    await etcd?.stop();
  });

  async function freshLog(): Promise<{ log: ReplicatedLog; fence: Fence }> {
    const prefix = `log-test-${process.pid}-${++prefixes}`;
    const log = new ReplicatedLog(client, prefix, 1, logger);
    const fenceKey = `/${prefix}/p/1/election/me`;
    await client.put(fenceKey).value('1');
    const { kvs } = await client.get(fenceKey).exec();
    return { log, fence: { key: fenceKey, createRevision: String(kvs[0]!.create_revision) } };
  }

  it('appends and reads back an entry larger than etcd accepts in one request (1.5 MiB)', async () => {
    const { log, fence } = await freshLog();
    const small = randomBytes(1000);
    const large = randomBytes(3 * 1024 * 1024 + 17);
    await log.append([entry(1, 1, small, 2)], fence);
    await log.append([entry(2, 3, large, 5)], fence);
    await log.append([entry(3, 8, small)], fence);
    const read = await log.read(1, 3);
    expect(read.map((e) => [e.index, e.firstPosition, e.lastPosition])).toEqual([
      [1, 1, 2],
      [2, 3, 7],
      [3, 8, 8],
    ]);
    expect(Buffer.compare(Buffer.from(read[1]!.data), large)).toBe(0);
    expect(await log.headMark()).toEqual({ index: 3, position: 8 });
  });

  it('recognises its own committed append when it is sent again, and refuses anyone else\'s', async () => {
    const { log, fence } = await freshLog();
    const first = entry(1, 1, randomBytes(100));
    await log.append([first], fence);
    // As etcd3's retry does after a reply was lost: the head check fails, but the entry is ours.
    await expect(log.append([first], fence)).resolves.toBeUndefined();
    await expect(log.append([entry(1, 1, randomBytes(100))], fence)).rejects.toBeInstanceOf(FencedError);
    expect(await log.head()).toBe(1);
  });

  it('refuses an append once the fence key is gone, large entries included', async () => {
    const { log, fence } = await freshLog();
    await client.delete().key(fence.key).exec();
    await expect(log.append([entry(1, 1, randomBytes(2 * 1024 * 1024))], fence)).rejects.toBeInstanceOf(FencedError);
    await expect(log.append([entry(1, 1, randomBytes(10))], fence)).rejects.toBeInstanceOf(FencedError);
    expect(await log.head()).toBe(0);
  });
});
