/**
 * One partition's log in etcd: `p/<id>/log/<index>` holds a committed batch, `p/<id>/head`
 * the last index and the position of its last record (`<index>:<position>`, so followers
 * can tell their lag in records). A leader appends with one transaction that succeeds only while its
 * election key still exists with the revision that made it leader and the head is where it
 * expects — so a deposed leader can never append, and entries can never fork.
 *
 * etcd caps a request at 1.5 MiB: an entry larger than ENTRY_CHUNK is split into sub-keys
 * `log/<index>/<n>` written in the same transaction.
 */
import { serialize, deserialize } from 'node:v8';
import type { Etcd3, IKeyValue, Watcher } from 'etcd3';
import type { Logger } from 'pino';
import type { RawLogEntry } from '../../storage/log-entry.js';
import { padIndex } from '../etcd/client.js';

/** The leadership an append is fenced on. */
export interface Fence {
  readonly key: string;
  readonly createRevision: string;
}

/** An append whose outcome could not be learned: it may or may not be in the log. */
export class AppendOutcomeUnknownError extends Error {
  readonly outcomeUnknown = true;
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'AppendOutcomeUnknownError';
  }
}

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

const ENTRY_CHUNK = 1024 * 1024;
/** etcd's default limit on operations in one transaction. */
const MAX_TXN_OPS = 128;
const POLL_INTERVAL_MS = 1000;

/** Where the log ends: its last index and the position of that entry's last record. */
export interface HeadMark {
  readonly index: number;
  readonly position: number;
}

function formatHead(mark: HeadMark): string {
  return `${mark.index}:${mark.position}`;
}

function parseHead(value: string | null): HeadMark {
  if (value === null) return { index: 0, position: 0 };
  const [index, position] = value.split(':');
  return { index: Number(index), position: Number(position ?? 0) };
}

interface StoredEntry {
  readonly index: number;
  readonly firstPosition: number;
  readonly lastPosition: number;
  readonly keyCounter: bigint;
  /** The records, or the number of chunks they were split into. */
  readonly data: Uint8Array | null;
  readonly chunks: number;
}

export class ReplicatedLog {
  readonly prefix: string;

  constructor(
    private readonly etcd: Etcd3,
    clusterPrefix: string,
    readonly partitionId: number,
    private readonly logger: Logger,
    /** Observes etcd request latency (seconds) per operation. */
    private readonly observe: (op: 'append' | 'read', seconds: number) => void = () => {},
  ) {
    this.prefix = `/${clusterPrefix}/p/${partitionId}/`;
  }

  private get headKey(): string {
    return `${this.prefix}head`;
  }

  private logKey(index: number): string {
    return `${this.prefix}log/${padIndex(index)}`;
  }

  async head(): Promise<number> {
    return (await this.headMark()).index;
  }

  /** The head index and the position of its last record. */
  async headMark(): Promise<HeadMark> {
    return parseHead(await this.etcd.get(this.headKey).string());
  }

  /**
   * Appends consecutive entries (the first must follow the head) in one transaction. Rejects
   * with FencedError when the fence or the head no longer holds: the caller is not the leader
   * any more, and none of the entries was appended.
   */
  async append(entries: readonly RawLogEntry[], fence: Fence): Promise<void> {
    const first = entries[0];
    if (!first) return;
    const last = entries[entries.length - 1]!;
    const started = performance.now();
    const fenced = () => this.etcd.if(fence.key, 'Create', '==', fence.createRevision);
    const puts = [];
    let firstValue: Buffer | null = null;
    for (const entry of entries) {
      const chunks = entry.data.byteLength > ENTRY_CHUNK ? Math.ceil(entry.data.byteLength / ENTRY_CHUNK) : 0;
      const key = this.logKey(entry.index);
      // etcd caps a request at 1.5 MiB: each chunk of a large entry goes in a transaction of
      // its own before the one that commits the entry. Chunks left by an append that never
      // committed are overwritten by whoever appends that index next, or compacted away.
      for (let n = 0; n < chunks; n++) {
        const part = entry.data.subarray(n * ENTRY_CHUNK, (n + 1) * ENTRY_CHUNK);
        const written = await fenced()
          .then(this.etcd.put(`${key}/${n}`).value(Buffer.from(part.buffer, part.byteOffset, part.byteLength)))
          .commit();
        if (!written.succeeded) throw new FencedError(`Partition ${this.partitionId}: the leadership ended while writing entry ${entry.index}`);
      }
      const stored: StoredEntry = { ...entry, data: chunks === 0 ? entry.data : null, chunks };
      const value = serialize(stored);
      firstValue ??= value;
      puts.push(this.etcd.put(key).value(value));
    }
    puts.push(this.etcd.put(this.headKey).value(formatHead({ index: last.index, position: last.lastPosition })));
    if (puts.length + 2 > MAX_TXN_OPS) throw new Error(`Log entries ${first.index}..${last.index} are too many for one etcd transaction`);
    const previousHead = formatHead({ index: first.index - 1, position: first.firstPosition - 1 });
    const txn = first.index === 1 ? fenced().and(this.headKey, 'Version', '==', 0) : fenced().and(this.headKey, 'Value', '==', previousHead);
    let succeeded: boolean;
    try {
      succeeded = (await txn.then(...puts).commit()).succeeded;
    } catch (err) {
      // A deadline or a dropped connection says nothing about whether etcd committed it.
      if (await this.landed(first.index, firstValue!)) succeeded = true;
      else throw new AppendOutcomeUnknownError(`Partition ${this.partitionId}: appending entries from ${first.index} failed: ${String(err)}`, { cause: err });
    }
    // etcd3 re-sends a call that timed out or lost its connection: the transaction may have
    // committed on the first try and failed its head check on the second.
    if (!succeeded && !(await this.landed(first.index, firstValue!))) {
      throw new FencedError(`Partition ${this.partitionId}: appending entries from ${first.index} failed its leadership or head check`);
    }
    this.observe('append', (performance.now() - started) / 1000);
  }

