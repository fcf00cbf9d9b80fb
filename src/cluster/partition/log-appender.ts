/**
 * A leader's pipeline of appends to its partition log. Entries arrive in index order and are
 * sent in groups, several groups in flight at once, each conditioned on the head the group
 * before it leaves (its index, position and token). etcd applies them in order or refuses the
 * ones that arrive early ('behind'), which are sent again once the group before them landed.
 * So throughput is no longer one etcd round trip per group.
 *
 * Outcomes are reported in index order:
 * - a group that committed also proves every group before it committed (it was conditioned on
 *   their heads), even one whose own answer was lost;
 * - a group that certainly did not land (fenced) takes every later group with it: they were
 *   conditioned on it and can never land;
 * - a group whose outcome is unknown waits for the groups after it: if one of them commits,
 *   it committed too; otherwise it and every later group are reported unknown.
 * After the first failure nothing more is sent: the leader must stop and let the log in etcd
 * say what happened.
 */
import type { RawLogEntry } from '../../storage/log-entry.js';
import { headAfter, type HeadMark } from './log-format.js';
import { AppendOutcomeUnknownError, type Fence, FencedError, ReplicatedLog } from './replicated-log.js';

export interface LogAppenderOptions {
  /** Groups sent and not yet answered. */
  readonly maxInFlight: number;
  /** Throws (a FencedError) when this node may no longer append, e.g. its lease is not confirmed. */
  readonly checkLeadership?: () => void;
  /** How many of these waiting entries (by size) go in one group. */
  readonly groupSize?: (sizes: readonly number[]) => number;
  /**
   * Least ms between the starts of two groups; entries that queue meanwhile go in the next.
   * A leader otherwise sends as soon as the group in flight lands, so spare CPU turns into
   * more and smaller appends until the cores are saturated (ADR 020). A function is asked at
   * every send (a gap that follows the load: append-pacer.ts).
   */
  readonly minGapMs?: number | (() => number);
  /** The clock of the gap (tests replace it); default performance.now. */
  readonly now?: () => number;
}

interface Pending {
  readonly raw: RawLogEntry;
  /** With the bytes the entry took in etcd (its record bytes when its own answer was lost). */
  readonly resolve: (storedBytes: number) => void;
  readonly reject: (err: unknown) => void;
}

interface Group {
  readonly entries: Pending[];
  readonly previous: HeadMark;
  readonly token: string;
  outcome: 'committed' | 'failed' | null;
  storedBytes: readonly number[] | null;
  error: unknown;
  /** Resolves when `outcome` is set. */
  readonly settled: Promise<void>;
  settle(): void;
}

/** Times a group may find the head behind before its outcome counts as unknown. */
const MAX_BEHIND = 50;

export class LogAppender {
  private readonly queue: Pending[] = [];
  private readonly inFlight: Group[] = [];
  private head: HeadMark;
  private failure: unknown = null;
  /** When the last group was sent (options.now's clock). */
  private lastSentAt = -Infinity;
  /** A send waiting for the gap to pass. */
  private held: NodeJS.Timeout | null = null;

  constructor(
    private readonly log: ReplicatedLog,
    private readonly fence: Fence,
    /** The head of the log this leader caught up to: the first group follows it. */
    head: HeadMark,
    private readonly options: LogAppenderOptions,
  ) {
    this.head = head;
  }

  /** The error that stopped the pipeline, if any. */
  get failed(): unknown {
    return this.failure;
  }

  /** Resolves once `raw` is committed in the log (always after the entries before it), with the bytes it took in etcd. */
  append(raw: RawLogEntry): Promise<number> {
    if (this.failure) return Promise.reject(neverSent(this.failure));
    return new Promise((resolve, reject) => {
      this.queue.push({ raw, resolve, reject });
      this.send();
    });
  }

  /** Ms until the gap lets the next group start (0: it could start now, or once the one in flight lands). */
  holdMs(): number {
    const gap = this.gap();
    if (gap <= 0 || this.failure) return 0;
    const now = this.options.now ? this.options.now() : performance.now();
    return Math.max(0, this.lastSentAt + gap - now);
  }

  /** No more appends: entries not yet sent are refused (certainly not committed). */
  close(reason: string): void {
    this.fail(new FencedError(reason));
  }

