import { EventEmitter } from 'node:events';
import type { Etcd3 } from 'etcd3';
import pino from 'pino';
import { describe, expect, it, vi } from 'vitest';
import { Election, NodeLease } from '../../../src/cluster/partition/election.js';

const PREFIX = 'zen/partitions/1/election/';
const LEASE_ID = '7';

/** Just what Election and NodeLease call; every candidate key is this one, first in line. */
function fakeEtcd(watch: () => Promise<unknown>): Etcd3 {
  const chain = { value: () => chain, lease: () => chain, prefix: () => chain, sort: () => chain, key: () => chain };
  const lease = Object.assign(new EventEmitter(), { grant: async () => LEASE_ID, revoke: async () => {} });
  return {
    lease: () => lease,
    put: () => chain,
    get: () => chain,
    if: () => ({ then: () => ({ else: () => ({ commit: async () => ({ succeeded: true, header: { revision: '5' }, responses: [] }) }) }) }),
    watch: () => ({ prefix: () => ({ create: watch }) }),
    getAll: () => ({
      prefix: () => ({
        sort: () => ({ exec: async () => ({ kvs: [{ key: Buffer.from(`${PREFIX}${LEASE_ID}`), value: Buffer.from('0'), create_revision: '5' }] }) }),
      }),
    }),
    delete: () => ({ key: () => ({ exec: async () => ({}) }) }),
  } as unknown as Etcd3;
}

async function electedWithin(etcd: Etcd3, ms: number): Promise<{ campaigned: boolean; elected: boolean; election: Election }> {
  const lease = await NodeLease.grant(etcd, 2);
  const election = new Election(etcd, PREFIX, lease, '0', pino({ level: 'silent' }));
  let elected = false;
  election.on('elected', () => (elected = true));
  let campaigned = false;
  void election.campaign().then(() => (campaigned = true));
  const deadline = Date.now() + ms;
  while (!(elected && campaigned) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  return { campaigned, elected, election };
}

describe('partition election', () => {
  // Found by the chaos suite (ADR 018): etcd3 resolves a watch's creation on 'connected', which
  // a watch stream stuck after an etcd member failure may never emit.
  it('elects a candidate first in line even when its watch never comes up', async () => {
    const { campaigned, elected, election } = await electedWithin(fakeEtcd(() => new Promise(() => {})), 2_500);
    await election.resign();
    expect({ campaigned, elected }).toEqual({ campaigned: true, elected: true });
  });

  it('elects by polling when the watch cannot be created', async () => {
    const { campaigned, elected, election } = await electedWithin(fakeEtcd(() => Promise.reject(new Error('watch refused'))), 2_500);
    await election.resign();
    expect({ campaigned, elected }).toEqual({ campaigned: true, elected: true });
  });

  it('cancels a watch that comes up after the candidacy was given up', async () => {
    let release!: (w: unknown) => void;
    let cancelled = false;
    const watcher = Object.assign(new EventEmitter(), { cancel: async () => void (cancelled = true) });
    const { election } = await electedWithin(fakeEtcd(() => new Promise((resolve) => (release = resolve))), 2_500);
    await election.resign();
    release(watcher);
    await new Promise((r) => setTimeout(r, 20));
    expect(cancelled).toBe(true);
  });
});

describe('NodeLease and steps of the wall clock', () => {
  it('a lease confirmed a moment ago stays confirmed when the wall clock jumps either way, and expires by elapsed time alone', async () => {
    const etcd = fakeEtcd(() => new Promise(() => {}));
    const lease = await NodeLease.grant(etcd, 0.2);
    (etcd.lease(0.2) as unknown as EventEmitter).emit('keepaliveSucceeded');
    const wall = Date.now();
    const now = vi.spyOn(Date, 'now');
    try {
      // An NTP step or `date -s` of five minutes forward, then back: no time has passed.
      now.mockReturnValue(wall + 300_000);
      expect(lease.isAlive()).toBe(true);
      expect(lease.confirmedWithin(0.5)).toBe(true);
      now.mockReturnValue(wall - 300_000);
      expect(lease.isAlive()).toBe(true);
      // While the wall clock stands still, 250 ms pass: beyond the 200 ms TTL.
      now.mockReturnValue(wall);
      await new Promise((r) => setTimeout(r, 250));
      expect(lease.isAlive()).toBe(false);
    } finally {
      now.mockRestore();
    }
  });
});
