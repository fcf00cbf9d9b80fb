/**
 * Compaction of one etcd cluster's MVCC history. etcd keeps every old version of every key
 * until the history is compacted, and partition logs write (and delete) a lot, so without it
 * an etcd database grows with every write ever made. Compaction is per etcd cluster, not per
 * key range: one writer per etcd cluster is enough, and the controller is that writer for the
 * main etcd and for every partition etcd cluster it can reach.
 */
import type { Etcd3 } from 'etcd3';
import { withTimeout } from '../etcd/client.js';

export class HistoryCompactor {
  private lastCompacted = 0;
  /** The revision seen at the previous round: history older than one round is not kept. */
  private previousRound = 0;

  /**
   * @param anyKey a key to read for the current revision (any key will do; the response header carries it)
   * @param retainRevisions revisions kept at most: a watcher briefly behind resumes instead of
   *   failing with "compacted". Under a heavy write load fewer are kept — only what was written
   *   since the previous round — so history is bounded by one round's writes, not by a count
   *   of revisions that could each carry a megabyte of partition log.
   */
  constructor(
    private readonly etcd: Etcd3,
    private readonly anyKey: string,
    private readonly retainRevisions: number,
    private readonly callTimeoutMs: number,
  ) {}

  /** The revision compacted to, or null when nothing was due or someone else got there first. */
  async compact(): Promise<number | null> {
    const response = await withTimeout(this.etcd.get(this.anyKey).exec(), this.callTimeoutMs, 'revision read');
    const current = Number(response.header.revision);
    const target = Math.max(current - this.retainRevisions, this.previousRound);
    this.previousRound = current;
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
