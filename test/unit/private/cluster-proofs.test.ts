/** Cluster-secret proofs: made per request, accepted once, for their purpose, within the window. */
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ClusterAuth, clusterAuth, snapshotPurpose } from '../../../src/cluster/private/auth.js';
import { ReplayCache } from '../../../src/cluster/private/replay-cache.js';

const PING = '/zen.internal.Node/Ping';

/** A node whose clock the test sets. */
function nodeAt(clock: { now: number }, nodeId = 1, secret = 's3cret', replayCacheEntries?: number): ClusterAuth {
  return new ClusterAuth(secret, nodeId, { now: () => clock.now, replayCacheEntries });
}

describe('cluster proofs', () => {
  it('accept a proof once, naming its maker, and refuse it replayed', () => {
    const clock = { now: 1_700_000_000_000 };
    const proof = nodeAt(clock, 4).mint(PING);
    const receiver = nodeAt(clock, 9);
    expect(receiver.verify(proof, PING)).toEqual({ nodeId: 4, timestamp: clock.now });
    expect(() => receiver.verify(proof, PING)).toThrow(/already used/);
    // Another proof for the same call is fresh.
    expect(receiver.verify(nodeAt(clock, 4).mint(PING), PING).nodeId).toBe(4);
  });

  it('refuse a proof for another method or partition', () => {
    const clock = { now: 1_700_000_000_000 };
    const maker = nodeAt(clock);
    const receiver = nodeAt(clock, 2);
    expect(() => receiver.verify(maker.mint(PING), '/zen.internal.Node/Submit')).toThrow(/made for another request \(\/zen.internal.Node\/Ping\)/);
    expect(() => receiver.verify(maker.mint(snapshotPurpose(2)), snapshotPurpose(1))).toThrow(/another request/);
    // A refused proof is not spent: it still serves the call it was made for.
    const proof = maker.mint(snapshotPurpose(1));
    expect(() => receiver.verify(proof, PING)).toThrow(/another request/);
    expect(receiver.verify(proof, snapshotPurpose(1)).nodeId).toBe(1);
  });

  it('refuse proofs dated outside the window, either way', () => {
    // Started long ago: only the window counts.
    const clock = { now: 1_700_000_000_000 - 3_600_000 };
    const receiver = nodeAt(clock, 2);
    clock.now += 3_600_000;
    const maker = nodeAt({ now: clock.now - 60_001 });
    expect(() => receiver.verify(maker.mint(PING), PING)).toThrow(/-60001 ms from this node's clock, outside ±60000 ms/);
    const future = nodeAt({ now: clock.now + 60_001 });
    expect(() => receiver.verify(future.mint(PING), PING)).toThrow(/60001 ms from this node's clock/);
    // At the edge of the window a proof still counts.
    expect(receiver.verify(nodeAt({ now: clock.now - 60_000 }).mint(PING), PING).timestamp).toBe(clock.now - 60_000);
  });

  it('refuse, after a restart, proofs dated before it: the earlier run may have accepted them', () => {
    const clock = { now: 1_700_000_000_000 };
    const maker = nodeAt(clock);
    const proof = maker.mint(PING);
    expect(nodeAt(clock, 2).verify(proof, PING).nodeId).toBe(1);
    clock.now += 1_500;
    const restarted = nodeAt(clock, 2);
    expect(() => restarted.verify(proof, PING)).toThrow(/dated before this node started/);
    // A caller's clock up to 1 s behind is still fine; proofs made from now on are.
    expect(restarted.verify(nodeAt({ now: clock.now - 1_000 }).mint(PING), PING).nodeId).toBe(1);
    expect(restarted.verify(maker.mint(PING), PING).nodeId).toBe(1);
  });

  it('refuse proofs made with another secret, altered, or missing', () => {
    const clock = { now: 1_700_000_000_000 };
    const receiver = nodeAt(clock, 2);
    expect(() => receiver.verify(nodeAt(clock, 1, 'guess').mint(PING), PING)).toThrow(/not made with it/);
    const proof = nodeAt(clock, 1).mint(PING);
    // Claiming another node id (or any other field) breaks the MAC.
    const forged = proof.replace(/^v1\.1\./, 'v1.3.');
    expect(forged).not.toBe(proof);
    expect(() => receiver.verify(forged, PING)).toThrow(/not made with it/);
    expect(() => receiver.verify(undefined, PING)).toThrow(/--cluster-secret\), and this request presented no proof/);
    expect(() => receiver.verify('v1.1.2.3', PING)).toThrow(/malformed/);
    expect(() => receiver.verify(`${proof} `, PING)).toThrow(/malformed/);
    expect(receiver.verify(proof, PING).nodeId).toBe(1);
  });

  it('carry neither the secret nor the key, and are never the same twice', () => {
    const auth = clusterAuth('s3cret-of-the-cluster', 5)!;
    const first = auth.mint(PING);
    const second = auth.mint(PING);
    expect(first).not.toBe(second);
    expect(first).toMatch(/^v1\.5\.\d{13}\.[A-Za-z0-9_-]{22}\.\/zen\.internal\.Node\/Ping\.[A-Za-z0-9_-]{43}$/);
    expect(first).not.toContain('s3cret');
    expect(inspect(auth, { showHidden: true, depth: 5 })).not.toContain('s3cret');
    expect(JSON.stringify(auth)).not.toContain('s3cret');
    expect(clusterAuth('', 5)).toBeNull();
  });

  it('refuse new proofs while the replay cache is full, until its entries expire', () => {
    const clock = { now: 1_700_000_000_000 };
    const receiver = nodeAt(clock, 2, 's3cret', 3);
    const maker = nodeAt(clock);
    for (let i = 0; i < 3; i++) receiver.verify(maker.mint(PING), PING);
    const waiting = maker.mint(PING);
    expect(() => receiver.verify(waiting, PING)).toThrow(expect.objectContaining({ code: 'RESOURCE_EXHAUSTED' }));
    // Still within the window: the remembered proofs are not forgotten to make room.
    clock.now += 60_000;
    expect(() => receiver.verify(waiting, PING)).toThrow(/accepted 3 requests within 60000 ms/);
    clock.now += 1_001;
    expect(receiver.verify(maker.mint(PING), PING).nodeId).toBe(1);
  });
});

describe('ReplayCache', () => {
  it('remembers a nonce until it expires, and no longer', () => {
    const cache = new ReplayCache(10);
    expect(cache.admit('a', 5_000, 1_000)).toBe('fresh');
    expect(cache.admit('a', 5_000, 4_999)).toBe('replayed');
    expect(cache.admit('a', 5_000, 5_000)).toBe('replayed');
    expect(cache.admit('b', 9_000, 6_001)).toBe('fresh');
    expect(cache.size).toBe(1);
  });

  it('refuses when full instead of forgetting what has not expired', () => {
    const cache = new ReplayCache(2);
    expect(cache.admit('a', 10_000, 0)).toBe('fresh');
    expect(cache.admit('b', 3_000, 0)).toBe('fresh');
    expect(cache.admit('c', 10_000, 1_000)).toBe('full');
    expect(cache.admit('a', 10_000, 1_000)).toBe('replayed');
    // 'b' expired: room for one more, but 'a' is still held.
    expect(cache.admit('c', 10_000, 3_001)).toBe('fresh');
    expect(cache.admit('a', 10_000, 3_002)).toBe('replayed');
    expect(cache.size).toBe(2);
  });
});
