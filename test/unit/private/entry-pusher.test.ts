/** A leader's pushes to its followers: one stream per peer, through a real private port. */
import { afterEach, describe, expect, it } from 'vitest';
import { ClusterAuth } from '../../../src/cluster/private/auth.js';
import { ClientPool } from '../../../src/cluster/private/client-pool.js';
import { EntryPusher, REOPEN_AFTER_MS } from '../../../src/cluster/private/entry-pusher.js';
import type { RawLogEntry } from '../../../src/storage/log-entry.js';
import { FakeNode, silent, startNode, until, type RunningNode } from './support.js';

const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

async function follower(port = 0, fake = new FakeNode(), auth?: ClusterAuth): Promise<RunningNode> {
  const running = await startNode(fake, port, 7, auth);
  cleanup.push(() => running.server.close());
  return running;
}

function entry(index: number): RawLogEntry {
  return { index, firstPosition: index * 10, lastPosition: index * 10 + 9, keyCounter: BigInt(index) << 40n, data: new Uint8Array([index, 1, 2, 3]) };
}

/** A pusher whose calls are counted by method and whose reopen pause runs on a clock the test moves. */
function pusher(auth?: ClusterAuth) {
  const calls: Record<string, number> = {};
  const pool = new ClientPool({ logger: silent, callTimeoutMs: 2000, nodeId: 3, auth, onCall: (rpc) => (calls[rpc] = (calls[rpc] ?? 0) + 1) });
  const clock = { now: 1_000 };
  const entries = new EntryPusher(pool, silent, () => clock.now);
  cleanup.push(() => pool.closeAll());
  cleanup.push(() => entries.close());
  return { entries, calls, clock };
}

/** The pusher sends at the end of a pass of the event loop: this waits for one. */
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

const indexes = (fake: FakeNode, partitionId: number) => fake.pushes.filter((p) => p.partitionId === partitionId).flatMap((p) => p.entries.map((e) => e.index));

describe('EntryPusher', () => {
  it('sends every partition its entries in order, on one stream per follower, what was pushed in one pass in one message', async () => {
    const a = await follower();
    const b = await follower();
    const { entries, calls } = pusher();
    for (let i = 1; i <= 50; i++) {
      entries.push(1, entry(i), [a.address, b.address]);
      entries.push(2, entry(100 + i), [a.address]);
    }
    await until(() => indexes(a.node, 1).length === 50 && indexes(a.node, 2).length === 50 && indexes(b.node, 1).length === 50);
    const expected = Array.from({ length: 50 }, (_, i) => i + 1);
    expect(indexes(a.node, 1)).toEqual(expected);
    expect(indexes(b.node, 1)).toEqual(expected);
    expect(indexes(a.node, 2)).toEqual(expected.map((i) => 100 + i));
    expect(indexes(b.node, 2)).toEqual([]);
    // Entries arrive whole: bigint counters and bytes survive the trip.
    expect(a.node.pushes[0]!.entries[0]).toEqual({ ...entry(1), data: expect.any(Uint8Array) });
    expect([...a.node.pushes[0]!.entries[0]!.data]).toEqual([1, 1, 2, 3]);
    expect(calls.PushStream).toBe(2);
    // Pushed in one pass of the event loop: one message per follower and partition.
    expect(calls.Push).toBe(3);
    expect(a.node.pushes.length + b.node.pushes.length).toBe(3);
  });

  it('sends what is pushed in later passes in further messages, in order', async () => {
    const a = await follower();
    const { entries, calls } = pusher();
    for (let i = 1; i <= 20; i++) {
      entries.push(1, entry(i), [a.address]);
      if (i % 5 === 0) await turn();
    }
    await until(() => indexes(a.node, 1).length === 20);
    expect(indexes(a.node, 1)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(calls.Push).toBe(4);
    expect(calls.PushStream).toBe(1);
  });

  it('drops pushes to a follower whose stream failed, and opens a new stream once the pause is over', async () => {
    const first = await follower();
    const { entries, calls, clock } = pusher();
    entries.push(1, entry(1), [first.address]);
    await until(() => indexes(first.node, 1).length === 1);
    await first.server.close();
    // The stream learns of the close; pushes after it are dropped until the pause ends.
    const again = await follower(first.port);
    await until(() => {
      entries.push(1, entry(2), [first.address]);
      return calls.PushStream === 1 && indexes(again.node, 1).length === 0 && streamFailed(entries);
    });
    await turn();
    expect(indexes(again.node, 1)).toEqual([]);
    clock.now += REOPEN_AFTER_MS;
    entries.push(1, entry(3), [first.address]);
    await until(() => indexes(again.node, 1).length === 1);
    expect(indexes(again.node, 1)).toEqual([3]);
    expect(calls.PushStream).toBe(2);
  });

  it('ends the stream when the follower refuses a push, and carries on with a new one after the pause', async () => {
    const fake = new FakeNode();
    let refuse = true;
    fake.onPush = () => {
      if (refuse) throw new Error('cannot decode');
    };
    const running = await follower(0, fake);
    const { entries, calls, clock } = pusher();
    entries.push(1, entry(1), [running.address]);
    await until(() => streamFailed(entries));
    refuse = false;
    entries.push(1, entry(2), [running.address]);
    await turn();
    clock.now += REOPEN_AFTER_MS;
    entries.push(1, entry(3), [running.address]);
    await until(() => indexes(fake, 1).length === 1);
    expect(indexes(fake, 1)).toEqual([3]);
    expect(calls.PushStream).toBe(2);
  });

  it('presents a proof when the cluster has a secret, and pushes nothing to a node with another secret', async () => {
    const guarded = await follower(0, new FakeNode(), new ClusterAuth('s3cret', 7));
    const member = pusher(new ClusterAuth('s3cret', 3));
    member.entries.push(1, entry(1), [guarded.address]);
    await until(() => indexes(guarded.node, 1).length === 1);
    const stranger = pusher(new ClusterAuth('guess', 4));
    stranger.entries.push(1, entry(2), [guarded.address]);
    await until(() => streamFailed(stranger.entries));
    expect(indexes(guarded.node, 1)).toEqual([1]);
  });
});

/** Whether some peer's stream has failed (white-box: the pause it starts is what the tests move past). */
function streamFailed(entries: EntryPusher): boolean {
  const peers = (entries as unknown as { peers: Map<string, { failedAt: number }> }).peers;
  return [...peers.values()].some((peer) => peer.failedAt > 0);
}
