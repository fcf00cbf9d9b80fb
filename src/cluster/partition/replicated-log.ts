/**
 * One partition's log in etcd: `p/<id>/log/<index>` holds a committed batch, `p/<id>/head` the
 * head mark (see log-format.ts). A leader appends a group of consecutive entries with one
 * transaction that succeeds only while its election key still exists with the revision that
 * made it leader and the head is exactly the one the group was processed after — so a deposed
 * leader can never append, entries never fork, and an append can never land on entries other
 * than the ones it follows.
 *
 * Every append carries a token of its own (in the head it writes and in its entries). When the
 * transaction fails its comparisons, its else-branch returns the head, the fence key and the
 * entry at the group's first index in the same round trip, which says what happened: the group
 * is in the log after all (etcd3 re-sent the call after a lost reply and the first try landed),
 * the leadership is gone, the index is taken by someone else's entry, or the head is still
 * behind (an earlier append of a pipeline has not landed yet: send again once it has).
 */
import { randomBytes } from 'node:crypto';
import type { Etcd3, IKeyValue, Watcher } from 'etcd3';
import type { Logger } from 'pino';
import type { RawLogEntry } from '../../storage/log-entry.js';
import {
  chunkKey,
  decodeStoredEntry,
  encodeStoredEntry,
  ENTRY_CHUNK,
  formatHead,
  type HeadMark,
  headAfter,
  logKey,
  parseHead,
  readStoredEntry,
} from './log-format.js';

export type { HeadMark } from './log-format.js';

/** The leadership an append is fenced on. */
export interface Fence {
  readonly key: string;
  readonly createRevision: string;
}

/** An append whose outcome could not be learned: it may or may not be in the log. */
export class AppendOutcomeUnknownError extends Error {
  readonly outcomeUnknown = true;
  /** Whoever sees it must stop leading: only the log in etcd can tell what happened. */
  readonly fenced = true;
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'AppendOutcomeUnknownError';
  }
}

/** The append is certainly not in the log, and this node must not append any more. */
export class FencedError extends Error {
  readonly fenced = true;
  /** True when an append may have been committed before leadership was found lost. */
  readonly outcomeUnknown: boolean;
  constructor(message: string, options: { outcomeUnknown?: boolean } = {}) {
    super(message);
    this.name = 'FencedError';
    this.outcomeUnknown = options.outcomeUnknown ?? false;
  }
}

/** etcd's default limit on operations in one transaction. */
const MAX_TXN_OPS = 128;
const POLL_INTERVAL_MS = 1000;

/**
 * What a group append found: it is in the log (with the bytes each entry took in etcd), or the
 * head has not reached the one it follows yet.
 */
export type AppendOutcome = { readonly outcome: 'committed'; readonly storedBytes: readonly number[] } | { readonly outcome: 'behind' };

export interface LogObserver {
  /** etcd request latency, seconds. */
  request?(op: 'append' | 'read', seconds: number): void;
  /** A group committed: bytes of records as produced, and as written to etcd. */
  appended?(rawBytes: number, storedBytes: number): void;
}

/** What the log holds around an append that did not go through. */
interface Found {
  readonly head: HeadMark;
  readonly fenceRevision: string | null;
  readonly tokenAtIndex: string | null;
}

export class ReplicatedLog {
  readonly prefix: string;

  constructor(
    private readonly etcd: Etcd3,
    clusterPrefix: string,
    readonly partitionId: number,
    private readonly logger: Logger,
    private readonly observer: LogObserver = {},
  ) {
    this.prefix = `/${clusterPrefix}/p/${partitionId}/`;
  }

  /** A token no other append has: the leader's appends are told apart by it. */
  static newToken(): string {
    return randomBytes(9).toString('base64url');
  }

  private get headKey(): string {
    return `${this.prefix}head`;
  }

  async head(): Promise<number> {
    return (await this.headMark()).index;
  }

  async headMark(): Promise<HeadMark> {
    return parseHead(await this.etcd.get(this.headKey).string());
  }

