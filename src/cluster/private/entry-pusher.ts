/**
 * A leader's pushes of committed partition-log entries to its followers, over the private
 * port: one call in flight per follower and partition, entries that commit meanwhile go in the
 * next call. Pushes are an optimisation — a follower reads whatever it missed from etcd — so
 * nothing is retried: a failed call is dropped, and so is a backlog beyond a bound (a follower
 * that slow is better served by etcd than by a growing queue here).
 */
import { serialize } from 'node:v8';
import type { Logger } from 'pino';
import type { RawLogEntry } from '../../storage/log-entry.js';
import type { ClientPool } from './client-pool.js';

const MAX_BACKLOG_BYTES = 8 * 1024 * 1024;
/** A push that takes longer is given up (the follower reads from etcd). */
const PUSH_TIMEOUT_MS = 2000;

interface Lane {
  readonly address: string;
  readonly partitionId: number;
  queue: RawLogEntry[];
  bytes: number;
  sending: boolean;
}

export class EntryPusher {
  private readonly lanes = new Map<string, Lane>();
  private closed = false;

  constructor(
    private readonly pool: ClientPool,
    private readonly logger: Logger,
  ) {}

  /** Queues `entry` (committed, in index order) for each follower address. */
  push(partitionId: number, entry: RawLogEntry, addresses: readonly string[]): void {
    if (this.closed) return;
    for (const address of addresses) {
      const id = `${partitionId}@${address}`;
      let lane = this.lanes.get(id);
      if (!lane) this.lanes.set(id, (lane = { address, partitionId, queue: [], bytes: 0, sending: false }));
      if (lane.bytes + entry.data.byteLength > MAX_BACKLOG_BYTES) {
        lane.queue = [];
        lane.bytes = 0;
      }
      lane.queue.push(entry);
      lane.bytes += entry.data.byteLength;
      this.send(lane);
    }
  }

  close(): void {
    this.closed = true;
    this.lanes.clear();
  }

  private send(lane: Lane): void {
    if (lane.sending || lane.queue.length === 0 || this.closed) return;
    const entries = lane.queue;
    lane.queue = [];
    lane.bytes = 0;
    lane.sending = true;
    this.pool.push(lane.address, lane.partitionId, serialize(entries), PUSH_TIMEOUT_MS).then(
      () => {
        lane.sending = false;
        this.send(lane);
      },
      (err: unknown) => {
        lane.sending = false;
        this.logger.debug({ err, address: lane.address, partition: lane.partitionId }, 'pushing entries to a follower failed; it reads them from etcd');
        this.send(lane);
      },
    );
  }
}
