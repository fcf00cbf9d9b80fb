/**
 * The cluster log in etcd and this node's fold of it.
 *
 * Writing: `cluster/head` holds the last sequence number; an append writes `head = h + n` and
 * `log/<h+1..h+n>` in one transaction conditioned on `head == h`, so entries are never
 * overwritten or skipped and every node sees one order. A lost race re-reads the head (the
 * transaction's else-branch returns it, no extra round trip) and tries again, a bounded
 * number of times. An append can be fenced on a key's create revision (the controller's
 * candidacy): a controller that was deposed cannot write.
 *
 * Reading: `catchUp()` reads every entry after the folded version and folds it. A watch on
 * `cluster/head` says when to catch up; a periodic poll backs it up because a watch can stall
 * silently (a member dies, the stream is not re-established for a while).
 *
 * Commands are idempotent in effect (they set fields, they do not increment), so the rare
 * duplicate from retrying an append whose outcome was unknown (deadline hit after etcd had
 * committed it) is harmless; the retry first checks whether its entry landed.
 *
 * Compaction: the log grows by a few entries per node start, controller decision or leader
 * change. The controller (`compact`) writes `cluster/snapshot` = its folded state at version S
 * and deletes the entries below S - keep, in one transaction fenced on its leadership and on
 * the snapshot it replaces. A node whose next entry is gone (new, or long disconnected) sees a
 * gap when it reads, loads the snapshot and folds on from S + 1. The `keep` entries left below
 * S let a node that is only a little behind fold them instead of loading the snapshot.
 */
import type { Etcd3, IKeyValue, Watcher } from 'etcd3';
import type { Logger } from 'pino';
import { DEFAULT_ETCD_CALL_TIMEOUT_MS, withTimeout } from '../etcd/client.js';
import { decodeClusterCommand, decodeClusterSnapshot, encodeClusterCommand, encodeClusterSnapshot } from './codec.js';
import type { ClusterKeys } from './keys.js';
import { reduce } from './reducer.js';
import { type ClusterCommand, type ClusterState, EMPTY_CLUSTER_STATE } from './types.js';

export interface ClusterLogOptions {
  /** How often to look for new entries regardless of the watch. */
  readonly pollIntervalMs?: number;
  readonly callTimeoutMs?: number;
  readonly maxAppendAttempts?: number;
}

/**
 * What an append may be conditioned on: `key` exists with this create revision (a leadership
 * or a registration is still the same one), or, with createRevision '0', `key` is absent.
 */
export interface AppendFence {
  readonly key: string;
  readonly createRevision: string;
}

export class FencedAppendError extends Error {
  constructor(readonly fences: readonly AppendFence[]) {
    super(`Cluster log append refused: ${fences.map((f) => (f.createRevision === '0' ? `${f.key} exists` : `${f.key}@${f.createRevision} is gone`)).join(' or ')}`);
    this.name = 'FencedAppendError';
  }
}

/** etcd's default limit is 128 operations (and compares) per transaction; the head takes one. */
const MAX_ENTRIES_PER_TXN = 100;
const READ_PAGE = 500;

export class ClusterLog {
  private current: ClusterState = EMPTY_CLUSTER_STATE;
  private readonly listeners = new Set<(state: ClusterState) => void>();
  private catching: Promise<ClusterState> | null = null;
  private again = false;
  private watcher: Watcher | null = null;
  private poll: NodeJS.Timeout | null = null;
  private closed = false;
  private pollFailing = false;
  private readonly pollIntervalMs: number;
  private readonly callTimeoutMs: number;
  private readonly maxAppendAttempts: number;

  constructor(
    private readonly etcd: Etcd3,
    private readonly keys: ClusterKeys,
    private readonly logger: Logger,
    options: ClusterLogOptions = {},
  ) {
    this.pollIntervalMs = options.pollIntervalMs ?? 1000;
    this.callTimeoutMs = options.callTimeoutMs ?? DEFAULT_ETCD_CALL_TIMEOUT_MS;
    this.maxAppendAttempts = options.maxAppendAttempts ?? 10;
  }

  get state(): ClusterState {
    return this.current;
  }