  /**
   * Appends consecutive entries that follow `previous` (the exact head they were processed
   * after) as one group with `token`. Resolves `committed` once they are in the log (also when
   * an earlier try of this very group landed), `behind` when the head has not reached
   * `previous` yet (nothing was written: send again once the append before it has landed).
   * Rejects with FencedError when the group can never land (leadership gone, index taken), with
   * AppendOutcomeUnknownError when etcd did not answer and the group may still land.
   */
  async appendGroup(entries: readonly RawLogEntry[], fence: Fence, previous: HeadMark, token: string): Promise<AppendOutcome> {
    const first = entries[0];
    if (!first) return { outcome: 'committed', storedBytes: [] };
    const last = entries[entries.length - 1]!;
    if (first.index !== previous.index + 1) throw new Error(`Entry ${first.index} does not follow head ${previous.index}`);
    const started = performance.now();
    const fenced = () => this.etcd.if(fence.key, 'Create', '==', fence.createRevision);
    const encoded = await Promise.all(entries.map((entry) => encodeStoredEntry(entry, token)));
    if (2 + encoded.length > MAX_TXN_OPS) throw new Error(`Log entries ${first.index}..${last.index} are too many for one etcd transaction`);
    // Chunks first, each in a transaction of its own (etcd's request limit), under keys of this
    // append's own: they can only ever be read through the metadata committed below.
    for (const entry of encoded) {
      for (let n = 0; n < entry.chunks.length; n++) {
        let written;
        try {
          written = await fenced().then(this.etcd.put(chunkKey(this.prefix, entry.index, token, n)).value(entry.chunks[n]!)).commit();
        } catch (err) {
          throw new FencedError(`Partition ${this.partitionId}: writing a chunk of entry ${entry.index} failed (${String(err)}); the entry was not appended`);
        }
        if (!written.succeeded) throw new FencedError(`Partition ${this.partitionId}: the leadership ended while writing entry ${entry.index}`);
      }
    }
    const puts = encoded.map((entry) => this.etcd.put(logKey(this.prefix, entry.index)).value(entry.value));
    puts.push(this.etcd.put(this.headKey).value(formatHead(headAfter(last, token))));
    const txn = previous.index === 0 ? fenced().and(this.headKey, 'Version', '==', 0) : fenced().and(this.headKey, 'Value', '==', formatHead(previous));
    let found: Found;
    try {
      const result = await txn
        .then(...puts)
        .else(this.etcd.get(this.headKey), this.etcd.get(fence.key), this.etcd.get(logKey(this.prefix, first.index)))
        .commit();
      if (result.succeeded) return this.committed(entries, encoded, started);
      const kv = (i: number) => result.responses[i]?.response_range?.kvs?.[0];
      found = this.found(kv(0), kv(1), kv(2));
    } catch (err) {
      // A deadline or a dropped connection says nothing about whether etcd committed it.
      found = await this.look(fence, first.index).catch((lookErr) => {
        throw new AppendOutcomeUnknownError(`Partition ${this.partitionId}: appending entries from ${first.index} failed (${String(err)}), and reading the log failed too (${String(lookErr)})`, { cause: err });
      });
      if (found.tokenAtIndex === token) return this.committed(entries, encoded, started);
      if (found.fenceRevision === fence.createRevision && found.head.index < first.index) {
        throw new AppendOutcomeUnknownError(`Partition ${this.partitionId}: appending entries from ${first.index} failed: ${String(err)}`, { cause: err });
      }
    }
    if (found.tokenAtIndex === token) return this.committed(entries, encoded, started);
    if (found.fenceRevision !== fence.createRevision) throw new FencedError(`Partition ${this.partitionId}: the leadership ended before entries from ${first.index} were appended`);
    if (found.head.index >= first.index || (found.head.index === previous.index && found.head.token !== previous.token)) {
      throw new FencedError(`Partition ${this.partitionId}: entry ${first.index} follows a head (${formatHead(found.head)}) other than the one it was processed after (${formatHead(previous)})`);
    }
    return { outcome: 'behind' };
  }

  private committed(entries: readonly RawLogEntry[], encoded: ReadonlyArray<{ bytes: number }>, started: number): AppendOutcome {
    this.observer.request?.('append', (performance.now() - started) / 1000);
    const storedBytes = encoded.map((e) => e.bytes);
    this.observer.appended?.(
      entries.reduce((n, e) => n + e.data.byteLength, 0),
      storedBytes.reduce((n, b) => n + b, 0),
    );
    return { outcome: 'committed', storedBytes };
  }

  private found(head: IKeyValue | undefined, fence: IKeyValue | undefined, entry: IKeyValue | undefined): Found {
    return {
      head: parseHead(head?.value.toString()),
      fenceRevision: fence ? String(fence.create_revision) : null,
      tokenAtIndex: entry ? readStoredEntry(entry.value).token : null,
    };
  }

  /** What the log holds now: for an append whose transaction got no answer. */
  private async look(fence: Fence, index: number): Promise<Found> {
    const [head, fenceKv, entry] = await Promise.all([
      this.etcd.get(this.headKey).exec(),
      this.etcd.get(fence.key).exec(),
      this.etcd.get(logKey(this.prefix, index)).exec(),
    ]);
    return this.found(head.kvs[0], fenceKv.kvs[0], entry.kvs[0]);
  }

  /** How many entries of these sizes go into one group (at least one). */
  static groupSize(sizes: readonly number[]): number {
    let bytes = 0;
    let ops = 2;
    let count = 0;
    for (const size of sizes) {
      if (count > 0 && (bytes + size > ENTRY_CHUNK || ops + 1 > MAX_TXN_OPS)) break;
      bytes += size;
      ops += 1;
      count++;
    }
    return Math.max(1, count);
  }