  private send(): void {
    if (this.held) return;
    const { minGapMs } = this.options;
    while (!this.failure && this.queue.length > 0 && this.inFlight.length < this.options.maxInFlight) {
      const gap = this.gap();
      // Read whenever a gap may apply, so a gap that comes on counts from the last send.
      const now = minGapMs === undefined || minGapMs === 0 ? 0 : this.options.now ? this.options.now() : performance.now();
      const wait = this.lastSentAt + gap - now;
      if (gap > 0 && wait > 0) {
        this.held = setTimeout(() => {
          this.held = null;
          this.send();
        }, wait);
        return;
      }
      this.lastSentAt = now;
      try {
        this.options.checkLeadership?.();
      } catch (err) {
        this.fail(err);
        return;
      }
      const count = this.options.groupSize?.(this.queue.map((p) => p.raw.data.byteLength)) ?? ReplicatedLog.groupSize(this.queue.map((p) => p.raw.data.byteLength));
      const entries = this.queue.splice(0, count);
      const token = ReplicatedLog.newToken();
      let settle!: () => void;
      const settled = new Promise<void>((resolve) => (settle = resolve));
      const group: Group = { entries, previous: this.head, token, outcome: null, storedBytes: null, error: null, settled, settle };
      this.head = headAfter(entries[entries.length - 1]!.raw, token);
      this.inFlight.push(group);
      void this.transmit(group);
    }
  }

  private gap(): number {
    const { minGapMs } = this.options;
    return typeof minGapMs === 'function' ? minGapMs() : (minGapMs ?? 0);
  }

  private async transmit(group: Group): Promise<void> {
    const raws = group.entries.map((p) => p.raw);
    try {
      for (let attempt = 1; ; attempt++) {
        const result = await this.log.appendGroup(raws, this.fence, group.previous, group.token);
        if (result.outcome === 'committed') {
          group.outcome = 'committed';
          group.storedBytes = result.storedBytes;
          break;
        }
        // The head has not reached the group before this one: wait for it, then try again.
        const before = this.inFlight[this.inFlight.indexOf(group) - 1];
        if (before) await before.settled;
        if (before && before.outcome !== 'committed') {
          // It will never land on a head that was never written (or may, if that one still may).
          group.outcome = 'failed';
          group.error = (before.error as { outcomeUnknown?: boolean }).outcomeUnknown
            ? new AppendOutcomeUnknownError(`Partition ${this.log.partitionId}: entries from ${raws[0]!.index} follow an append whose outcome is unknown`)
            : neverSent(before.error);
          break;
        }
        if (this.failure) {
          // The pipeline stopped meanwhile: the group it stopped at, or one before it, failed.
          group.outcome = 'failed';
          group.error = neverSent(this.failure);
          break;
        }
        if (attempt >= MAX_BEHIND) {
          throw new AppendOutcomeUnknownError(`Partition ${this.log.partitionId}: the log head stayed behind entry ${raws[0]!.index - 1}`);
        }
      }
    } catch (err) {
      group.outcome = 'failed';
      // Anything unforeseen is treated as what it might be: an append that may have landed.
      group.error = (err as { fenced?: boolean }).fenced
        ? err
        : new AppendOutcomeUnknownError(`Partition ${this.log.partitionId}: appending entries from ${raws[0]!.index} failed: ${String(err)}`, { cause: err });
    }
    group.settle();
    this.report();
  }

  /** Answers groups from the front, in order, as far as their outcomes are known. */
  private report(): void {
    // A committed group proves every group before it committed.
    for (let i = this.inFlight.length - 1; i >= 0; i--) {
      if (this.inFlight[i]!.outcome !== 'committed') continue;
      for (let j = 0; j < i; j++) this.inFlight[j]!.outcome = 'committed';
      break;
    }
    while (this.inFlight.length > 0) {
      const front = this.inFlight[0]!;
      if (front.outcome === null) break;
      if (front.outcome === 'failed' && (front.error as { outcomeUnknown?: boolean }).outcomeUnknown && this.inFlight.some((g) => g.outcome === null)) {
        // A later group may still prove it committed.
        break;
      }
      this.inFlight.shift();
      if (front.outcome === 'committed') {
        front.entries.forEach((p, i) => p.resolve(front.storedBytes?.[i] ?? p.raw.data.byteLength));
        continue;
      }
      this.fail(front.error);
      for (const p of front.entries) p.reject(front.error);
      // Conditioned on it: they landed only if it did.
      for (const later of this.inFlight.splice(0)) for (const p of later.entries) p.reject(front.error);
    }
    this.send();
  }

  private fail(err: unknown): void {
    this.failure ??= err;
    if (this.held) clearTimeout(this.held);
    this.held = null;
    for (const p of this.queue.splice(0)) p.reject(neverSent(this.failure));
  }
}

/** For entries never sent because the pipeline stopped: certainly not committed. */
function neverSent(cause: unknown): FencedError {
  return new FencedError(`not appended: an earlier append failed (${cause instanceof Error ? cause.message : String(cause)})`);
}
