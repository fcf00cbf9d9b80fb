/**
 * The partition log in a real etcd: large entries beyond etcd's request limit, compression,
 * appends whose transaction committed but was reported as failed (etcd3 re-sent it after a lost
 * reply), a second append of an index that is already committed (it must never touch the
 * committed entry, chunks included), appends arriving out of order in a pipeline, and an
 * append whose answer was lost while etcd could not be read either.
 */
import { randomBytes } from 'node:crypto';
import type { Etcd3 } from 'etcd3';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEtcdClient } from '../../src/cluster/etcd/client.js';
import { LogAppender } from '../../src/cluster/partition/log-appender.js';
import { EMPTY_HEAD, type HeadMark } from '../../src/cluster/partition/log-format.js';
import { AppendOutcomeUnknownError, type Fence, FencedError, ReplicatedLog } from '../../src/cluster/partition/replicated-log.js';
import type { RawLogEntry } from '../../src/storage/log-entry.js';
import { describeWithEtcd, EtcdCluster } from '../support/etcd.js';

const logger = pino({ level: 'silent' });

function entry(index: number, firstPosition: number, bytes: Uint8Array, records = 1): RawLogEntry {
  return { index, firstPosition, lastPosition: firstPosition + records - 1, keyCounter: BigInt(index), data: bytes };
}

const head = (e: RawLogEntry, token: string): HeadMark => ({ index: e.index, position: e.lastPosition, token });