  /** Whether the log holds exactly `value` at `index` (our own append, committed after all). */
  private async landed(index: number, value: Buffer): Promise<boolean> {
    try {
      const stored = await this.etcd.get(this.logKey(index)).buffer();
      return stored !== null && Buffer.compare(stored, value) === 0;
    } catch {
      return false;
    }
  }

  /** How many entries of these sizes go into one transaction (at least one). */
  static groupSize(sizes: readonly number[]): number {
    let bytes = 0;
    let ops = 3;
    let count = 0;
    for (const size of sizes) {
      const entryOps = 1 + (size > ENTRY_CHUNK ? Math.ceil(size / ENTRY_CHUNK) : 0);
      if (count > 0 && (bytes + size > ENTRY_CHUNK || ops + entryOps > MAX_TXN_OPS)) break;
      bytes += size;
      ops += entryOps;
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
        .inRange({ start: this.logKey(fromIndex), end: `${this.logKey(toIndex)}/\uffff` })
        .sort('Key', 'Ascend')
        .exec();
    } catch (err) {
      // Too large a response for one message: read the first half (the caller reads on).
      if (toIndex > fromIndex && /RESOURCE_EXHAUSTED|larger than max|ResourceExha/i.test(`${(err as Error).name} ${(err as Error).message}`)) {
        return this.read(fromIndex, fromIndex + Math.floor((toIndex - fromIndex) / 2));
      }
      throw err;
    }
    this.observe('read', (performance.now() - started) / 1000);
    const parts = new Map<string, Buffer>();
    for (const kv of response.kvs) parts.set(kv.key.toString(), kv.value);
    const out: RawLogEntry[] = [];
    for (let index = fromIndex; index <= toIndex; index++) {
      const key = this.logKey(index);
      const value = parts.get(key);
      if (!value) break;
      const stored = deserialize(value) as StoredEntry;
      let data = stored.data;
      if (stored.chunks > 0) {
        const pieces: Buffer[] = [];
        for (let n = 0; n < stored.chunks; n++) pieces.push(parts.get(`${key}/${n}`)!);
        data = Buffer.concat(pieces);
      }
      out.push({ index: stored.index, firstPosition: stored.firstPosition, lastPosition: stored.lastPosition, keyCounter: stored.keyCounter, data: data! });
    }
    return out;
  }

  /** The lowest index still in etcd (head + 1 when the log is empty or fully compacted). */
  async firstIndex(): Promise<number> {
    const first = await this.etcd.getAll().prefix(`${this.prefix}log/`).sort('Key', 'Ascend').limit(1).keys();
    if (first.length === 0) return (await this.head()) + 1;
    return Number(first[0]!.slice(`${this.prefix}log/`.length, `${this.prefix}log/`.length + 16));
  }

  /** Deletes entries below `belowIndex`; they must be in every member's local log or snapshot. */
  async compact(belowIndex: number): Promise<void> {
    if (belowIndex <= 1) return;
    await this.etcd.delete().inRange({ start: `${this.prefix}log/`, end: this.logKey(belowIndex) }).exec();
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
   * Calls `onHead` with the head index whenever it may have moved: on each change seen by a
   * watch, and on a poll (watches can stall silently). Returns a stop function.
   */
  watchHead(onHead: (head: HeadMark) => void): () => void {
    let stopped = false;
    let watcher: Watcher | null = null;
    const check = () => {
      if (stopped) return;
      this.headMark().then(
        (head) => !stopped && onHead(head),
        (err) => this.logger.debug({ err }, 'reading the partition head failed'),
      );
    };
    this.etcd
      .watch()
      .key(this.headKey)
      .create()
      .then((w) => {
        if (stopped) return void w.cancel();
        watcher = w;
        w.on('put', (kv: IKeyValue) => !stopped && onHead(parseHead(kv.value.toString())));
        w.on('error', (err) => this.logger.debug({ err }, 'partition head watch error'));
      })
      .catch((err) => this.logger.debug({ err }, 'could not watch the partition head'));
    const poll = setInterval(check, POLL_INTERVAL_MS);
    poll.unref?.();
    check();
    return () => {
      stopped = true;
      clearInterval(poll);
      void watcher?.cancel().catch(() => {});
    };
  }
}