  /** Entries from `fromIndex` to `toIndex` (inclusive), in order; missing ones end the list. */
  async read(fromIndex: number, toIndex: number): Promise<RawLogEntry[]> {
    if (toIndex < fromIndex) return [];
    const started = performance.now();
    let response;
    try {
      response = await this.etcd
        .getAll()
        .inRange({ start: logKey(this.prefix, fromIndex), end: `${logKey(this.prefix, toIndex)}/\uffff` })
        .sort('Key', 'Ascend')
        .exec();
    } catch (err) {
      // Too large a response for one message: read the first half (the caller reads on).
      if (toIndex > fromIndex && /RESOURCE_EXHAUSTED|larger than max|ResourceExha/i.test(`${(err as Error).name} ${(err as Error).message}`)) {
        return this.read(fromIndex, fromIndex + Math.floor((toIndex - fromIndex) / 2));
      }
      throw err;
    }
    this.observer.request?.('read', (performance.now() - started) / 1000);
    const values = new Map<string, Buffer>();
    for (const kv of response.kvs) values.set(kv.key.toString(), kv.value);
    const out: RawLogEntry[] = [];
    for (let index = fromIndex; index <= toIndex; index++) {
      const value = values.get(logKey(this.prefix, index));
      if (!value) break;
      const stored = readStoredEntry(value);
      out.push(await decodeStoredEntry(stored, (n) => values.get(chunkKey(this.prefix, index, stored.token, n))));
    }
    return out;
  }

  /** The lowest index still in etcd (head + 1 when the log is empty or fully compacted). */
  async firstIndex(): Promise<number> {
    const first = await this.etcd.getAll().prefix(`${this.prefix}log/`).sort('Key', 'Ascend').limit(1).keys();
    if (first.length === 0) return (await this.head()) + 1;
    return Number(first[0]!.slice(`${this.prefix}log/`.length, `${this.prefix}log/`.length + 16));
  }

  /** Deletes entries (and chunks, also those of appends that never landed) below `belowIndex`. */
  async compact(belowIndex: number): Promise<void> {
    if (belowIndex <= 1) return;
    await this.etcd.delete().inRange({ start: `${this.prefix}log/`, end: logKey(this.prefix, belowIndex) }).exec();
  }

  /** Records the index a member has durably applied; compaction never goes past the lowest. */
  async reportApplied(nodeId: number, index: number): Promise<void> {
    await this.etcd.put(`${this.prefix}applied/${nodeId}`).value(String(index));
  }

  async appliedIndexes(): Promise<Map<number, number>> {
    const all = await this.etcd.getAll().prefix(`${this.prefix}applied/`).strings();
    const out = new Map<number, number>();
    for (const [key, value] of Object.entries(all)) out.set(Number(key.slice(`${this.prefix}applied/`.length)), Number(value));
    return out;
  }

  /**
   * Calls `onHead` with the head whenever it may have moved: on each change seen by a watch,
   * and on a poll (watches can stall silently). `fresh` is true when the head was read from
   * etcd just now (a poll), which is what bounds how stale a follower may be. The watch is
   * kept only while `watchWanted()` says so (checked at each poll and each change it reports):
   * every append moves the head, so each watcher costs etcd and the node an event per append,
   * which a leader, or a follower the leader pushes its entries to, does not need. Returns a
   * stop function.
   */
  watchHead(onHead: (head: HeadMark, fresh: boolean) => void, watchWanted: () => boolean = () => true): () => void {
    let stopped = false;
    let watcher: Watcher | null = null;
    /** A watch is being created: at most one at a time. */
    let creating = false;
    const unwatch = () => {
      const current = watcher;
      watcher = null;
      void current?.cancel().catch(() => {});
    };
    const watch = () => {
      if (stopped || watcher || creating) return;
      creating = true;
      this.etcd
        .watch()
        .key(this.headKey)
        .create()
        .then((w) => {
          creating = false;
          if (stopped || !watchWanted()) return void w.cancel().catch(() => {});
          watcher = w;
          w.on('put', (kv: IKeyValue) => {
            if (stopped || watcher !== w) return;
            onHead(parseHead(kv.value.toString()), false);
            if (!watchWanted()) unwatch();
          });
          w.on('error', (err) => this.logger.debug({ err }, 'partition head watch error'));
        })
        .catch((err) => {
          creating = false;
          this.logger.debug({ err }, 'could not watch the partition head');
        });
    };
    const check = () => {
      if (stopped) return;
      if (watchWanted()) watch();
      else unwatch();
      this.headMark().then(
        (head) => !stopped && onHead(head, true),
        (err) => this.logger.debug({ err }, 'reading the partition head failed'),
      );
    };
    const poll = setInterval(check, POLL_INTERVAL_MS);
    poll.unref?.();
    check();
    return () => {
      stopped = true;
      clearInterval(poll);
      unwatch();
    };
  }
}