/** An etcd client whose transactions commit but answer with an error, and whose reads fail: a lost reply with etcd unreachable. */
function losingReplies(client: Etcd3, reads: 'fail' | 'work'): Etcd3 {
  return new Proxy(client, {
    get(target, property, receiver) {
      if (property === 'if') {
        return (...args: Parameters<Etcd3['if']>) => {
          const builder = target.if(...args);
          const commit = builder.commit.bind(builder);
          builder.commit = async () => {
            await commit();
            throw new Error('deadline exceeded (the reply was lost)');
          };
          return builder;
        };
      }
      if (property === 'get' && reads === 'fail') {
        // Still usable inside a transaction; a read of its own fails.
        return (key: string) => {
          const builder = target.get(key);
          const unreachable = () => Promise.reject(new Error('etcd unreachable'));
          return Object.assign(builder, { exec: unreachable, string: unreachable, buffer: unreachable });
        };
      }
      const value = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

describeWithEtcd('replicated partition log on etcd', () => {
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

  async function freshLog(etcdClient: Etcd3 = client): Promise<{ log: ReplicatedLog; fence: Fence; prefix: string }> {
    const prefix = `log-test-${process.pid}-${++prefixes}`;
    const log = new ReplicatedLog(etcdClient, prefix, 1, logger);
    const fenceKey = `/${prefix}/p/1/election/me`;
    await client.put(fenceKey).value('1');
    const { kvs } = await client.get(fenceKey).exec();
    return { log, fence: { key: fenceKey, createRevision: String(kvs[0]!.create_revision) }, prefix };
  }

  it('appends and reads back entries larger than etcd accepts in one request (1.5 MiB), deflating what shrinks', async () => {
    const { log, fence, prefix } = await freshLog();
    const small = randomBytes(1000);
    const large = randomBytes(3 * 1024 * 1024 + 17);
    const compressible = Buffer.alloc(4 * 1024 * 1024, 'zen workflow ');
    const e1 = entry(1, 1, small, 2);
    const e2 = entry(2, 3, large, 5);
    const e3 = entry(3, 8, compressible);
    expect((await log.appendGroup([e1], fence, EMPTY_HEAD, 'a')).outcome).toBe('committed');
    expect((await log.appendGroup([e2], fence, head(e1, 'a'), 'b')).outcome).toBe('committed');
    expect((await log.appendGroup([e3], fence, head(e2, 'b'), 'c')).outcome).toBe('committed');
    const read = await log.read(1, 3);
    expect(read.map((e) => [e.index, e.firstPosition, e.lastPosition])).toEqual([
      [1, 1, 2],
      [2, 3, 7],
      [3, 8, 8],
    ]);
    expect(Buffer.compare(Buffer.from(read[1]!.data), large)).toBe(0);
    expect(Buffer.compare(Buffer.from(read[2]!.data), compressible)).toBe(0);
    expect(await log.headMark()).toEqual({ index: 3, position: 8, token: 'c' });
    // The compressible entry took a small fraction of its size in etcd.
    const stored = await client.getAll().prefix(`/${prefix}/p/1/log/${'3'.padStart(16, '0')}`).buffers();
    const storedBytes = Object.values(stored).reduce((n, v) => n + v.length, 0);
    expect(storedBytes).toBeLessThan(compressible.length / 20);
  });

  it("recognises its own committed append when it is sent again, and refuses anyone else's at that index", async () => {
    const { log, fence } = await freshLog();
    const first = entry(1, 1, randomBytes(100));
    expect((await log.appendGroup([first], fence, EMPTY_HEAD, 'mine')).outcome).toBe('committed');
    // As etcd3's retry does after a reply was lost: the head check fails, but the entry is ours.
    expect((await log.appendGroup([first], fence, EMPTY_HEAD, 'mine')).outcome).toBe('committed');
    await expect(log.appendGroup([entry(1, 1, randomBytes(100))], fence, EMPTY_HEAD, 'other')).rejects.toBeInstanceOf(FencedError);
    expect(await log.headMark()).toEqual({ index: 1, position: 1, token: 'mine' });
  });

  it('never touches a committed chunked entry when the same leader appends its index again', async () => {
    const { log, fence } = await freshLog();
    const base = entry(1, 1, randomBytes(10));
    await log.appendGroup([base], fence, EMPTY_HEAD, 't1');
    const committed = randomBytes(2 * 1024 * 1024 + 5);
    await log.appendGroup([entry(2, 2, committed, 3)], fence, head(base, 't1'), 't2');
    // Same fence, same index, same positions and size, other records: a leader that rebuilt its
    // state after an unknown outcome and processed other commands into the same index.
    const other = randomBytes(committed.length);
    await expect(log.appendGroup([entry(2, 2, other, 3)], fence, head(base, 't1'), 't3')).rejects.toBeInstanceOf(FencedError);
    const [read] = await log.read(2, 2);
    expect(Buffer.compare(Buffer.from(read!.data), committed)).toBe(0);
    expect(await log.headMark()).toEqual({ index: 2, position: 4, token: 't2' });
  });

  it('cannot land on other entries that end at the same index and position as the ones it follows', async () => {
    const { log, fence } = await freshLog();
    const a = entry(1, 1, randomBytes(10));
    await log.appendGroup([a], fence, EMPTY_HEAD, 'real');
    // Processed after an entry 1 that never landed (token 'lost'), though it ends at the same mark.
    await expect(log.appendGroup([entry(2, 2, randomBytes(10))], fence, head(a, 'lost'), 'next')).rejects.toBeInstanceOf(FencedError);
    expect(await log.head()).toBe(1);
  });

  it('refuses an append once the fence key is gone, large entries included', async () => {
    const { log, fence } = await freshLog();
    await client.delete().key(fence.key).exec();
    await expect(log.appendGroup([entry(1, 1, randomBytes(2 * 1024 * 1024))], fence, EMPTY_HEAD, 'x')).rejects.toBeInstanceOf(FencedError);
    await expect(log.appendGroup([entry(1, 1, randomBytes(10))], fence, EMPTY_HEAD, 'y')).rejects.toBeInstanceOf(FencedError);
    expect(await log.head()).toBe(0);
  });

  it("says 'behind' for an append that arrives before the one it follows, and takes it once that one landed", async () => {
    const { log, fence } = await freshLog();
    const one = entry(1, 1, randomBytes(10));
    const two = entry(2, 2, randomBytes(10));
    expect((await log.appendGroup([two], fence, head(one, 'g1'), 'g2')).outcome).toBe('behind');
    expect(await log.head()).toBe(0);
    expect((await log.appendGroup([one], fence, EMPTY_HEAD, 'g1')).outcome).toBe('committed');
    expect((await log.appendGroup([two], fence, head(one, 'g1'), 'g2')).outcome).toBe('committed');
    expect(await log.headMark()).toEqual({ index: 2, position: 2, token: 'g2' });
  });

  it('reports an append whose reply was lost as unknown when etcd cannot be read, and as committed when it can', async () => {
    const { log: plain, fence, prefix } = await freshLog();
    const lost = new ReplicatedLog(losingReplies(client, 'fail'), prefix, 1, logger);
    const first = entry(1, 1, randomBytes(10));
    // Committed in etcd, but neither the reply nor a read says so: never "not committed".
    await expect(lost.appendGroup([first], fence, EMPTY_HEAD, 'u1')).rejects.toBeInstanceOf(AppendOutcomeUnknownError);
    expect(await plain.headMark()).toEqual({ index: 1, position: 1, token: 'u1' });
    const learning = new ReplicatedLog(losingReplies(client, 'work'), prefix, 1, logger);
    const second = entry(2, 2, randomBytes(10));
    expect((await learning.appendGroup([second], fence, head(first, 'u1'), 'u2')).outcome).toBe('committed');
  });

  it('pipelines appends: many groups in flight, committed in order, the log exactly the entries sent', async () => {
    const { log, fence } = await freshLog();
    const appender = new LogAppender(log, fence, EMPTY_HEAD, { maxInFlight: 8, groupSize: () => 1 });
    const entries: RawLogEntry[] = [];
    for (let i = 1; i <= 120; i++) entries.push(entry(i, i, randomBytes(64 + i)));
    const order: number[] = [];
    await Promise.all(entries.map((e) => appender.append(e).then(() => order.push(e.index))));
    expect(order).toEqual(entries.map((e) => e.index));
    const read = await log.read(1, 120);
    expect(read).toHaveLength(120);
    for (const [i, e] of read.entries()) expect(Buffer.compare(Buffer.from(e.data), Buffer.from(entries[i]!.data))).toBe(0);
    expect((await log.headMark()).index).toBe(120);
  });
});
