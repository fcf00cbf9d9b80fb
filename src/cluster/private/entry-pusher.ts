/**
 * A leader's pushes of committed partition-log entries to its followers, over the private
 * port: one stream per follower node (ClientPool.openPushStream), shared by the partitions
 * this node leads; what commits in one pass of the event loop goes in one message per
 * partition. Pushes are an optimisation — a follower
 * reads whatever it missed from etcd — so nothing is retried: entries are queued only while a
 * stream's buffer is full, a backlog beyond a bound is dropped (a follower that slow is better
 * served by etcd than by a growing queue here), and a stream that failed is opened again only
 * after a pause, so a node that is down costs no more than a failed connection a second.
 */
import { serialize } from 'node:v8';
import type { Logger } from 'pino';
import type { RawLogEntry } from '../../storage/log-entry.js';
import type { ClientPool, PushStream, PushStreamEvents } from './client-pool.js';

const MAX_BACKLOG_BYTES = 8 * 1024 * 1024;
/** After a stream to a peer failed, pushes to it are dropped this long before a new one is opened. */
export const REOPEN_AFTER_MS = 1000;

interface Lane {
  readonly partitionId: number;
  queue: RawLogEntry[];
  bytes: number;
}

interface Peer {
  readonly address: string;
  /** By partition. */
  readonly lanes: Map<number, Lane>;
  stream: PushStream | null;
  /** The stream's buffer is full: queue until it drains. */
  blocked: boolean;
  /** When the last stream failed (ms, this process's clock), 0 if none did. */
  failedAt: number;
}

export class EntryPusher {
  private readonly peers = new Map<string, Peer>();
  /** Peers with entries queued since the last flush. */
  private readonly dirty = new Set<Peer>();
  private flushScheduled = false;
  private closed = false;

  constructor(
    private readonly pool: ClientPool,
    private readonly logger: Logger,
    /** The clock of the reopen pause (tests move it). */
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Queues `entry` (committed, in index order) for each follower address; sent at the end of this pass of the event loop, if the stream has room. */
  push(partitionId: number, entry: RawLogEntry, addresses: readonly string[]): void {
    if (this.closed) return;
    for (const address of addresses) {
      let peer = this.peers.get(address);
      if (!peer) this.peers.set(address, (peer = { address, lanes: new Map(), stream: null, blocked: false, failedAt: 0 }));
      let lane = peer.lanes.get(partitionId);
      if (!lane) peer.lanes.set(partitionId, (lane = { partitionId, queue: [], bytes: 0 }));
      if (lane.bytes + entry.data.byteLength > MAX_BACKLOG_BYTES) {
        lane.queue = [];
        lane.bytes = 0;
      }
      lane.queue.push(entry);
      lane.bytes += entry.data.byteLength;
      this.dirty.add(peer);
    }
    // Entries that commit together (a group's, resolved in one pass) go in one message: each
    // message is a task on the follower's event loop.
    if (!this.flushScheduled && this.dirty.size > 0) {
      this.flushScheduled = true;
      setImmediate(() => this.flushDirty());
    }
  }

  close(): void {
    this.closed = true;
    for (const peer of this.peers.values()) peer.stream?.end();
    this.peers.clear();
  }

  private flushDirty(): void {
    this.flushScheduled = false;
    const peers = [...this.dirty];
    this.dirty.clear();
    if (this.closed) return;
    for (const peer of peers) for (const lane of peer.lanes.values()) this.flush(peer, lane);
  }

  private flush(peer: Peer, lane: Lane): void {
    if (lane.queue.length === 0 || peer.blocked) return;
    const stream = this.streamTo(peer);
    if (!stream) {
      // Paused after a failure: what would wait here the follower reads from etcd anyway.
      lane.queue = [];
      lane.bytes = 0;
      return;
    }
    const entries = lane.queue;
    lane.queue = [];
    lane.bytes = 0;
    if (!stream.write(lane.partitionId, serialize(entries))) peer.blocked = true;
  }

  private streamTo(peer: Peer): PushStream | null {
    if (peer.stream) return peer.stream;
    if (this.closed || (peer.failedAt > 0 && this.now() - peer.failedAt < REOPEN_AFTER_MS)) return null;
    let stream: PushStream | null = null;
    const events: PushStreamEvents = {
      onDrain: () => {
        if (peer.stream !== stream) return;
        peer.blocked = false;
        for (const lane of peer.lanes.values()) this.flush(peer, lane);
      },
      onEnd: (err) => {
        if (peer.stream !== stream) return;
        peer.stream = null;
        peer.blocked = false;
        if (err) {
          peer.failedAt = this.now();
          this.logger.debug({ err, address: peer.address }, 'pushing entries to a follower failed; it reads them from etcd');
        }
      },
    };
    try {
      stream = this.pool.openPushStream(peer.address, events);
    } catch (err) {
      // The pool is closing.
      peer.failedAt = this.now();
      this.logger.debug({ err, address: peer.address }, 'cannot open a push stream');
      return null;
    }
    peer.stream = stream;
    return stream;
  }
}
