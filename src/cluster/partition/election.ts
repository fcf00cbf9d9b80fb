/**
 * Leader election on etcd, the usual recipe: each candidate creates `<prefix><lease>` bound
 * to its lease; the candidate whose key has the lowest create revision leads. The key and
 * that revision are the leader's fence (see ReplicatedLog.append); the revision also serves
 * as the leadership term, since it only grows.
 */
import { EventEmitter } from 'node:events';
import type { Etcd3, Lease, Watcher } from 'etcd3';
import type { Logger } from 'pino';
import type { Fence } from './replicated-log.js';
import { monotonicNow } from '../../elapsed.js';

const POLL_INTERVAL_MS = 1000;

/**
 * The lease a node's candidacies hang on. If keep-alives stop reaching etcd (the node is cut
 * off, or was frozen), the node must assume its keys are gone: `isAlive()` turns false once
 * the TTL has passed since the last confirmed keep-alive, before etcd necessarily says so.
 */
export class NodeLease extends EventEmitter {
  private lastConfirmed = monotonicNow();
  private lost = false;

  private constructor(
    private readonly lease: Lease,
    readonly id: string,
    private readonly ttlSeconds: number,
  ) {
    super();
    lease.on('keepaliveSucceeded', () => {
      this.lastConfirmed = monotonicNow();
    });
    lease.on('lost', (err) => {
      // etcd3 can report one loss twice (the keep-alive loop and its stream both notice);
      // each report makes the node take a new lease, and the extra one would be leaked.
      if (this.lost) return;
      this.lost = true;
      this.emit('lost', err);
    });
  }

  static async grant(etcd: Etcd3, ttlSeconds: number): Promise<NodeLease> {
    const lease = etcd.lease(ttlSeconds);
    const id = await lease.grant();
    return new NodeLease(lease, id, ttlSeconds);
  }

  isAlive(): boolean {
    return this.confirmedWithin(1);
  }

  /** Whether etcd confirmed a keep-alive within this fraction of the TTL (keep-alives go every third). */
  confirmedWithin(fraction: number): boolean {
    return !this.lost && monotonicNow() - this.lastConfirmed < this.ttlSeconds * 1000 * fraction;
  }

  get raw(): Lease {
    return this.lease;
  }

  async revoke(): Promise<void> {
    this.lost = true;
    await this.lease.revoke().catch(() => {});
  }
}

export interface ElectionEvents {
  elected: [fence: Fence];
  /** The candidacy's key is gone (lease lost, resigned): not leader, not candidate. */
  ended: [];
}

export class Election extends EventEmitter<ElectionEvents> {
  private fence: Fence | null = null;
  private myKey: string;
  private myRevision: string | null = null;
  private watcher: Watcher | null = null;
  private poll: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(
    private readonly etcd: Etcd3,
    private readonly prefix: string,
    private readonly lease: NodeLease,
    private readonly value: string,
    private readonly logger: Logger,
  ) {
    super();
    this.myKey = `${prefix}${lease.id}`;
  }

  get isLeader(): boolean {
    return this.fence !== null && this.lease.isAlive();
  }

  get leaderFence(): Fence | null {
    return this.isLeader ? this.fence : null;
  }

  /** Enters the election; `elected` fires when this candidate leads. */
  async campaign(): Promise<void> {
    const result = await this.etcd
      .if(this.myKey, 'Create', '==', 0)
      .then(this.etcd.put(this.myKey).value(this.value).lease(this.lease.id))
      .else(this.etcd.get(this.myKey))
      .commit();
    const revision = result.succeeded ? result.header.revision : result.responses[0]?.response_range?.kvs?.[0]?.create_revision;
    this.myRevision = String(revision);
    // The poll alone is enough to be elected; the watch only makes it quicker. Its creation is
    // not awaited: etcd3 resolves it on 'connected', which a watch stream stuck after a member
    // failure may never emit — awaiting it left a candidate first in line that never checked
    // the line, and its partition without a leader until its lease went (chaos, ADR 018).
    this.poll = setInterval(() => void this.check(), POLL_INTERVAL_MS);
    this.poll.unref?.();
    void this.watchLine();
    await this.check();
  }

  private async watchLine(): Promise<void> {
    try {
      const watcher = await this.etcd.watch().prefix(this.prefix).create();
      if (this.stopped) return void watcher.cancel().catch(() => {});
      this.watcher = watcher;
      watcher.on('delete', () => void this.check());
      watcher.on('put', () => void this.check());
      watcher.on('error', (err) => this.logger.debug({ err }, 'election watch error'));
    } catch (err) {
      this.logger.debug({ err }, 'cannot watch the election; polling');
    }
  }

  /** This candidacy's key. */
  get key(): string {
    return this.myKey;
  }

  /** Every candidate in line, first (the leader) first. */
  async candidates(): Promise<Array<{ key: string; value: string }>> {
    const response = await this.etcd.getAll().prefix(this.prefix).sort('Create', 'Ascend').exec();
    return response.kvs.map((kv) => ({ key: kv.key.toString(), value: kv.value.toString() }));
  }

  /** Who leads now: the value (node id) of the lowest candidate, or null. */
  async leader(): Promise<{ value: string; revision: string } | null> {
    const response = await this.etcd.getAll().prefix(this.prefix).sort('Create', 'Ascend').limit(1).exec();
    const kv = response.kvs[0];
    return kv ? { value: kv.value.toString(), revision: String(kv.create_revision) } : null;
  }

  private async check(): Promise<void> {
    if (this.stopped) return;
    try {
      const response = await this.etcd.getAll().prefix(this.prefix).sort('Create', 'Ascend').exec();
      // Ended or resigned while the read was out: a late `elected` would start a take-over.
      if (this.stopped) return;
      const mine = response.kvs.find((kv) => kv.key.toString() === this.myKey);
      if (!mine) {
        // Our key vanished (lease expired while we were away): the candidacy is over.
        this.end();
        return;
      }
      const first = response.kvs[0]!;
      if (first.key.toString() === this.myKey && !this.fence) {
        this.fence = { key: this.myKey, createRevision: String(mine.create_revision) };
        this.emit('elected', this.fence);
      }
    } catch (err) {
      this.logger.debug({ err }, 'election check failed');
    }
  }

  /** Leaves the election (and hands over leadership); deletes the candidacy key. */
  async resign(): Promise<void> {
    const wasStopped = this.stopped;
    this.stopWatching();
    if (!wasStopped) await this.etcd.delete().key(this.myKey).exec().catch(() => {});
    this.fence = null;
  }

  private end(): void {
    this.stopWatching();
    this.fence = null;
    this.emit('ended');
  }

  private stopWatching(): void {
    this.stopped = true;
    if (this.poll) clearInterval(this.poll);
    this.poll = null;
    void this.watcher?.cancel().catch(() => {});
    this.watcher = null;
  }

  get revision(): string | null {
    return this.myRevision;
  }
}
