/**
 * Compaction of one etcd cluster's MVCC history. etcd keeps every old version of every key
 * until the history is compacted, and partition logs write (and delete) a lot, so without it
 * an etcd database grows with every write ever made. Compaction is per etcd cluster, not per
 * key range: one writer per etcd cluster is enough, and the controller is that writer for the
 * main etcd and for every partition etcd cluster it can reach.
 */
import type { Etcd3 } from 'etcd3';
import { withTimeout } from '../etcd/client.js';
import { monotonicNow } from '../../elapsed.js';

/** History kept by time while etcd has room; under space pressure, only one round's. */
const RETAIN_MS = 10_000;

export class HistoryCompactor {
  private lastCompacted = 0;
  /** The revision seen at each round (oldest first), for keeping history by time. */
  private readonly rounds: Array<{ at: number; revision: number }> = [];

  /**
   * @param anyKey a key to read for the current revision (any key will do; the response header carries it)
   * @param retainRevisions revisions kept at most: a watcher briefly behind resumes instead of
   *   failing with "compacted". Under a heavy write load fewer are kept: only what was written
   *   in the last RETAIN_MS — or, while `underPressure()` (etcd near its space quota), since the
   *   previous round — so history is bounded by time, not by a count of revisions that could
   *   each carry a megabyte of partition log.
   */
  constructor(
    private readonly etcd: Etcd3,
    private readonly anyKey: string,
    private readonly retainRevisions: number,
    private readonly callTimeoutMs: number,
    private readonly underPressure: () => boolean = () => false,
  ) {}

  /** The revision compacted to, or null when nothing was due or someone else got there first. */
  async compact(): Promise<number | null> {
    const response = await withTimeout(this.etcd.get(this.anyKey).exec(), this.callTimeoutMs, 'revision read');
    const current = Number(response.header.revision);
    const now = monotonicNow();
    const keepSince = now - (this.underPressure() ? 0 : RETAIN_MS);
    // The newest round at least that old: everything before it may go.
    let byTime = 0;
    while (this.rounds.length > 0 && this.rounds[0]!.at <= keepSince) byTime = this.rounds.shift()!.revision;
    this.rounds.push({ at: now, revision: current });
    const target = Math.max(current - this.retainRevisions, byTime);
    if (target <= this.lastCompacted) return null;
    try {
      await withTimeout(this.etcd.kv.compact({ revision: String(target), physical: false }), this.callTimeoutMs, 'etcd compaction');
    } catch (err) {
      // etcd's auto-compaction, or another cluster sharing this etcd, already compacted past it.
      if (err instanceof Error && err.message.includes('compacted')) {
        this.lastCompacted = target;
        return null;
      }
      throw err;
    }
    this.lastCompacted = target;
    return target;
  }
}