  /** Called after each catch-up that folded new entries, with the state after them. */
  onChange(listener: (state: ClusterState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Folds what is there, then follows the log (watch + poll). */
  async start(): Promise<void> {
    await this.catchUp();
    this.startWatch();
    this.poll = setInterval(() => void this.pollOnce(), this.pollIntervalMs);
    this.poll.unref();
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.poll) clearInterval(this.poll);
    this.poll = null;
    const watcher = this.watcher;
    this.watcher = null;
    // etcd3 can leave a cancel unanswered (a stream that broke meanwhile): closing must not hang on it.
    await withTimeout(watcher?.cancel() ?? Promise.resolve(), this.callTimeoutMs, 'watch cancel').catch(() => {});
    this.listeners.clear();
  }

  /** Appends one command; resolves with its sequence number once this node has folded it. */
  async append(command: ClusterCommand, fences: readonly AppendFence[] = []): Promise<number> {
    return this.appendAll([command], fences);
  }

  /**
   * Appends commands in order (in as few transactions as etcd allows); resolves with the last
   * one's sequence number once this node has folded it. Another writer's entries may fall
   * between two transactions of one call, never inside one.
   */
  async appendAll(commands: readonly ClusterCommand[], fences: readonly AppendFence[] = []): Promise<number> {
    let last = this.current.version;
    const perTxn = MAX_ENTRIES_PER_TXN - fences.length;
    for (let i = 0; i < commands.length; i += perTxn) {
      last = await this.appendChunk(commands.slice(i, i + perTxn).map(encodeClusterCommand), fences);
    }
    if (commands.length > 0) await this.catchUpTo(last);
    return last;
  }

  private async appendChunk(entries: readonly Uint8Array[], fences: readonly AppendFence[]): Promise<number> {
    let expected = this.current.version;
    let lastError: unknown = null;
    for (let attempt = 1; attempt <= this.maxAppendAttempts; attempt++) {
      if (this.closed) throw new Error('Cluster log is closed');
      try {
        const result = await this.tryAppend(expected, entries, fences);
        if (result.ok) return expected + entries.length;
        if (result.head === expected) {
          if (fences.length > 0) throw new FencedAppendError(fences);
          throw new Error(`Cluster log append failed with the head unchanged at ${expected}`);
        }
        expected = result.head;
        lastError = new Error(`Cluster log head moved to ${result.head}`);
      } catch (err) {
        if (err instanceof FencedAppendError) throw err;
        // The deadline may have hit after etcd committed: if our first entry is there, it was us.
        if (await this.landed(expected, entries)) return expected + entries.length;
        lastError = err;
        expected = await this.readHead().catch(() => expected);
      }
      await sleep(Math.min(200, 10 * attempt) + Math.random() * 10 * attempt);
    }
    throw new Error(`Cluster log append gave up after ${this.maxAppendAttempts} attempts: ${describe(lastError)}`);
  }

  private async tryAppend(
    expected: number,
    entries: readonly Uint8Array[],
    fences: readonly AppendFence[],
  ): Promise<{ ok: true } | { ok: false; head: number }> {
    let txn =
      expected === 0
        ? this.etcd.if(this.keys.head, 'Version', '==', 0)
        : this.etcd.if(this.keys.head, 'Value', '==', String(expected));
    for (const fence of fences) txn = txn.and(fence.key, 'Create', '==', fence.createRevision);
    const puts = entries.map((bytes, i) => this.etcd.put(this.keys.logEntry(expected + 1 + i)).value(Buffer.from(bytes)));
    const result = await withTimeout(
      txn
        .then(this.etcd.put(this.keys.head).value(String(expected + entries.length)), ...puts)
        .else(this.etcd.get(this.keys.head))
        .commit(),
      this.callTimeoutMs,
      'cluster log append',
    );
    if (result.succeeded) return { ok: true };
    const kv = result.responses[0]?.response_range?.kvs?.[0];
    return { ok: false, head: kv ? Number(kv.value.toString()) : 0 };
  }

  private async landed(expected: number, entries: readonly Uint8Array[]): Promise<boolean> {
    try {
      const response = await withTimeout(
        this.etcd
          .getAll()
          .inRange({ start: this.keys.logEntry(expected + 1), end: this.keys.logEntry(expected + entries.length + 1) })
          .sort('Key', 'Ascend')
          .exec(),
        this.callTimeoutMs,
        'cluster log read',
      );
      return (
        response.kvs.length === entries.length &&
        response.kvs.every((kv, i) => Buffer.compare(kv.value, Buffer.from(entries[i]!)) === 0)
      );
    } catch {
      return false;
    }
  }

  async readHead(): Promise<number> {
    const value = await withTimeout(this.etcd.get(this.keys.head).string(), this.callTimeoutMs, 'cluster head read');
    return value === null ? 0 : Number(value);
  }

  /**
   * Reads and folds every entry after the current version. Concurrent calls share one read;
   * a call made while a read is running causes one more pass, so it sees what was there when
   * it was called.
   */
  catchUp(): Promise<ClusterState> {
    if (this.catching) {
      this.again = true;
      return this.catching;
    }
    const run = (async () => {
      try {
        do {
          this.again = false;
          await this.readNewEntries();
        } while (this.again && !this.closed);
        return this.current;
      } finally {
        this.catching = null;
      }
    })();
    this.catching = run;
    return run;
  }

  /** Best effort: the entry is in the log either way, and the poll folds it later. */
  private async catchUpTo(seq: number): Promise<void> {
    for (let i = 0; i < 3 && this.current.version < seq; i++) {
      try {
        await this.catchUp();
      } catch (err) {
        this.logger.debug({ err }, 'cluster log catch-up after append failed');
      }
    }
  }

  private async readNewEntries(): Promise<void> {
    const before = this.current;
    for (;;) {
      const from = this.current.version + 1;
      const response = await withTimeout(
        this.etcd
          .getAll()
          .inRange({ start: this.keys.logEntry(from), end: prefixEnd(this.keys.logPrefix) })
          .sort('Key', 'Ascend')
          .limit(READ_PAGE)
          .exec(),
        this.callTimeoutMs,
        'cluster log read',
      );
      const first = response.kvs[0];
      if (first && this.seqOf(first) > from && (await this.loadSnapshot())) continue;
      for (const kv of response.kvs) this.fold(kv);
      if (response.kvs.length < READ_PAGE) break;
    }
    if (this.current !== before) this.notify();
  }

  private seqOf(kv: IKeyValue): number {
    return Number(kv.key.toString().slice(this.keys.logPrefix.length));
  }

  /** Replaces the folded state with the snapshot if that is newer. Whether it was. */
  private async loadSnapshot(): Promise<boolean> {
    const bytes = await withTimeout(this.etcd.get(this.keys.snapshot).buffer(), this.callTimeoutMs, 'cluster snapshot read');
    if (!bytes) return false;
    const snapshot = decodeClusterSnapshot(bytes);
    if (snapshot.version <= this.current.version) return false;
    this.logger.info({ from: this.current.version, to: snapshot.version }, 'cluster log compacted past this node: loaded the cluster snapshot');
    this.current = snapshot;
    return true;
  }

  /**
   * Writes the folded state as the snapshot and deletes the entries more than `keep` below it,
   * if the last snapshot is at least `keep` entries old. Fenced like an append; a concurrent
   * compaction makes this one a no-op. Returns the snapshot's version, or null if none was due.
   */
  async compact(keep: number, fences: readonly AppendFence[] = []): Promise<number | null> {
    if (keep < 1) throw new RangeError('Cluster log compaction must keep at least one entry');
    const state = this.current;
    const existing = await withTimeout(this.etcd.get(this.keys.snapshot).exec(), this.callTimeoutMs, 'cluster snapshot read');
    const previous = existing.kvs[0];
    const previousVersion = previous ? decodeClusterSnapshot(previous.value).version : 0;
    if (state.version - previousVersion < keep) return null;
    let txn = previous
      ? this.etcd.if(this.keys.snapshot, 'Mod', '==', previous.mod_revision)
      : this.etcd.if(this.keys.snapshot, 'Version', '==', 0);
    for (const fence of fences) txn = txn.and(fence.key, 'Create', '==', fence.createRevision);
    const result = await withTimeout(
      txn
        .then(
          this.etcd.put(this.keys.snapshot).value(Buffer.from(encodeClusterSnapshot(state))),
          this.etcd.delete().inRange({ start: this.keys.logEntry(1), end: this.keys.logEntry(state.version - keep + 1) }),
        )
        .commit(),
      this.callTimeoutMs,
      'cluster log compaction',
    );
    return result.succeeded ? state.version : null;
  }

  private fold(kv: IKeyValue): void {
    const key = kv.key.toString();
    const seq = this.seqOf(kv);
    if (seq !== this.current.version + 1) {
      throw new Error(`Cluster log has a gap: expected entry ${this.current.version + 1}, found ${key}`);
    }
    let command: ClusterCommand;
    try {
      command = decodeClusterCommand(kv.value);
    } catch (err) {
      throw new Error(`Cannot decode cluster log entry ${seq}: ${describe(err)}`);
    }
    this.current = reduce(this.current, command, seq);
  }

  private notify(): void {
    const state = this.current;
    for (const listener of [...this.listeners]) {
      try {
        listener(state);
      } catch (err) {
        this.logger.error({ err }, 'cluster state listener failed');
      }
    }
  }

  private startWatch(): void {
    this.etcd
      .watch()
      .key(this.keys.head)
      .create()
      .then(
        (watcher) => {
          if (this.closed) return void watcher.cancel().catch(() => {});
          this.watcher = watcher;
          watcher.on('put', () => void this.catchUpQuietly());
          // After a reconnect the watch resumes from its last revision, but a catch-up is cheap.
          watcher.on('connected', () => void this.catchUpQuietly());
          watcher.on('error', (err) => this.logger.warn({ err }, 'cluster log watch failed; polling continues'));
        },
        (err: unknown) => this.logger.warn({ err }, 'cannot watch the cluster log; polling instead'),
      );
  }

  private async catchUpQuietly(): Promise<void> {
    if (this.closed) return;
    try {
      await this.catchUp();
    } catch (err) {
      this.logger.debug({ err }, 'cluster log catch-up failed');
    }
  }

  private async pollOnce(): Promise<void> {
    if (this.closed || this.catching) return;
    try {
      await this.catchUp();
      if (this.pollFailing) this.logger.info('cluster log readable again');
      this.pollFailing = false;
    } catch (err) {
      // Once per outage, not once per second.
      if (!this.pollFailing) this.logger.warn({ err }, 'cannot read the cluster log');
      this.pollFailing = true;
    }
  }
}

function prefixEnd(prefix: string): string {
  return prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
